import {
  type Clock,
  type OptionsSpec,
  StoreConfigurationError,
  systemClock,
  validateOptions,
} from "@truthound/store-core";

export const EvictionPolicy = {
  LRU: "LRU",
  LFU: "LFU",
  TTL: "TTL",
  FIFO: "FIFO",
  RANDOM: "RANDOM",
} as const;
export type EvictionPolicy = (typeof EvictionPolicy)[keyof typeof EvictionPolicy];

/** Limits shared by every in-process cache. */
export interface CacheOptions {
  /** Most entries kept. Default 10,000. */
  maxSize?: number;
  /** Most memory kept, in MiB, measured as the bytes of each entry's serialized document. Default 100. */
  maxMemoryMb?: number;
  /** Entries expire this long after they were set (0: never). Default 3,600; `TTLCache` requires > 0. */
  ttlSeconds?: number;
  /** Time source for expiry (inject a `ManualClock` in tests). */
  clock?: Clock;
}

export interface ResolvedCacheOptions {
  maxSize: number;
  maxMemoryBytes: number;
  ttlMs: number;
  clock: Clock;
}

export const CACHE_OPTIONS_SPEC: OptionsSpec<CacheOptions> = {
  maxSize: { type: "number", integer: true, min: 1 },
  maxMemoryMb: { type: "number", check: (v) => ((v as number) > 0 ? undefined : "must be > 0") },
  ttlSeconds: { type: "number", min: 0 },
  clock: { type: "object" },
};

export function resolveCacheOptions(owner: string, options: CacheOptions | undefined): ResolvedCacheOptions {
  const o = validateOptions(owner, options, CACHE_OPTIONS_SPEC);
  const maxMemoryBytes = Math.floor((o.maxMemoryMb ?? 100) * 1024 * 1024);
  if (maxMemoryBytes < 1) {
    throw new StoreConfigurationError(`${owner}: option 'maxMemoryMb' is below one byte`, {
      details: { field: "maxMemoryMb" },
    });
  }
  return {
    maxSize: o.maxSize ?? 10_000,
    maxMemoryBytes,
    ttlMs: (o.ttlSeconds ?? 3600) * 1000,
    clock: o.clock ?? systemClock,
  };
}

/** Counters a cache keeps about itself (hits and misses are counted by the `CachedStore`). */
export interface CacheCounters {
  evictions: number;
  expirations: number;
  /** Entries not kept because one alone exceeds `maxMemoryMb`. */
  rejected: number;
}

/**
 * A bounded in-process cache of values with a known size. Every implementation evicts in O(1) or O(log n)
 * and enforces `maxSize` entries and `maxMemoryMb` bytes by the sizes it was given.
 */
export interface Cache<V> {
  readonly policy: EvictionPolicy;
  readonly maxSize: number;
  readonly maxMemoryBytes: number;
  /** The value, or undefined when absent or expired (an expired entry is removed). */
  get(key: string): V | undefined;
  /** Stores the value; returns false when the value alone is larger than the memory limit (nothing kept). */
  set(key: string, value: V, sizeBytes: number): boolean;
  delete(key: string): boolean;
  clear(): void;
  readonly size: number;
  /** Sum of the sizes of the entries kept. */
  readonly memoryBytes: number;
  counters(): CacheCounters;
}
