export interface BenchOptions {
  samples: number;
  quick: boolean;
  strict: boolean;
  suites: string[] | undefined;
  outDir: string | undefined;
  queryDocuments: number | undefined;
  help: boolean;
}

export const USAGE = `Usage: pnpm bench [-- options]

Runs the benchmark suites in one process and writes bench/results/<date>.md and .json
(<date>-<suite ids>.md and .json when --suite picks some).

Options:
  --suite <id[,id]>      run only these suites (see bench/src/suites/registry.ts)
  --samples <n>          interleaved samples per comparison (default 9, at least 7)
  --query-documents <n>  documents stored for filesystem-query (default 100000)
  --out <dir>            where to write the results (default bench/results)
  --quick                tiny sizes to check the harness; figures are not meaningful, samples may be < 7
  --strict               exit with status 1 if a target is missed
  --help                 show this help
`;

export class UsageError extends Error {}

function positiveInteger(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${flag} needs a positive integer`);
  return n;
}

export function parseArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    samples: 9,
    quick: false,
    strict: false,
    suites: undefined,
    outDir: undefined,
    queryDocuments: undefined,
    help: false,
  };
  let samplesGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === "--") continue;
    else if (arg === "--help" || arg === "-h") options.help = true;
    else if (arg === "--quick") options.quick = true;
    else if (arg === "--strict") options.strict = true;
    else if (arg === "--samples") {
      options.samples = positiveInteger(arg, value());
      samplesGiven = true;
    } else if (arg === "--suite")
      options.suites = [...(options.suites ?? []), ...value().split(",").filter(Boolean)];
    else if (arg === "--out") options.outDir = value();
    else if (arg === "--query-documents") options.queryDocuments = positiveInteger(arg, value());
    else throw new UsageError(`Unknown option: ${arg}`);
  }
  if (options.quick && !samplesGiven) options.samples = 3;
  if (!options.quick && options.samples < 7)
    throw new UsageError("--samples must be at least 7 (or use --quick)");
  return options;
}
