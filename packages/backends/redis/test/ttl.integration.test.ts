import { isStoreError } from "@truthound/store-core";
import { makeResults } from "@truthound/store-testkit";
import { afterAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/index.js";
import {
  adminClient,
  dropPrefix,
  keysUnder,
  redisUrl,
  requireRedis,
  uniquePrefix,
} from "./helpers/redis-server.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(redisUrl === undefined)("RedisStore ttlSeconds", () => {
  const keyPrefix = uniquePrefix("ttl");
  const admin = redisUrl === undefined ? undefined : adminClient();
  afterAll(async () => {
    admin?.disconnect();
    await dropPrefix(keyPrefix);
  });

  it("an expired document disappears from get, exists, listIds, query and count, and its index keys go with it", async () => {
    const store = new RedisStore({ url: requireRedis(), keyPrefix, namespace: "expiry", ttlSeconds: 1 });
    const keep = new RedisStore({ url: requireRedis(), keyPrefix, namespace: "expiry" });
    const [shortLived, longLived] = [makeResults(6, { seed: 3 }), makeResults(3, { seed: 4 })];
    for (const r of longLived) r.runId = `keep-${r.runId}`;
    try {
      for (const r of shortLived) await store.save(r);
      for (const r of longLived) await keep.save(r);
      const pttl = await admin?.pttl(store.keys.document(shortLived[0]?.runId as string));
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(1000);
      expect(await store.count()).toBe(9);

      // Redis expires the documents on its own; the next operation prunes their index entries.
      for (let waited = 0; waited < 10_000; waited += 100) {
        if (!(await store.exists(shortLived[0]?.runId as string))) break;
        await sleep(100);
      }
      await sleep(50);
      const expected = longLived.map((r) => r.runId).sort();
      expect((await store.listIds()).sort()).toEqual(expected);
      expect(await store.count()).toBe(3);
      expect(await store.count({ dataAsset: shortLived[0]?.dataAsset as string })).toBe(
        longLived.filter((r) => r.dataAsset === shortLived[0]?.dataAsset).length,
      );
      expect((await store.query({})).map((r) => r.runId).sort()).toEqual(expected);
      for (const r of shortLived) {
        expect(await store.exists(r.runId)).toBe(false);
        const error = await store.get(r.runId).catch((e: unknown) => e);
        expect(isStoreError(error, "NOT_FOUND"), String(error)).toBe(true);
      }
      // No index record, sorted-set member or expiry entry of an expired id is left behind.
      const client = admin as NonNullable<typeof admin>;
      const base = store.keys.base;
      for (const key of await keysUnder(client, base)) {
        if (key.startsWith(`${base}i:`) || key === `${base}x`) {
          const members = await client.zrange(key, 0, -1);
          for (const r of shortLived) expect(members, key).not.toContain(r.runId);
        }
        expect(key.startsWith(`${base}m:`) && !key.includes("keep-")).toBe(false);
      }
      expect(await client.exists(`${base}x`)).toBe(0);
    } finally {
      await store.close();
      await keep.close();
    }
  });

  it("saving again renews the TTL; a save by a store without ttlSeconds makes the document permanent", async () => {
    const store = new RedisStore({ url: requireRedis(), keyPrefix, namespace: "renew", ttlSeconds: 2 });
    const permanent = new RedisStore({ url: requireRedis(), keyPrefix, namespace: "renew" });
    const [result] = makeResults(1, { seed: 5 });
    const id = result?.runId as string;
    const client = admin as NonNullable<typeof admin>;
    try {
      await store.save(result as NonNullable<typeof result>);
      await sleep(1200);
      await store.save(result as NonNullable<typeof result>);
      expect(await client.pttl(store.keys.document(id))).toBeGreaterThan(1200);
      await sleep(1200);
      expect(await store.exists(id)).toBe(true);
      await permanent.save(result as NonNullable<typeof result>);
      expect(await client.pttl(store.keys.document(id))).toBe(-1);
      expect(await client.zscore(`${store.keys.base}x`, id)).toBeNull();
      await sleep(2200);
      expect((await store.get(id)).runId).toBe(id);
      expect(await store.listIds()).toEqual([id]);
    } finally {
      await store.close();
      await permanent.close();
    }
  });

  it("declares nativeTtl only when ttlSeconds is set", () => {
    expect(new RedisStore({ url: requireRedis(), ttlSeconds: 5 }).capabilities.nativeTtl).toBe(true);
    expect(new RedisStore({ url: requireRedis() }).capabilities.nativeTtl).toBe(false);
  });
});
