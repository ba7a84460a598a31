import { open } from "node:fs/promises";
import { fsError, isNotFound } from "../io/fs-errors.js";
import type { ProcessIdentity } from "../io/process-identity.js";
import type { DeleteRecord, SaveRecord } from "./records.js";

/** A log being followed: how far it has been read and what is pending in it. */
export interface TrackedLog {
  name: string;
  /** Offset just past the last complete line read. */
  offset: number;
  owner: ProcessIdentity | undefined;
  sealed: boolean;
  /** The owner was seen dead and the log was read to its end afterwards: it will never change. */
  finished: boolean;
  pending: Map<number, SaveRecord | DeleteRecord>;
}

export function newTrackedLog(name: string): TrackedLog {
  return { name, offset: 0, owner: undefined, sealed: false, finished: false, pending: new Map() };
}

export interface NewLines {
  lines: string[];
  /** Offset just past the last complete line; a torn last line is left for the next read. */
  end: number;
  /** Bytes after `end` that do not form a complete line yet. */
  tornBytes: number;
}

/** Reads the complete lines appended to `path` after `offset`; undefined when the log has disappeared. */
export async function readNewLines(path: string, offset: number): Promise<NewLines | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw fsError(error, "READ", `Cannot open index log ${path}`);
  }
  try {
    const { size } = await handle.stat();
    if (size <= offset) return { lines: [], end: offset, tornBytes: 0 };
    const buffer = Buffer.allocUnsafe(size - offset);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const lastNewline = buffer.lastIndexOf(0x0a, filled - 1);
    if (lastNewline === -1) return { lines: [], end: offset, tornBytes: filled };
    const text = buffer.toString("utf8", 0, lastNewline);
    return { lines: text.split("\n"), end: offset + lastNewline + 1, tornBytes: filled - lastNewline - 1 };
  } catch (error) {
    throw fsError(error, "READ", `Cannot read index log ${path}`);
  } finally {
    await handle.close();
  }
}
