import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const WRITER = fileURLToPath(new URL("./writer-process.mjs", import.meta.url));

/** Runs the writer process to completion; rejects with its stderr on failure. */
export function runWriter(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`writer exited ${code}: ${err}`)),
    );
  });
}

/** Starts a writer and resolves once it reports "ready" (its first operation completed). */
export function startWriter(args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr?.on("data", (d) => (err += d));
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) resolve(child);
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => reject(new Error(`writer ended early (${code ?? signal}): ${err}`)));
  });
}

/** SIGKILLs the child and waits until it is reaped (a zombie would still look alive to lock checks). */
export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      reject(new Error(`writer ended on its own (${child.exitCode ?? child.signalCode})`));
      return;
    }
    child.removeAllListeners("exit");
    child.on("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
