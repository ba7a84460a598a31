import { metrics as otelMetrics } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { CachedStore } from "@truthound/store-caching";
import type { ValidationResult } from "@truthound/store-core";
import { MemoryStore } from "@truthound/store-memory";
import { ObservabilityConfig, ObservableStore } from "@truthound/store-observability";
import { historyRecordAdapter, VersionedStore } from "@truthound/store-versioning";
import { generateResults } from "demo/fixtures";
import { Registry } from "prom-client";
import { compare, type Subject } from "../harness.js";
import type { Suite } from "../suite.js";
import { checkTarget } from "../targets.js";

const POOL_SIZE = 256;

/** Ends every span through a real span processor, then drops it (an exporter would send it elsewhere). */
class DiscardingSpanExporter implements SpanExporter {
  exported = 0;
  export(spans: ReadableSpan[], done: (result: { code: ExportResultCode }) => void): void {
    this.exported += spans.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
}

function getSubject(
  name: string,
  pool: readonly ValidationResult[],
  open: () => Promise<{ get(id: string): Promise<unknown>; close(): Promise<void> }>,
): Subject {
  let store: { get(id: string): Promise<unknown>; close(): Promise<void> };
  return {
    name,
    setup: async () => {
      store = await open();
    },
    op: (i) => store.get((pool[i % pool.length] as ValidationResult).runId),
    teardown: () => store.close(),
  };
}

async function filledMemoryStore(pool: readonly ValidationResult[]): Promise<MemoryStore> {
  const store = new MemoryStore();
  for (const result of pool) await store.save(result);
  return store;
}

async function warmCache(pool: readonly ValidationResult[], copyOnRead: boolean): Promise<CachedStore> {
  const cached = new CachedStore(await filledMemoryStore(pool), { copyOnRead });
  await cached.warm(pool.map((r) => r.runId));
  return cached;
}

function saveGetSubject(
  name: string,
  pool: readonly ValidationResult[],
  open: () => MemoryStore | ObservableStore,
): Subject {
  let store: MemoryStore | ObservableStore;
  return {
    name,
    setup: async () => {
      store = open();
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

/**
 * The seeds' Workflow 2 over memory: MemoryStore -> VersionedStore (10 versions, history in a MemoryStore) ->
 * CachedStore (LRU, 1 h TTL, copy on read) -> ObservableStore (audit STANDARD in memory, prom-client metrics),
 * every id saved through the stack and read once, so the measured gets are cache hits.
 */
async function workflowStack(pool: readonly ValidationResult[]): Promise<ObservableStore> {
  const base = new MemoryStore();
  const history = new MemoryStore({ adapter: historyRecordAdapter });
  const versioned = new VersionedStore(base, { historyStore: history, maxVersions: 10 });
  const cached = new CachedStore(versioned, {
    config: { evictionPolicy: "LRU", maxSize: 1000, ttlSeconds: 3600 },
  });
  const store = new ObservableStore(
    cached,
    new ObservabilityConfig({ audit: { level: "STANDARD" }, metrics: { registry: new Registry() } }),
  );
  for (const result of pool) await store.save(result);
  for (const result of pool) await store.get(result.runId);
  return store;
}

export const cachingSuite: Suite = {
  id: "caching",
  title: "Caching and observability wrappers",
  async run({ samples, quick, log }) {
    const pool = generateResults(POOL_SIZE, { seed: 13 });
    const bytes = pool.reduce((sum, r) => sum + JSON.stringify(r).length, 0) / pool.length;
    log(`caching: ${POOL_SIZE} results, ${(bytes / 1024).toFixed(1)} KiB each`);

    const byId = new Map(pool.map((r) => [r.runId, r] as const));
    const hitFigures = await compare({
      candidate: getSubject("CachedStore.get, cache hit (copyOnRead: false)", pool, () =>
        warmCache(pool, false),
      ),
      baselines: [
        {
          name: "raw Map.get in an async function (information)",
          op: async (i) => byId.get((pool[i % pool.length] as ValidationResult).runId),
        },
      ],
      samples,
      opsPerSample: quick ? 1000 : 200_000,
      warmupOps: quick ? 100 : 50_000,
    });

    const copyFigures = await compare({
      candidate: getSubject("CachedStore.get, cache hit (copyOnRead: true, default)", pool, () =>
        warmCache(pool, true),
      ),
      baselines: [getSubject("MemoryStore.get", pool, () => filledMemoryStore(pool))],
      samples,
      opsPerSample: quick ? 50 : 1000,
      warmupOps: quick ? 20 : 300,
    });

    const stackFigures = await compare({
      candidate: getSubject("Workflow-2 stack get, cache hit", pool, () => workflowStack(pool)),
      baselines: [getSubject("MemoryStore.get", pool, () => filledMemoryStore(pool))],
      samples,
      opsPerSample: quick ? 50 : 1000,
      warmupOps: quick ? 20 : 300,
    });

    // Observability with metrics (OpenTelemetry SDK + prom-client) and tracing (OpenTelemetry SDK) on.
    const spanExporter = new DiscardingSpanExporter();
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(spanExporter)],
    });
    const meterProvider = new MeterProvider({
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
          exportIntervalMillis: 60_000,
        }),
      ],
    });
    const registry = new Registry();
    const config = new ObservabilityConfig({
      metrics: { meterProvider, registry },
      tracing: { tracerProvider },
    });
    const observedFigures = await compare({
      candidate: saveGetSubject(
        "ObservableStore(MemoryStore), metrics + tracing, save + get",
        pool,
        () => new ObservableStore(new MemoryStore(), config),
      ),
      baselines: [saveGetSubject("MemoryStore save + get", pool, () => new MemoryStore())],
      samples,
      opsPerSample: quick ? 50 : 1000,
      warmupOps: quick ? 20 : 500,
    });
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
    otelMetrics.disable();

    const hitOps = hitFigures.candidate.opsPerSec.median;
    const observedRatio = observedFigures.baselines[0]?.ratio.median ?? Number.NaN;
    const overheadPercent = (1 / observedRatio - 1) * 100;
    const stackRatio = stackFigures.baselines[0]?.ratio.median ?? Number.NaN;
    const stackOverheadPercent = (1 / stackRatio - 1) * 100;
    return {
      setup: [
        `${POOL_SIZE} generated results (seed 13), ${(bytes / 1024).toFixed(1)} KiB of JSON on average, stored in a MemoryStore.`,
        "Cache hits: every id is warmed into CachedStore's default LRU cache first; one op = one get by id.",
        "copyOnRead: false returns the cached object (read-only by contract); true (the default) returns a fresh copy, which costs a JSON.parse + ValidationResult.fromDict like MemoryStore.get.",
        "Workflow-2 stack: MemoryStore -> VersionedStore (maxVersions 10, history in a MemoryStore) -> CachedStore (LRU 1000, TTL 1 h, copy on read) -> ObservableStore (audit STANDARD in memory, prom-client metrics); every id saved and read once first, so the measured gets are cache hits; baseline MemoryStore.get (which copies too).",
        `Observability: OpenTelemetry SDK tracer (SimpleSpanProcessor, spans exported and dropped: ${spanExporter.exported} spans) and meter, plus a prom-client histogram on a private Registry; one op = save + get.`,
      ],
      comparisons: [
        { name: "cache-hit", description: "cache hit gets/s (copyOnRead: false)", figures: hitFigures },
        {
          name: "cache-hit-copy",
          description: "cache hit with copyOnRead (default) vs MemoryStore.get",
          figures: copyFigures,
        },
        {
          name: "workflow-stack",
          description:
            "Workflow-2 stack (versioned, cached, observable) get on cache hits vs bare MemoryStore.get",
          figures: stackFigures,
        },
        {
          name: "observability",
          description: "ObservableStore (metrics + tracing) vs bare MemoryStore",
          figures: observedFigures,
        },
      ],
      measurements: [
        { name: "cache hit gets/s (copyOnRead: false)", value: hitOps, unit: "ops/s" },
        {
          name: "cache hit gets/s (copyOnRead: true)",
          value: copyFigures.candidate.opsPerSec.median,
          unit: "ops/s",
        },
        { name: "observability overhead over bare store", value: overheadPercent, unit: "%" },
        { name: "Workflow-2 stack overhead on cache hits", value: stackOverheadPercent, unit: "%" },
      ],
      targets: [
        checkTarget("cache hit gets/s on memory (copyOnRead: false)", hitOps, ">=", 1_000_000, "ops/s"),
        checkTarget(
          "Workflow-2 stack (memory) overhead on cache hits vs bare MemoryStore.get",
          stackOverheadPercent,
          "<=",
          10,
          "%",
        ),
        checkTarget(
          "ObservableStore metrics + tracing overhead vs bare MemoryStore",
          overheadPercent,
          "<=",
          10,
          "%",
        ),
      ],
    };
  },
};
