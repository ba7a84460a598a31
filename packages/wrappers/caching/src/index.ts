export {
  type Cache,
  type CacheCounters,
  type CacheOptions,
  EvictionPolicy,
} from "./cache.js";
export { CacheMode } from "./cache-mode.js";
export {
  CachedStore,
  type CachedStoreOptions,
  type CacheEntry,
  type CacheStats,
} from "./cached-store.js";
export { type CacheConfig, createCache } from "./create-cache.js";
export { FIFOCache } from "./fifo-cache.js";
export { LFUCache } from "./lfu-cache.js";
export { LRUCache, TTLCache } from "./lru-cache.js";
export { RandomCache, type RandomCacheOptions } from "./random-cache.js";
export { RedisCache, type RedisCacheOptions } from "./redis-cache.js";
export type { SecondLevelCache, SecondLevelLookup, SharedEntry } from "./second-level.js";
