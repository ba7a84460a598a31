import {
  applyQuery,
  normalizeQuery,
  type StoreQuery,
  ValidationResult,
  validationResultAdapter,
} from "@truthound/store-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/index.js";
import { dropPrefix, redisUrl, requireRedis, uniquePrefix } from "./helpers/redis-server.js";

const STATUSES = ["success", "failure", "warning", "error"] as const;
const COUNT = 1_500;

/**
 * More than the scripts' 256-member chunks everywhere: 600 ids share one run time, 300 assets, and a tag
 * that only every 7th id has, so walks continue across chunks, within one score and across registry pages.
 */
function dataset(): ValidationResult[] {
  return Array.from({ length: COUNT }, (_, i) => {
    const sameTime = i < 600;
    return new ValidationResult({
      runId: `id-${String((i * 7919) % 10_007).padStart(5, "0")}-${i}`,
      runTime: new Date(Date.UTC(2024, 0, 1) + (sameTime ? 0 : (i % 400) * 60_000)),
      dataAsset: `asset-${i % 300}`,
      status: STATUSES[i % 4] as (typeof STATUSES)[number],
      tags: i % 7 === 0 ? { rare: "yes", team: `t${i % 3}` } : { team: `t${i % 3}` },
    });
  });
}

async function pageThrough(store: RedisStore, query: StoreQuery, pageSize: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listIdsPage({ ...query, limit: pageSize, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return ids;
}

describe.skipIf(redisUrl === undefined)("RedisStore queries past the scripts' chunk sizes", () => {
  const keyPrefix = uniquePrefix("scale");
  let store: RedisStore;
  const results = dataset();
  const entries = results.map((r) => validationResultAdapter.entryOf(r));
  beforeAll(async () => {
    store = new RedisStore({ url: requireRedis(), keyPrefix, namespace: "scale" });
    for (let i = 0; i < results.length; i += 100) {
      for (const outcome of await store.saveMany(results.slice(i, i + 100))) expect(outcome.ok).toBe(true);
    }
  });
  afterAll(async () => {
    await store?.close();
    await dropPrefix(keyPrefix);
  });

  const queries: StoreQuery[] = [
    {},
    { ascending: true },
    { orderBy: "dataAsset" },
    { orderBy: "dataAsset", ascending: true, tags: { rare: "yes" } },
    { orderBy: "status", status: "failure" },
    { orderBy: "status", ascending: true, tags: { team: "t1" } },
    { tags: { rare: "yes", team: "t2" }, status: "error" },
    { startTime: Date.UTC(2024, 0, 1), endTime: Date.UTC(2024, 0, 1), ascending: true },
    { startTime: Date.UTC(2024, 0, 1, 1), endTime: Date.UTC(2024, 0, 1, 3), orderBy: "dataAsset" },
    { dataAsset: "asset-7", orderBy: "dataAsset" },
    { offset: 290, limit: 20, orderBy: "dataAsset", ascending: true },
    { offset: 590, limit: 20 },
  ];

  for (const query of queries) {
    it(`matches the reference for ${JSON.stringify(query)}, whole and page by page`, async () => {
      const expected = applyQuery(entries, normalizeQuery(query)).entries.map((e) => e.id);
      expect(await store.listIds(query)).toEqual(expected);
      const { limit: _limit, offset: _offset, ...unpaged } = query;
      expect(await store.count(unpaged)).toBe(applyQuery(entries, normalizeQuery(unpaged)).entries.length);
      if (query.limit === undefined && query.offset === undefined) {
        expect(await pageThrough(store, query, 97)).toEqual(expected);
      }
    });
  }
});
