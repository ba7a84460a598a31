import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type IndexEntry,
  type NormalizedQuery,
  parseInstant,
  StoreAbortedError,
  StoreConflictError,
  StoreIntegrityError,
  StoreNotFoundError,
  type WriteConditions,
} from "@truthound/store-core";
import type { FileNaming } from "../file-names.js";
import type { DocumentDirectory } from "../io/document-directory.js";
import { etagOf } from "../io/etag.js";
import type { FileLock } from "../io/file-lock.js";
import { BACKEND, fsError, isNotFound } from "../io/fs-errors.js";
import { currentProcess, formatOwner, livenessOf, parseOwner, randomToken } from "../io/process-identity.js";
import type {
  EntryDecoder,
  IndexStatus,
  Layout,
  PreparedWrite,
  ProblemLog,
  RebuildReport,
  StoredDocument,
} from "../layout.js";
import { IndexState } from "../native/index-state.js";
import { ensureDirectory, scanDocuments } from "../scan-documents.js";
import {
  naiveIsoTime,
  PYTHON_INDEX_FILE,
  parsePythonIndex,
  pythonIndexEntry,
  serializePythonIndex,
} from "./python-index.js";

/** Our writers' lock directory; `_` keeps it out of Truthound-py's `rebuild_index` glob. */
export const PYTHON_LOCK_DIR = "_locks";

export interface PythonLayoutDeps {
  docs: DocumentDirectory;
  naming: FileNaming;
  lock: FileLock;
  decode: EntryDecoder;
  problems: ProblemLog;
  createDirs: boolean;
  itemType: string;
}

/** Marks the id a writer is changing, so a crash between the document and `_index.json` can be repaired. */
const INTENT_PREFIX = "intent-";

/** Identity of the `_index.json` we last read: re-read only when it changed. */
type Stamp = string;

/**
 * Truthound-py's layout: `{run_id}{.json|.json.gz}` plus `_index.json`, rewritten whole on every change as
 * Python does. Our writers serialise on a lock and replace `_index.json` atomically, so concurrent writers of
 * this library lose nothing; Truthound-py's own writers take no lock.
 */
export class PythonLayout implements Layout {
  readonly #deps: PythonLayoutDeps;
  #raw: Record<string, unknown> = {};
  #state = new IndexState();
  #stamp: Stamp | undefined;
  #needsRebuild: string | undefined;
  readonly #intentName = `${INTENT_PREFIX}${currentProcess.pid}-${randomToken()}`;

  constructor(deps: PythonLayoutDeps) {
    this.#deps = deps;
  }

  get #lockDir(): string {
    return join(this.#deps.docs.path, PYTHON_LOCK_DIR);
  }

  get #lockPath(): string {
    return join(this.#lockDir, "index.lock");
  }

