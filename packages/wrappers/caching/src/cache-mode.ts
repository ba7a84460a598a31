/** How `CachedStore` uses its cache; see the README for what each mode does on reads and writes. */
export const CacheMode = {
  /** Reads fill the cache on a miss; writes go to the store and drop the cached entry. */
  READ_THROUGH: "READ_THROUGH",
  /** Reads fill the cache on a miss; writes go to the store, then put the saved item in the cache. */
  WRITE_THROUGH: "WRITE_THROUGH",
  /** Writes put the item in the cache and a queue, flushed to the store in the background and on close. */
  WRITE_BEHIND: "WRITE_BEHIND",
  /** The cache is filled only by explicit `warm`/`refresh`; reads use it when present; writes drop entries. */
  CACHE_ASIDE: "CACHE_ASIDE",
} as const;
export type CacheMode = (typeof CacheMode)[keyof typeof CacheMode];
