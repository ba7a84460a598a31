import { randomBytes } from "node:crypto";
import {
  applyQuery,
  type IndexEntry,
  normalizeQuery,
  type StoreQuery,
  ValidationResult,
  ValidatorResult,
  validationResultAdapter,
} from "@truthound/store-core";
import { SqlStore } from "@truthound/store-sql";
import pg from "pg";
import { serviceEnvironment } from "../../../scripts/lib/services.mjs";
import { compare, type Subject, sampleLatencies } from "../harness.js";
import { percentile } from "../stats.js";
import type { Measurement, Suite } from "../suite.js";
import { checkTarget } from "../targets.js";

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 0, 1);
const SPAN_DAYS = 365;
const ASSETS = [
  "orders.parquet",
  "customers.csv",
  "events.jsonl",
  "payments.parquet",
  "users.csv",
  "inventory.csv",
];
const STATUSES = ["success", "success", "failure", "warning", "error"] as const;
const LOAD_BATCH = 5000;
const THROUGHPUT_BATCH = 1000;

/** Small documents (two validators, a few tags): the shape that makes a million rows quick to generate. */
function smallResult(i: number, prefix: string): ValidationResult {
  // A multiplicative hash spreads run times over the year without a random generator.
  const offset = (i * 2_654_435_761) % (SPAN_DAYS * DAY_MS);
  return new ValidationResult({
    runId: `${prefix}-${i}`,
    runTime: new Date(NOW - offset),
    dataAsset: ASSETS[i % ASSETS.length] as string,
    status: STATUSES[(i >> 3) % STATUSES.length] as (typeof STATUSES)[number],
    results: [
      new ValidatorResult({
        validatorName: "not_null",
        success: i % 7 !== 0,
        column: "id",
        count: i % 13,
        message: "null check",
      }),
      new ValidatorResult({ validatorName: "unique", success: true, column: "email" }),
    ],
    tags: { env: i % 3 === 0 ? "dev" : "prod", team: `t${i % 5}` },
    metadata: { n: i },
  });
}

function queryFor(k: number): StoreQuery {
  const endMs = NOW - ((k * 37) % (SPAN_DAYS - 7)) * DAY_MS;
  return {
    dataAsset: ASSETS[k % ASSETS.length] as string,
    startTime: endMs - 7 * DAY_MS,
    endTime: endMs,
    status: k % 4 === 3 ? "warning" : "failure",
    limit: 100,
  };
}

async function createDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tt_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** The store's statements issued through a plain pg pool: the same rows, the same table, no store. */
function rawSubject(url: string, pool: readonly ValidationResult[], named: boolean): Subject {
  let client: pg.Pool;
  const statement = (name: string, text: string, values: unknown[]) =>
    named ? { name, text, values } : { text, values };
  return {
    name: `raw pg (${named ? "named prepared statements" : "unnamed statements"}): INSERT ... ON CONFLICT + SELECT, JSON.stringify/parse + ValidationResult.fromDict`,
    setup: async () => {
      client = new pg.Pool({ connectionString: url, max: 5 });
    },
    op: async (i) => {
      const result = pool[i % pool.length] as ValidationResult;
      const entry = validationResultAdapter.entryOf(result);
      await client.query(
        statement(
          "raw_save",
          `INSERT INTO validation_results (run_id, data_asset, run_time, status, namespace, tags_json, data_json, payload, created_at, updated_at)
         VALUES ($1, $2, (to_timestamp($3::float8 / 1000) AT TIME ZONE 'UTC'), $4, $5, $6, $7, NULL, (now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC'))
         ON CONFLICT (namespace, run_id) DO UPDATE SET data_asset = EXCLUDED.data_asset, run_time = EXCLUDED.run_time, status = EXCLUDED.status, tags_json = EXCLUDED.tags_json, data_json = EXCLUDED.data_json, payload = EXCLUDED.payload, updated_at = EXCLUDED.updated_at
         RETURNING xmin::text AS etag`,
          [
            entry.id,
            entry.dataAsset,
            entry.runTimeMs,
            entry.status,
            "raw",
            JSON.stringify(entry.tags),
            JSON.stringify(result.toDict()),
          ],
        ),
      );
      const read = await client.query(
        statement(
          "raw_get",
          "SELECT data_json, payload, xmin::text AS etag FROM validation_results WHERE namespace = $1 AND run_id = $2 LIMIT 1",
          ["raw", entry.id],
        ),
      );
      return ValidationResult.fromDict(JSON.parse(read.rows[0].data_json));
    },
    teardown: () => client.end(),
  };
}