  async initialize(signal: AbortSignal | undefined): Promise<void> {
    await ensureDirectory(this.#deps.docs.path, this.#deps.createDirs);
    try {
      await mkdir(join(this.#deps.docs.path, PYTHON_LOCK_DIR), { recursive: true });
    } catch (error) {
      throw fsError(error, "CONNECTION", `Cannot create lock directory in ${this.#deps.docs.path}`);
    }
    if ((await this.#deadIntents()).length > 0) await this.#underLock(signal, async () => undefined);
    await this.#refresh();
  }

  async close(): Promise<void> {
    await this.#deps.docs.close();
  }

  async #refresh(): Promise<void> {
    const stamp = await this.#currentStamp();
    if (stamp === this.#stamp) return;
    const bytes = stamp === "absent" ? undefined : await this.#deps.docs.read(PYTHON_INDEX_FILE);
    this.#adopt(bytes, stamp);
  }

  async #currentStamp(): Promise<Stamp> {
    const path = this.#deps.docs.pathOf(PYTHON_INDEX_FILE);
    try {
      const s = await stat(path, { bigint: true });
      return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
    } catch (error) {
      if (!isNotFound(error)) throw fsError(error, "READ", `Cannot stat ${path}`);
      return "absent";
    }
  }

  #adopt(bytes: Uint8Array | undefined, stamp: Stamp): void {
    const state = new IndexState();
    if (bytes === undefined) {
      this.#raw = {};
      this.#needsRebuild = undefined;
    } else {
      try {
        const parsed = parsePythonIndex(bytes);
        this.#raw = parsed.raw;
        this.#needsRebuild = undefined;
        for (const { id, reason } of parsed.invalid)
          this.#deps.problems.add(PYTHON_INDEX_FILE, `skipped ${id}: ${reason}`);
        for (const { entry, file } of parsed.entries.values())
          state.set({ entry, file, etag: "", src: "python" });
      } catch (error) {
        if (!(error instanceof StoreIntegrityError)) throw error;
        this.#raw = {};
        this.#needsRebuild = error.message;
        this.#deps.problems.add(PYTHON_INDEX_FILE, error.message);
      }
    }
    this.#state = state;
    this.#stamp = stamp;
  }

  #requireIndex(): void {
    if (this.#needsRebuild !== undefined)
      throw new StoreIntegrityError(this.#needsRebuild, { backend: BACKEND });
  }

  async #writeIndex(raw: Record<string, unknown>): Promise<void> {
    const bytes = serializePythonIndex(raw);
    await this.#deps.docs.writeAtomic(PYTHON_INDEX_FILE, bytes);
    // We hold the lock, so the file is still what we wrote: adopt it without reading it back.
    this.#adopt(bytes, await this.#currentStamp());
  }

  async #underLock<R>(signal: AbortSignal | undefined, work: () => Promise<R>): Promise<R> {
    const release = await this.#deps.lock.acquire(this.#lockPath, signal);
    try {
      if (signal?.aborted) throw new StoreAbortedError("operation aborted", { backend: BACKEND });
      await this.#repairDeadIntents();
      return await work();
    } finally {
      await release();
    }
  }

  /** Runs one change of `id` with an intent file naming it, removed once `_index.json` is written. */
  async #withIntent<R>(id: string, work: () => Promise<R>): Promise<R> {
    const path = join(this.#lockDir, this.#intentName);
    try {
      // Written aside and renamed so a crash never leaves a torn intent.
      await writeFile(`${path}.tmp`, JSON.stringify({ owner: formatOwner(currentProcess, ""), id }));
      await rename(`${path}.tmp`, path);
    } catch (error) {
      throw fsError(error, "WRITE", "Cannot record write intent", { id });
    }
    const result = await work();
    await unlink(path).catch((error: unknown) => {
      if (!isNotFound(error)) throw fsError(error, "WRITE", "Cannot clear write intent", { id });
    });
    return result;
  }

  /** Intent files of writers that died: their change may be half done. */
  async #deadIntents(): Promise<Array<{ file: string; id: string | undefined }>> {
    let names: string[];
    try {
      names = (await readdir(this.#lockDir)).filter(
        (n) => n.startsWith(INTENT_PREFIX) && !n.endsWith(".tmp"),
      );
    } catch (error) {
      if (isNotFound(error)) return [];
      throw fsError(error, "READ", `Cannot list ${this.#lockDir}`);
    }
    const dead: Array<{ file: string; id: string | undefined }> = [];
    for (const file of names) {
      let intent: { owner?: unknown; id?: unknown };
      try {
        intent = JSON.parse(await readFile(join(this.#lockDir, file), "utf8"));
      } catch (error) {
        if (isNotFound(error)) continue;
        intent = {};
      }
      const owner = typeof intent.owner === "string" ? parseOwner(intent.owner) : undefined;
      if (owner !== undefined && livenessOf(owner) !== "dead") continue;
      dead.push({ file, id: typeof intent.id === "string" ? intent.id : undefined });
    }
    return dead;
  }

  /** The document decides: its entry is re-derived from it, or removed when it is gone. */
  async #repairDeadIntents(): Promise<void> {
    const dead = await this.#deadIntents();
    if (dead.length === 0) return;
    await this.#refresh();
    if (this.#needsRebuild === undefined) {
      const raw = { ...this.#raw };
      for (const { id } of dead) {
        if (id === undefined) continue;
        const found = await this.#findDocument(id);
        delete raw[id];
        if (found === undefined) continue;
        try {
          const entry = await this.#deps.decode(found.bytes);
          if (entry.id === id)
            raw[id] = pythonIndexEntry(entry, naiveIsoTime({ ms: entry.runTimeMs, micros: 0 }), found.file);
        } catch (error) {
          this.#deps.problems.add(
            found.file,
            `cannot re-index ${id} after a crashed write: ${(error as Error).message}`,
          );
        }
      }
      await this.#writeIndex(raw);
    }
    for (const { file } of dead) await unlink(join(this.#lockDir, file)).catch(() => undefined);
  }

  async write(w: PreparedWrite, signal: AbortSignal | undefined): Promise<void> {
    const { docs, naming } = this.#deps;
    const file = naming.nameOf(w.id);
    const { bytes, runTimeText } = await w.encode();
    const temp = await docs.writeTemp(bytes);
    try {
      await this.#underLock(signal, async () => {
        await this.#refresh();
        this.#requireIndex();
        await this.#checkConditions(w.id, w.conditions);
        const previous = this.#state.get(w.id)?.file;
        await this.#withIntent(w.id, async () => {
          await docs.install(temp, file);
          for (const other of naming.candidatesOf(w.id)) if (other !== file) await docs.remove(other);
          if (previous !== undefined && previous !== file) await docs.remove(previous);
          const runTime = naiveIsoTime(
            runTimeText === undefined ? { ms: w.entry.runTimeMs, micros: 0 } : parseInstant(runTimeText),
          );
          await this.#writeIndex({ ...this.#raw, [w.id]: pythonIndexEntry(w.entry, runTime, file) });
        });
      });
    } catch (error) {
      await docs.discard(temp);
      throw error;
    }
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

  #findDocument(id: string): Promise<StoredDocument | undefined> {
    return this.#readIfPresent(id);
  }

  /** By name first (as Truthound-py finds documents), then the file the index names. */
  async #readIfPresent(id: string): Promise<StoredDocument | undefined> {
    for (const file of this.#deps.naming.candidatesOf(id)) {
      const bytes = await this.#deps.docs.read(file);
      if (bytes !== undefined) return { bytes, file };
    }
    await this.#refresh();
    const indexed = this.#state.get(id)?.file;
    if (indexed === undefined) return undefined;
    const bytes = await this.#deps.docs.read(indexed);
    return bytes === undefined ? undefined : { bytes, file: indexed, checkId: true };
  }

  async read(id: string): Promise<StoredDocument> {
    const found = await this.#readIfPresent(id);
    if (found === undefined)
      throw new StoreNotFoundError(id, { backend: BACKEND, itemType: this.#deps.itemType });
    return found;
  }

  async has(id: string): Promise<boolean> {
    return (await this.#readIfPresent(id)) !== undefined;
  }

  async remove(id: string, signal: AbortSignal | undefined): Promise<boolean> {
    return this.#underLock(signal, async () => {
      await this.#refresh();
      this.#requireIndex();
      const files = new Set(this.#deps.naming.candidatesOf(id));
      const indexed = this.#state.get(id)?.file;
      if (indexed !== undefined) files.add(indexed);
      return this.#withIntent(id, async () => {
        // Index first: a crash in between leaves a document that the intent repair re-indexes.
        if (id in this.#raw) {
          const { [id]: _removed, ...rest } = this.#raw;
          await this.#writeIndex(rest);
        }
        let removed = false;
        for (const file of files) if (await this.#deps.docs.remove(file)) removed = true;
        return removed;
      });
    });
  }

  async entries(query: NormalizedQuery): Promise<Iterable<IndexEntry>> {
    await this.#refresh();
    this.#requireIndex();
    return this.#state.scan(query);
  }

  async rebuild(signal: AbortSignal | undefined): Promise<RebuildReport> {
    return this.#underLock(signal, async () => {
      const { naming } = this.#deps;
      const scan = await scanDocuments(this.#deps.docs, naming, this.#deps.decode, (file, entry) => {
        const stem = naming.stemOfName(file);
        // Truthound-py names files by the raw run id.
        return stem !== undefined && (stem === entry.id || naming.isStemOf(stem, entry.id))
          ? undefined
          : `file name does not match the document's id ${JSON.stringify(entry.id)}`;
      });
      const raw: Record<string, unknown> = {};
      for (const { entry, file } of scan.documents.values()) {
        raw[entry.id] = pythonIndexEntry(entry, naiveIsoTime({ ms: entry.runTimeMs, micros: 0 }), file);
      }
      await this.#writeIndex(raw);
      return { indexed: scan.documents.size, skipped: scan.skipped, removedTempFiles: scan.removedTempFiles };
    });
  }

  status(): IndexStatus {
    return {
      layout: "python",
      entries: this.#state.size,
      logs: 0,
      unabsorbedLogBytes: 0,
      needsRebuild: this.#needsRebuild,
      problems: this.#deps.problems.list(),
      lastCompactionError: undefined,
    };
  }
}
