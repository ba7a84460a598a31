import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyQuery,
  type IndexEntry,
  normalizeQuery,
  type StoreQuery,
  validationResultAdapter,
} from "@truthound/store-core";
import { FileSystemStore } from "@truthound/store-filesystem";
import { ResultGenerator } from "demo/fixtures";
import { sampleLatencies } from "../harness.js";
import { median, percentile } from "../stats.js";
import type { Measurement, Suite } from "../suite.js";
import { checkTarget } from "../targets.js";

const DAY_MS = 86_400_000;
/** Fixed, so the stored data and the queries are the same on every run. */
const NOW = new Date("2026-01-01T00:00:00.000Z");
const SPAN_DAYS = 365;
const LOAD_CHUNK = 1000;
const STORE_OPTIONS = { namespace: "bench", prettyPrint: false } as const;

/** Query k: one asset, a 7-day window somewhere in the year, failures (every fourth: warnings), newest first. */
function queryFor(k: number, assets: readonly string[]): StoreQuery {
  const endMs = NOW.getTime() - ((k * 37) % (SPAN_DAYS - 7)) * DAY_MS;
  return {
    dataAsset: assets[k % assets.length] as string,
    startTime: new Date(endMs - 7 * DAY_MS),
    endTime: new Date(endMs),
    status: k % 4 === 3 ? "warning" : "failure",
    limit: 100,
    orderBy: "runTime",
    ascending: false,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function filesystemQuerySuite(documentsOverride?: number): Suite {
  return {
    id: "filesystem-query",
    title: "Filesystem store: query at scale",
    async run({ quick, log }) {
      const documents = documentsOverride ?? (quick ? 2000 : 100_000);
      const queries = quick ? 20 : 200;
      const dir = await mkdtemp(join(tmpdir(), "truthound-bench-query-"));
      const basePath = join(dir, "store");
      try {
        const generator = new ResultGenerator({ seed: 2024, now: NOW, spanDays: SPAN_DAYS });
        const entries: IndexEntry[] = [];
        let bytes = 0;
        // Loading is not what is measured: skip the per-save fsync (the documented bulk-load setting).
        const loader = new FileSystemStore({ basePath, ...STORE_OPTIONS, durability: "none" });
        const loadStart = performance.now();
        for (let done = 0; done < documents; done += LOAD_CHUNK) {
          const chunk = generator.take(Math.min(LOAD_CHUNK, documents - done));
          for (const result of chunk) {
            entries.push(validationResultAdapter.entryOf(result));
            bytes += JSON.stringify(result).length;
          }
          for (const outcome of await loader.saveMany(chunk)) {
            if (!outcome.ok) throw outcome.error;
          }
          if ((done / LOAD_CHUNK) % 10 === 9) {
            log(
              `filesystem-query: loaded ${done + chunk.length} / ${documents} (${((performance.now() - loadStart) / 1000).toFixed(0)} s)`,
            );
          }
        }
        await loader.close();
        const loadSec = (performance.now() - loadStart) / 1000;
        log(`filesystem-query: ${documents} documents loaded in ${loadSec.toFixed(1)} s`);

        const assets = generator.assetNames;
        const opens: number[] = [];
        const initializes: number[] = [];
        for (let i = 0; i < (quick ? 2 : 5); i++) {
          const t0 = performance.now();
          const fresh = new FileSystemStore({ basePath, ...STORE_OPTIONS });
          await fresh.initialize();
          const t1 = performance.now();
          await fresh.query(queryFor(i, assets));
          opens.push(performance.now() - t0);
          initializes.push(t1 - t0);
          await fresh.close();
        }

        const store = new FileSystemStore({ basePath, ...STORE_OPTIONS });
        await store.initialize();
        // Correctness first: a fast wrong answer is worth nothing.
        let matched = 0;
        for (let k = 0; k < queries; k++) {
          const query = queryFor(k, assets);
          const expected = applyQuery(entries, normalizeQuery(query)).entries.map((e) => e.id);
          const actual = await store.listIds(query);
          if (JSON.stringify(actual) !== JSON.stringify(expected)) {
            throw new Error(
              `filesystem-query: query ${k} returned ${actual.length} ids, expected ${expected.length}`,
            );
          }
          matched += actual.length;
        }
        const listLatencies = await sampleLatencies((k) => store.listIds(queryFor(k, assets)), queries, 10);
        const queryLatencies = await sampleLatencies((k) => store.query(queryFor(k, assets)), queries, 10);
        const countLatencies = await sampleLatencies(
          (k) => store.count({ dataAsset: assets[k % assets.length], status: "failure" }),
          quick ? 10 : 50,
          5,
        );
        const getLatencies = await sampleLatencies(
          (k) => store.get(entries[(k * 7919) % entries.length]?.id as string),
          500,
          50,
        );
        await store.close();

        const fullScanMs = median(getLatencies) * documents;
        const q50 = percentile(queryLatencies, 50);
        const measurements: Measurement[] = [
          {
            name: "documents stored",
            value: documents,
            unit: "",
            note: `${(bytes / documents / 1024).toFixed(1)} KiB of JSON each, ${(bytes / 2 ** 30).toFixed(2)} GiB in all`,
          },
          {
            name: 'load time (saveMany in chunks of 1000, durability "none")',
            value: loadSec,
            unit: "s",
            note: `${(documents / loadSec).toFixed(0)} documents/s`,
          },
          { name: "open: new instance, initialize (median)", value: median(initializes), unit: "ms" },
          {
            name: "open: new instance, initialize + first query (median)",
            value: median(opens),
            unit: "ms",
            note: `max ${round(Math.max(...opens))} ms over ${opens.length} opens`,
          },
          {
            name: "query (documents) p50",
            value: q50,
            unit: "ms",
            note: `${queries} queries, ${(matched / queries).toFixed(1)} results on average`,
          },
          { name: "query (documents) p95", value: percentile(queryLatencies, 95), unit: "ms" },
          { name: "listIds (index only) p50", value: percentile(listLatencies, 50), unit: "ms" },
          { name: "listIds (index only) p95", value: percentile(listLatencies, 95), unit: "ms" },
          { name: "count(asset, status) p50", value: percentile(countLatencies, 50), unit: "ms" },
          { name: "get p50", value: percentile(getLatencies, 50), unit: "ms" },
          {
            name: "full scan estimate (get p50 × documents)",
            value: fullScanMs / 1000,
            unit: "s",
            note: "what a query that reads every document would cost",
          },
        ];
        return {
          setup: [
            `${documents} generated results (seed 2024) over ${SPAN_DAYS} days before ${NOW.toISOString()}, 6 assets, 50-200 validators each; store options ${JSON.stringify(STORE_OPTIONS)}.`,
            `Queries: asset + 7-day window + status (failure, every fourth warning), limit 100, newest first; ${queries} different queries, each checked against the reference semantics (applyQuery) before timing.`,
            "Timings are with a warm page cache (the documents were just written); opens are new store instances on the same directory.",
          ],
          comparisons: [],
          measurements,
          targets: [checkTarget(`query p50 at ${documents} documents`, q50, "<=", 20, "ms")],
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
