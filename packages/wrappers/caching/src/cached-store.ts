import {
  type BatchOutcome,
  type ItemAdapter,
  type ItemWithEtag,
  type IterQueryOptions,
  type OperationOptions,
  type OptionsSpec,
  type Page,
  type SaveOptions,
  type SaveResult,
  type Scheduler,
  type Store,
  type StoreCapabilities,
  StoreClosedError,
  StoreConfigurationError,
  type StoreError,
  type StoreQuery,
  StoreWriteError,
  settleEach,
  systemScheduler,
  type ValidationResult,
  validateId,
  validateOptions,
  validationResultAdapter,
} from "@truthound/store-core";
import type { Cache, CacheCounters } from "./cache.js";
import { CacheMode } from "./cache-mode.js";
import { type CacheConfig, createCache } from "./create-cache.js";
import type { SecondLevelCache } from "./second-level.js";
import { SingleFlight } from "./single-flight.js";
import { type PendingWrite, WriteBehindQueue } from "./write-behind-queue.js";

/** What the first-level cache keeps per id: the serialized document, its size, its etag, maybe the object. */
export interface CacheEntry<T> {
  json: string;
  /** Undefined while a `WRITE_BEHIND` save is still queued. */
  etag: string | undefined;
  /** Kept only with `copyOnRead: false`, and then returned as is. */
  item: T | undefined;
}

export interface CachedStoreOptions<T = ValidationResult> {
  /** The first-level cache (any `Cache`); default built from `config`. Give `cache` or `config`, not both. */
  cache?: Cache<CacheEntry<T>>;
  /** Limits and eviction policy of the default cache (default LRU, 10,000 entries, 100 MiB, 1 h). */
  config?: CacheConfig;
  /** Default `WRITE_THROUGH`. */
  mode?: CacheMode;
  /** A cache shared across processes (`RedisCache`), consulted after the first level. */
  secondLevel?: SecondLevelCache;
  /**
   * Default true: every `get` returns a fresh copy, so callers never share objects with the cache. False
   * returns the cached object itself (much faster on large documents); callers must then not mutate it.
   */
  copyOnRead?: boolean;
  /** Count hits and misses (default true). */
  enableStatistics?: boolean;
  /** On `initialize`, load the newest documents (up to the cache's `maxSize`) into the cache. */
  warmOnStartup?: boolean;
  /** `WRITE_BEHIND`: delay before queued writes are flushed (default 100 ms). */
  writeBehindIntervalMs?: number;
  /** `WRITE_BEHIND`: a save that fills the queue to this many items waits for a flush (default 1,000). */
  writeBehindMaxPending?: number;
  /** `WRITE_BEHIND`: concurrent writes during a flush (default 8). */
  writeBehindConcurrency?: number;
  /** `WRITE_BEHIND`: receives the error of a background flush (the items stay queued and are retried). */
  onFlushError?: (error: StoreError) => void;
  /** Timer source for write-behind flushes (inject a `ManualClock` in tests). */
  scheduler?: Scheduler;
  adapter?: ItemAdapter<T>;
}

const SPEC: OptionsSpec<CachedStoreOptions<unknown>> = {
  cache: { type: "object" },
  config: { type: "object" },
  mode: { type: "string", oneOf: Object.values(CacheMode) },
  secondLevel: { type: "object" },
  copyOnRead: { type: "boolean" },
  enableStatistics: { type: "boolean" },
  warmOnStartup: { type: "boolean" },
  writeBehindIntervalMs: { type: "number", min: 0 },
  writeBehindMaxPending: { type: "number", integer: true, min: 1 },
  writeBehindConcurrency: { type: "number", integer: true, min: 1 },
  onFlushError: { type: "function" },
  scheduler: { type: "object" },
  adapter: { type: "object" },
};

/** A snapshot of `CachedStore` statistics. */
export interface CacheStats extends CacheCounters {
  hits: number;
  misses: number;
  /** hits / (hits + misses), 0 before any read. */
  hitRate: number;
  /** Misses answered by the second level. */
  secondLevelHits: number;
  /** Reads that went to the wrapped store. */
  loads: number;
  size: number;
  memoryBytes: number;
  pendingWrites: number;
  flushedWrites: number;
  flushErrors: number;
}