function storeSubject(url: string, pool: readonly ValidationResult[]): Subject {
  let store: SqlStore;
  return {
    name: "SqlStore save + get (default options)",
    setup: async () => {
      store = new SqlStore({ connectionUrl: url, namespace: "store" });
      await store.initialize();
    },
    op: async (i) => {
      const result = pool[i % pool.length] as ValidationResult;
      await store.save(result);
      return store.get(result.runId);
    },
    teardown: () => store.close(),
  };
}

export function sqlSuite(documentsOverride?: number): Suite {
  return {
    id: "sql",
    title: "SQL store (PostgreSQL): batch save, query at scale, save/get vs raw pg",
    async run({ samples, quick, log }) {
      const serverUrl = (await serviceEnvironment()).TRUTHOUND_TEST_POSTGRES_URL;
      if (!serverUrl) {
        throw new Error(
          "sql suite: TRUTHOUND_TEST_POSTGRES_URL is not set (scripts/services/start.sh postgres)",
        );
      }
      const documents = documentsOverride ?? (quick ? 20_000 : 1_000_000);
      const queries = quick ? 20 : 200;
      const database = await createDatabase(serverUrl);
      try {
        const store = new SqlStore({ connectionUrl: database.url, namespace: "bench" });
        await store.initialize();
        const bytes = JSON.stringify(smallResult(1, "x").toDict()).length;

        // 1. Batch save throughput into a fresh table.
        const batches = quick ? 3 : 20;
        const throughputStore = new SqlStore({ connectionUrl: database.url, namespace: "throughput" });
        await throughputStore.saveMany(
          Array.from({ length: THROUGHPUT_BATCH }, (_, i) => smallResult(i, "warm")),
        );
        const batchRates: number[] = [];
        for (let b = 0; b < batches; b++) {
          const batch = Array.from({ length: THROUGHPUT_BATCH }, (_, i) =>
            smallResult(b * THROUGHPUT_BATCH + i, "tp"),
          );
          const t0 = performance.now();
          for (const outcome of await throughputStore.saveMany(batch)) if (!outcome.ok) throw outcome.error;
          batchRates.push(THROUGHPUT_BATCH / ((performance.now() - t0) / 1000));
        }
        await throughputStore.close();
        const batchRate = percentile(batchRates, 50);
        log(`sql: saveMany ${THROUGHPUT_BATCH}-result batches: median ${batchRate.toFixed(0)} results/s`);

        // 2. Load the query table.
        const entries: IndexEntry[] = [];
        const loadStart = performance.now();
        for (let done = 0; done < documents; done += LOAD_BATCH) {
          const chunk = Array.from({ length: Math.min(LOAD_BATCH, documents - done) }, (_, i) =>
            smallResult(done + i, "q"),
          );
          for (const result of chunk) entries.push(validationResultAdapter.entryOf(result));
          for (const outcome of await store.saveMany(chunk)) if (!outcome.ok) throw outcome.error;
          if ((done / LOAD_BATCH) % 20 === 19) {
            log(
              `sql: loaded ${done + chunk.length} / ${documents} (${((performance.now() - loadStart) / 1000).toFixed(0)} s)`,
            );
          }
        }
        const loadSec = (performance.now() - loadStart) / 1000;
        log(`sql: ${documents} rows loaded in ${loadSec.toFixed(1)} s`);
        await store.executeWithRetry((db) => db.execute("VACUUM ANALYZE validation_results"));

        // Correctness first: each query against the reference semantics.
        let matched = 0;
        for (let k = 0; k < queries; k++) {
          const expected = applyQuery(entries, normalizeQuery(queryFor(k))).entries.map((e) => e.id);
          const actual = await store.listIds(queryFor(k));
          if (JSON.stringify(actual) !== JSON.stringify(expected)) {
            throw new Error(`sql: query ${k} returned ${actual.length} ids, expected ${expected.length}`);
          }
          matched += actual.length;
        }
        const queryLatencies = await sampleLatencies((k) => store.query(queryFor(k)), queries, 20);
        const listLatencies = await sampleLatencies((k) => store.listIds(queryFor(k)), queries, 20);
        const countLatencies = await sampleLatencies(
          (k) => store.count({ dataAsset: ASSETS[k % ASSETS.length], status: "failure" }),
          quick ? 5 : 30,
          3,
        );
        const searchLatencies = await sampleLatencies(
          (k) => store.search("null", { ...queryFor(k), status: undefined } as StoreQuery),
          quick ? 5 : 50,
          5,
        );
        await store.close();

        // 3. save + get vs the same statements through raw pg.
        const pool = Array.from({ length: 256 }, (_, i) => smallResult(i, "rw"));
        const figures = await compare({
          candidate: storeSubject(database.url, pool),
          baselines: [rawSubject(database.url, pool, false), rawSubject(database.url, pool, true)],
          samples,
          opsPerSample: quick ? 50 : 300,
          warmupOps: quick ? 20 : 100,
        });
        const ratio = figures.baselines[0]?.ratio.median ?? Number.NaN;
        const q50 = percentile(queryLatencies, 50);
        const measurements: Measurement[] = [
          {
            name: "rows in the query table",
            value: documents,
            unit: "",
            note: `${bytes} bytes of JSON each`,
          },
          {
            name: `load (saveMany, ${LOAD_BATCH} per call)`,
            value: loadSec,
            unit: "s",
            note: `${(documents / loadSec).toFixed(0)} rows/s`,
          },
          {
            name: `batch save (saveMany of ${THROUGHPUT_BATCH}) median`,
            value: batchRate,
            unit: "results/s",
          },
          {
            name: "query (documents) p50",
            value: q50,
            unit: "ms",
            note: `${queries} queries, ${(matched / queries).toFixed(1)} results on average`,
          },
          { name: "query (documents) p95", value: percentile(queryLatencies, 95), unit: "ms" },
          { name: "listIds p50", value: percentile(listLatencies, 50), unit: "ms" },
          { name: "count(asset, status) p50", value: percentile(countLatencies, 50), unit: "ms" },
          {
            name: "search('null') + asset + 7 days, limit 100 p50",
            value: percentile(searchLatencies, 50),
            unit: "ms",
          },
        ];
        return {
          setup: [
            `PostgreSQL at TRUTHOUND_TEST_POSTGRES_URL (a fresh database per run); store defaults (pool 5 + 10 overflow, pre-ping after 1 s idle, retry, circuit breaker, health checks).`,
            `Small generated results (2 validators, 2 tags, ${bytes} bytes of JSON) over ${SPAN_DAYS} days, ${ASSETS.length} assets, 5 statuses.`,
            `Batch save: ${batches} saveMany calls of ${THROUGHPUT_BATCH} new results each (one transaction, one multi-row INSERT per call).`,
            `Query: asset + 7-day window + status (failure, every fourth warning), limit 100, newest first, ${queries} different queries, each checked against applyQuery before timing; VACUUM ANALYZE after the load.`,
            "save/get: one op = save a result, then get it by id. Raw pg runs the store's SQL text with a pg.Pool (5 connections), plus JSON and ValidationResult.fromDict: the target is set against plain (unnamed) statements, as `pool.query(text, values)` sends them; the same with named prepared statements, as the store uses, is given for information.",
          ],
          comparisons: [{ name: "sql-save-get", description: "SqlStore save + get vs raw pg", figures }],
          measurements,
          targets: [
            checkTarget("batch save (saveMany into PostgreSQL)", batchRate, ">=", 10_000, "results/s"),
            checkTarget(`query p50 at ${documents} rows`, q50, "<=", 5, "ms"),
            checkTarget("save + get vs raw pg", ratio, ">=", 0.9, "×"),
          ],
        };
      } finally {
        await database.drop();
      }
    },
  };
}
