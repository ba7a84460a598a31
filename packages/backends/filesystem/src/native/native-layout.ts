import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import {
  type IndexEntry,
  type NormalizedQuery,
  StoreAbortedError,
  StoreConflictError,
  StoreNotFoundError,
  type WriteConditions,
} from "@truthound/store-core";
import type { FileNaming } from "../file-names.js";
import { DocumentDirectory } from "../io/document-directory.js";
import { etagOf } from "../io/etag.js";
import type { FileLock } from "../io/file-lock.js";
import { BACKEND, fsError, isNotFound } from "../io/fs-errors.js";
import { KeyedMutex } from "../io/keyed-mutex.js";
import type { TempFile } from "../io/temp-file.js";
import type {
  EncodedDocument,
  EntryDecoder,
  IndexStatus,
  Layout,
  PreparedWrite,
  ProblemLog,
  RebuildReport,
  StoredDocument,
} from "../layout.js";
import { ensureDirectory, scanDocuments } from "../scan-documents.js";
import { LogWriter } from "./log-writer.js";
import { NativeIndex } from "./native-index.js";
import type { LogRecord, SaveRecord } from "./records.js";

export const META_DIR = "_index";

export interface NativeLayoutDeps {
  docs: DocumentDirectory;
  naming: FileNaming;
  lock: FileLock;
  decode: EntryDecoder;
  problems: ProblemLog;
  createDirs: boolean;
  durable: boolean;
  itemType: string;
  now: () => number;
}

/**
 * Documents as `{encoded id}{ext}` files; the index is `_index/snapshot.json` plus one append-only log per
 * writer in `_index/logs/`; per-id locks in `_index/locks/` make conditional writes atomic across processes.
 */
export class NativeLayout implements Layout {
  readonly #deps: NativeLayoutDeps;
  readonly #meta: DocumentDirectory;
  readonly #logsDir: DocumentDirectory;
  readonly #locksDir: string;
  readonly #writer: LogWriter;
  readonly #index: NativeIndex;
  /** Our pending mutations by sequence number: the log their pending record went to. */
  readonly #pendingLog = new Map<number, string>();
  readonly #mutex = new KeyedMutex();

  constructor(deps: NativeLayoutDeps) {
    this.#deps = deps;
    const metaPath = join(deps.docs.path, META_DIR);
    this.#meta = new DocumentDirectory(metaPath, deps.durable);
    this.#logsDir = new DocumentDirectory(join(metaPath, "logs"), deps.durable);
    this.#locksDir = join(metaPath, "locks");
    this.#writer = new LogWriter(this.#logsDir.path, deps.durable);
    this.#index = new NativeIndex(
      deps.docs,
      { meta: this.#meta, logs: this.#logsDir },
      deps.naming,
      deps.lock,
      deps.decode,
      deps.problems,
      deps.now,
    );
  }

  get index(): NativeIndex {
    return this.#index;
  }

