import { Readable } from "node:stream";
import {
  applyQuery,
  BaseStore,
  type Codec,
  filterEntries,
  type IndexEntry,
  type ItemWithEtag,
  isStoreError,
  type NormalizedQuery,
  type OperationOptions,
  type QueryPage,
  type SaveOptions,
  type SaveResult,
  StoreAbortedError,
  type StoreCapabilities,
  StoreConfigurationError,
  StoreConflictError,
  StoreIntegrityError,
  StoreNotFoundError,
  settleEach,
  toStoreError,
  UnsupportedOperationError,
  type ValidationResult,
  validateId,
  validationResultAdapter,
  type WriteConditions,
} from "@truthound/store-core";
import type { BlobBody, BlobHead, BlobStorage, BlobStream } from "./blob-storage.js";
import {
  checkDocumentSource,
  checkStreamEntry,
  type DocumentSource,
  decodeDocumentStream,
  encodeDocumentStream,
  requireStreamingCodecs,
  writeConditionsOf,
} from "./document-stream.js";
import { type DocumentFormat, EXTENSIONS, KeyLayout } from "./key-layout.js";
import { type IndexedEntry, MarkerIndex, META_MARKER, META_TOKEN, tokenOfDocument } from "./marker-index.js";
import { buildMarker, etagToken, newToken } from "./marker-name.js";
import type { Compatibility, ObjectStoreCommonOptions } from "./object-store-options.js";
import { backoff, PythonIndexFile, pythonIndexValue } from "./python-index.js";
import { type RebuildReport, rebuildMarkers, rebuildPythonIndex } from "./rebuild.js";

export interface ObjectStoreConfig<T> extends ObjectStoreCommonOptions<T> {
  storage: BlobStorage;
  /** Label gzip documents `Content-Encoding: gzip` as Truthound-py does (S3, Azure); GCS turns it off. */
  gzipContentEncoding?: boolean;
}

const CONCURRENCY = 8;
/** Attempts of an unconditional save racing other writers of the same id. */
const MAX_SAVE_ATTEMPTS = 50;
const FORMATS: readonly DocumentFormat[] = ["gzip", "json", "codec"];

/** A storage that implements the optional streaming methods. */
type StreamingStorage = BlobStorage & Required<Pick<BlobStorage, "putStream" | "getStream">>;

/** A stored document opened as a stream of its JSON bytes. */
export interface DocumentReadStream {
  body: Readable;
  etag: string;
}

interface StoredCopy {
  format: DocumentFormat;
  key: string;
  head: BlobHead;
}

/**
 * A store on any object storage: one object per document in Truthound-py's layout, and either our per-document
 * index markers (`native`) or Truthound-py's `_index.json` (`python`). Backends only supply `BlobStorage`.
 */
export class ObjectStore<T = ValidationResult> extends BaseStore<T> {
  readonly backend: string;
  readonly capabilities: StoreCapabilities;
  readonly compatibility: Compatibility;
  readonly layout: KeyLayout;
  protected readonly storage: BlobStorage;
  readonly #format: DocumentFormat;
  readonly #codecs: readonly Codec[];
  readonly #gzipEncoding: boolean;
  readonly #markers: MarkerIndex;
  readonly #pythonIndex: PythonIndexFile;
  readonly #markerOf = new WeakMap<IndexEntry, IndexedEntry>();

