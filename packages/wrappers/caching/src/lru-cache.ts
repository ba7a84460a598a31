import { StoreConfigurationError } from "@truthound/store-core";
import { LRUCache as LruMap } from "lru-cache";
import {
  type Cache,
  type CacheCounters,
  type CacheOptions,
  EvictionPolicy,
  resolveCacheOptions,
} from "./cache.js";

const PEEK_STALE = { allowStale: true } as const;

interface Slot<V> {
  value: V;
}

/**
 * Shared by `LRUCache` and `TTLCache`: both are backed by the `lru-cache` package, with the store's clock as
 * its time source. `touchOnGet` false keeps insertion order, so eviction takes the entry set longest ago.
 */
export abstract class LruBackedCache<V> implements Cache<V> {
  abstract readonly policy: EvictionPolicy;
  readonly maxSize: number;
  readonly maxMemoryBytes: number;
  readonly #map: LruMap<string, Slot<V>>;
  readonly #touchOnGet: boolean;
  readonly #counters: CacheCounters = { evictions: 0, expirations: 0, rejected: 0 };

  protected constructor(
    owner: string,
    options: CacheOptions | undefined,
    touchOnGet: boolean,
    requireTtl: boolean,
  ) {
    const o = resolveCacheOptions(owner, options);
    if (requireTtl && o.ttlMs <= 0) {
      throw new StoreConfigurationError(`${owner}: option 'ttlSeconds' must be > 0`, {
        details: { field: "ttlSeconds" },
      });
    }
    this.maxSize = o.maxSize;
    this.maxMemoryBytes = o.maxMemoryBytes;
    this.#touchOnGet = touchOnGet;
    const clock = o.clock;
    this.#map = new LruMap<string, Slot<V>>({
      max: o.maxSize,
      maxSize: o.maxMemoryBytes,
      sizeCalculation: () => 1,
      ...(o.ttlMs > 0 ? { ttl: o.ttlMs, ttlResolution: 0, perf: { now: () => clock.now() } } : {}),
      dispose: (_value, _key, reason) => {
        if (reason === "evict") this.#counters.evictions++;
        else if (reason === "expire") this.#counters.expirations++;
      },
    });
  }

  get(key: string): V | undefined {
    // lru-cache's own get drops a stale entry (counted through dispose as "expire").
    if (this.#touchOnGet) return this.#map.get(key)?.value;
    const slot = this.#map.peek(key, PEEK_STALE);
    if (slot === undefined) return undefined;
    if (this.#map.getRemainingTTL(key) < 0) {
      this.#expire(key);
      return undefined;
    }
    return slot.value;
  }

  #expire(key: string): void {
    this.#map.delete(key);
    this.#counters.expirations++;
  }

  set(key: string, value: V, sizeBytes: number): boolean {
    if (sizeBytes > this.maxMemoryBytes) {
      this.#map.delete(key);
      this.#counters.rejected++;
      return false;
    }
    // Delete first: a re-set then moves the key to the newest position and never counts as an eviction.
    this.#map.delete(key);
    this.#map.set(key, { value }, { size: Math.max(1, sizeBytes) });
    return true;
  }

  delete(key: string): boolean {
    return this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }

  get size(): number {
    return this.#map.size;
  }

  get memoryBytes(): number {
    return this.#map.calculatedSize;
  }

  counters(): CacheCounters {
    return { ...this.#counters };
  }
}

/** Least recently used eviction (the `lru-cache` package). */
export class LRUCache<V = unknown> extends LruBackedCache<V> {
  readonly policy = EvictionPolicy.LRU;
  constructor(options?: CacheOptions) {
    super("LRUCache", options, true, false);
  }
}

/** Every entry expires `ttlSeconds` after it was set; when full, the entry closest to expiry is evicted. */
export class TTLCache<V = unknown> extends LruBackedCache<V> {
  readonly policy = EvictionPolicy.TTL;
  constructor(options?: CacheOptions) {
    super("TTLCache", options, false, true);
  }
}
