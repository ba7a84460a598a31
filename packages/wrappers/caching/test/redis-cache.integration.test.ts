import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemStore } from "@truthound/store-filesystem";
import { expectSameResult, expectStoreError, makeResult } from "@truthound/store-testkit";
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { CachedStore, RedisCache } from "../src/index.js";
import { redisUrl, uniquePrefix } from "./helpers/services.js";

const basePath = mkdtempSync(join(tmpdir(), "truthound-caching-redis-"));
afterAll(() => rmSync(basePath, { recursive: true, force: true }));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(redisUrl === undefined)("RedisCache as a shared second level", () => {
  const opened: { close(): Promise<void> }[] = [];
  const clients: Redis[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close().catch(() => undefined);
    for (const c of clients.splice(0)) c.disconnect();
  });

  /** One "process": its own Redis connections, RedisCache, store instance and first-level cache. */
  async function node(namespace: string, keyPrefix: string) {
    const client = new Redis(redisUrl as string);
    clients.push(client);
    const shared = new RedisCache({ client, keyPrefix });
    const store = new CachedStore(new FileSystemStore({ basePath, namespace }), { secondLevel: shared });
    opened.push(store, shared);
    await shared.ready();
    return { store, shared, client };
  }

  it("a miss in one process is answered from Redis in another, without reading the store", async () => {
    const prefix = uniquePrefix("l2");
    const a = await node("l2", prefix);
    const b = await node("l2", prefix);
    const item = makeResult();
    await a.store.save(item);
    expectSameResult(await a.store.get(item.runId), item);
    a.store.invalidate(item.runId);
    expectSameResult(await a.store.get(item.runId), item);
    expect(a.store.getStats().loads).toBe(1);
    expectSameResult(await b.store.get(item.runId), item);
    expect(b.store.getStats()).toMatchObject({ secondLevelHits: 1, loads: 0 });
    const keys = await a.client.keys(`${prefix}*`);
    expect(keys.every((k) => k.startsWith(prefix))).toBe(true);
  });

  it("a save or delete in one process invalidates the other process's first level", async () => {
    const prefix = uniquePrefix("inv");
    const a = await node("inv", prefix);
    const b = await node("inv", prefix);
    const v1 = makeResult();
    await a.store.save(v1);
    expectSameResult(await b.store.get(v1.runId), v1);
    // A's save also published an invalidation; if it reached B during B's load, B rightly skipped the fill.
    for (let i = 0; i < 50 && b.store.cache.get(v1.runId) === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      await b.store.get(v1.runId);
    }
    expect(b.store.cache.get(v1.runId)).toBeDefined();
    const v2 = makeResult({ runId: v1.runId, status: "failure" });
    await a.store.save(v2);
    await until(() => b.store.cache.get(v1.runId) === undefined, "B's entry to be invalidated");
    expectSameResult(await b.store.get(v1.runId), v2);
    await b.store.delete(v1.runId);
    await until(() => a.store.cache.get(v1.runId) === undefined, "A's entry to be invalidated");
    await expectStoreError(a.store.get(v1.runId), "NOT_FOUND");
  });

  it("clear in one process empties every first level and retires the shared entries", async () => {
    const prefix = uniquePrefix("clear");
    const a = await node("clear", prefix);
    const b = await node("clear", prefix);
    const item = makeResult();
    await a.store.save(item);
    await b.store.get(item.runId);
    await a.store.clear();
    await until(() => b.store.cache.size === 0, "B's cache to be cleared");
    const lookup = await b.shared.lookup(item.runId);
    expect(lookup.entry).toBeUndefined();
    await expectStoreError(b.store.get(item.runId), "NOT_FOUND");
  });

  it("a fill that raced with an invalidation is refused (no stale document is shared)", async () => {
    const prefix = uniquePrefix("race");
    const a = await node("race", prefix);
    const b = await node("race", prefix);
    const stale = await a.shared.lookup("doc");
    await b.shared.invalidate("doc");
    expect(await a.shared.fill("doc", stale.token, { json: "{}", etag: "1" })).toBe(false);
    const fresh = await a.shared.lookup("doc");
    expect(await a.shared.fill("doc", fresh.token, { json: "{}", etag: "2" })).toBe(true);
    expect((await b.shared.lookup("doc")).entry).toEqual({ json: "{}", etag: "2" });
    await b.shared.invalidateAll();
    expect((await a.shared.lookup("doc")).entry).toBeUndefined();
  });

  it("keys are namespaced by keyPrefix: two prefixes never see each other's entries", async () => {
    const a = await node("p1", uniquePrefix("p1"));
    const b = await node("p1", uniquePrefix("p2"));
    const token = (await a.shared.lookup("x")).token;
    await a.shared.fill("x", token, { json: "[]", etag: "1" });
    expect((await b.shared.lookup("x")).entry).toBeUndefined();
  });

  it("a Redis failure is a typed CONNECTION error, not a silent miss", async () => {
    const client = new Redis(redisUrl as string, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    clients.push(client);
    const shared = new RedisCache({
      client,
      subscriber: new Redis(redisUrl as string),
      keyPrefix: uniquePrefix("down"),
    });
    opened.push(shared);
    await expect(shared.lookup("x")).rejects.toMatchObject({ code: "CONNECTION" });
  });
});

describe.skipIf(redisUrl === undefined)("RedisCache across two processes", () => {
  it("a save in another process invalidates this process's first level", async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const prefix = uniquePrefix("proc");
    const client = new Redis(redisUrl as string);
    const shared = new RedisCache({ client, keyPrefix: prefix });
    const store = new CachedStore(new FileSystemStore({ basePath, namespace: "proc" }), {
      secondLevel: shared,
    });
    await shared.ready();
    const v1 = makeResult({ status: "success" });
    await store.save(v1);
    expect(store.cache.get(v1.runId)).toBeDefined();
    const child = new URL("./helpers/child-writer.mjs", import.meta.url).pathname;
    await promisify(execFile)(process.execPath, [
      child,
      redisUrl as string,
      prefix,
      basePath,
      "proc",
      v1.runId,
    ]);
    await until(() => store.cache.get(v1.runId) === undefined, "the other process's invalidation");
    expect((await store.get(v1.runId)).status).toBe("error");
    await store.close();
    await shared.close();
    client.disconnect();
  });
});
