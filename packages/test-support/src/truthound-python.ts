import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The interpreter with truthound 3.2.0: $TRUTHOUND_PYTHON, else `<repo>/.venv/bin/python` (scripts/setup-python.sh). */
export function findTruthoundPython(): string | undefined {
  const fromEnv = process.env.TRUTHOUND_PYTHON;
  if (fromEnv) return fromEnv;
  const venv = `${REPO_ROOT}.venv/bin/python`;
  return existsSync(venv) ? venv : undefined;
}

function pythonImports(interpreter: string, modules: string): boolean {
  try {
    execFileSync(interpreter, ["-c", `import ${modules}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * The Truthound interpreter if it can `import <modules>` (e.g. "boto3, truthound.stores.backends.s3"); undefined
 * locally so the interop tests skip, but under CI=true a missing or incomplete interpreter throws.
 */
export function truthoundPythonWith(modules: string): string | undefined {
  const python = findTruthoundPython();
  if (python !== undefined && pythonImports(python, modules)) return python;
  if (process.env.CI === "true") {
    throw new Error(
      `Truthound-py able to import ${modules} is required under CI=true: run ./scripts/setup-python.sh or set TRUTHOUND_PYTHON`,
    );
  }
  return undefined;
}
