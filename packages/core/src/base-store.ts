import { type Clock, systemClock } from "./clock.js";
import type { Codec } from "./codec/codec.js";
import { DocumentSerializer } from "./codec/document-serializer.js";
import {
  InvalidArgumentError,
  isStoreError,
  StoreClosedError,
  type StoreError,
  type StoreErrorCode,
  toStoreError,
} from "./errors.js";
import { validateId } from "./ids.js";
import type { IndexEntry, ItemAdapter } from "./model/adapter.js";
import { applyQuery, filterEntries, type QueryPage } from "./query/reference-query.js";
import { type NormalizedQuery, normalizeQuery, type StoreQuery } from "./query/store-query.js";
import { withDeadline } from "./resilience/deadline.js";
import type {
  BatchOutcome,
  ItemWithEtag,
  IterQueryOptions,
  OperationOptions,
  Page,
  SaveOptions,
  SaveResult,
  Store,
  StoreCapabilities,
} from "./store.js";

export interface BaseStoreConfig<T> {
  adapter: ItemAdapter<T>;
  /** Codec chain for stored documents; backends that store bytes use `encodeItem`/`decodeItem`. */
  codecs?: readonly Codec[];
  /** Plain gzip without a header (Python-compatible `.json.gz`). */
  rawGzip?: boolean;
  prettyPrint?: boolean;
  clock?: Clock;
  /** Default deadline of every operation. */
  operationTimeoutMs?: number;
}

export interface WriteConditions {
  ifMatch?: string | undefined;
  ifNoneMatch?: "*" | undefined;
}

/** Concurrency of the default batch operations. */
const BATCH_CONCURRENCY = 8;
/** Concurrency of document reads for one query page. */
const READ_CONCURRENCY = 8;

/**
 * Gives a backend the whole `Store` contract from a few primitives: lazy initialisation, deadlines and abort
 * signals, id and query validation, the reference query semantics, pagination, iteration, batches and disposal.
 * Backends with native query override `queryEntries` and `countEntries`.
 */
