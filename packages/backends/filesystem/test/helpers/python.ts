import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

const REPO_ROOT = fileURLToPath(new URL("../../../../../", import.meta.url));

/** The interpreter with truthound 3.2.0: $TRUTHOUND_PYTHON, else `<repo>/.venv/bin/python` (scripts/setup-python.sh). */
export function findTruthoundPython(): string | undefined {
  const fromEnv = process.env.TRUTHOUND_PYTHON;
  if (fromEnv) return fromEnv;
  const venv = `${REPO_ROOT}.venv/bin/python`;
  return existsSync(venv) ? venv : undefined;
}

/** Runs a fixture script from test/python and parses its JSON output. */
export async function runPythonFixture<T>(python: string, script: string, args: string[]): Promise<T> {
  const path = fileURLToPath(new URL(`../python/${script}`, import.meta.url));
  const { stdout } = await run(python, [path, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as T;
}
