import { StoreConfigurationError } from "@truthound/store-core";
import { type CacheOptions, EvictionPolicy } from "./cache.js";
import { PolicyCache } from "./policy-cache.js";

export interface RandomCacheOptions extends CacheOptions {
  /** Source of randomness in [0, 1); default `Math.random` (inject one for reproducible tests). */
  random?: () => number;
}

/** Evicts a uniformly random entry: keys live in an array with swap-remove, so every step is O(1). */
export class RandomCache<V = unknown> extends PolicyCache<V> {
  readonly policy = EvictionPolicy.RANDOM;
  readonly #keys: string[] = [];
  readonly #index = new Map<string, number>();
  readonly #random: () => number;

  constructor(options: RandomCacheOptions = {}) {
    const { random, ...rest } = options;
    if (random !== undefined && typeof random !== "function") {
      throw new StoreConfigurationError("RandomCache: option 'random' must be a function", {
        details: { field: "random" },
      });
    }
    super("RandomCache", rest);
    this.#random = random ?? Math.random;
  }

  protected tracked(key: string): void {
    this.#index.set(key, this.#keys.length);
    this.#keys.push(key);
  }
  protected accessed(): void {}
  protected untracked(key: string): void {
    const at = this.#index.get(key);
    if (at === undefined) return;
    const last = this.#keys.pop() as string;
    if (last !== key) {
      this.#keys[at] = last;
      this.#index.set(last, at);
    }
    this.#index.delete(key);
  }
  protected victim(): string | undefined {
    if (this.#keys.length === 0) return undefined;
    const at = Math.min(this.#keys.length - 1, Math.floor(this.#random() * this.#keys.length));
    return this.#keys[at];
  }
  protected reset(): void {
    this.#keys.length = 0;
    this.#index.clear();
  }
}
