import { resolve } from "node:path";

export interface DemoArgs {
  directory: string;
  count: number;
  seed: number;
  services: boolean;
  help: boolean;
}

export const USAGE = `Usage: pnpm --filter demo start [-- options]   (or ./scripts/demo.sh)

Saves realistic Truthound validation results into a filesystem store (no server needed), queries them the
way the Truthound stores guide does, and prints what it finds.

Options:
  --dir <path>    where to keep the stores (default .truthound/demo under the current directory);
                  emptied at the start, but only if the demo created it or it is empty
  --count <n>     results to generate and save, 20-100000 (default 300)
  --seed <n>      seed of the result generator (default 42)
  --services      also run against the test servers (S3 on MinIO, GCS on fake-gcs-server, Azure Blob on
                  Azurite, PostgreSQL, Redis) named by the TRUTHOUND_TEST_* variables;
                  ./scripts/demo.sh --services starts them
  --help          show this help
`;

export class UsageError extends Error {}

function integer(flag: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} needs an integer from ${min} to ${max}`);
  }
  return n;
}

export function parseDemoArgs(argv: readonly string[], cwd: string): DemoArgs {
  const args: DemoArgs = {
    directory: resolve(cwd, ".truthound/demo"),
    count: 300,
    seed: 42,
    services: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") continue;
    if (arg === "--help" || arg === "-h") args.help = true;
    else if (arg === "--dir") {
      const value = argv[++i];
      if (value === undefined || value === "") throw new UsageError("--dir needs a path");
      args.directory = resolve(cwd, value);
    } else if (arg === "--count") args.count = integer(arg, argv[++i], 20, 100_000);
    else if (arg === "--services") args.services = true;
    else if (arg === "--seed") args.seed = integer(arg, argv[++i], 0, 2 ** 31 - 1);
    else throw new UsageError(`Unknown option: ${arg}`);
  }
  return args;
}