export abstract class BaseStore<T> implements Store<T> {
  abstract readonly backend: string;
  abstract readonly capabilities: StoreCapabilities;
  protected readonly adapter: ItemAdapter<T>;
  protected readonly serializer: DocumentSerializer;
  protected readonly clock: Clock;
  protected readonly operationTimeoutMs: number | undefined;
  #initializing: Promise<void> | undefined;
  #initialized = false;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(config: BaseStoreConfig<T>) {
    this.adapter = config.adapter;
    this.serializer = new DocumentSerializer({
      codecs: config.codecs ?? [],
      rawGzip: config.rawGzip ?? false,
      prettyPrint: config.prettyPrint ?? false,
    });
    this.clock = config.clock ?? systemClock;
    this.operationTimeoutMs = config.operationTimeoutMs;
  }

  protected abstract doInitialize(signal: AbortSignal | undefined): Promise<void>;
  protected abstract doClose(): Promise<void>;
  /** Stores the item; returns its new etag. Must enforce `conditions` atomically or reject them. */
  protected abstract writeItem(
    item: T,
    entry: IndexEntry,
    conditions: WriteConditions,
    signal: AbortSignal | undefined,
  ): Promise<string>;
  /** Throws `NOT_FOUND` when absent. */
  protected abstract readItem(id: string, signal: AbortSignal | undefined): Promise<ItemWithEtag<T>>;
  protected abstract removeItem(id: string, signal: AbortSignal | undefined): Promise<boolean>;
  protected abstract hasItem(id: string, signal: AbortSignal | undefined): Promise<boolean>;
  /** Index entries that may match `query` (a superset is fine); the reference semantics do the rest. */
  protected abstract scanEntries(
    query: NormalizedQuery,
    signal: AbortSignal | undefined,
  ): Promise<Iterable<IndexEntry>>;

  protected async queryEntries(query: NormalizedQuery, signal: AbortSignal | undefined): Promise<QueryPage> {
    return applyQuery(await this.scanEntries(query, signal), query);
  }

  protected async countEntries(query: NormalizedQuery, signal: AbortSignal | undefined): Promise<number> {
    return filterEntries(await this.scanEntries(query, signal), query).length;
  }

  protected encodeItem(item: T): Promise<Uint8Array> {
    return this.serializer.serialize(this.adapter.toDocument(item));
  }

  protected async decodeItem(bytes: Uint8Array, id?: string): Promise<T> {
    try {
      return this.adapter.fromDocument(await this.serializer.deserialize(bytes));
    } catch (error) {
      if (isStoreError(error) && id !== undefined && error.id === undefined) {
        Object.defineProperty(error, "id", { value: id });
      }
      throw error;
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  async initialize(options?: OperationOptions): Promise<void> {
    if (this.#closed) throw this.#closedError();
    if (this.#initialized) return;
    this.#initializing ??= withDeadline((signal) => this.doInitialize(signal), {
      signal: options?.signal,
      timeoutMs: options?.timeoutMs ?? this.operationTimeoutMs,
      operation: `${this.backend}.initialize`,
    }).then(
      () => {
        this.#initialized = true;
      },
      (error: unknown) => {
        this.#initializing = undefined;
        throw toStoreError(error, "CONNECTION", `${this.backend}: initialization failed`, {
          backend: this.backend,
        });
      },
    );
    return this.#initializing;
  }

  async close(): Promise<void> {
    if (this.#closed) return this.#closing;
    this.#closed = true;
    this.#closing = (async () => {
      await this.#initializing?.catch(() => undefined);
      if (this.#initialized) await this.doClose();
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #closedError(): StoreError {
    return new StoreClosedError(`${this.backend} store is closed`, { backend: this.backend });
  }

  /** Runs one operation: open check, lazy init, deadline, and typed errors. */
  protected async run<R>(
    operation: string,
    failureCode: StoreErrorCode,
    options: OperationOptions | undefined,
    work: (signal: AbortSignal | undefined) => Promise<R>,
  ): Promise<R> {
    if (this.#closed) throw this.#closedError();
    if (!this.#initialized) await this.initialize(options);
    const timeoutMs = options?.timeoutMs ?? this.operationTimeoutMs;
    try {
      if (options?.signal === undefined && timeoutMs === undefined) return await work(undefined);
      return await withDeadline(work, {
        signal: options?.signal,
        timeoutMs,
        operation: `${this.backend}.${operation}`,
      });
    } catch (error) {
      throw toStoreError(error, failureCode, `${this.backend}.${operation} failed`, {
        backend: this.backend,
      });
    }
  }

  async save(item: T, options?: SaveOptions): Promise<string> {
    return (await this.saveWithEtag(item, options)).id;
  }

  async saveWithEtag(item: T, options?: SaveOptions): Promise<SaveResult> {
    const id = validateId(this.adapter.idOf(item));
    if (options?.ifMatch !== undefined && options.ifNoneMatch !== undefined) {
      throw new InvalidArgumentError("ifMatch and ifNoneMatch cannot be combined", { id });
    }
    if (options?.ifNoneMatch !== undefined && options.ifNoneMatch !== "*") {
      throw new InvalidArgumentError('ifNoneMatch only accepts "*"', { id });
    }
    if (options?.ifMatch !== undefined && (typeof options.ifMatch !== "string" || options.ifMatch === "")) {
      throw new InvalidArgumentError("ifMatch must be a non-empty etag string", { id });
    }
    const entry = this.adapter.entryOf(item);
    const conditions: WriteConditions =
      options?.ifMatch !== undefined || options?.ifNoneMatch !== undefined
        ? { ifMatch: options.ifMatch, ifNoneMatch: options.ifNoneMatch }
        : {};
    if ((conditions.ifMatch || conditions.ifNoneMatch) && !this.capabilities.conditionalWrites) {
      throw new InvalidArgumentError(`${this.backend} does not support conditional writes`, { id });
    }
    const etag = await this.run("save", "WRITE", options, (signal) =>
      this.writeItem(item, entry, conditions, signal),
    );
    return { id, etag };
  }

  async get(id: string, options?: OperationOptions): Promise<T> {
    return (await this.getWithEtag(id, options)).item;
  }

  async getWithEtag(id: string, options?: OperationOptions): Promise<ItemWithEtag<T>> {
    validateId(id);
    return this.run("get", "READ", options, (signal) => this.readItem(id, signal));
  }

  async exists(id: string, options?: OperationOptions): Promise<boolean> {
    validateId(id);
    return this.run("exists", "READ", options, (signal) => this.hasItem(id, signal));
  }

  async delete(id: string, options?: OperationOptions): Promise<boolean> {
    validateId(id);
    return this.run("delete", "WRITE", options, (signal) => this.removeItem(id, signal));
  }

  async listIdsPage(query?: StoreQuery, options?: OperationOptions): Promise<Page<string>> {
    const q = normalizeQuery(query);
    const page = await this.run("listIds", "READ", options, (signal) => this.queryEntries(q, signal));
    return { items: page.entries.map((e) => e.id), nextCursor: page.nextCursor };
  }

  async listIds(query?: StoreQuery, options?: OperationOptions): Promise<string[]> {
    return (await this.listIdsPage(query, options)).items;
  }

  async queryPage(query?: StoreQuery, options?: OperationOptions): Promise<Page<T>> {
    const q = normalizeQuery(query);
    return this.run("query", "READ", options, async (signal) => {
      const page = await this.queryEntries(q, signal);
      const items = await this.readEntries(page.entries, signal);
      return { items, nextCursor: page.nextCursor };
    });
  }

  /**
   * Reads the documents of a page, a few at a time, in page order. An item deleted between the index read and
   * the document read is left out: the page then reflects the later state.
   */
  protected async readEntries(entries: readonly IndexEntry[], signal: AbortSignal | undefined): Promise<T[]> {
    const outcomes = await settleEach(
      entries,
      (entry) => entry.id,
      (entry) => this.readItem(entry.id, signal),
      READ_CONCURRENCY,
      "READ",
    );
    const items: T[] = [];
    for (const outcome of outcomes) {
      if (outcome.ok) items.push(outcome.value.item);
      else if (!isStoreError(outcome.error, "NOT_FOUND")) throw outcome.error;
    }
    return items;
  }

  async query(query?: StoreQuery, options?: OperationOptions): Promise<T[]> {
    return (await this.queryPage(query, options)).items;
  }

  async *iterQuery(query: StoreQuery = {}, options?: IterQueryOptions): AsyncIterable<T> {
    const batchSize = options?.batchSize ?? 100;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new InvalidArgumentError("batchSize must be a positive integer");
    }
    normalizeQuery(query);
    let remaining = query.limit ?? Number.POSITIVE_INFINITY;
    let next: StoreQuery = { ...query, limit: Math.min(batchSize, remaining) };
    while (remaining > 0) {
      const page = await this.queryPage(next, options);
      for (const item of page.items) yield item;
      remaining -= page.items.length;
      if (page.nextCursor === undefined) return;
      next = { ...query, offset: 0, cursor: page.nextCursor, limit: Math.min(batchSize, remaining) };
    }
  }

  async count(query?: StoreQuery, options?: OperationOptions): Promise<number> {
    const q = normalizeQuery(query);
    return this.run("count", "READ", options, (signal) => this.countEntries(q, signal));
  }

  async getLatest(dataAsset: string, options?: OperationOptions): Promise<T | undefined> {
    if (typeof dataAsset !== "string") throw new InvalidArgumentError("dataAsset must be a string");
    const [latest] = await this.query({ dataAsset, limit: 1, orderBy: "runTime", ascending: false }, options);
    return latest;
  }

  /**
   * Deletes exactly the items `listIds(query)` lists (all items without a query, so `limit`, `offset` and
   * `cursor` apply as there); returns how many were deleted.
   */
  async clear(query?: StoreQuery, options?: OperationOptions): Promise<number> {
    const ids = await this.listIds(query, options);
    let deleted = 0;
    for (const outcome of await this.deleteMany(ids, options)) {
      if (!outcome.ok) throw outcome.error;
      if (outcome.value) deleted++;
    }
    return deleted;
  }

  saveMany(items: readonly T[], options?: OperationOptions): Promise<BatchOutcome<string>[]> {
    return settleEach(
      items,
      (item) => String(this.safeId(item)),
      (item) => this.save(item, options),
    );
  }

  getMany(ids: readonly string[], options?: OperationOptions): Promise<BatchOutcome<T>[]> {
    return settleEach(
      ids,
      (id) => id,
      (id) => this.get(id, options),
      BATCH_CONCURRENCY,
      "READ",
    );
  }

  deleteMany(ids: readonly string[], options?: OperationOptions): Promise<BatchOutcome<boolean>[]> {
    return settleEach(
      ids,
      (id) => id,
      (id) => this.delete(id, options),
    );
  }

  private safeId(item: T): unknown {
    try {
      return this.adapter.idOf(item);
    } catch {
      return "";
    }
  }
}

/** Runs `work` on every input with bounded concurrency, keeping input order and one outcome per input. */
export async function settleEach<I, R>(
  inputs: readonly I[],
  idOf: (input: I) => string,
  work: (input: I) => Promise<R>,
  concurrency = BATCH_CONCURRENCY,
  failureCode: StoreErrorCode = "WRITE",
): Promise<BatchOutcome<R>[]> {
  const outcomes: BatchOutcome<R>[] = new Array(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const index = next++;
      const input = inputs[index] as I;
      const id = idOf(input);
      try {
        outcomes[index] = { id, ok: true, value: await work(input) };
      } catch (error) {
        outcomes[index] = {
          id,
          ok: false,
          error: toStoreError(error, failureCode, "batch item failed", { id }),
        };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
  return outcomes;
}
