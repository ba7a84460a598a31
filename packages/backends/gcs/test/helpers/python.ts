import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL("../../../../../", import.meta.url));

/** The interpreter with truthound 3.2.0 and google-cloud-storage: $TRUTHOUND_PYTHON, else `<repo>/.venv/bin/python`. */
export function findTruthoundPython(): string | undefined {
  const fromEnv = process.env.TRUTHOUND_PYTHON;
  if (fromEnv) return fromEnv;
  const venv = `${REPO_ROOT}.venv/bin/python`;
  return existsSync(venv) ? venv : undefined;
}

/** Whether Truthound-py's GCSStore and google-cloud-storage import. */
export function gcsStoreImports(python: string): boolean {
  try {
    execFileSync(python, ["-c", "import google.cloud.storage, truthound.stores.backends.gcs"], {
      stdio: "ignore",
    });
    return true;
  } catch {
    return false;
  }
}

/** Runs a fixture script from test/python against the emulator and parses its JSON output. */
export async function runPythonFixture<T>(python: string, script: string, args: string[], endpoint: string) {
  const path = fileURLToPath(new URL(`../python/${script}`, import.meta.url));
  const { stdout } = await run(python, [path, ...args], {
    maxBuffer: 64 * 1024 * 1024,
    // google-cloud-storage talks to an emulator, unauthenticated, when STORAGE_EMULATOR_HOST is set.
    env: { ...process.env, STORAGE_EMULATOR_HOST: endpoint },
  });
  return JSON.parse(stdout) as T;
}