const encoder = new TextEncoder();
function byteLength(text: string): number {
  // Exact UTF-8 size without allocating for ASCII-only text.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  return ascii ? text.length : encoder.encode(text).length;
}

/**
 * Wraps any `Store` with an in-process cache (and optionally a shared second level). Gets by id are cached;
 * `exists`, listings, queries and counts always ask the wrapped store (in `WRITE_BEHIND` after flushing the
 * queue), so they are never stale in this process.
 */
export class CachedStore<T = ValidationResult> implements Store<T> {
  readonly #inner: Store<T>;
  readonly #cache: Cache<CacheEntry<T>>;
  readonly #mode: CacheMode;
  readonly #secondLevel: SecondLevelCache | undefined;
  readonly #copyOnRead: boolean;
  readonly #statistics: boolean;
  readonly #warmOnStartup: boolean;
  readonly #adapter: ItemAdapter<T>;
  readonly #loads = new SingleFlight<ItemWithEtag<T>>();
  readonly #queue: WriteBehindQueue<T> | undefined;
  readonly #unsubscribe: (() => void) | undefined;
  /**
   * Invalidation stamps: a load or write-through fills the cache only if no write or invalidation of the
   * same id (or of everything) happened while it ran. Per-id counters are dropped whenever nothing is in
   * flight, so they never outgrow the operations running at once.
   */
  #globalEpoch = 0;
  readonly #idEpochs = new Map<string, number>();
  #active = 0;
  #closed = false;
  #closing: Promise<void> | undefined;
  #initializing: Promise<void> | undefined;
  #hits = 0;
  #misses = 0;
  #secondLevelHits = 0;
  #storeLoads = 0;