  constructor(config: ObjectStoreConfig<T>) {
    const compatibility = config.compatibility ?? "native";
    const codecs = config.codecs ?? [];
    if (compatibility === "python" && codecs.length > 0) {
      throw new StoreConfigurationError(
        "codecs cannot be combined with compatibility 'python': Truthound-py cannot read codec-framed documents",
        { details: { field: "codecs" } },
      );
    }
    const format: DocumentFormat =
      codecs.length > 0 ? "codec" : (config.useCompression ?? true) ? "gzip" : "json";
    super({
      adapter: config.adapter ?? (validationResultAdapter as unknown as NonNullable<typeof config.adapter>),
      codecs,
      rawGzip: format === "gzip",
      prettyPrint: config.prettyPrint ?? compatibility === "python",
      ...(config.clock === undefined ? {} : { clock: config.clock }),
      ...(config.operationTimeoutMs === undefined ? {} : { operationTimeoutMs: config.operationTimeoutMs }),
    });
    this.backend = config.storage.backend;
    this.storage = config.storage;
    this.capabilities = {
      conditionalWrites: true,
      serverSideQuery: true,
      nativeTtl: false,
      nativeVersions: false,
      streaming: config.storage.putStream !== undefined && config.storage.getStream !== undefined,
      persistent: true,
      multiProcess: true,
    };
    this.#codecs = codecs;
    this.compatibility = compatibility;
    this.#format = format;
    this.#gzipEncoding = config.gzipContentEncoding ?? true;
    this.layout = new KeyLayout(
      config.prefix ?? "truthound/",
      config.namespace ?? "default",
      compatibility === "python",
    );
    this.#markers = new MarkerIndex(this.storage, this.layout, format);
    this.#pythonIndex = new PythonIndexFile(this.storage, this.layout.pythonIndexKey);
  }

  /** Key of the document for `id` as this store writes it. */
  documentKey(id: string): string {
    return this.layout.documentKey(id, this.#format);
  }

  protected async doInitialize(signal: AbortSignal | undefined): Promise<void> {
    await this.storage.ensureReady(signal);
  }

  protected async doClose(): Promise<void> {
    await this.storage.close();
  }

  // ---- documents ----

  /** Every stored copy of an id (normally one; more after `useCompression` or `codecs` changed). */
  async #copies(id: string, signal: AbortSignal | undefined): Promise<StoredCopy[]> {
    const formats = [this.#format, ...FORMATS.filter((f) => f !== this.#format)];
    const heads = await Promise.all(
      formats.map((format) => this.storage.head(this.layout.documentKey(id, format), signal)),
    );
    const copies: StoredCopy[] = [];
    for (const [i, format] of formats.entries()) {
      const head = heads[i];
      if (head !== undefined) copies.push({ format, key: this.layout.documentKey(id, format), head });
    }
    return copies;
  }

  async #getDocument(
    id: string,
    signal: AbortSignal | undefined,
  ): Promise<{ body: BlobBody; format: DocumentFormat }> {
    return this.#findDocument(id, signal, (key) => this.storage.get(key, signal));
  }

