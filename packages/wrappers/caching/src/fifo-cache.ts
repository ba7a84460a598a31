import { type CacheOptions, EvictionPolicy } from "./cache.js";
import { PolicyCache } from "./policy-cache.js";

/** First in, first out: the entry inserted longest ago is evicted; reads and re-sets do not reorder. */
export class FIFOCache<V = unknown> extends PolicyCache<V> {
  readonly policy = EvictionPolicy.FIFO;
  // A Set iterates in insertion order, so its first key is the oldest.
  readonly #order = new Set<string>();

  constructor(options?: CacheOptions) {
    super("FIFOCache", options);
  }

  protected tracked(key: string): void {
    this.#order.add(key);
  }
  protected accessed(): void {}
  protected untracked(key: string): void {
    this.#order.delete(key);
  }
  protected victim(): string | undefined {
    return this.#order.values().next().value;
  }
  protected reset(): void {
    this.#order.clear();
  }
}
