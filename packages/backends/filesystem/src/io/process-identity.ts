import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/** Who owns a lock or a log: enough to tell later whether that process is still running. */
export interface ProcessIdentity {
  host: string;
  /** Changes on every reboot (Linux); empty where the platform has none. */
  boot: string;
  pid: number;
}

function readBootId(): string {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    // Not Linux: liveness falls back to the pid alone.
    return "";
  }
}

export const currentProcess: ProcessIdentity = { host: hostname(), boot: readBootId(), pid: process.pid };

export function randomToken(): string {
  return randomBytes(6).toString("hex");
}

export type Liveness = "alive" | "dead" | "unknown";

/** Whether the process is running. A process on another host is "unknown": it cannot be checked from here. */
export function livenessOf(owner: ProcessIdentity): Liveness {
  if (owner.host !== currentProcess.host) return "unknown";
  if (owner.boot !== currentProcess.boot) return "dead";
  if (owner.pid === currentProcess.pid) return "alive";
  try {
    process.kill(owner.pid, 0);
    return "alive";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ESRCH" ? "dead" : "alive";
  }
}

export function formatOwner(owner: ProcessIdentity, token: string): string {
  return JSON.stringify({ h: owner.host, b: owner.boot, p: owner.pid, t: token });
}

export function parseOwner(text: string): (ProcessIdentity & { token: string }) | undefined {
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    if (
      typeof o.h === "string" &&
      typeof o.b === "string" &&
      Number.isSafeInteger(o.p) &&
      typeof o.t === "string"
    ) {
      return { host: o.h, boot: o.b, pid: o.p as number, token: o.t };
    }
  } catch {
    // Unparseable owner: the caller treats it as unknown.
  }
  return undefined;
}