  /** Reads the document of `id` with `read`, trying every format's key (and Truthound-py's recorded key). */
  async #findDocument<B>(
    id: string,
    signal: AbortSignal | undefined,
    read: (key: string) => Promise<B>,
  ): Promise<{ body: B; format: DocumentFormat }> {
    const formats = [this.#format, ...FORMATS.filter((f) => f !== this.#format)];
    for (const format of formats) {
      try {
        return { body: await read(this.layout.documentKey(id, format)), format };
      } catch (error) {
        if (!isStoreError(error, "NOT_FOUND")) throw error;
      }
    }
    if (this.compatibility === "python") {
      // Truthound-py puts ids we encode (e.g. with '/') at the key its index records.
      const record = (await this.#pythonIndex.load(signal)).records.get(id);
      if (record !== undefined && this.#isOwnDocumentKey(record.key)) {
        try {
          return { body: await read(record.key), format: this.layout.formatOfKey(record.key) ?? "json" };
        } catch (error) {
          if (!isStoreError(error, "NOT_FOUND")) throw error;
        }
      }
    }
    throw this.#notFound(id);
  }

  #isOwnDocumentKey(key: string): boolean {
    if (!key.startsWith(this.layout.documentsPrefix)) return false;
    return key
      .slice(this.layout.documentsPrefix.length)
      .split("/")
      .every((segment) => segment !== "" && segment !== "." && segment !== "..");
  }

  #notFound(id: string): StoreNotFoundError {
    return new StoreNotFoundError(id, { itemType: this.adapter.itemType, backend: this.backend });
  }

  async #decodeChecked(id: string, body: BlobBody): Promise<T> {
    const item = await this.decodeItem(body.bytes, id);
    const stored = this.adapter.idOf(item);
    if (stored !== id) {
      throw new StoreIntegrityError(
        `Document stored for id ${JSON.stringify(id)} holds id ${JSON.stringify(stored)}`,
        {
          backend: this.backend,
          id,
        },
      );
    }
    return item;
  }

  protected async readItem(id: string, signal: AbortSignal | undefined): Promise<ItemWithEtag<T>> {
    const { body } = await this.#getDocument(id, signal);
    return { item: await this.#decodeChecked(id, body), etag: body.etag };
  }

  protected async hasItem(id: string, signal: AbortSignal | undefined): Promise<boolean> {
    if ((await this.storage.head(this.documentKey(id), signal)) !== undefined) return true;
    return (await this.#copies(id, signal)).length > 0;
  }

  async #putDocument(
    key: string,
    bytes: Uint8Array,
    conditions: WriteConditions,
    metadata: Record<string, string> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const { etag } = await this.storage.put(
      key,
      bytes,
      this.#documentPutOptions(conditions, metadata, signal),
    );
    return etag;
  }

  #documentPutOptions(
    conditions: WriteConditions,
    metadata: Record<string, string> | undefined,
    signal: AbortSignal | undefined,
  ) {
    return {
      kind: "document" as const,
      contentType: "application/json",
      contentEncoding: this.#format === "gzip" && this.#gzipEncoding ? "gzip" : undefined,
      ifMatch: conditions.ifMatch,
      ifNoneMatch: conditions.ifNoneMatch,
      metadata,
      signal,
    };
  }

  /** Streams a document's stored bytes (encoded in this store's format) to `key`. */
  async #putDocumentStream(
    storage: StreamingStorage,
    key: string,
    body: DocumentSource,
    conditions: WriteConditions,
    metadata: Record<string, string> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const stored = encodeDocumentStream(body, this.#format, this.#codecs);
    try {
      const { etag } = await storage.putStream(
        key,
        stored,
        this.#documentPutOptions(conditions, metadata, signal),
      );
      return etag;
    } catch (error) {
      // The caller's stream failed (or yielded a bad chunk): that, not the SDK's view of it, is the cause.
      const cause = stored.errored;
      throw isStoreError(cause) ? cause : error;
    } finally {
      stored.destroy();
    }
  }

  /** Checks the caller's conditions against the copy that exists; throws `CONFLICT` when they fail. */
  #checkConditions(id: string, conditions: WriteConditions, existing: StoredCopy | undefined): void {
    if (conditions.ifNoneMatch === "*" && existing !== undefined) {
      throw new StoreConflictError(`${this.adapter.itemType} ${JSON.stringify(id)} already exists`, {
        backend: this.backend,
        id,
      });
    }
    if (conditions.ifMatch !== undefined && existing?.head.etag !== conditions.ifMatch) {
      throw new StoreConflictError(
        `${this.adapter.itemType} ${JSON.stringify(id)} ${existing === undefined ? "does not exist" : "has another etag"}`,
        { backend: this.backend, id },
      );
    }
  }

  protected async writeItem(
    item: T,
    entry: IndexEntry,
    conditions: WriteConditions,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const bytes = await this.encodeItem(item);
    return this.compatibility === "python"
      ? this.#writePython(entry, conditions, signal, (key, guard) =>
          this.#putDocument(key, bytes, guard, undefined, signal),
        )
      : this.#writeNative(entry, bytes, conditions, signal);
  }

  /**
   * Document first (conditional on the version it replaces, so each save knows its predecessor exactly), then
   * its marker, then the predecessor's marker and copies in other formats are removed. A crash leaves either a
   * stale marker (recognised by its token and removed by readers) or an unindexed document (`rebuildIndex()`).
   */
  async #writeNative(
    entry: IndexEntry,
    bytes: Uint8Array,
    conditions: WriteConditions,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const id = entry.id;
    const key = this.documentKey(id);
    const userConditions = conditions.ifMatch !== undefined || conditions.ifNoneMatch !== undefined;
    for (let attempt = 1; ; attempt++) {
      const copies = await this.#copies(id, signal);
      const current = copies.find((c) => c.format === this.#format);
      this.#checkConditions(id, conditions, current ?? copies[0]);
      const token = newToken();
      const marker = buildMarker(entry, token, this.#format);
      let etag: string;
      try {
        etag = await this.#putDocument(
          key,
          bytes,
          current === undefined ? { ifNoneMatch: "*" } : { ifMatch: current.head.etag },
          { [META_TOKEN]: token, [META_MARKER]: marker.name },
          signal,
        );
      } catch (error) {
        if (!isStoreError(error, "CONFLICT") || userConditions || attempt >= MAX_SAVE_ATTEMPTS) throw error;
        await backoff(attempt, signal);
        continue;
      }
      await this.#indexWritten(id, marker, copies, signal);
      return etag;
    }
  }

  /** After a document is written: its marker, then the predecessor's marker and other-format copies go. */
  async #indexWritten(
    id: string,
    marker: ReturnType<typeof buildMarker>,
    copies: readonly StoredCopy[],
    signal: AbortSignal | undefined,
  ): Promise<void> {
    await this.#markers.write(marker, signal);
    for (const copy of copies) {
      const old = await this.#markerNameOf(id, copy, signal);
      if (copy.format !== this.#format) await this.#deleteCopy(copy, signal);
      if (old !== undefined && old !== marker.name) await this.#markers.remove(old, signal);
    }
  }

  /** The marker that indexes a stored copy: named in its metadata, or derived as `rebuildIndex()` derives it. */
  async #markerNameOf(
    id: string,
    copy: StoredCopy,
    signal: AbortSignal | undefined,
  ): Promise<string | undefined> {
    const named = copy.head.metadata[META_MARKER];
    if (named !== undefined) return named;
    let body: BlobBody;
    try {
      body = await this.storage.get(copy.key, signal);
    } catch (error) {
      if (isStoreError(error, "NOT_FOUND")) return undefined;
      throw error;
    }
    try {
      const item = await this.#decodeChecked(id, body);
      return buildMarker(this.adapter.entryOf(item), etagToken(body.etag), copy.format).name;
    } catch (error) {
      // rebuildIndex() never indexes an unreadable document, so it has no marker to remove.
      if (isStoreError(error, "SERIALIZATION") || isStoreError(error, "INTEGRITY")) return undefined;
      throw error;
    }
  }

  async #deleteCopy(copy: StoredCopy, signal: AbortSignal | undefined): Promise<void> {
    await this.storage.delete(copy.key, {
      ifMatch: this.storage.conditionalDelete ? copy.head.etag : undefined,
      signal,
    });
  }

  /**
   * Document first, then `_index.json` (conditionally rewritten), then a check that the document is still the
   * one indexed: a save or delete that raced ours may have updated the index before us, so we re-index what
   * is stored now until the index and the document agree. A crash in between: `rebuildIndex()`.
   */
  async #writePython(
    entry: IndexEntry,
    conditions: WriteConditions,
    signal: AbortSignal | undefined,
    put: (key: string, guard: WriteConditions) => Promise<string>,
  ): Promise<string> {
    const id = entry.id;
    const key = this.documentKey(id);
    const copies = await this.#copies(id, signal);
    const current = copies.find((c) => c.format === this.#format);
    this.#checkConditions(id, conditions, current ?? copies[0]);
    const etag = await put(key, guardFor(conditions, current));
    for (const copy of copies) if (copy.format !== this.#format) await this.#deleteCopy(copy, signal);
    await this.#syncPythonEntry(id, { etag, entry, key }, signal);
    return etag;
  }

  async #syncPythonEntry(
    id: string,
    written: { etag: string; entry: IndexEntry; key: string } | undefined,
    signal: AbortSignal | undefined,
  ): Promise<boolean> {
    let indexed = false;
    let state = written;
    for (let attempt = 1; ; attempt++) {
      await this.#pythonIndex.update((raw) => {
        const old = raw[id];
        if (attempt === 1) indexed = old !== undefined;
        if (state === undefined) {
          if (old === undefined) return false;
          delete raw[id];
        } else raw[id] = pythonIndexValue(state.entry, state.key);
        return true;
      }, signal);
      if (state !== undefined && (await this.storage.head(state.key, signal))?.etag === state.etag)
        return indexed;
      const copies = await this.#copies(id, signal);
      const now = copies.find((c) => c.format === this.#format) ?? copies[0];
      if (now?.head.etag === state?.etag) return indexed;
      if (attempt >= MAX_SAVE_ATTEMPTS) {
        throw new StoreConflictError(`${JSON.stringify(id)} kept changing while _index.json was updated`, {
          backend: this.backend,
          id,
          retryable: true,
        });
      }
      state = undefined;
      if (now !== undefined) {
        try {
          const body = await this.storage.get(now.key, signal);
          const item = await this.#decodeChecked(id, body);
          state = { etag: body.etag, entry: this.adapter.entryOf(item), key: now.key };
        } catch (error) {
          if (!isStoreError(error, "NOT_FOUND")) throw error;
        }
      }
    }
  }

  protected async removeItem(id: string, signal: AbortSignal | undefined): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const copies = await this.#copies(id, signal);
      try {
        let existed = false;
        for (const copy of copies) {
          const marker =
            this.compatibility === "native" ? await this.#markerNameOf(id, copy, signal) : undefined;
          await this.#deleteCopy(copy, signal);
          if (marker !== undefined) await this.#markers.remove(marker, signal);
          existed = true;
        }
        if (this.compatibility === "python")
          existed = (await this.#syncPythonEntry(id, undefined, signal)) || existed;
        return existed;
      } catch (error) {
        // A save replaced the document between our read and our conditional delete: delete the new one.
        if (!isStoreError(error, "CONFLICT") || attempt >= MAX_SAVE_ATTEMPTS) throw error;
        await backoff(attempt, signal);
      }
    }
  }

  // ---- streams ----

  #streamingStorage(operation: string): StreamingStorage {
    const storage = this.storage;
    if (storage.putStream === undefined || storage.getStream === undefined) {
      throw new UnsupportedOperationError(`${this.backend} storage cannot stream documents (${operation})`, {
        backend: this.backend,
      });
    }
    return storage as StreamingStorage;
  }

  /**
   * Saves a document given as a stream of its JSON bytes, with memory bounded by the upload's buffers (not by
   * the document's size). `entry` gives what the index records (a `get` later checks the document's id); the
   * bytes are stored as given, gzip-compressed (`useCompression`) or through the codec chain's streaming forms.
   * The document is visible (and indexed) only once the whole body is stored: a failing body or upload leaves
   * nothing new behind. `ifMatch`/`ifNoneMatch` are enforced by the server as for `save`; without them the
   * last writer wins. The operation deadline covers the whole upload.
   */
  async saveStream(entry: IndexEntry, body: DocumentSource, options?: SaveOptions): Promise<SaveResult> {
    const checked = checkStreamEntry(entry);
    checkDocumentSource(body);
    const conditions = writeConditionsOf(options, checked.id);
    const storage = this.#streamingStorage("saveStream");
    if (this.#format === "codec") requireStreamingCodecs(this.#codecs, "encode");
    const etag = await this.run("saveStream", "WRITE", options, (signal) => {
      const put = (key: string, guard: WriteConditions, metadata?: Record<string, string>) =>
        this.#putDocumentStream(storage, key, body, guard, metadata, signal);
      return this.compatibility === "python"
        ? this.#writePython(checked, conditions, signal, (key, guard) => put(key, guard))
        : this.#streamNative(checked, conditions, signal, put);
    });
    return { id: checked.id, etag };
  }

  /** As `#writeNative`, with one upload: a stream cannot be replayed, so only the caller's conditions guard it. */
  async #streamNative(
    entry: IndexEntry,
    conditions: WriteConditions,
    signal: AbortSignal | undefined,
    put: (key: string, guard: WriteConditions, metadata: Record<string, string>) => Promise<string>,
  ): Promise<string> {
    const id = entry.id;
    const copies = await this.#copies(id, signal);
    const current = copies.find((c) => c.format === this.#format);
    this.#checkConditions(id, conditions, current ?? copies[0]);
    const token = newToken();
    const marker = buildMarker(entry, token, this.#format);
    const etag = await put(this.documentKey(id), guardFor(conditions, current), {
      [META_TOKEN]: token,
      [META_MARKER]: marker.name,
    });
    await this.#indexWritten(id, marker, copies, signal);
    return etag;
  }

  /** The stored document of `id` as a stream of its JSON bytes (see `openStreamWithEtag`). */
  async openStream(id: string, options?: OperationOptions): Promise<Readable> {
    return (await this.openStreamWithEtag(id, options)).body;
  }

  /**
   * Opens the stored document of `id` (any format this store reads) as a stream of its JSON bytes, decoded as it
   * is read, and its etag. `NOT_FOUND` when absent. The operation deadline covers opening; the caller's
   * `signal` also aborts the reading. Corrupt data fails the stream with `INTEGRITY`; the id inside the
   * document is not checked (it is never parsed).
   */
  async openStreamWithEtag(id: string, options?: OperationOptions): Promise<DocumentReadStream> {
    validateId(id);
    const storage = this.#streamingStorage("openStream");
    const codecs = this.#codecs;
    const opened = await this.run("openStream", "READ", options, (signal) =>
      this.#findDocument<BlobStream>(id, signal, (key) => storage.getStream(key, signal)),
    );
    const stored = opened.body.body;
    const backend = this.backend;
    async function* decoded(): AsyncGenerator<Uint8Array> {
      try {
        yield* decodeDocumentStream(stored, codecs);
      } catch (error) {
        throw toStoreError(error, "READ", `${backend}.openStream failed`, { backend, id });
      } finally {
        stored.destroy();
      }
    }
    const body = Readable.from(decoded(), { objectMode: false });
    const signal = options?.signal;
    if (signal !== undefined) {
      const onAbort = () =>
        body.destroy(new StoreAbortedError(`${backend}.openStream aborted`, { cause: signal.reason }));
      signal.addEventListener("abort", onAbort, { once: true });
      body.once("close", () => signal.removeEventListener("abort", onAbort));
    }
    return { body, etag: opened.body.etag };
  }

  // ---- index ----

  protected async scanEntries(
    q: NormalizedQuery,
    signal: AbortSignal | undefined,
  ): Promise<Iterable<IndexEntry>> {
    return this.#entries({ ...q, after: undefined }, Number.POSITIVE_INFINITY, signal);
  }

  async #entries(q: NormalizedQuery, need: number, signal: AbortSignal | undefined): Promise<IndexEntry[]> {
    if (this.compatibility === "python") {
      return [...(await this.#pythonIndex.load(signal)).records.values()].map((r) => r.entry);
    }
    const indexed = await this.#markers.collect(q, need, signal);
    return indexed.map((item) => {
      this.#markerOf.set(item.entry, item);
      return item.entry;
    });
  }

  protected override async queryEntries(
    q: NormalizedQuery,
    signal: AbortSignal | undefined,
  ): Promise<QueryPage> {
    const need = q.limit === undefined ? Number.POSITIVE_INFINITY : q.offset + q.limit + 1;
    return applyQuery(await this.#entries(q, need, signal), q);
  }

  protected override async countEntries(
    q: NormalizedQuery,
    signal: AbortSignal | undefined,
  ): Promise<number> {
    const uncursored = { ...q, after: undefined };
    return filterEntries(await this.#entries(uncursored, Number.POSITIVE_INFINITY, signal), uncursored)
      .length;
  }

  /**
   * Reads a query page's documents. In native mode each must still carry its marker's token; one that does
   * not (or is gone) was changed or deleted after the listing: it is left out and its stale marker removed.
   */
  protected override async readEntries(
    entries: readonly IndexEntry[],
    signal: AbortSignal | undefined,
  ): Promise<T[]> {
    if (this.compatibility === "python") return super.readEntries(entries, signal);
    const outcomes = await settleEach(
      entries,
      (entry) => entry.id,
      (entry) => this.#readIndexed(entry, signal),
      CONCURRENCY,
      "READ",
    );
    const items: T[] = [];
    for (const outcome of outcomes) {
      if (!outcome.ok) throw outcome.error;
      if (outcome.value !== undefined) items.push(outcome.value);
    }
    return items;
  }

  async #readIndexed(entry: IndexEntry, signal: AbortSignal | undefined): Promise<T | undefined> {
    const indexed = this.#markerOf.get(entry);
    if (indexed === undefined) return (await this.readItem(entry.id, signal)).item;
    let body: BlobBody;
    try {
      body = await this.storage.get(this.layout.documentKey(entry.id, indexed.marker.format), signal);
    } catch (error) {
      if (!isStoreError(error, "NOT_FOUND")) throw error;
      await this.#markers.repairStale(indexed.marker, signal);
      return undefined;
    }
    if (tokenOfDocument(body) !== indexed.marker.token) {
      await this.#markers.repairStale(indexed.marker, signal);
      return undefined;
    }
    return this.#decodeChecked(entry.id, body);
  }

  /**
   * Rebuilds the index from the documents: markers for every readable document (stale ones removed), or
   * `_index.json` in python compatibility. Reports documents it could not index.
   */
  async rebuildIndex(options?: { signal?: AbortSignal }): Promise<RebuildReport> {
    return this.run("rebuildIndex", "WRITE", options, (signal) => {
      const deps = {
        storage: this.storage,
        layout: this.layout,
        preferredFormat: this.#format,
        decode: (id: string, body: BlobBody) => this.#decodeEntry(id, body),
      };
      return this.compatibility === "python"
        ? rebuildPythonIndex(deps, this.#pythonIndex, signal)
        : rebuildMarkers(deps, this.#markers, signal);
    });
  }

  async #decodeEntry(key: string, body: BlobBody): Promise<IndexEntry> {
    const item = await this.decodeItem(body.bytes);
    const entry = this.adapter.entryOf(item);
    if (!this.layout.isDocumentKeyOf(key, entry.id)) {
      throw new StoreIntegrityError(
        `holds id ${JSON.stringify(entry.id)}, which is not stored under this key`,
      );
    }
    return entry;
  }

  /** File-name extension of documents this store writes. */
  get extension(): string {
    return EXTENSIONS[this.#format];
  }
}

/**
 * The server-side condition enforcing the caller's conditions (already checked against `current`), so a write
 * racing ours between the check and the upload fails with `CONFLICT`. None without caller conditions.
 */
function guardFor(conditions: WriteConditions, current: StoredCopy | undefined): WriteConditions {
  if (conditions.ifNoneMatch === "*") return { ifNoneMatch: "*" };
  if (conditions.ifMatch === undefined) return {};
  return current === undefined ? { ifNoneMatch: "*" } : { ifMatch: current.head.etag };
}
