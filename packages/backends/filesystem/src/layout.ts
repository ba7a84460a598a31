import type { IndexEntry, NormalizedQuery, WriteConditions } from "@truthound/store-core";

/** A document as read from disk. */
export interface StoredDocument {
  bytes: Buffer;
  /** File name inside the store directory. */
  file: string;
  /** Found through an index written by someone else: the store checks the document really holds this id. */
  checkId?: boolean;
}

/** A serialised document, ready to be written. */
export interface EncodedDocument {
  bytes: Uint8Array;
  etag: string;
  /** `run_time` as the document states it (keeps microseconds for the Python index), if it has one. */
  runTimeText: string | undefined;
}

/** What one save hands to the layout. */
export interface PreparedWrite {
  id: string;
  entry: IndexEntry;
  conditions: WriteConditions;
  /**
   * Serialises the item; every call returns the same promise. A layout calls it after starting the file
   * operations that need no bytes (creating the temporary file, taking the lock), so the CPU work of
   * serialising and hashing overlaps them.
   */
  encode(): Promise<EncodedDocument>;
}

export interface RebuildReport {
  /** Documents now in the index. */
  indexed: number;
  /** Files that look like documents but could not be indexed, with the reason. */
  skipped: Array<{ file: string; reason: string }>;
  /** Temporary files of dead writers that were removed. */
  removedTempFiles: number;
}

/** A problem the index noticed and worked around (a corrupt log line, an unreadable document). */
export interface IndexProblem {
  source: string;
  message: string;
}

export interface IndexStatus {
  layout: "native" | "python";
  entries: number;
  /** Index logs being tailed (native layout). */
  logs: number;
  /** Log bytes not yet compacted into the snapshot (native layout). */
  unabsorbedLogBytes: number;
  /** Set when the index cannot be trusted until `rebuildIndex()` runs. */
  needsRebuild: string | undefined;
  /** The most recent problems (at most 100). */
  problems: IndexProblem[];
  /** Error of the last background compaction, if it failed. */
  lastCompactionError: string | undefined;
}

/** On-disk organisation of a store directory: documents plus an index. */
export interface Layout {
  initialize(signal: AbortSignal | undefined): Promise<void>;
  close(): Promise<void>;
  write(prepared: PreparedWrite, signal: AbortSignal | undefined): Promise<void>;
  /** Throws NOT_FOUND when absent. */
  read(id: string): Promise<StoredDocument>;
  remove(id: string, signal: AbortSignal | undefined): Promise<boolean>;
  has(id: string): Promise<boolean>;
  entries(query: NormalizedQuery): Promise<Iterable<IndexEntry>>;
  rebuild(signal: AbortSignal | undefined): Promise<RebuildReport>;
  status(): IndexStatus;
}

/** What layouts need from the store: turning stored bytes into an index entry. */
export type EntryDecoder = (bytes: Uint8Array) => Promise<IndexEntry>;

/** Keeps the last problems for `indexStatus()`. */
export class ProblemLog {
  readonly #problems: IndexProblem[] = [];

  add(source: string, message: string): void {
    this.#problems.push({ source, message });
    if (this.#problems.length > 100) this.#problems.shift();
  }

  list(): IndexProblem[] {
    return [...this.#problems];
  }
}
