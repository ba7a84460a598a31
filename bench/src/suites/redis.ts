import { randomBytes } from "node:crypto";
import {
  applyQuery,
  type IndexEntry,
  normalizeQuery,
  type StoreQuery,
  ValidationResult,
  validationResultAdapter,
} from "@truthound/store-core";
import { RedisStore } from "@truthound/store-redis";
import { generateResults, ResultGenerator } from "demo/fixtures";
import { Redis } from "ioredis";
import { serviceEnvironment } from "../../../scripts/lib/services.mjs";
import { compare, type Subject, sampleLatencies } from "../harness.js";
import { percentile } from "../stats.js";
import type { Measurement, Suite } from "../suite.js";
import { checkTarget } from "../targets.js";

const POOL_SIZE = 128;
/** Documents stored before the gets, which read them in a scattered order. */
const STORED_FOR_GETS = 1000;
const IN_FLIGHT = 16;
const QUERY_DOCUMENTS = 10_000;
const DAY_MS = 86_400_000;
const NOW = new Date("2026-01-01T00:00:00.000Z");
const SPAN_DAYS = 90;

const bytesOf = (result: ValidationResult) => Buffer.from(JSON.stringify(result.toDict()));

/** Gives result `i` a fresh id (tagged), so every save creates a new document as a pipeline would. */
function resultFor(pool: readonly ValidationResult[], i: number, tag: string): ValidationResult {
  const result = pool[i % pool.length] as ValidationResult;
  result.runId = `run_bench_${tag}_${String(i).padStart(7, "0")}`;
  return result;
}

/** `inFlight` operations at once per timed op (1: one after the other). */
function batch(inFlight: number, work: (i: number) => Promise<unknown>): (i: number) => Promise<unknown> {
  if (inFlight === 1) return work;
  return (i) => Promise.all(Array.from({ length: inFlight }, (_, k) => work(i * inFlight + k)));
}

async function dropKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== "0");
}

/** Query k: one asset, a 7-day window, failures (every fourth: warnings), newest first, limit 100. */
function queryFor(k: number, assets: readonly string[]): StoreQuery {
  const endMs = NOW.getTime() - ((k * 13) % (SPAN_DAYS - 7)) * DAY_MS;
  return {
    dataAsset: assets[k % assets.length] as string,
    startTime: new Date(endMs - 7 * DAY_MS),
    endTime: new Date(endMs),
    status: k % 4 === 3 ? "warning" : "failure",
    limit: 100,
  };
}

