import { readdir } from "node:fs/promises";
import { join } from "node:path";
import {
  type IndexEntry,
  isStoreError,
  type NormalizedQuery,
  StoreIntegrityError,
} from "@truthound/store-core";
import type { FileNaming } from "../file-names.js";
import { CoalescedSync } from "../io/coalesced-sync.js";
import type { DocumentDirectory } from "../io/document-directory.js";
import { etagOf } from "../io/etag.js";
import type { FileLock } from "../io/file-lock.js";
import { BACKEND, fsError } from "../io/fs-errors.js";
import { currentProcess, livenessOf } from "../io/process-identity.js";
import type { EntryDecoder, ProblemLog } from "../layout.js";
import { IndexState, type Slot } from "./index-state.js";
import { newTrackedLog, readNewLines, type TrackedLog } from "./log-tail.js";
import { LOG_SUFFIX } from "./log-writer.js";
import { type DeleteRecord, identityOf, type LogRecord, parseRecord, type SaveRecord } from "./records.js";
import {
  emptySnapshot,
  parseSnapshot,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type Snapshot,
  type SnapshotEntry,
  type SnapshotLog,
} from "./snapshot.js";

export const SNAPSHOT_FILE = "snapshot.json";
export const COMPACT_LOCK = "compact.lock";

/** A pending mutation older than this is settled from the document even if its writer still runs. */
const PENDING_TIMEOUT_MS = 60_000;
/** Deletes are remembered this long, so a save logged before a delete but read after it is checked. */
const TOMBSTONE_TTL_MS = 60 * 60_000;
/** Compact once the logs hold this many bytes beyond the snapshot (plus 64 bytes per indexed document). */
const COMPACT_AFTER_BYTES = 4 * 1024 * 1024;
/** Compact when this many logs exist (each short-lived process leaves one until compaction absorbs it). */
const MAX_LOGS = 32;

export interface NativeIndexPaths {
  /** `_index`: snapshot and compaction lock. */
  meta: DocumentDirectory;
  /** `_index/logs`: one append-only log per writer. */
  logs: DocumentDirectory;
}

/**
 * The multi-process index of the native layout: a snapshot plus every writer's append-only log, tailed
 * incrementally. Records of one log apply in order. When an id was last changed through another log (whose
 * order relative to this one is unknown), or a writer died between its pending and committed records, the
 * document on disk decides: it is read and the entry derived from it.
 */
export class NativeIndex {
  state = new IndexState();
  readonly #logs = new Map<string, TrackedLog>();
  #snapshotOffsets = new Map<string, number>();
  #needsRebuild: string | undefined;
  readonly #refresher = new CoalescedSync(() => this.#refresh());
  #compaction: Promise<void> | undefined;
  #lastCompactionError: string | undefined;

  constructor(
    private readonly docs: DocumentDirectory,
    private readonly paths: NativeIndexPaths,
    private readonly naming: FileNaming,
    private readonly lock: FileLock,
    private readonly decode: EntryDecoder,
    private readonly problems: ProblemLog,
    private readonly now: () => number,
  ) {}

  get needsRebuild(): string | undefined {
    return this.#needsRebuild;
  }

  get lastCompactionError(): string | undefined {
    return this.#lastCompactionError;
  }

  get logCount(): number {
    return this.#logs.size;
  }

