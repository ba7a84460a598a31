import { makeResults } from "@truthound/store-testkit";
import { afterAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/index.js";
import { adminClient, dropPrefix, redisUrl, requireRedis, uniquePrefix } from "./helpers/redis-server.js";

describe.skipIf(redisUrl === undefined)("RedisStore.rebuildIndex", () => {
  const keyPrefix = uniquePrefix("rebuild");
  const admin = redisUrl === undefined ? undefined : adminClient();
  afterAll(async () => {
    admin?.disconnect();
    await dropPrefix(keyPrefix);
  });

  it("re-indexes documents whose index was lost and removes entries that point nowhere", async () => {
    const store = new RedisStore({ url: requireRedis(), keyPrefix, namespace: "rb" });
    const client = admin as NonNullable<typeof admin>;
    const results = makeResults(40, { seed: 9 });
    try {
      for (const r of results) await store.save(r);
      const base = store.keys.base;
      const expectedAll = await store.listIds();
      const asset = results[0]?.dataAsset as string;
      const expectedAsset = await store.listIds({ dataAsset: asset, status: "failure" });
      // Damage: the whole-namespace set and one document's index record vanish, stray members appear.
      await client.del(`${base}i:all`);
      await client.del(`${base}m:${encodeURIComponent(results[1]?.runId as string)}`);
      await client.zadd(`${base}i:all`, 1, "ghost");
      await client.zadd(`${base}i:s:failure`, 2, "ghost-2");
      await client.zadd(`${base}r:a`, 0, "no-such-asset");
      await client.hset(`${base}m:orphan`, "a", "x", "s", "success", "t", "1", "g", "{}", "tk", "");
      await client.set(`${base}d:unreadable`, "not json");

      const report = await store.rebuildIndex();
      expect(report.documents).toBe(41);
      expect(report.reindexed).toBe(40);
      expect(report.unreadable).toEqual(["unreadable"]);
      expect(report.removedRecords).toBe(1);
      expect(report.removedIndexEntries).toBe(3);
      await client.del(`${base}d:unreadable`);
      expect(await store.listIds()).toEqual(expectedAll);
      expect(await store.listIds({ dataAsset: asset, status: "failure" })).toEqual(expectedAsset);
      expect(await store.count()).toBe(40);
      expect(await client.exists(`${base}m:orphan`)).toBe(0);
      const again = await store.rebuildIndex();
      expect(again.removedIndexEntries + again.removedRecords).toBe(0);
    } finally {
      await store.close();
    }
  });
});
