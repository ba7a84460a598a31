/** What a second-level cache holds for one id: the serialized document and the store's etag. */
export interface SharedEntry {
  json: string;
  etag: string;
}

export interface SecondLevelLookup {
  entry: SharedEntry | undefined;
  /** Opaque state at lookup time; `fill` only stores when nothing was invalidated since. */
  token: string;
}

/**
 * A cache shared by several processes (`RedisCache`). Invalidation reaches every process's first level, and
 * a fill that raced with an invalidation is refused, so a stale document is never shared.
 */
export interface SecondLevelCache {
  lookup(id: string): Promise<SecondLevelLookup>;
  fill(id: string, token: string, entry: SharedEntry): Promise<boolean>;
  invalidate(id: string): Promise<void>;
  invalidateAll(): Promise<void>;
  /** `id` undefined means everything. Returns the unsubscribe function. */
  onInvalidate(listener: (id: string | undefined) => void): () => void;
}
