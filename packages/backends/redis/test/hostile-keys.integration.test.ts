import {
  applyQuery,
  encodeIdSegment,
  normalizeQuery,
  ValidationResult,
  validationResultAdapter,
} from "@truthound/store-core";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/index.js";
import { ENCODE_SCRIPT } from "../src/lua/maintenance-scripts.js";
import {
  adminClient,
  dropPrefix,
  keysUnder,
  redisUrl,
  requireRedis,
  uniquePrefix,
} from "./helpers/redis-server.js";

const HOSTILE = [
  "a:b",
  "*",
  "a*b?c[d]",
  "{tag}",
  "x}{y",
  "d:evil",
  "i:all",
  "..%2F",
  "\u00e9t\u00e9 \u{1F600}",
  "%41",
  "_hidden",
  ".dot",
  "~",
];
/** Assets and tags may hold control characters too (ids may not). */
const HOSTILE_TEXT = [...HOSTILE, "line\nbreak", "nul\u0000byte", "", " "];

const LAYOUT =
  /^(d|m):[A-Za-z0-9_.~%-]+$|^i:(all|a:[A-Za-z0-9_.~%-]*|s:[A-Za-z0-9_.~%-]+|t:[A-Za-z0-9_.~%-]*:[A-Za-z0-9_.~%-]*)$|^r:[as]$|^x$|^s:[0-9a-f-]{36}$/;

describe.skipIf(redisUrl === undefined)("RedisStore with hostile ids, assets and tags", () => {
  const keyPrefix = uniquePrefix("hostile");
  const admin = redisUrl === undefined ? undefined : adminClient();
  afterAll(async () => {
    admin?.disconnect();
    await dropPrefix(keyPrefix);
  });

  it("the scripts encode key segments exactly as the client does", async () => {
    const client = admin as NonNullable<typeof admin>;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: "binary", minLength: 1, maxLength: 24 }), { minLength: 1, maxLength: 20 }),
        async (texts) => {
          const valid = texts.filter((t) => Buffer.from(t, "utf8").toString("utf8") === t);
          if (valid.length === 0) return;
          const fromLua = (await client.eval(ENCODE_SCRIPT, 0, "unused", ...valid)) as string[];
          expect(fromLua).toEqual(valid.map(encodeIdSegment));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("every key stays inside the store's layout and the data round-trips exactly", async () => {
    const store = new RedisStore({ url: requireRedis(), keyPrefix, namespace: "hostile" });
    const neighbour = new RedisStore({ url: requireRedis(), keyPrefix, namespace: "hostile2" });
    const results = HOSTILE.map(
      (id, i) =>
        new ValidationResult({
          runId: id,
          runTime: new Date(Date.UTC(2024, 0, 1) + (i % 3) * 1000),
          dataAsset: HOSTILE_TEXT[i % HOSTILE_TEXT.length] as string,
          status: i % 2 === 0 ? "failure" : "success",
          tags: {
            [HOSTILE_TEXT[(i + 3) % HOSTILE_TEXT.length] as string]: HOSTILE_TEXT[
              (i + 5) % HOSTILE_TEXT.length
            ] as string,
            env: "x:*{}",
          },
        }),
    );
    const extra = new ValidationResult({
      runId: "plain",
      dataAsset: "line\nbreak",
      status: "error",
      tags: { "a:b": "{c}" },
    });
    try {
      await neighbour.save(new ValidationResult({ runId: "neighbour", dataAsset: "*", status: "success" }));
      for (const r of [...results, extra]) await store.save(r);
      const client = admin as NonNullable<typeof admin>;
      const base = store.keys.base;
      const keys = await keysUnder(client, keyPrefix);
      for (const key of keys) {
        expect(key.startsWith(base) || key.startsWith(neighbour.keys.base), key).toBe(true);
        expect(key.slice(key.indexOf("}:") + 2), key).toMatch(LAYOUT);
      }
      for (const r of [...results, extra]) {
        expect((await store.get(r.runId)).toDict()).toEqual(r.toDict());
      }
      const entries = [...results, extra].map((r) => validationResultAdapter.entryOf(r));
      const queries = [
        {},
        { dataAsset: "*" },
        { dataAsset: "line\nbreak" },
        { dataAsset: "" },
        { tags: { env: "x:*{}" } },
        { tags: { "a:b": "{c}" } },
        { orderBy: "dataAsset" as const, ascending: true },
        { orderBy: "status" as const, limit: 3 },
        { status: "failure" as const, tags: { env: "x:*{}" }, orderBy: "dataAsset" as const },
      ];
      for (const query of queries) {
        const expected = applyQuery(entries, normalizeQuery(query)).entries.map((e) => e.id);
        expect(await store.listIds(query), JSON.stringify(query)).toEqual(expected);
        expect(await store.count({ ...query, limit: undefined })).toBe(
          applyQuery(entries, normalizeQuery({ ...query, limit: undefined })).entries.length,
        );
      }
      expect(await neighbour.listIds()).toEqual(["neighbour"]);
      for (const r of results) expect(await store.delete(r.runId)).toBe(true);
      expect(await store.listIds()).toEqual(["plain"]);
      expect(await neighbour.count({ dataAsset: "*" })).toBe(1);
    } finally {
      await store.close();
      await neighbour.close();
    }
  });

  it("values Redis cannot hold faithfully are refused before anything is written", async () => {
    const store = new RedisStore({ url: requireRedis(), keyPrefix, namespace: "surrogates" });
    try {
      const bad = new ValidationResult({ runId: "lone", dataAsset: "a\ud800b", status: "success" });
      const error = await store.save(bad).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe("INVALID_ARGUMENT");
      expect(await store.exists("lone")).toBe(false);
      expect(await store.count({ dataAsset: "a\ud800b" })).toBe(0);
      await store.save(new ValidationResult({ runId: "ok", dataAsset: "a\ufffdb", status: "success" }));
      expect(await store.listIds({ dataAsset: "a\ud800b" })).toEqual([]);
      expect(await store.listIds({ dataAsset: "a\ufffdb" })).toEqual(["ok"]);
    } finally {
      await store.close();
    }
  });
});
