import { isStoreError, ValidationResult } from "@truthound/store-core";
import { MemoryStore } from "@truthound/store-memory";
import { expectSameResult, expectStoreError, makeResult } from "@truthound/store-testkit";
import { describe, expect, it } from "vitest";
import { CachedStore, CacheMode, LFUCache } from "../src/index.js";
import { countingStore } from "./helpers/counting-store.js";

describe("READ_THROUGH", () => {
  it("fills the cache on a miss and serves the next get from it; a save drops the entry", async () => {
    const c = countingStore();
    const store = new CachedStore(c.store, { mode: CacheMode.READ_THROUGH });
    const item = makeResult();
    await store.save(item);
    expect(store.cache.size).toBe(0);
    expectSameResult(await store.get(item.runId), item);
    expectSameResult(await store.get(item.runId), item);
    expect(c.calls.getWithEtag).toBe(1);
    expect(store.getStats()).toMatchObject({ hits: 1, misses: 1, hitRate: 0.5, loads: 1, size: 1 });
    const changed = makeResult({ runId: item.runId, status: "failure" });
    await store.save(changed);
    expect(store.cache.get(item.runId)).toBeUndefined();
    expectSameResult(await store.get(item.runId), changed);
    expect(c.calls.getWithEtag).toBe(2);
  });
});

describe("WRITE_THROUGH", () => {
  it("writes to the store before returning and puts the saved item in the cache", async () => {
    const c = countingStore();
    const store = new CachedStore(c.store, { mode: CacheMode.WRITE_THROUGH });
    const item = makeResult();
    const { etag } = await store.saveWithEtag(item);
    expect(await c.inner.exists(item.runId)).toBe(true);
    const got = await store.getWithEtag(item.runId);
    expectSameResult(got.item, item);
    expect(got.etag).toBe(etag);
    expect(c.calls.getWithEtag ?? 0).toBe(0);
    expect(store.getStats().hits).toBe(1);
  });

  it("a failed conditional save drops the cached entry and writes nothing", async () => {
    const c = countingStore();
    const store = new CachedStore(c.store);
    const item = makeResult();
    await store.save(item);
    await expectStoreError(store.save(makeResult({ runId: item.runId }), { ifMatch: "stale" }), "CONFLICT");
    expect(store.cache.get(item.runId)).toBeUndefined();
    expectSameResult(await store.get(item.runId), item);
  });

  it("a delete removes the item from store and cache; get is then NOT_FOUND, not a stale hit", async () => {
    const store = new CachedStore(new MemoryStore());
    const item = makeResult();
    await store.save(item);
    expect(await store.delete(item.runId)).toBe(true);
    await expectStoreError(store.get(item.runId), "NOT_FOUND");
    expect(await store.delete(item.runId)).toBe(false);
  });
});

describe("CACHE_ASIDE", () => {
  it("never fills the cache by itself; warm and refresh do; writes drop entries", async () => {
    const c = countingStore();
    const store = new CachedStore(c.store, { mode: CacheMode.CACHE_ASIDE });
    const item = makeResult();
    await store.save(item);
    await store.get(item.runId);
    await store.get(item.runId);
    expect(c.calls.getWithEtag).toBe(2);
    expect(store.cache.size).toBe(0);
    expect(await store.warm([item.runId])).toBe(1);
    expectSameResult(await store.get(item.runId), item);
    expect(c.calls.getWithEtag).toBe(3);
    await c.inner.save(makeResult({ runId: item.runId, status: "error" }));
    expect((await store.get(item.runId)).status).toBe(item.status);
    await store.refresh(item.runId);
    expect((await store.get(item.runId)).status).toBe("error");
    await store.save(makeResult({ runId: item.runId, status: "warning" }));
    expect(store.cache.size).toBe(0);
    expect((await store.get(item.runId)).status).toBe("warning");
  });
});

describe("every mode", () => {
  for (const mode of Object.values(CacheMode)) {
    it(`${mode}: concurrent misses for one id load it once, and each caller gets its own copy`, async () => {
      const c = countingStore();
      const item = makeResult();
      await c.inner.save(item);
      const store = new CachedStore(c.store, { mode });
      c.hold("getWithEtag");
      const reads = Array.from({ length: 10 }, () => store.get(item.runId));
      await new Promise((resolve) => setTimeout(resolve, 10));
      c.release();
      const results = await Promise.all(reads);
      expect(c.calls.getWithEtag).toBe(1);
      for (const result of results) expectSameResult(result, item);
      expect(new Set(results).size).toBe(10);
      const [first] = results;
      if (first === undefined) throw new Error("no result");
      first.tags.mutated = "yes";
      expect(results[1]?.tags.mutated).toBeUndefined();
      await store.close();
    });

    it(`${mode}: neither a saved nor a returned object is shared with the cache`, async () => {
      const store = new CachedStore(new MemoryStore(), { mode });
      const item = makeResult({ tags: { env: "prod" } });
      const snapshot = ValidationResult.fromDict(structuredClone(item.toDict()));
      await store.save(item);
      await store.warm([item.runId]).catch(() => 0);
      item.tags.env = "changed";
      const first = await store.get(item.runId);
      first.tags.env = "mutated";
      first.results.length = 0;
      expectSameResult(await store.get(item.runId), snapshot);
      await store.close();
    });

    it(`${mode}: a load that overlaps a delete does not put the deleted item back in the cache`, async () => {
      const c = countingStore();
      const item = makeResult();
      await c.inner.save(item);
      const store = new CachedStore(c.store, { mode });
      c.hold("getWithEtag");
      const read = store.get(item.runId);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const deleted = store.delete(item.runId);
      c.release();
      await read;
      expect(await deleted).toBe(true);
      await expectStoreError(store.get(item.runId), "NOT_FOUND");
      await store.close();
    });
  }
});

