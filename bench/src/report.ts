import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { MachineFacts } from "./machine.js";
import type { ComparisonRecord, SuiteResult } from "./suite.js";

export interface BenchReport {
  date: string;
  startedAt: string;
  totalDurationSec: number;
  options: { samples: number; quick: boolean; strict: boolean; suites: string[] };
  machine: MachineFacts;
  suites: SuiteResult[];
}

const num = (n: number, digits = 2) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "n/a";
const ops = (n: number) => num(n, 0);

function comparisonTable(record: ComparisonRecord): string[] {
  const f = record.figures;
  const withLatency = f.candidate.latencyMs !== undefined;
  const header = ["subject", "median ops/s", "min–max ops/s", "ratio candidate/this (median, min–max)"];
  if (withLatency) header.push("p50 ms", "p95 ms");
  const lines = [
    `#### ${record.name}: ${record.description}`,
    "",
    `${f.samples} interleaved samples × ${f.opsPerSample} ops after ${f.warmupOps} warmup ops per subject.`,
    "",
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
  ];
  const row = (
    name: string,
    s: { opsPerSec: { median: number; min: number; max: number }; latencyMs?: { p50: number; p95: number } },
    ratio: string,
  ) => {
    const cells = [name, ops(s.opsPerSec.median), `${ops(s.opsPerSec.min)}–${ops(s.opsPerSec.max)}`, ratio];
    if (withLatency)
      cells.push(num(s.latencyMs?.p50 ?? Number.NaN, 3), num(s.latencyMs?.p95 ?? Number.NaN, 3));
    lines.push(`| ${cells.join(" | ")} |`);
  };
  row(`**${f.candidate.name}** (candidate)`, f.candidate, "—");
  for (const b of f.baselines) {
    row(b.name, b, `**${num(b.ratio.median, 3)}×** (${num(b.ratio.min, 3)}–${num(b.ratio.max, 3)})`);
  }
  lines.push("");
  return lines;
}

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `# Benchmarks ${report.date}`,
    "",
    `Run \`pnpm bench\` (options: samples ${report.options.samples}${report.options.quick ? ", QUICK (figures not meaningful)" : ""}). Started ${report.startedAt}, took ${num(report.totalDurationSec, 0)} s.`,
    "",
    "## Machine",
    "",
    `| fact | value |`,
    `|---|---|`,
    `| CPU | ${m.cpuModel}, ${m.cores} cores |`,
    `| memory | ${m.memoryGiB} GiB |`,
    `| Node.js | ${m.node} (gc exposed: ${m.gcExposed ? "yes" : "no"}) |`,
    `| OS | ${m.os} |`,
    `| load average at start (1/5/15 min) | ${m.loadAverageAtStart.join(" / ")} |`,
    `| git commit | ${m.gitCommit}${m.gitDirty ? " (with uncommitted changes)" : ""} |`,
    "",
    "## Targets",
    "",
    "| suite | metric | target | measured | result |",
    "|---|---|---|---|---|",
  ];
  for (const suite of report.suites) {
    for (const t of suite.targets) {
      lines.push(
        `| ${suite.id} | ${t.metric} | ${t.comparator} ${t.target} ${t.unit} | ${num(t.actual, 3)} ${t.unit} | ${t.pass ? "PASS" : "**FAIL**"} |`,
      );
    }
  }
  lines.push("");
  for (const suite of report.suites) {
    lines.push(`## ${suite.title} (\`${suite.id}\`, ${num(suite.durationSec, 1)} s)`, "");
    for (const s of suite.setup) lines.push(`- ${s}`);
    lines.push("");
    for (const c of suite.comparisons) lines.push(...comparisonTable(c));
    if (suite.measurements.length > 0) {
      lines.push("| measurement | value | note |", "|---|---|---|");
      for (const x of suite.measurements) {
        const value = Number.isInteger(x.value) ? num(x.value, 0) : num(x.value, 3);
        lines.push(`| ${x.name} | ${`${value} ${x.unit}`.trim()} | ${x.note ?? ""} |`);
      }
      lines.push("");
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Writes `<dir>/<date>.md` and `<dir>/<date>.json`; returns their paths. */
/**
 * Writes `<date>.md/.json` for a full run, `<date>-<suite>[+<suite>].md/.json` when only some suites ran, so
 * a run of one suite does not replace the figures of the others.
 */
export async function writeReport(
  report: BenchReport,
  dir: string,
  selectedSuites?: readonly string[],
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const base = selectedSuites ? `${report.date}-${selectedSuites.join("+")}` : report.date;
  const md = join(dir, `${base}.md`);
  const json = join(dir, `${base}.json`);
  await writeFile(md, renderMarkdown(report));
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  return [md, json];
}