  constructor(store: Store<T>, options: CachedStoreOptions<T> = {}) {
    const o = validateOptions("CachedStore", options, SPEC as OptionsSpec<CachedStoreOptions<T>>);
    if (store === null || typeof store !== "object" || typeof store.getWithEtag !== "function") {
      throw new StoreConfigurationError("CachedStore: the first argument must be a Store");
    }
    if (o.cache !== undefined && o.config !== undefined) {
      throw new StoreConfigurationError("CachedStore: give either 'cache' or 'config', not both", {
        details: { field: "config" },
      });
    }
    this.#inner = store;
    this.#cache = o.cache ?? createCache<CacheEntry<T>>(o.config);
    this.#mode = o.mode ?? CacheMode.WRITE_THROUGH;
    this.#secondLevel = o.secondLevel;
    this.#copyOnRead = o.copyOnRead ?? true;
    this.#statistics = o.enableStatistics ?? true;
    this.#warmOnStartup = o.warmOnStartup ?? false;
    this.#adapter = o.adapter ?? (validationResultAdapter as unknown as ItemAdapter<T>);
    const writeBehindOnly = [
      "writeBehindIntervalMs",
      "writeBehindMaxPending",
      "writeBehindConcurrency",
      "onFlushError",
      "scheduler",
    ] as const;
    if (this.#mode !== CacheMode.WRITE_BEHIND) {
      for (const field of writeBehindOnly) {
        if (o[field] !== undefined) {
          throw new StoreConfigurationError(
            `CachedStore: option '${field}' only applies to mode WRITE_BEHIND`,
            {
              details: { field },
            },
          );
        }
      }
    } else {
      this.#queue = new WriteBehindQueue<T>({
        store,
        scheduler: o.scheduler ?? systemScheduler,
        intervalMs: o.writeBehindIntervalMs ?? 100,
        maxPending: o.writeBehindMaxPending ?? 1000,
        concurrency: o.writeBehindConcurrency ?? 8,
        onFlushError: o.onFlushError,
        written: (id, write, etag) => this.#afterQueuedWrite(id, write, etag),
      });
    }
    this.#unsubscribe = this.#secondLevel?.onInvalidate((id) => {
      if (id === undefined) this.invalidateAll();
      else this.invalidate(id);
    });
  }

  #stamp(id: string): [number, number] {
    return [this.#globalEpoch, this.#idEpochs.get(id) ?? 0];
  }

  #unchanged(id: string, stamp: [number, number]): boolean {
    return stamp[0] === this.#globalEpoch && stamp[1] === (this.#idEpochs.get(id) ?? 0);
  }

  #bump(id: string): void {
    this.#idEpochs.set(id, (this.#idEpochs.get(id) ?? 0) + 1);
    this.#cache.delete(id);
  }

  async #tracked<R>(work: () => Promise<R>): Promise<R> {
    this.#active++;
    try {
      return await work();
    } finally {
      if (--this.#active === 0) this.#idEpochs.clear();
    }
  }

  get backend(): string {
    return this.#inner.backend;
  }

  get capabilities(): StoreCapabilities {
    return this.#inner.capabilities;
  }

  get mode(): CacheMode {
    return this.#mode;
  }

  /** The first-level cache. */
  get cache(): Cache<CacheEntry<T>> {
    return this.#cache;
  }

  /** The wrapped store. */
  get store(): Store<T> {
    return this.#inner;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError("cached store is closed", { backend: this.backend });
  }

  async initialize(options?: OperationOptions): Promise<void> {
    this.#assertOpen();
    this.#initializing ??= (async () => {
      await this.#inner.initialize(options);
      if (this.#warmOnStartup) {
        await this.#warm(await this.#inner.listIds({ limit: this.#cache.maxSize }, options), options);
      }
    })().catch((error: unknown) => {
      this.#initializing = undefined;
      throw error;
    });
    return this.#initializing;
  }

  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closed = true;
    this.#closing = (async () => {
      let failure: StoreError | undefined;
      if (this.#queue) {
        await this.#queue.flush().catch((error: StoreError) => {
          const unwritten = this.#queue?.unwritten().map((w) => w.item) ?? [];
          failure = new StoreWriteError(
            `CachedStore.close: ${unwritten.length} queued write-behind items could not be written; they are in error.details.unwrittenItems`,
            { cause: error, backend: this.backend, details: { unwrittenItems: unwritten } },
          );
        });
        this.#queue.stop();
      }
      this.#unsubscribe?.();
      this.#cache.clear();
      await this.#inner.close();
      if (failure) throw failure;
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---- reads by id -------------------------------------------------------------------------------------

  async get(id: string, options?: OperationOptions): Promise<T> {
    this.#assertOpen();
    // Only validated ids ever enter the cache or the queue, so a hit needs no validation.
    const entry = this.#queue?.peek(id) ?? this.#cache.get(id);
    if (entry !== undefined) {
      if (this.#statistics) this.#hits++;
      return this.#materialize(entry);
    }
    validateId(id);
    if (this.#statistics) this.#misses++;
    return (await this.#load(id, options)).item;
  }

  async getWithEtag(id: string, options?: OperationOptions): Promise<ItemWithEtag<T>> {
    validateId(id);
    this.#assertOpen();
    await this.#queue?.flushId(id);
    const entry = this.#cache.get(id);
    if (entry?.etag !== undefined) {
      if (this.#statistics) this.#hits++;
      return { item: this.#materialize(entry), etag: entry.etag };
    }
    if (this.#statistics) this.#misses++;
    return this.#load(id, options);
  }

  #materialize(entry: CacheEntry<T> | PendingWrite<T>): T {
    if (!this.#copyOnRead && "etag" in entry && entry.item !== undefined) return entry.item;
    return this.#adapter.fromDocument(JSON.parse(entry.json));
  }

  /** One load per id at a time; concurrent callers each get their own copy of the result. */
  async #load(id: string, options: OperationOptions | undefined): Promise<ItemWithEtag<T>> {
    const joined = this.#loads.has(id);
    const shared = await this.#loads.run(id, () => this.#tracked(() => this.#loadOnce(id, options)));
    if (!this.#copyOnRead || !joined) return shared;
    return { item: this.#adapter.clone(shared.item), etag: shared.etag };
  }

  async #loadOnce(id: string, options: OperationOptions | undefined): Promise<ItemWithEtag<T>> {
    const stamp = this.#stamp(id);
    const fills = this.#mode !== CacheMode.CACHE_ASIDE;
    const lookup = this.#secondLevel ? await this.#secondLevel.lookup(id) : undefined;
    if (lookup?.entry !== undefined) {
      if (this.#statistics) this.#secondLevelHits++;
      const item = this.#adapter.fromDocument(JSON.parse(lookup.entry.json));
      if (fills && this.#unchanged(id, stamp)) this.#put(id, lookup.entry.json, lookup.entry.etag, item);
      return { item, etag: lookup.entry.etag };
    }
    this.#storeLoads++;
    const loaded = await this.#inner.getWithEtag(id, options);
    if (fills && this.#unchanged(id, stamp)) {
      const json = this.#remember(id, loaded.item, loaded.etag);
      if (lookup !== undefined && this.#secondLevel) {
        await this.#secondLevel.fill(id, lookup.token, { json, etag: loaded.etag });
      }
    }
    return loaded;
  }

  #remember(id: string, item: T, etag: string | undefined): string {
    const json = JSON.stringify(this.#adapter.toDocument(item));
    this.#put(id, json, etag, this.#copyOnRead ? undefined : item);
    return json;
  }

  #put(id: string, json: string, etag: string | undefined, item: T | undefined): void {
    this.#cache.set(id, { json, etag, item: this.#copyOnRead ? undefined : item }, byteLength(json));
  }

  async exists(id: string, options?: OperationOptions): Promise<boolean> {
    validateId(id);
    this.#assertOpen();
    if (this.#queue?.peek(id) !== undefined) return true;
    return this.#inner.exists(id, options);
  }

  // ---- writes ------------------------------------------------------------------------------------------

  async save(item: T, options?: SaveOptions): Promise<string> {
    if (this.#queue && options?.ifMatch === undefined && options?.ifNoneMatch === undefined) {
      const id = validateId(this.#adapter.idOf(item));
      this.#assertOpen();
      options?.signal?.throwIfAborted();
      const json = JSON.stringify(this.#adapter.toDocument(item));
      const copy = this.#adapter.fromDocument(JSON.parse(json));
      this.#bump(id);
      await this.#secondLevel?.invalidate(id);
      // The queued copy is never handed out, so a caller mutating a returned item cannot change what is written.
      const cached = this.#copyOnRead ? undefined : this.#adapter.fromDocument(JSON.parse(json));
      this.#put(id, json, undefined, cached);
      await this.#queue.enqueue(id, { item: copy, json });
      return id;
    }
    return (await this.saveWithEtag(item, options)).id;
  }

  /** Always writes to the store before returning (the etag comes from it), also in `WRITE_BEHIND`. */
  async saveWithEtag(item: T, options?: SaveOptions): Promise<SaveResult> {
    const id = validateId(this.#adapter.idOf(item));
    this.#assertOpen();
    return this.#tracked(async () => {
      // A queued save of this id goes first, so conditions are checked against the latest write.
      await this.#queue?.flushId(id);
      const json =
        this.#mode === CacheMode.WRITE_THROUGH ? JSON.stringify(this.#adapter.toDocument(item)) : "";
      this.#bump(id);
      const stamp = this.#stamp(id);
      let result: SaveResult;
      try {
        result = await this.#inner.saveWithEtag(item, options);
      } finally {
        // Also after a failure (a CONFLICT means the cached copy may be stale).
        this.#cache.delete(id);
      }
      await this.#secondLevel?.invalidate(id);
      if (this.#mode === CacheMode.WRITE_THROUGH && this.#unchanged(id, stamp)) {
        const copy = this.#copyOnRead ? undefined : this.#adapter.fromDocument(JSON.parse(json));
        this.#put(id, json, result.etag, copy);
      }
      return result;
    });
  }

  async #afterQueuedWrite(id: string, write: PendingWrite<T>, etag: string): Promise<void> {
    const cached = this.#cache.get(id);
    if (cached !== undefined && cached.json === write.json && cached.etag === undefined) cached.etag = etag;
    await this.#secondLevel?.invalidate(id);
  }

  async delete(id: string, options?: OperationOptions): Promise<boolean> {
    validateId(id);
    this.#assertOpen();
    return this.#tracked(async () => {
      const wasQueued = (await this.#queue?.withdraw(id)) ?? false;
      this.#bump(id);
      try {
        const deleted = await this.#inner.delete(id, options);
        return deleted || wasQueued;
      } finally {
        this.#bump(id);
        await this.#secondLevel?.invalidate(id);
      }
    });
  }

  async clear(query?: StoreQuery, options?: OperationOptions): Promise<number> {
    await this.#beforePassThrough();
    try {
      return await this.#inner.clear(query, options);
    } finally {
      this.invalidateAll();
      await this.#secondLevel?.invalidateAll();
    }
  }

  // ---- pass-through reads --------------------------------------------------------------------------------

  /** Queries are not cached: in `WRITE_BEHIND` the queue is flushed first, so they see every save. */
  async #beforePassThrough(): Promise<void> {
    this.#assertOpen();
    await this.#queue?.flush();
  }

  async listIds(query?: StoreQuery, options?: OperationOptions): Promise<string[]> {
    await this.#beforePassThrough();
    return this.#inner.listIds(query, options);
  }

  async listIdsPage(query?: StoreQuery, options?: OperationOptions): Promise<Page<string>> {
    await this.#beforePassThrough();
    return this.#inner.listIdsPage(query, options);
  }

  async query(query?: StoreQuery, options?: OperationOptions): Promise<T[]> {
    await this.#beforePassThrough();
    return this.#inner.query(query, options);
  }

  async queryPage(query?: StoreQuery, options?: OperationOptions): Promise<Page<T>> {
    await this.#beforePassThrough();
    return this.#inner.queryPage(query, options);
  }

  async *iterQuery(query?: StoreQuery, options?: IterQueryOptions): AsyncIterable<T> {
    await this.#beforePassThrough();
    yield* this.#inner.iterQuery(query, options);
  }

  async count(query?: StoreQuery, options?: OperationOptions): Promise<number> {
    await this.#beforePassThrough();
    return this.#inner.count(query, options);
  }

  async getLatest(dataAsset: string, options?: OperationOptions): Promise<T | undefined> {
    await this.#beforePassThrough();
    return this.#inner.getLatest(dataAsset, options);
  }

  // ---- batches -------------------------------------------------------------------------------------------

  saveMany(items: readonly T[], options?: OperationOptions): Promise<BatchOutcome<string>[]> {
    return settleEach(
      items,
      (item) => this.#safeId(item),
      (item) => this.save(item, options),
    );
  }

  getMany(ids: readonly string[], options?: OperationOptions): Promise<BatchOutcome<T>[]> {
    return settleEach(
      ids,
      (id) => id,
      (id) => this.get(id, options),
      8,
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

  #safeId(item: T): string {
    try {
      return String(this.#adapter.idOf(item));
    } catch {
      return "";
    }
  }

  // ---- cache management ----------------------------------------------------------------------------------

  /** Loads these ids into the cache (the way to fill it in `CACHE_ASIDE`); returns how many were loaded. */
  async warm(ids: readonly string[], options?: OperationOptions): Promise<number> {
    this.#assertOpen();
    for (const id of ids) validateId(id);
    return this.#warm(ids, options);
  }

  #warm(ids: readonly string[], options: OperationOptions | undefined): Promise<number> {
    return this.#tracked(async () => {
      let loaded = 0;
      for (const id of ids) {
        const stamp = this.#stamp(id);
        const { item, etag } = await this.#inner.getWithEtag(id, options);
        if (this.#unchanged(id, stamp)) {
          this.#remember(id, item, etag);
          loaded++;
        }
      }
      return loaded;
    });
  }

  /** Re-reads one id from the store into the cache. */
  async refresh(id: string, options?: OperationOptions): Promise<void> {
    this.invalidate(id);
    await this.warm([id], options);
  }

  /** Drops one id from this process's cache. */
  invalidate(id: string): boolean {
    const had = this.#cache.delete(id);
    this.#bump(id);
    return had;
  }

  /** Empties this process's cache. */
  invalidateAll(): void {
    this.#globalEpoch++;
    this.#cache.clear();
  }

  /** `WRITE_BEHIND`: writes every queued save now; rejects with a `WRITE` error naming the failed items. */
  async flush(): Promise<void> {
    await this.#queue?.flush();
  }

  getStats(): CacheStats {
    const reads = this.#hits + this.#misses;
    return {
      hits: this.#hits,
      misses: this.#misses,
      hitRate: reads === 0 ? 0 : this.#hits / reads,
      secondLevelHits: this.#secondLevelHits,
      loads: this.#storeLoads,
      ...this.#cache.counters(),
      size: this.#cache.size,
      memoryBytes: this.#cache.memoryBytes,
      pendingWrites: this.#queue?.size ?? 0,
      flushedWrites: this.#queue?.flushedWrites ?? 0,
      flushErrors: this.#queue?.flushErrors ?? 0,
    };
  }

  resetStats(): void {
    this.#hits = 0;
    this.#misses = 0;
    this.#secondLevelHits = 0;
    this.#storeLoads = 0;
  }
}
