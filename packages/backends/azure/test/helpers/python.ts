import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL("../../../../../", import.meta.url));

/** The interpreter with truthound 3.2.0 and azure-storage-blob: $TRUTHOUND_PYTHON, else `<repo>/.venv/bin/python`. */
export function findTruthoundPython(): string | undefined {
  const fromEnv = process.env.TRUTHOUND_PYTHON;
  if (fromEnv) return fromEnv;
  const venv = `${REPO_ROOT}.venv/bin/python`;
  return existsSync(venv) ? venv : undefined;
}

/** Whether Truthound-py's AzureBlobStore and azure-storage-blob import. */
export function azureStoreImports(python: string): boolean {
  try {
    execFileSync(python, ["-c", "import azure.storage.blob, truthound.stores.backends.azure_blob"], {
      stdio: "ignore",
    });
    return true;
  } catch {
    return false;
  }
}

/** Runs a fixture script from test/python with extra environment and parses its JSON output. */
export async function runPythonFixture<T>(
  python: string,
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<T> {
  const path = fileURLToPath(new URL(`../python/${script}`, import.meta.url));
  const { stdout } = await run(python, [path, ...args], {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  return JSON.parse(stdout) as T;
}
