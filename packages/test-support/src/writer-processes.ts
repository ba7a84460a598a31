import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type StoreRecipe, WRITER_SPEC_ENV, type WriterSpec } from "./writer-spec.js";

const WRITER = fileURLToPath(new URL("./writer-process.js", import.meta.url));

function spawnWriter(spec: WriterSpec): ChildProcess {
  return spawn(process.execPath, [WRITER], {
    env: { ...process.env, [WRITER_SPEC_ENV]: JSON.stringify(spec) },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function runToCompletion(spec: WriterSpec): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnWriter(spec);
    let err = "";
    child.stderr?.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}: ${err}`))));
  });
}

export interface WriterProcessesOptions {
  store: StoreRecipe;
  /** One process per label; each saves ids `<label>-0 .. <label>-(saves-1)` tagged `writer: <label>`. */
  writers: string[];
  saves: number;
  /** Ids `shared-<i>` every writer overwrites after its own saves (data asset `owner-<label>`). */
  shared: number;
  /** Saves in flight per process. */
  concurrency: number;
}

/** Runs one bulk writer process per label at the same time; waits for all, then fails with every writer's error. */
export async function runWriterProcesses(options: WriterProcessesOptions): Promise<void> {
  const { writers, ...rest } = options;
  const outcomes = await Promise.allSettled(
    writers.map((writer) => runToCompletion({ mode: "bulk", writer, ...rest })),
  );
  const failures = outcomes.flatMap((outcome, w) =>
    outcome.status === "rejected" ? [`${writers[w]}: ${String(outcome.reason)}`] : [],
  );
  if (failures.length > 0) throw new Error(`writer processes failed:\n${failures.join("\n")}`);
}

/** Starts a chaos writer and resolves once it reports "ready" (its first operation completed). */
export function startChaosWriter(store: StoreRecipe): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawnWriter({ mode: "chaos", store });
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