  get unabsorbedBytes(): number {
    let total = 0;
    for (const log of this.#logs.values()) total += log.offset - (this.#snapshotOffsets.get(log.name) ?? 0);
    return total;
  }

  async open(): Promise<void> {
    await this.#loadSnapshot();
    await this.refresh();
  }

  /** Brings the index up to date with every log; concurrent callers share one pass that started after their call. */
  refresh(): Promise<void> {
    return this.#refresher.run();
  }

  async entries(query: NormalizedQuery): Promise<Iterable<IndexEntry>> {
    await this.refresh();
    if (this.#needsRebuild !== undefined) {
      throw new StoreIntegrityError(this.#needsRebuild, { backend: BACKEND });
    }
    return this.state.scan(query);
  }

  /** Our own log grew: its records are applied directly, so tailing must not read them again. */
  ownAppend(logName: string, end: number): void {
    let log = this.#logs.get(logName);
    if (log === undefined) {
      log = newTrackedLog(logName);
      log.owner = currentProcess;
      this.#logs.set(logName, log);
    }
    if (end > log.offset) log.offset = end;
  }

  /** Our own pending mutation: kept with its log so a snapshot taken meanwhile still records it. */
  ownPending(record: SaveRecord | DeleteRecord, logName: string): void {
    this.#logs.get(logName)?.pending.set(record.n, record);
  }

  ownSettled(n: number, logName: string): void {
    this.#logs.get(logName)?.pending.delete(n);
  }

  ownSave(record: SaveRecord, logName: string): void {
    this.state.set(slotOf(record, logName));
    this.#maybeCompact();
  }

  ownDelete(id: string, logName: string): void {
    this.state.delete(id, { src: logName, at: this.now() });
    this.#maybeCompact();
  }

  async #loadSnapshot(): Promise<void> {
    let snapshot: Snapshot;
    try {
      const bytes = await this.paths.meta.read(SNAPSHOT_FILE);
      snapshot = bytes === undefined ? emptySnapshot() : parseSnapshot(bytes);
      this.#needsRebuild = undefined;
    } catch (error) {
      if (!isStoreError(error, "INTEGRITY")) throw error;
      this.#needsRebuild = error.message;
      this.problems.add(SNAPSHOT_FILE, error.message);
      snapshot = emptySnapshot();
    }
    this.#adopt(snapshot);
  }

  #adopt(snapshot: Snapshot): void {
    const state = new IndexState();
    for (const [id, file, etag, dataAsset, runTimeMs, status, tags] of snapshot.entries) {
      state.set({ entry: { id, dataAsset, runTimeMs, status, tags }, file, etag, src: "snapshot" });
    }
    for (const [id, at] of snapshot.tombstones) state.delete(id, { src: "snapshot", at });
    this.state = state;
    this.#logs.clear();
    this.#snapshotOffsets = new Map();
    for (const [name, s] of Object.entries(snapshot.logs)) {
      const log = newTrackedLog(name);
      log.offset = s.o;
      log.owner = s.h === null ? undefined : identityOf(s.h);
      log.sealed = s.z;
      for (const p of s.p) log.pending.set(p.n, p);
      this.#logs.set(name, log);
      this.#snapshotOffsets.set(name, s.o);
    }
  }

