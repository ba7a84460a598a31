import { ManualClock } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import {
  type Cache,
  createCache,
  EvictionPolicy,
  FIFOCache,
  LFUCache,
  LRUCache,
  RandomCache,
  TTLCache,
} from "../src/index.js";

function fill(cache: Cache<string>, keys: string[]): void {
  for (const key of keys) cache.set(key, `value-${key}`, 10);
}

function keysOf(cache: Cache<string>, candidates: string[]): string[] {
  return candidates.filter((key) => cache.get(key) !== undefined);
}

describe("eviction order", () => {
  it("LRU evicts the least recently used entry", () => {
    const cache = new LRUCache<string>({ maxSize: 3, ttlSeconds: 0 });
    fill(cache, ["a", "b", "c"]);
    cache.get("a");
    cache.set("d", "d", 10);
    expect(keysOf(cache, ["a", "b", "c", "d"])).toEqual(["a", "c", "d"]);
    expect(cache.counters().evictions).toBe(1);
  });

  it("LFU evicts the least frequently used entry, the older one on a tie, and re-set keeps the count", () => {
    const cache = new LFUCache<string>({ maxSize: 3, ttlSeconds: 0 });
    fill(cache, ["a", "b", "c"]);
    cache.get("a");
    cache.get("a");
    cache.get("c");
    cache.set("a", "again", 10);
    expect(cache.frequency("a")).toBe(4);
    cache.set("d", "d", 10);
    expect(keysOf(cache, ["a", "b", "c", "d"])).toEqual(["a", "c", "d"]);
    // d (count 1 before the reads above) and c (count 2, now 3) remain; the next new key evicts d.
    cache.set("e", "e", 10);
    expect(cache.get("d")).toBeUndefined();
    expect(cache.get("e")).toBe("e");
  });

  it("LFU keeps working after the lowest bucket empties through deletes", () => {
    const cache = new LFUCache<string>({ maxSize: 2, ttlSeconds: 0 });
    fill(cache, ["a", "b"]);
    for (let i = 0; i < 1000; i++) cache.get("b");
    cache.delete("a");
    cache.set("c", "c", 10);
    cache.set("d", "d", 10);
    expect(keysOf(cache, ["b", "c", "d"])).toEqual(["b", "d"]);
  });

  it("FIFO evicts the oldest insertion regardless of reads", () => {
    const cache = new FIFOCache<string>({ maxSize: 3, ttlSeconds: 0 });
    fill(cache, ["a", "b", "c"]);
    cache.get("a");
    cache.set("d", "d", 10);
    expect(keysOf(cache, ["a", "b", "c", "d"])).toEqual(["b", "c", "d"]);
  });

  it("RANDOM evicts the entry its random source picks", () => {
    const cache = new RandomCache<string>({ maxSize: 3, ttlSeconds: 0, random: () => 0.5 });
    fill(cache, ["a", "b", "c"]);
    cache.set("d", "d", 10);
    // Index floor(0.5 * 4) = 2 of [a, b, c, d] is c (d, just set, is never its own victim).
    expect(keysOf(cache, ["a", "b", "c", "d"])).toEqual(["a", "b", "d"]);
    expect(cache.size).toBe(3);
  });

  it("TTL evicts the entry closest to expiry (the one set longest ago), reads do not reorder", () => {
    const clock = new ManualClock(0);
    const cache = new TTLCache<string>({ maxSize: 3, ttlSeconds: 60, clock });
    fill(cache, ["a", "b", "c"]);
    cache.get("a");
    cache.set("d", "d", 10);
    expect(keysOf(cache, ["a", "b", "c", "d"])).toEqual(["b", "c", "d"]);
  });

  it("TTLCache requires a positive ttlSeconds", () => {
    expect(() => new TTLCache({ ttlSeconds: 0 })).toThrow(/ttlSeconds/);
  });
});

describe("limits, expiry and configuration", () => {
  const policies = Object.values(EvictionPolicy);

  it.each(policies)(
    "%s: entries expire once ttlSeconds have passed on the injected clock",
    async (evictionPolicy) => {
      const clock = new ManualClock(1_000);
      const cache = createCache<string>({ evictionPolicy, ttlSeconds: 10, clock });
      cache.set("k", "v", 5);
      await clock.advance(10_000);
      expect(cache.get("k")).toBe("v");
      await clock.advance(1);
      expect(cache.get("k")).toBeUndefined();
      expect(cache.counters().expirations).toBe(1);
      expect(cache.size).toBe(0);
      expect(cache.memoryBytes).toBe(0);
    },
  );

  it.each(policies)("%s: maxMemoryMb is enforced by the given sizes", (evictionPolicy) => {
    const cache = createCache<string>({ evictionPolicy, maxMemoryMb: 1 / 1024, ttlSeconds: 60 }); // 1 KiB
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, "v", 300);
    expect(cache.memoryBytes).toBeLessThanOrEqual(1024);
    expect(cache.size).toBe(3);
    expect(cache.counters().evictions).toBe(7);
    expect(cache.set("huge", "v", 2048)).toBe(false);
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.counters().rejected).toBe(1);
  });

  it.each(policies)("%s: maxSize bounds the entry count and delete/clear free memory", (evictionPolicy) => {
    const cache = createCache<string>({ evictionPolicy, maxSize: 5, ttlSeconds: 60 });
    for (let i = 0; i < 20; i++) cache.set(`k${i}`, "v", 7);
    expect(cache.size).toBe(5);
    expect(cache.memoryBytes).toBe(35);
    expect(cache.policy).toBe(evictionPolicy);
    const present = Array.from({ length: 20 }, (_, i) => `k${i}`).find((k) => cache.get(k) !== undefined);
    expect(cache.delete(present as string)).toBe(true);
    expect(cache.memoryBytes).toBe(28);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.memoryBytes).toBe(0);
  });

  it.each(policies)("%s: re-setting a key replaces its value and size", (evictionPolicy) => {
    const cache = createCache<string>({ evictionPolicy, ttlSeconds: 60 });
    cache.set("k", "one", 10);
    cache.set("k", "two", 25);
    expect(cache.get("k")).toBe("two");
    expect(cache.size).toBe(1);
    expect(cache.memoryBytes).toBe(25);
    expect(cache.counters().evictions).toBe(0);
  });

  it("rejects unknown and mistyped options with CONFIGURATION naming the field", () => {
    expect(() => createCache({ evictionPolicy: "MRU" as never })).toThrow(/evictionPolicy/);
    expect(() => new LRUCache({ maxSize: 0 })).toThrow(/maxSize/);
    expect(() => new LRUCache({ maxMemoryMb: -1 })).toThrow(/maxMemoryMb/);
    expect(() => new LFUCache({ evictionBatchSize: 10 } as never)).toThrow(/evictionBatchSize/);
    expect(() => new RandomCache({ random: 3 as never })).toThrow(/random/);
    try {
      createCache({ warmOnStartup: true } as never);
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe("CONFIGURATION");
    }
  });

  it("eviction stays fast with many entries (no full sorts)", () => {
    for (const evictionPolicy of policies) {
      const cache = createCache<number>({ evictionPolicy, maxSize: 1000, ttlSeconds: 3600 });
      for (let i = 0; i < 50_000; i++) {
        cache.set(`k${i}`, i, 1);
        if (i % 3 === 0) cache.get(`k${i - 1}`);
      }
      expect(cache.size).toBe(1000);
      expect(cache.counters().evictions).toBe(49_000);
    }
  });
});
