import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, USAGE, UsageError } from "./cli.js";
import { machineFacts } from "./machine.js";
import { type BenchReport, writeReport } from "./report.js";
import type { Suite, SuiteResult } from "./suite.js";
import { allSuites } from "./suites/registry.js";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

async function main(argv: readonly string[]): Promise<number> {
  const options = parseArgs(argv);
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const all: Suite[] = allSuites({ queryDocuments: options.queryDocuments });
  const unknown = (options.suites ?? []).filter((id) => !all.some((s) => s.id === id));
  if (unknown.length > 0)
    throw new UsageError(`Unknown suite: ${unknown.join(", ")} (known: ${all.map((s) => s.id).join(", ")})`);
  const selected = options.suites ? all.filter((s) => options.suites?.includes(s.id)) : all;
  const startedAt = new Date();
  const machine = machineFacts(packageDir);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(
    `bench: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverageAtStart.join("/")}`,
  );
  if (!machine.gcExposed)
    log("bench: run with --expose-gc (as `pnpm bench` does) to collect garbage between blocks");
  const suites: SuiteResult[] = [];
  for (const suite of selected) {
    log(`\n== ${suite.title}`);
    const t0 = performance.now();
    const result = await suite.run({ samples: options.samples, quick: options.quick, log });
    const durationSec = (performance.now() - t0) / 1000;
    suites.push({ id: suite.id, title: suite.title, ...result, durationSec });
    for (const c of result.comparisons) {
      for (const b of c.figures.baselines) {
        log(`   ${c.name}: ${b.ratio.median.toFixed(3)}× vs ${b.name}`);
      }
    }
    for (const t of result.targets) {
      log(
        `   ${t.pass ? "PASS" : "FAIL"} ${t.metric}: ${t.actual.toFixed(3)} ${t.unit} (target ${t.comparator} ${t.target})`,
      );
    }
  }
  const report: BenchReport = {
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    totalDurationSec: (Date.now() - startedAt.getTime()) / 1000,
    options: {
      samples: options.samples,
      quick: options.quick,
      strict: options.strict,
      suites: selected.map((s) => s.id),
    },
    machine,
    suites,
  };
  const outDir = options.outDir ? resolve(options.outDir) : resolve(packageDir, "results");
  const files = await writeReport(report, outDir, options.suites ? selected.map((s) => s.id) : undefined);
  log(`\nbench: wrote ${files.join(" and ")}`);
  const missed = suites.flatMap((s) => s.targets).filter((t) => !t.pass);
  if (missed.length > 0)
    log(`bench: ${missed.length} target(s) missed${options.strict ? " (--strict: failing)" : ""}`);
  return options.strict && missed.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