  async initialize(): Promise<void> {
    await ensureDirectory(this.#deps.docs.path, this.#deps.createDirs);
    for (const dir of [this.#meta.path, this.#logsDir.path, this.#locksDir]) {
      try {
        await mkdir(dir, { recursive: true });
      } catch (error) {
        throw fsError(error, "CONNECTION", `Cannot create ${dir}`);
      }
    }
    await this.#index.open();
  }

  async close(): Promise<void> {
    await this.#index.settle();
    await this.#writer.close();
    await Promise.all([this.#deps.docs.close(), this.#meta.close(), this.#logsDir.close()]);
  }

  #lockPath(file: string): string {
    return join(this.#locksDir, `${file}.lock`);
  }

  /**
   * Takes the id's in-process mutex, then its lock file. When the mutex is free the lock's `link()` is issued
   * before this returns, so it overlaps the caller's other work.
   */
  #lockId(file: string, signal: AbortSignal | undefined): Promise<HeldLock> {
    const path = this.#lockPath(file);
    const free = this.#mutex.tryAcquire(file);
    const linking = free === undefined ? undefined : this.#deps.lock.acquire(path, signal);
    return (async () => {
      const unlock = free ?? (await this.#mutex.acquire(file));
      try {
        return new HeldLock(await (linking ?? this.#deps.lock.acquire(path, signal)), unlock);
      } catch (error) {
        unlock();
        throw error;
      }
    })();
  }

  /**
   * Two chains run at once: the temporary file is created, written and (when durable) synced, while the id's
   * lock is taken, the write conditions checked and the pending record logged (and synced). Serialising the
   * document overlaps both. Only then is the temporary file renamed over the document. The pending record is
   * durable before the rename can be, so after any crash either the document is unchanged or the log says the
   * id may have changed and the document decides. Other processes may take the lock file while the rename is
   * synced; the mutex keeps this process's records of the id in order until the committed record is logged.
   */
  async write(w: PreparedWrite, signal: AbortSignal | undefined): Promise<void> {
    const file = this.#deps.naming.nameOf(w.id);
    const opening = this.#deps.docs.createTemp();
    const locking = this.#lockId(file, signal);
    const encoding = w.encode();
    // Both chains await `encoding`, but only once their file operation returns: mark it handled meanwhile.
    encoding.catch(() => undefined);
    const [written, intent] = await Promise.allSettled([
      this.#writeTemp(opening, encoding),
      this.#logIntent(w, file, locking, encoding, signal),
    ]);
    if (written.status === "rejected" || intent.status === "rejected") {
      // Each chain cleaned up after itself; undo what the one that succeeded did.
      if (written.status === "fulfilled") await written.value.discard();
      if (intent.status === "fulfilled") {
        this.#append({ k: "x", n: intent.value.record.n });
        await intent.value.held.release();
      }
      throw intent.status === "rejected" ? intent.reason : (written as PromiseRejectedResult).reason;
    }
    const { docs } = this.#deps;
    const { record, previousFile, held } = intent.value;
    try {
      try {
        await docs.place(written.value.path, file);
      } catch (error) {
        this.#append({ k: "x", n: record.n });
        throw error;
      }
      // From here the document is replaced: a failure leaves the pending record for the document to settle.
      if (previousFile !== undefined && previousFile !== file) await docs.remove(previousFile);
      const releasing = held.releaseFile();
      await Promise.all([docs.sync(), releasing]);
      const committed: SaveRecord = { ...record, k: "s" };
      const { name } = this.#append(committed);
      this.#index.ownSave(committed, name);
    } finally {
      await held.release();
    }
  }

  async #writeTemp(opening: Promise<TempFile>, encoding: Promise<EncodedDocument>): Promise<TempFile> {
    const temp = await opening;
    let bytes: Uint8Array;
    try {
      bytes = (await encoding).bytes;
    } catch (error) {
      await temp.discard();
      throw error;
    }
    await temp.write(bytes);
    return temp;
  }

  /** Under the id's lock: checks the conditions and logs the pending save, durably when durable. */
  async #logIntent(
    w: PreparedWrite,
    file: string,
    locking: Promise<HeldLock>,
    encoding: Promise<EncodedDocument>,
    signal: AbortSignal | undefined,
  ): Promise<{ record: SaveRecord; previousFile: string | undefined; held: HeldLock }> {
    const held = await locking;
    let pending: SaveRecord | undefined;
    try {
      const { etag } = await encoding;
      if (signal?.aborted) throw new StoreAbortedError("save aborted", { backend: BACKEND, id: w.id });
      await this.#checkConditions(w.id, w.conditions);
      const previousFile = this.#index.state.get(w.id)?.file;
      pending = {
        k: "ps",
        n: this.#writer.nextSequence(),
        w: this.#deps.now(),
        id: w.id,
        f: file,
        e: etag,
        a: w.entry.dataAsset,
        t: w.entry.runTimeMs,
        s: w.entry.status,
        g: w.entry.tags,
      };
      await this.#append(pending).sync();
      return { record: pending, previousFile, held };
    } catch (error) {
      if (pending !== undefined) this.#append({ k: "x", n: pending.n });
      await held.release();
      throw error;
    }
  }

  /** Appends to our log and tells the index, so tailing skips what we applied ourselves. */
  #append(record: LogRecord) {
    const { segment, end } = this.#writer.append(record);
    this.#index.ownAppend(segment.name, end);
    if (record.k === "ps" || record.k === "pd") {
      this.#pendingLog.set(record.n, segment.name);
      this.#index.ownPending(record, segment.name);
    } else if (record.k === "s" || record.k === "d" || record.k === "x") {
      const intentLog = this.#pendingLog.get(record.n);
      this.#pendingLog.delete(record.n);
      if (intentLog !== undefined) this.#index.ownSettled(record.n, intentLog);
    }
    return { name: segment.name, sync: () => segment.sync() };
  }

  async #checkConditions(id: string, conditions: WriteConditions): Promise<void> {
    if (conditions.ifMatch === undefined && conditions.ifNoneMatch === undefined) return;
    const current = await this.#readIfPresent(id);
    if (conditions.ifNoneMatch === "*" && current !== undefined) {
      throw new StoreConflictError(`Item already exists: ${id}`, { backend: BACKEND, id });
    }
    if (
      conditions.ifMatch !== undefined &&
      (current === undefined || etagOf(current.bytes) !== conditions.ifMatch)
    ) {
      throw new StoreConflictError(`Etag mismatch for ${id}`, { backend: BACKEND, id });
    }
  }

  async #readIfPresent(id: string): Promise<StoredDocument | undefined> {
    const file = this.#deps.naming.nameOf(id);
    const bytes = await this.#deps.docs.read(file);
    if (bytes !== undefined) return { bytes, file };
    // Written under other settings (e.g. compression toggled): the index knows the name.
    await this.#index.refresh();
    const known = this.#index.state.get(id)?.file;
    if (known === undefined || known === file) return undefined;
    const other = await this.#deps.docs.read(known);
    return other === undefined ? undefined : { bytes: other, file: known };
  }

  async read(id: string): Promise<StoredDocument> {
    const found = await this.#readIfPresent(id);
    if (found === undefined)
      throw new StoreNotFoundError(id, { backend: BACKEND, itemType: this.#deps.itemType });
    return found;
  }

  async has(id: string): Promise<boolean> {
    try {
      await access(this.#deps.docs.pathOf(this.#deps.naming.nameOf(id)));
      return true;
    } catch (error) {
      if (!isNotFound(error)) throw fsError(error, "READ", `Cannot check ${id}`, { id });
    }
    return (await this.#readIfPresent(id)) !== undefined;
  }

  async remove(id: string, signal: AbortSignal | undefined): Promise<boolean> {
    const { docs, naming } = this.#deps;
    const file = naming.nameOf(id);
    const held = await this.#lockId(file, signal);
    try {
      await this.#index.refresh();
      const files = new Set([file, this.#index.state.get(id)?.file ?? file]);
      const n = this.#writer.nextSequence();
      const base = { n, w: this.#deps.now(), id, f: file };
      await this.#append({ k: "pd", ...base }).sync();
      let removed = false;
      try {
        for (const name of files) if (await docs.remove(name)) removed = true;
      } catch (error) {
        this.#append({ k: "x", n });
        throw error;
      }
      const { name } = this.#append({ k: "d", ...base });
      this.#index.ownDelete(id, name);
      return removed;
    } finally {
      await held.release();
    }
  }

  entries(query: NormalizedQuery): Promise<Iterable<IndexEntry>> {
    return this.#index.entries(query);
  }

  async rebuild(): Promise<RebuildReport> {
    const skipped: RebuildReport["skipped"] = [];
    let removedTempFiles = 0;
    const indexed = await this.#index.rebuild(async () => {
      const scan = await scanDocuments(this.#deps.docs, this.#deps.naming, this.#deps.decode, (file, entry) =>
        this.#nameMatches(file, entry),
      );
      skipped.push(...scan.skipped);
      removedTempFiles = scan.removedTempFiles;
      return scan.documents.values();
    });
    return { indexed, skipped, removedTempFiles };
  }

  /** A document's file name must be the one its id maps to, so a stray copy is not indexed under it. */
  #nameMatches(file: string, entry: IndexEntry): string | undefined {
    const stem = this.#deps.naming.stemOfName(file);
    if (stem === undefined) return "unknown extension";
    return this.#deps.naming.isStemOf(stem, entry.id)
      ? undefined
      : `file name does not match the document's id ${JSON.stringify(entry.id)}`;
  }

  /** Explicit compaction: snapshot the index and drop absorbed logs. */
  async compact(): Promise<void> {
    await this.#index.compact(true);
  }

  status(): IndexStatus {
    return {
      layout: "native",
      entries: this.#index.state.size,
      logs: this.#index.logCount,
      unabsorbedLogBytes: this.#index.unabsorbedBytes,
      needsRebuild: this.#index.needsRebuild,
      problems: this.#deps.problems.list(),
      lastCompactionError: this.#index.lastCompactionError,
    };
  }
}

/** An id's lock file plus its in-process mutex; the file can be given up first. */
class HeldLock {
  #releasingFile: Promise<void> | undefined;

  constructor(
    readonly releaseFileOnce: () => Promise<void>,
    readonly unlock: () => void,
  ) {}

  releaseFile(): Promise<void> {
    this.#releasingFile ??= this.releaseFileOnce();
    return this.#releasingFile;
  }

  async release(): Promise<void> {
    try {
      await this.releaseFile();
    } finally {
      this.unlock();
    }
  }
}
