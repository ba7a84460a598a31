import { CachedStore, CacheMode } from "@truthound/store-caching";
import type { Store } from "@truthound/store-core";
import { ValidationResult } from "@truthound/store-core";
import { AuditLogLevel, ObservabilityConfig, ObservableStore } from "@truthound/store-observability";
import { type HistoryRecord, VersionedStore } from "@truthound/store-versioning";
import { Registry } from "prom-client";

export interface WorkflowStackOutcome {
  /** Version labels of the item after three saves and a rollback, oldest first. */
  versions: string[];
  /** The version the rollback created. */
  rollbackVersion: string;
  /** The item read through the whole stack after the rollback equals the first version. */
  rolledBackToFirst: boolean;
  /** ... and the base store holds that same content. */
  baseAgrees: boolean;
  /** The stack's query answers equal the base store's. */
  queryAgrees: boolean;
  cacheHits: number;
  cacheHitRate: number;
  auditEvents: number;
  /** Samples of truthound_store_operation_duration_seconds in the caller's prom-client registry. */
  metricSamples: number;
}

function withStatus(result: ValidationResult, status: ValidationResult["status"], note: string) {
  const dict = result.toDict();
  return ValidationResult.fromDict({ ...dict, status, metadata: { ...result.metadata, note } });
}

/**
 * The seeds' Workflow 2: base store -> VersionedStore (last 10 versions) -> CachedStore (LRU, 1 h TTL) ->
 * ObservableStore (audit log and metrics). Saves one result three times, reads it through the cache, rolls
 * back to the first version, and checks every layer against the base store.
 */
export async function runWorkflowStack(
  base: Store<ValidationResult>,
  history: Store<HistoryRecord>,
  results: readonly ValidationResult[],
): Promise<WorkflowStackOutcome> {
  const registry = new Registry();
  const versioned = new VersionedStore(base, { historyStore: history, maxVersions: 10 });
  const cached = new CachedStore(versioned, {
    mode: CacheMode.WRITE_THROUGH,
    config: { evictionPolicy: "LRU", maxSize: 1000, ttlSeconds: 3600 },
  });
  const store = new ObservableStore(
    cached,
    new ObservabilityConfig({ audit: { level: AuditLogLevel.STANDARD }, metrics: { registry } }),
  );
  try {
    for (const outcome of await store.saveMany(results)) if (!outcome.ok) throw outcome.error;
    const first = results[0] as ValidationResult;
    await store.save(withStatus(first, "failure", "re-run after a schema change"));
    await store.save(withStatus(first, "warning", "re-run with relaxed thresholds"));
    for (let i = 0; i < 5; i++) await store.get(first.runId);
    const rollback = await versioned.rollback(first.runId, 1);
    // The rollback went past the cache: drop the cached copy, as an application does.
    cached.invalidate(first.runId);
    const current = await store.get(first.runId);
    const inBase = await base.get(first.runId);
    const same = (a: ValidationResult, b: ValidationResult) =>
      JSON.stringify(a.toDict()) === JSON.stringify(b.toDict());
    const query = { dataAsset: first.dataAsset, limit: 50 };
    const stats = cached.getStats();
    const metricText = await registry.getSingleMetricAsString("truthound_store_operation_duration_seconds");
    return {
      versions: (await versioned.listVersions(first.runId)).map((v) => v.version),
      rollbackVersion: rollback.version,
      rolledBackToFirst: same(current, first),
      baseAgrees: same(inBase, first),
      queryAgrees:
        JSON.stringify((await store.query(query)).map((r) => r.runId)) ===
        JSON.stringify((await base.query(query)).map((r) => r.runId)),
      cacheHits: stats.hits,
      cacheHitRate: stats.hitRate,
      auditEvents: store.auditEvents.length,
      metricSamples: metricText.split("\n").filter((l) => l.includes("_count{")).length,
    };
  } finally {
    await store.close();
  }
}
