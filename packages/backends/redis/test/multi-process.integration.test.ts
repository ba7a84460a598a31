import { runWriterProcesses, type StoreRecipe } from "@truthound/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/index.js";
import { dropPrefix, redisUrl, requireRedis, uniquePrefix } from "./helpers/redis-server.js";

const WRITERS = 4;
const SAVES = 500;
const SHARED = 20;

describe.skipIf(redisUrl === undefined)("RedisStore: concurrent writer processes", () => {
  const keyPrefix = uniquePrefix("multiproc");
  afterAll(() => dropPrefix(keyPrefix));

  it(`${WRITERS} processes x ${SAVES} concurrent saves: nothing lost from get, listIds, query or count`, {
    timeout: 600_000,
  }, async () => {
    // The built package (run `tsc -b` first), as a writer process imports it.
    const recipe: StoreRecipe = {
      module: new URL("../dist/index.js", import.meta.url).href,
      exportName: "RedisStore",
      options: { url: requireRedis(), keyPrefix, namespace: "mp" },
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => `w${w}`);
    await runWriterProcesses({ store: recipe, writers, saves: SAVES, shared: SHARED, concurrency: 16 });

    const store = new RedisStore({ url: requireRedis(), keyPrefix, namespace: "mp" });
    try {
      const expected = writers.flatMap((w) => Array.from({ length: SAVES }, (_, i) => `${w}-${i}`));
      const shared = Array.from({ length: SHARED }, (_, i) => `shared-${i}`);
      const ids = await store.listIds({ ascending: true });
      expect(ids).toHaveLength(expected.length + SHARED);
      expect(new Set(ids)).toEqual(new Set([...expected, ...shared]));
      expect(await store.count()).toBe(expected.length + SHARED);
      for (const w of writers) {
        expect(await store.count({ tags: { writer: w }, dataAsset: "asset-3" })).toBe(SAVES / 5);
        const failures = await store.listIds({ tags: { writer: w }, status: "failure" });
        expect(failures.filter((id) => id.startsWith(`${w}-`))).toHaveLength(SAVES / 4);
      }
      // Each shared id is indexed exactly once, under the asset of the writer whose document won.
      for (const id of shared) {
        const item = await store.get(id);
        const owners = await Promise.all(
          writers.map(async (w) => (await store.listIds({ dataAsset: `owner-${w}` })).includes(id)),
        );
        expect(owners.filter(Boolean)).toHaveLength(1);
        expect(owners[writers.indexOf(item.tags.writer as string)]).toBe(true);
      }
      const queried = await store.query({ dataAsset: "asset-1", status: "failure" });
      expect(queried.length).toBe(WRITERS * (SAVES / 20));
      for (const r of queried) expect([r.dataAsset, r.status]).toEqual(["asset-1", "failure"]);
      const all = await store.getMany(expected);
      for (const outcome of all) expect(outcome.ok, outcome.id).toBe(true);
    } finally {
      await store.close();
    }
  });
});