  async #listLogs(): Promise<string[]> {
    try {
      return (await readdir(this.paths.logs.path)).filter((name) => name.endsWith(LOG_SUFFIX));
    } catch (error) {
      throw fsError(error, "READ", `Cannot list index logs in ${this.paths.logs.path}`);
    }
  }

  async #refresh(): Promise<void> {
    let names = await this.#listLogs();
    let present = new Set(names);
    for (const [name, log] of this.#logs) {
      if (present.has(name)) continue;
      if (!log.sealed && !log.finished) {
        // Compacted away before we read all of it: the snapshot has what we missed.
        await this.#loadSnapshot();
        names = await this.#listLogs();
        present = new Set(names);
        break;
      }
      this.#logs.delete(name);
    }
    for (const name of [...this.#logs.keys()]) if (!present.has(name)) this.#logs.delete(name);
    const contested = new Map<string, Set<string>>();
    const tracked = names.map((name) => {
      let log = this.#logs.get(name);
      if (log === undefined) {
        log = newTrackedLog(name);
        this.#logs.set(name, log);
      }
      return log;
    });
    const reads = await Promise.all(
      tracked.map(async (log) => {
        const ownerDead = log.owner !== undefined && livenessOf(log.owner) === "dead";
        return { log, ownerDead, read: await readNewLines(join(this.paths.logs.path, log.name), log.offset) };
      }),
    );
    for (const { log, ownerDead, read } of reads) {
      if (read === undefined) continue;
      for (const line of read.lines) {
        const record = parseRecord(line);
        if (record === undefined) {
          if (line.length > 0)
            this.problems.add(log.name, `skipped a corrupt index log line: ${line.slice(0, 80)}`);
          continue;
        }
        this.#apply(log, record, contested);
      }
      log.offset = read.end;
      // Dead before this read: the read saw everything the log will ever hold.
      if (ownerDead) log.finished = true;
    }
    this.#settlePending(contested);
    if (contested.size > 0) await this.#resolve(contested);
    this.#maybeCompact();
  }

  #apply(log: TrackedLog, record: LogRecord, contested: Map<string, Set<string>>): void {
    switch (record.k) {
      case "h":
        log.owner = identityOf(record);
        return;
      case "ps":
      case "pd":
        log.pending.set(record.n, record);
        return;
      case "x":
        log.pending.delete(record.n);
        return;
      case "z":
        log.sealed = true;
        return;
      case "s": {
        log.pending.delete(record.n);
        this.#noteSource(record, log.name, contested);
        this.state.set(slotOf(record, log.name));
        return;
      }
      case "d": {
        log.pending.delete(record.n);
        this.#noteSource(record, log.name, contested);
        this.state.delete(record.id, { src: log.name, at: record.w });
        return;
      }
    }
  }

  #noteSource(record: SaveRecord | DeleteRecord, src: string, contested: Map<string, Set<string>>): void {
    const previous = this.state.sourceOf(record.id);
    if (previous !== undefined && previous !== src) addContested(contested, record.id, record.f);
    else if (contested.has(record.id)) addContested(contested, record.id, record.f);
  }

  /** Pending mutations of dead writers, and stale ones, are settled from the documents. */
  #settlePending(contested: Map<string, Set<string>>): void {
    const now = this.now();
    for (const log of this.#logs.values()) {
      if (log.pending.size === 0) continue;
      const dead = log.sealed || (log.owner !== undefined && livenessOf(log.owner) === "dead");
      for (const [n, record] of log.pending) {
        if (dead || now - record.w > PENDING_TIMEOUT_MS) {
          addContested(contested, record.id, record.f);
          log.pending.delete(n);
        }
      }
    }
  }

  /** The document decides: its current content becomes the entry, its absence a delete. */
  async #resolve(contested: Map<string, Set<string>>): Promise<void> {
    for (const [id, files] of contested) {
      const tentative = this.state.get(id);
      const candidates = new Set<string>([
        this.naming.nameOf(id),
        ...(tentative ? [tentative.file] : []),
        ...files,
      ]);
      let found = false;
      for (const file of candidates) {
        const bytes = await this.docs.read(file);
        if (bytes === undefined) continue;
        found = true;
        let entry: IndexEntry;
        try {
          entry = await this.decode(bytes);
        } catch (error) {
          this.problems.add(file, `document of ${id} is unreadable: ${(error as Error).message}`);
          break;
        }
        if (entry.id !== id) {
          this.problems.add(
            file,
            `document holds id ${JSON.stringify(entry.id)}, expected ${JSON.stringify(id)}`,
          );
          found = false;
          continue;
        }
        const etag = etagOf(bytes);
        const src = tentative !== undefined && tentative.etag === etag ? tentative.src : "resolved";
        this.state.set({ entry, file, etag, src });
        break;
      }
      if (!found) this.state.delete(id, { src: "resolved", at: this.now() });
    }
  }

  #maybeCompact(): void {
    if (this.#compaction !== undefined) return;
    const manyLogs = this.#logs.size > MAX_LOGS;
    if (!manyLogs && this.unabsorbedBytes < COMPACT_AFTER_BYTES + this.state.size * 64) return;
    this.#compaction = this.compact(false).then(
      () => {
        this.#lastCompactionError = undefined;
      },
      (error: unknown) => {
        // The index stays correct without compaction; the failure is reported by indexStatus().
        this.#lastCompactionError = error instanceof Error ? error.message : String(error);
      },
    );
    void this.#compaction.finally(() => {
      this.#compaction = undefined;
    });
  }

  /** Waits for a background compaction. */
  async settle(): Promise<void> {
    await this.#compaction;
  }

  /**
   * Writes the current index as the snapshot and removes logs that are sealed or whose writer died, once
   * fully absorbed. Returns false when another process is compacting (with `wait` false).
   */
  async compact(wait: boolean): Promise<boolean> {
    const lockPath = join(this.paths.meta.path, COMPACT_LOCK);
    const release = wait
      ? await this.lock.acquire(lockPath, undefined)
      : await this.lock.tryAcquire(lockPath);
    if (release === undefined) return false;
    try {
      await this.refresh();
      if (this.#needsRebuild !== undefined) return false;
      const removable = [...this.#logs.values()].filter(
        (log) => (log.sealed || log.finished) && log.pending.size === 0,
      );
      const removableNames = new Set(removable.map((log) => log.name));
      await this.#writeSnapshot(removableNames);
      for (const log of removable) {
        await this.paths.logs.remove(log.name);
        this.#logs.delete(log.name);
      }
      return true;
    } finally {
      await release();
    }
  }

  async #writeSnapshot(omit: Set<string>): Promise<void> {
    const now = this.now();
    this.state.pruneTombstones(now - TOMBSTONE_TTL_MS);
    const logs: Record<string, SnapshotLog> = {};
    for (const log of this.#logs.values()) {
      if (omit.has(log.name)) continue;
      logs[log.name] = {
        o: log.offset,
        h: log.owner ? { k: "h", h: log.owner.host, b: log.owner.boot, p: log.owner.pid } : null,
        z: log.sealed,
        p: [...log.pending.values()],
      };
    }
    const entries: SnapshotEntry[] = [];
    for (const slot of this.state.slots()) {
      const e = slot.entry;
      entries.push([e.id, slot.file, slot.etag, e.dataAsset, e.runTimeMs, e.status, e.tags]);
    }
    const tombstones: Array<[string, number]> = [];
    for (const [id, t] of this.state.tombstones()) tombstones.push([id, t.at]);
    const snapshot: Snapshot = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      writtenAt: now,
      logs,
      entries,
      tombstones,
    };
    await this.paths.meta.writeAtomic(SNAPSHOT_FILE, Buffer.from(JSON.stringify(snapshot), "utf8"));
    this.#snapshotOffsets = new Map(Object.entries(logs).map(([name, s]) => [name, s.o]));
  }

  /**
   * Rebuilds the index from the documents: `scan` lists them and derives their entries. Log positions are
   * taken first, so every mutation logged after them is applied on top, checked against the documents.
   */
  async rebuild(
    scan: () => Promise<Iterable<{ entry: IndexEntry; file: string; etag: string }>>,
  ): Promise<number> {
    const release = await this.lock.acquire(join(this.paths.meta.path, COMPACT_LOCK), undefined);
    try {
      const logs: Record<string, SnapshotLog> = {};
      for (const name of await this.#listLogs()) {
        const read = await readNewLines(join(this.paths.logs.path, name), 0);
        if (read === undefined) continue;
        const first = read.lines[0] === undefined ? undefined : parseRecord(read.lines[0]);
        logs[name] = { o: read.end, h: first?.k === "h" ? first : null, z: false, p: [] };
      }
      const entries: SnapshotEntry[] = [];
      for (const { entry: e, file, etag } of await scan()) {
        entries.push([e.id, file, etag, e.dataAsset, e.runTimeMs, e.status, e.tags]);
      }
      const snapshot: Snapshot = {
        format: SNAPSHOT_FORMAT,
        version: SNAPSHOT_VERSION,
        writtenAt: this.now(),
        logs,
        entries,
        tombstones: [],
      };
      await this.paths.meta.writeAtomic(SNAPSHOT_FILE, Buffer.from(JSON.stringify(snapshot), "utf8"));
      this.#needsRebuild = undefined;
      this.#adopt(snapshot);
      await this.refresh();
      return this.state.size;
    } finally {
      await release();
    }
  }
}

function slotOf(record: SaveRecord, src: string): Slot {
  return {
    entry: { id: record.id, dataAsset: record.a, runTimeMs: record.t, status: record.s, tags: record.g },
    file: record.f,
    etag: record.e,
    src,
  };
}

function addContested(contested: Map<string, Set<string>>, id: string, file: string): void {
  let files = contested.get(id);
  if (files === undefined) {
    files = new Set();
    contested.set(id, files);
  }
  files.add(file);
}
