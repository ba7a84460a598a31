import { isPlainObject, StoreIntegrityError } from "@truthound/store-core";
import { isPlainFileName } from "../file-names.js";
import { BACKEND } from "../io/fs-errors.js";
import { type DeleteRecord, type HeaderRecord, parseRecord, type SaveRecord } from "./records.js";

export const SNAPSHOT_FORMAT = "truthound-fs-index";
export const SNAPSHOT_VERSION = 1;

/** How far the snapshot has absorbed one log. */
export interface SnapshotLog {
  /** Offset just past the last absorbed line. */
  o: number;
  /** The log's header, so readers that start mid-log still know its writer. */
  h: HeaderRecord | null;
  /** The log is sealed. */
  z: boolean;
  /** Pending mutations absorbed but not yet committed or aborted. */
  p: Array<SaveRecord | DeleteRecord>;
}

/** `[id, file, etag, dataAsset, runTimeMs, status, tags]` */
export type SnapshotEntry = [string, string, string, string, number, string, Record<string, string>];

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  /** Wall time of the compaction, ms. */
  writtenAt: number;
  logs: Record<string, SnapshotLog>;
  entries: SnapshotEntry[];
  /** Recent deletes `[id, atMs]`: a save logged before a delete may be read after it. */
  tombstones: Array<[string, number]>;
}

export function emptySnapshot(): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    writtenAt: 0,
    logs: {},
    entries: [],
    tombstones: [],
  };
}

const corrupt = (why: string) =>
  new StoreIntegrityError(
    `Index snapshot is corrupt (${why}); call rebuildIndex() to rebuild it from the documents`,
    {
      backend: BACKEND,
    },
  );

function isEntry(e: unknown): e is SnapshotEntry {
  return (
    Array.isArray(e) &&
    e.length === 7 &&
    typeof e[0] === "string" &&
    isPlainFileName(e[1]) &&
    typeof e[2] === "string" &&
    typeof e[3] === "string" &&
    typeof e[4] === "number" &&
    typeof e[5] === "string" &&
    isPlainObject(e[6])
  );
}

/** Parses and checks a snapshot; throws INTEGRITY when it is not one we can trust. */
export function parseSnapshot(bytes: Uint8Array): Snapshot {
  let s: unknown;
  try {
    s = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch {
    throw corrupt("not JSON");
  }
  if (!isPlainObject(s) || s.format !== SNAPSHOT_FORMAT) throw corrupt("unknown format");
  if (s.version !== SNAPSHOT_VERSION) throw corrupt(`unsupported version ${String(s.version)}`);
  if (!isPlainObject(s.logs) || !Array.isArray(s.entries) || !Array.isArray(s.tombstones))
    throw corrupt("bad shape");
  for (const [name, log] of Object.entries(s.logs)) {
    if (!isPlainFileName(name) || !isPlainObject(log) || typeof log.o !== "number" || !Array.isArray(log.p)) {
      throw corrupt(`bad log ${name}`);
    }
    const header = log.h === null ? null : parseRecord(JSON.stringify(log.h));
    if (header !== null && header?.k !== "h") throw corrupt(`bad header of ${name}`);
    for (const pending of log.p) {
      const record = parseRecord(JSON.stringify(pending));
      if (record?.k !== "ps" && record?.k !== "pd") throw corrupt(`bad pending record in ${name}`);
    }
  }
  if (!s.entries.every(isEntry)) throw corrupt("bad entry");
  if (!s.tombstones.every((t) => Array.isArray(t) && typeof t[0] === "string" && typeof t[1] === "number")) {
    throw corrupt("bad tombstone");
  }
  return s as unknown as Snapshot;
}
