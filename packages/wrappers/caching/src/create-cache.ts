import {
  type Clock,
  type OptionsSpec,
  StoreConfigurationError,
  validateOptions,
} from "@truthound/store-core";
import { type Cache, EvictionPolicy } from "./cache.js";
import { FIFOCache } from "./fifo-cache.js";
import { LFUCache } from "./lfu-cache.js";
import { LRUCache, TTLCache } from "./lru-cache.js";
import { RandomCache } from "./random-cache.js";

/** The seeds' `CacheConfig`, in camelCase: limits plus the eviction policy that picks the cache class. */
export interface CacheConfig {
  maxSize?: number;
  maxMemoryMb?: number;
  ttlSeconds?: number;
  /** Default `LRU`. */
  evictionPolicy?: EvictionPolicy;
  clock?: Clock;
}

const SPEC: OptionsSpec<CacheConfig> = {
  maxSize: { type: "any" },
  maxMemoryMb: { type: "any" },
  ttlSeconds: { type: "any" },
  evictionPolicy: { type: "string", oneOf: Object.values(EvictionPolicy) },
  clock: { type: "any" },
};

/** Builds the in-process cache a `CacheConfig` describes (the limits are validated by the cache class). */
export function createCache<V>(config: CacheConfig = {}): Cache<V> {
  const { evictionPolicy = EvictionPolicy.LRU, ...limits } = validateOptions("CacheConfig", config, SPEC);
  switch (evictionPolicy) {
    case EvictionPolicy.LRU:
      return new LRUCache<V>(limits);
    case EvictionPolicy.LFU:
      return new LFUCache<V>(limits);
    case EvictionPolicy.TTL:
      return new TTLCache<V>(limits);
    case EvictionPolicy.FIFO:
      return new FIFOCache<V>(limits);
    case EvictionPolicy.RANDOM:
      return new RandomCache<V>(limits);
    default:
      throw new StoreConfigurationError(`CacheConfig: unknown evictionPolicy ${String(evictionPolicy)}`, {
        details: { field: "evictionPolicy" },
      });
  }
}
