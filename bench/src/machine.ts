import { execFileSync } from "node:child_process";
import os from "node:os";

export interface MachineFacts {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  loadAverageAtStart: [number, number, number];
  gitCommit: string;
  gitDirty: boolean;
  gcExposed: boolean;
}

function git(args: string[], cwd: string): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
}

/** Facts that explain the figures: hardware, runtime, load when the run started, and the code measured. */
export function machineFacts(repoDir: string): MachineFacts {
  const cpus = os.cpus();
  const [l1, l5, l15] = os.loadavg();
  let gitCommit = "unknown (not a git checkout)";
  let gitDirty = false;
  try {
    gitCommit = git(["rev-parse", "HEAD"], repoDir);
    gitDirty = git(["status", "--porcelain", "--untracked-files=no"], repoDir) !== "";
  } catch {
    // Benchmarks also run from a source archive; the commit is then reported as unknown.
  }
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: [l1 ?? 0, l5 ?? 0, l15 ?? 0].map((n) => Math.round(n * 100) / 100) as [
      number,
      number,
      number,
    ],
    gitCommit,
    gitDirty,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === "function",
  };
}
