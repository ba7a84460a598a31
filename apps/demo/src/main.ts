#!/usr/bin/env node
import { parseDemoArgs, USAGE, UsageError } from "./args.js";
import { runDemo } from "./run-demo.js";

async function main(): Promise<number> {
  const args = parseDemoArgs(process.argv.slice(2), process.cwd());
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  await runDemo({
    directory: args.directory,
    count: args.count,
    seed: args.seed,
    ...(args.services ? { services: process.env } : {}),
    write: (line) => process.stdout.write(`${line}\n`),
  });
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    const code = (error as { code?: unknown }).code;
    process.stderr.write(
      `demo failed${typeof code === "string" ? ` [${code}]` : ""}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