describe("errors, statistics and options", () => {
  it("store errors pass through typed (never turned into undefined)", async () => {
    const c = countingStore();
    const store = new CachedStore(c.store);
    await expectStoreError(store.get("missing"), "NOT_FOUND");
    c.fail("getWithEtag", Object.assign(new Error("disk on fire"), {}));
    await expect(store.get("other")).rejects.toThrow(/disk on fire/);
    await expectStoreError(store.get("../escape"), "INVALID_ARGUMENT");
  });

  it("maxMemoryMb counts the serialized bytes of each document", async () => {
    const store = new CachedStore(new MemoryStore(), { config: { maxMemoryMb: 0.05 } });
    const items = Array.from({ length: 20 }, (_, i) =>
      makeResult({ runId: `r${i}`, metadata: { pad: "x".repeat(4000) } }),
    );
    for (const item of items) await store.save(item);
    const stats = store.getStats();
    const oneDocument = JSON.stringify(items[0]?.toDict()).length;
    expect(stats.memoryBytes).toBeLessThanOrEqual(0.05 * 1024 * 1024);
    expect(stats.size).toBe(Math.floor((0.05 * 1024 * 1024) / oneDocument));
    expect(stats.evictions).toBe(20 - stats.size);
  });

  it("counts hits and misses only with enableStatistics", async () => {
    const store = new CachedStore(new MemoryStore(), { enableStatistics: false });
    const item = makeResult();
    await store.save(item);
    await store.get(item.runId);
    expect(store.getStats()).toMatchObject({ hits: 0, misses: 0, hitRate: 0, size: 1 });
  });

  it("accepts any Cache implementation", async () => {
    const cache = new LFUCache<never>({ maxSize: 2 });
    const store = new CachedStore(new MemoryStore(), { cache });
    await store.save(makeResult());
    expect(cache.size).toBe(1);
  });

  it("warmOnStartup loads the newest documents into the cache on initialize", async () => {
    const inner = new MemoryStore();
    for (let i = 0; i < 5; i++)
      await inner.save(makeResult({ runId: `w${i}`, runTime: Date.UTC(2024, 0, 1 + i) }));
    const store = new CachedStore(inner, { warmOnStartup: true, config: { maxSize: 3 } });
    await store.initialize();
    expect(["w4", "w3", "w2", "w1"].map((id) => store.cache.get(id) !== undefined)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it("copyOnRead: false returns the cached object itself", async () => {
    const store = new CachedStore(new MemoryStore(), { copyOnRead: false });
    const item = makeResult();
    await store.save(item);
    const a = await store.get(item.runId);
    expect(await store.get(item.runId)).toBe(a);
    expect(a).not.toBe(item);
  });

  it("rejects bad options with CONFIGURATION naming the field", () => {
    const inner = new MemoryStore();
    const attempts: [unknown, string][] = [
      [{ mode: "READ_WRITE" }, "mode"],
      [{ cache: new LFUCache(), config: {} }, "config"],
      [{ writeBehindIntervalMs: 5 }, "writeBehindIntervalMs"],
      [{ backgroundRefresh: true }, "backgroundRefresh"],
      [{ copyOnRead: "yes" }, "copyOnRead"],
    ];
    for (const [options, field] of attempts) {
      try {
        new CachedStore(inner, options as never);
        expect.unreachable(field);
      } catch (error) {
        expect(isStoreError(error, "CONFIGURATION")).toBe(true);
        expect(String((error as Error).message)).toContain(field);
      }
    }
  });

  it("after close every operation is CLOSED and the wrapped store is closed", async () => {
    const inner = new MemoryStore();
    const store = new CachedStore(inner);
    await store.save(makeResult());
    await store.close();
    expect(inner.closed).toBe(true);
    await expectStoreError(store.get("x"), "CLOSED");
    await expectStoreError(store.warm(["x"]), "CLOSED");
  });
});
