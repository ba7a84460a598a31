import type { Clock } from "@truthound/store-core";
import {
  type Cache,
  type CacheCounters,
  type CacheOptions,
  type EvictionPolicy,
  resolveCacheOptions,
} from "./cache.js";

interface Slot<V> {
  value: V;
  sizeBytes: number;
  /** Expired once the clock is past this instant. */
  expiresAt: number;
}

/**
 * Limits, expiry and memory accounting for the caches that keep their own eviction order (LFU, FIFO, RANDOM).
 * A subclass tracks keys with O(1) hooks and names the next victim in O(1).
 */
export abstract class PolicyCache<V> implements Cache<V> {
  abstract readonly policy: EvictionPolicy;
  readonly maxSize: number;
  readonly maxMemoryBytes: number;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  readonly #slots = new Map<string, Slot<V>>();
  #memoryBytes = 0;
  readonly #counters: CacheCounters = { evictions: 0, expirations: 0, rejected: 0 };

  protected constructor(owner: string, options: CacheOptions | undefined) {
    const o = resolveCacheOptions(owner, options);
    this.maxSize = o.maxSize;
    this.maxMemoryBytes = o.maxMemoryBytes;
    this.#ttlMs = o.ttlMs;
    this.#clock = o.clock;
  }

  protected abstract tracked(key: string): void;
  protected abstract accessed(key: string): void;
  protected abstract untracked(key: string): void;
  protected abstract victim(): string | undefined;
  protected abstract reset(): void;

  get(key: string): V | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (this.#ttlMs > 0 && this.#clock.now() > slot.expiresAt) {
      this.#remove(key, slot);
      this.#counters.expirations++;
      return undefined;
    }
    this.accessed(key);
    return slot.value;
  }

  set(key: string, value: V, sizeBytes: number): boolean {
    const size = Math.max(1, sizeBytes);
    const existing = this.#slots.get(key);
    if (size > this.maxMemoryBytes) {
      if (existing) this.#remove(key, existing);
      this.#counters.rejected++;
      return false;
    }
    const expiresAt = this.#ttlMs > 0 ? this.#clock.now() + this.#ttlMs : Number.POSITIVE_INFINITY;
    if (existing) {
      this.#memoryBytes += size - existing.sizeBytes;
      existing.value = value;
      existing.sizeBytes = size;
      existing.expiresAt = expiresAt;
      this.accessed(key);
    } else {
      this.#slots.set(key, { value, sizeBytes: size, expiresAt });
      this.#memoryBytes += size;
      this.tracked(key);
    }
    this.#evictOverflow(key);
    return true;
  }

  /** Evicts until both limits hold; never the key just set (it fits alone, see `set`). */
  #evictOverflow(keep: string): void {
    while (this.#slots.size > this.maxSize || this.#memoryBytes > this.maxMemoryBytes) {
      let key = this.victim();
      if (key === keep) {
        // Re-track the kept key at the back of the order and take the next victim.
        this.untracked(keep);
        key = this.victim();
        this.tracked(keep);
      }
      if (key === undefined) return;
      const slot = this.#slots.get(key) as Slot<V>;
      this.#remove(key, slot);
      this.#counters.evictions++;
    }
  }

  #remove(key: string, slot: Slot<V>): void {
    this.#slots.delete(key);
    this.#memoryBytes -= slot.sizeBytes;
    this.untracked(key);
  }

  delete(key: string): boolean {
    const slot = this.#slots.get(key);
    if (slot === undefined) return false;
    this.#remove(key, slot);
    return true;
  }

  clear(): void {
    this.#slots.clear();
    this.#memoryBytes = 0;
    this.reset();
  }

  get size(): number {
    return this.#slots.size;
  }

  get memoryBytes(): number {
    return this.#memoryBytes;
  }

  counters(): CacheCounters {
    return { ...this.#counters };
  }
}
