// For tests: the endpoints of the test servers started by scripts/services/start.sh, and stopping and
// starting one of them (same port, same data) for "server stopped mid-run, then restarted" fault tests.
//
//   import { serviceEnvironment, stopService, startService } from "<repo>/scripts/lib/services.mjs";
//
// Service names: minio, fake_gcs, azurite, postgres, redis, toxiproxy.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const restartScript = fileURLToPath(new URL("../services/restart.sh", import.meta.url));
const envFile = fileURLToPath(new URL("../../.cache/services.env", import.meta.url));

// Building nothing, only signalling and waiting for readiness; MinIO and Azurite take a few seconds.
const CONTROL_TIMEOUT_MS = 120_000;

async function controlService(name, action) {
  try {
    await run("bash", [restartScript, name, action], { cwd: repoRoot, timeout: CONTROL_TIMEOUT_MS });
  } catch (error) {
    const stderr = typeof error?.stderr === "string" ? error.stderr.trim() : "";
    throw new Error(`scripts/services/restart.sh ${name} ${action} failed${stderr ? `:\n${stderr}` : ""}`, {
      cause: error,
    });
  }
}

/** Stops the service's processes; its port, credentials and data are kept for startService. */
export function stopService(name) {
  return controlService(name, "stop");
}

/** Starts a service stopped by stopService again and resolves once it answers real requests. */
export function startService(name) {
  return controlService(name, "start");
}

/** stopService, then startService. */
export function restartService(name) {
  return controlService(name, "restart");
}

/**
 * The TRUTHOUND_TEST_* variables: those already in process.env (scripts/test.sh exports them), completed
 * from .cache/services.env when the servers were started by hand with scripts/services/start.sh.
 */
export async function serviceEnvironment() {
  const fromFile = {};
  if (existsSync(envFile)) {
    // The file is written with bash's %q quoting; bash reads it back exactly.
    const { stdout } = await run("bash", ["-c", 'set -a; source "$1"; env -0', "bash", envFile], {
      env: { PATH: process.env.PATH ?? "" },
    });
    for (const entry of stdout.split("\0")) {
      const separator = entry.indexOf("=");
      const key = entry.slice(0, separator);
      if (key.startsWith("TRUTHOUND_TEST_")) fromFile[key] = entry.slice(separator + 1);
    }
  }
  const fromProcess = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key, value]) => key.startsWith("TRUTHOUND_TEST_") && value !== undefined,
    ),
  );
  return { ...fromFile, ...fromProcess };
}