export const redisSuite: Suite = {
  id: "redis",
  title: "Redis store: save/get vs raw ioredis, query at 10,000 results",
  async run({ samples, quick, log }) {
    const env = await serviceEnvironment();
    const url = env.TRUTHOUND_TEST_REDIS_URL;
    if (!url) {
      throw new Error("redis suite: TRUTHOUND_TEST_REDIS_URL is not set (scripts/services/start.sh redis)");
    }
    const prefix = `tt-bench:${randomBytes(4).toString("hex")}:`;
    const raw = new Redis(url);
    const store = new RedisStore({ url, keyPrefix: prefix, namespace: "io" });
    await store.initialize();
    const pool = generateResults(POOL_SIZE, { seed: 11 });
    const opsPerSample = quick ? 20 : 300;
    const warmupOps = quick ? 10 : 100;
    try {
      // Every id a get may ask for exists, in the store and as a raw key.
      for (let i = 0; i < STORED_FOR_GETS; i++) {
        const result = resultFor(pool, i, "g");
        await store.save(result);
        await raw.set(`${prefix}raw:${result.runId}`, bytesOf(result));
      }
      const comparisons = [];
      const targets = [];
      for (const inFlight of [1, IN_FLIGHT]) {
        const ops = Math.max(10, Math.round(opsPerSample / inFlight));
        const label = inFlight === 1 ? "one at a time" : `${inFlight} in flight`;
        log(`redis: save and get, ${label}`);
        const saveFigures = await compare({
          candidate: {
            name: `RedisStore.save (${label})`,
            op: batch(inFlight, (i) => store.save(resultFor(pool, i, `s${inFlight}`))),
          },
          baselines: [
            {
              name: `raw ioredis SET of the same bytes (${label})`,
              op: batch(inFlight, (i) => {
                const result = resultFor(pool, i, `s${inFlight}`);
                return raw.set(`${prefix}raw:${result.runId}`, bytesOf(result));
              }),
            },
          ],
          samples,
          opsPerSample: ops,
          warmupOps: Math.max(5, Math.round(warmupOps / inFlight)),
          latencies: inFlight === 1,
        });
        const idAt = (i: number) => `run_bench_g_${String((i * 7919) % STORED_FOR_GETS).padStart(7, "0")}`;
        const rawGet = (materialize: boolean): Subject => ({
          name: materialize
            ? `raw ioredis GET + JSON.parse + ValidationResult.fromDict (${label}, information)`
            : `raw ioredis GET + JSON.parse (${label})`,
          op: batch(inFlight, async (i) => {
            const bytes = await raw.getBuffer(`${prefix}raw:${idAt(i)}`);
            const dict = JSON.parse((bytes as Buffer).toString("utf8"));
            return materialize ? ValidationResult.fromDict(dict) : dict;
          }),
        });
        const getFigures = await compare({
          candidate: { name: `RedisStore.get (${label})`, op: batch(inFlight, (i) => store.get(idAt(i))) },
          baselines: [rawGet(false), rawGet(true)],
          samples,
          opsPerSample: ops,
          warmupOps: Math.max(5, Math.round(warmupOps / inFlight)),
          latencies: inFlight === 1,
        });
        const tag = inFlight === 1 ? "serial" : `x${inFlight}`;
        comparisons.push(
          { name: `redis-save-${tag}`, description: `save vs raw SET, ${label}`, figures: saveFigures },
          {
            name: `redis-get-${tag}`,
            description: `get vs raw GET + JSON.parse, ${label}`,
            figures: getFigures,
          },
        );
        targets.push(
          checkTarget(
            `RedisStore.save vs raw SET (${label})`,
            saveFigures.baselines[0]?.ratio.median ?? Number.NaN,
            ">=",
            0.9,
            "×",
          ),
          checkTarget(
            `RedisStore.get vs raw GET + JSON.parse (${label})`,
            getFigures.baselines[0]?.ratio.median ?? Number.NaN,
            ">=",
            0.9,
            "×",
          ),
        );
      }
      await store.close();
      await dropKeys(raw, prefix);

      // Queries over 10,000 stored results.
      const documents = quick ? 1000 : QUERY_DOCUMENTS;
      const generator = new ResultGenerator({ seed: 2024, now: NOW, spanDays: SPAN_DAYS });
      const loader = new RedisStore({ url, keyPrefix: prefix, namespace: "query" });
      const entries: IndexEntry[] = [];
      let bytes = 0;
      const loadStart = performance.now();
      for (let done = 0; done < documents; done += 500) {
        const chunk = generator.take(Math.min(500, documents - done));
        for (const result of chunk) {
          entries.push(validationResultAdapter.entryOf(result));
          bytes += bytesOf(result).length;
        }
        for (const outcome of await loader.saveMany(chunk)) if (!outcome.ok) throw outcome.error;
      }
      const loadSec = (performance.now() - loadStart) / 1000;
      log(`redis: ${documents} results loaded in ${loadSec.toFixed(1)} s`);
      const assets = generator.assetNames;
      const queries = quick ? 20 : 200;
      let matched = 0;
      for (let k = 0; k < queries; k++) {
        const query = queryFor(k, assets);
        const expected = applyQuery(entries, normalizeQuery(query)).entries.map((e) => e.id);
        const actual = await loader.listIds(query);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          throw new Error(
            `redis suite: query ${k} returned ${actual.length} ids, expected ${expected.length}`,
          );
        }
        matched += actual.length;
      }
      const listLatencies = await sampleLatencies((k) => loader.listIds(queryFor(k, assets)), queries, 10);
      const queryLatencies = await sampleLatencies((k) => loader.query(queryFor(k, assets)), queries, 10);
      const newestLatencies = await sampleLatencies(
        (k) => loader.listIds({ limit: 100, offset: k % 5 }),
        queries,
        10,
      );
      const byAssetLatencies = await sampleLatencies(
        (k) => loader.listIds({ orderBy: "dataAsset", ascending: k % 2 === 0, limit: 100 }),
        queries,
        10,
      );
      const countLatencies = await sampleLatencies(
        (k) => loader.count({ dataAsset: assets[k % assets.length] as string, status: "failure" }),
        queries,
        10,
      );
      await loader.close();
      const q50 = percentile(queryLatencies, 50);
      const measurements: Measurement[] = [
        {
          name: "documents stored",
          value: documents,
          unit: "",
          note: `${(bytes / documents / 1024).toFixed(1)} KiB of JSON each; loaded with saveMany in ${loadSec.toFixed(1)} s (${(documents / loadSec).toFixed(0)}/s)`,
        },
        {
          name: "query (documents) p50",
          value: q50,
          unit: "ms",
          note: `asset + 7-day window + status, limit 100; ${queries} queries, ${(matched / queries).toFixed(1)} results on average`,
        },
        { name: "query (documents) p95", value: percentile(queryLatencies, 95), unit: "ms" },
        { name: "listIds, same queries (index only) p50", value: percentile(listLatencies, 50), unit: "ms" },
        { name: "listIds, same queries (index only) p95", value: percentile(listLatencies, 95), unit: "ms" },
        { name: "listIds newest 100, no filter p50", value: percentile(newestLatencies, 50), unit: "ms" },
        {
          name: "listIds orderBy dataAsset, limit 100 p50",
          value: percentile(byAssetLatencies, 50),
          unit: "ms",
        },
        {
          name: "listIds orderBy dataAsset, limit 100 p95",
          value: percentile(byAssetLatencies, 95),
          unit: "ms",
        },
        { name: "count(asset, status) p50", value: percentile(countLatencies, 50), unit: "ms" },
      ];
      const avgBytes = pool.reduce((sum, r) => sum + bytesOf(r).length, 0) / pool.length;
      return {
        setup: [
          `Redis at ${new URL(url).host} (the test server from scripts/services), same machine; RedisStore defaults (plain JSON, no TTL), one ioredis connection each for the store and the raw baseline.`,
          `save/get: ${POOL_SIZE} generated results (seed 11), ${(avgBytes / 1024).toFixed(1)} KiB of JSON each, each save under a new id (every save creates a document); gets read ${STORED_FOR_GETS} stored documents in a scattered order. Raw baselines: SET of JSON.stringify(result.toDict()) (the bytes the store writes), GET + JSON.parse. The store's save also runs the Lua script that writes the index; its get also decodes into a ValidationResult.`,
          `"${IN_FLIGHT} in flight": each timed op starts ${IN_FLIGHT} saves (or gets) at once and waits for all; ratios compare ops/s at the same concurrency.`,
          `Queries: ${documents} results (seed 2024) over ${SPAN_DAYS} days, 6 assets; every query checked against applyQuery before timing.`,
        ],
        comparisons,
        measurements,
        targets,
      };
    } finally {
      await store.close();
      await dropKeys(raw, prefix);
      raw.disconnect();
    }
  },
};
