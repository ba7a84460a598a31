import { type CacheOptions, EvictionPolicy } from "./cache.js";
import { PolicyCache } from "./policy-cache.js";

interface Bucket {
  count: number;
  /** Insertion-ordered: ties go to the key that reached this count first. */
  keys: Set<string>;
  prev: Bucket | undefined;
  next: Bucket | undefined;
}

/**
 * Least frequently used in O(1) per step: a linked list of use-count buckets in increasing order, each key
 * pointing at its bucket. Re-setting a key keeps its count (and counts as a use).
 */
export class LFUCache<V = unknown> extends PolicyCache<V> {
  readonly policy = EvictionPolicy.LFU;
  readonly #bucketOf = new Map<string, Bucket>();
  #head: Bucket | undefined;

  constructor(options?: CacheOptions) {
    super("LFUCache", options);
  }

  /** Use count of a key (0 when absent); for inspection and tests. */
  frequency(key: string): number {
    return this.#bucketOf.get(key)?.count ?? 0;
  }

  #insertAfter(prev: Bucket | undefined, count: number): Bucket {
    const next = prev === undefined ? this.#head : prev.next;
    const bucket: Bucket = { count, keys: new Set(), prev, next };
    if (prev === undefined) this.#head = bucket;
    else prev.next = bucket;
    if (next !== undefined) next.prev = bucket;
    return bucket;
  }

  #unlinkIfEmpty(bucket: Bucket): void {
    if (bucket.keys.size > 0) return;
    if (bucket.prev === undefined) this.#head = bucket.next;
    else bucket.prev.next = bucket.next;
    if (bucket.next !== undefined) bucket.next.prev = bucket.prev;
  }

  protected tracked(key: string): void {
    const first =
      this.#head !== undefined && this.#head.count === 1 ? this.#head : this.#insertAfter(undefined, 1);
    first.keys.add(key);
    this.#bucketOf.set(key, first);
  }

  protected accessed(key: string): void {
    const bucket = this.#bucketOf.get(key);
    if (bucket === undefined) return;
    const target =
      bucket.next !== undefined && bucket.next.count === bucket.count + 1
        ? bucket.next
        : this.#insertAfter(bucket, bucket.count + 1);
    bucket.keys.delete(key);
    target.keys.add(key);
    this.#bucketOf.set(key, target);
    this.#unlinkIfEmpty(bucket);
  }

  protected untracked(key: string): void {
    const bucket = this.#bucketOf.get(key);
    if (bucket === undefined) return;
    bucket.keys.delete(key);
    this.#bucketOf.delete(key);
    this.#unlinkIfEmpty(bucket);
  }

  protected victim(): string | undefined {
    return this.#head?.keys.values().next().value;
  }

  protected reset(): void {
    this.#bucketOf.clear();
    this.#head = undefined;
  }
}
