import {
  type IndexEntry,
  type Instant,
  isPlainObject,
  parseInstant,
  StoreIntegrityError,
} from "@truthound/store-core";
import { isPlainFileName } from "../file-names.js";
import { BACKEND } from "../io/fs-errors.js";

export const PYTHON_INDEX_FILE = "_index.json";

/** One entry of Truthound-py's `_index.json`, as parsed. */
export interface PythonIndexEntry {
  entry: IndexEntry;
  file: string;
}

export interface ParsedPythonIndex {
  /** The raw object, kept whole so a rewrite preserves what we do not understand. */
  raw: Record<string, unknown>;
  entries: Map<string, PythonIndexEntry>;
  /** Entries that could not be used, with the reason. */
  invalid: Array<{ id: string; reason: string }>;
}

/** Parses `_index.json`: a flat object `{run_id: {data_asset, run_time, status, file, tags}}`. */
export function parsePythonIndex(bytes: Uint8Array): ParsedPythonIndex {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch (cause) {
    throw new StoreIntegrityError(
      `${PYTHON_INDEX_FILE} is not valid JSON; call rebuildIndex() to rebuild it`,
      {
        backend: BACKEND,
        cause,
      },
    );
  }
  if (!isPlainObject(raw)) {
    throw new StoreIntegrityError(
      `${PYTHON_INDEX_FILE} is not a JSON object; call rebuildIndex() to rebuild it`,
      {
        backend: BACKEND,
      },
    );
  }
  const entries = new Map<string, PythonIndexEntry>();
  const invalid: ParsedPythonIndex["invalid"] = [];
  for (const [id, value] of Object.entries(raw)) {
    const reason = entryProblem(value);
    if (reason !== undefined) {
      invalid.push({ id, reason });
      continue;
    }
    const v = value as {
      data_asset: string;
      run_time: string;
      status: string;
      file: string;
      tags?: Record<string, string>;
    };
    let runTimeMs: number;
    try {
      runTimeMs = parseInstant(v.run_time).ms;
    } catch {
      invalid.push({ id, reason: `run_time ${JSON.stringify(v.run_time)} is not an ISO time` });
      continue;
    }
    entries.set(id, {
      entry: { id, dataAsset: v.data_asset, runTimeMs, status: v.status, tags: { ...(v.tags ?? {}) } },
      file: v.file,
    });
  }
  return { raw, entries, invalid };
}

function entryProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return "entry is not an object";
  if (typeof value.data_asset !== "string") return "data_asset is not a string";
  if (typeof value.run_time !== "string") return "run_time is not a string";
  if (typeof value.status !== "string") return "status is not a string";
  if (!isPlainFileName(value.file)) return "file is not a plain file name";
  if (value.tags !== undefined && value.tags !== null) {
    if (!isPlainObject(value.tags) || !Object.values(value.tags).every((t) => typeof t === "string")) {
      return "tags is not an object of strings";
    }
  }
  return undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * A naive UTC time like Python's `datetime.isoformat()` of a naive datetime. Truthound-py writes naive times
 * and compares them with naive query bounds; an aware time in the same index would make its sort raise.
 */
export function naiveIsoTime(instant: Instant): string {
  const d = new Date(instant.ms);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(
    d.getUTCHours(),
  )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const micro = d.getUTCMilliseconds() * 1000 + instant.micros;
  return micro === 0 ? base : `${base}.${pad(micro, 6)}`;
}

export function pythonIndexEntry(entry: IndexEntry, runTime: string, file: string): Record<string, unknown> {
  return { data_asset: entry.dataAsset, run_time: runTime, status: entry.status, file, tags: entry.tags };
}

/** `json.dump(indent=2)` output: non-ASCII escaped as Python's default `ensure_ascii` does. */
export function serializePythonIndex(raw: Record<string, unknown>): Buffer {
  const json = JSON.stringify(raw, null, 2).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return Buffer.from(json, "ascii");
}
