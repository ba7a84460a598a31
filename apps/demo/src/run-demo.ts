import { join } from "node:path";
import {
  getStore,
  isStoreError,
  listAvailableBackends,
  type ResultStatus,
  StoreConfigurationError,
  type ValidationResult,
} from "@truthound/store-core";
import { FileSystemStore } from "@truthound/store-filesystem";
import { MemoryStore } from "@truthound/store-memory";
import { historyRecordAdapter } from "@truthound/store-versioning";
import { directoryBytes, prepareDemoDirectory } from "./directory.js";
import { heading, kib, table, type Write, writeLines } from "./format.js";
import { ResultGenerator } from "./generate.js";
import { missingServerVariables } from "./server-backends.js";
import { type ServerBackendReport, showServerBackends } from "./show-servers.js";
import { type EmbeddedSqlReport, showEmbeddedSql } from "./show-sql.js";
import { runWorkflowStack, type WorkflowStackOutcome } from "./workflow-stack.js";
import {
  type AssetHealth,
  type PaginationOutcome,
  type ResultStore,
  recentFailuresQuery,
  showAssetHealth,
  showHistory,
  showPagination,
  showRecentFailures,
  showStatusCounts,
} from "./workflows.js";

export interface DemoOptions {
  /** Emptied at the start (only if the demo created it, or it is empty). */
  directory: string;
  /** Results to generate and save. */
  count: number;
  seed: number;
  /** The demo's "now": results span the 30 days before it. */
  now?: Date;
  write: Write;
  /**
   * Also run against the test servers of scripts/services/start.sh (S3 on MinIO, GCS, Azure Blob), whose
   * endpoints are the TRUTHOUND_TEST_* variables of this environment.
   */
  services?: NodeJS.ProcessEnv;
}

export interface DemoReport {
  directory: string;
  saved: number;
  saveMs: number;
  assets: string[];
  statusCounts: Record<ResultStatus, number>;
  recentFailures: { dataAsset: string; ids: string[] };
  health: AssetHealth[];
  pagination: PaginationOutcome;
  history: { dataAsset: string; runs: number };
  compression: { plainBytes: number; compressedBytes: number; identical: boolean };
  memory: { saved: number; sameRecentFailures: boolean };
  registry: { backends: string[]; reopenedCount: number };
  errors: { missing: string; traversal: string };
  /** The SQL backend on embedded PGlite. */
  sql: EmbeddedSqlReport;
  /** The seeds' Workflow 2 over the filesystem store. */
  stack: WorkflowStackOutcome;
  /** With `services`: each server backend's outcome. */
  servers: ServerBackendReport[];
}

const FOCUS_ASSET = "customers.csv";
const HISTORY_ASSET = "orders.parquet";

async function errorCodeOf(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (error) {
    if (isStoreError(error)) return error.code;
    throw error;
  }
  throw new Error("expected the operation to fail");
}

/** Saves generated results into the filesystem store, runs the seeds' workflows, and prints what it finds. */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const { directory, write } = options;
  const now = options.now ?? new Date();
  if (options.services) {
    const missing = missingServerVariables(options.services);
    if (missing.length > 0) {
      throw new StoreConfigurationError(
        `--services needs the test servers' endpoints; missing ${missing.join(", ")} (run scripts/services/start.sh and source .cache/services.env, or use ./scripts/demo.sh --services)`,
      );
    }
  }
  await prepareDemoDirectory(directory);
  const generator = new ResultGenerator({ seed: options.seed, now, spanDays: 30 });
  const results = generator.take(options.count);
  const assets = generator.assetNames;
  const validators = results.reduce((sum, r) => sum + r.results.length, 0);
  write(
    `Truthound stores demo: ${results.length} results for ${assets.length} assets (${validators} validator outcomes)`,
  );
  write(`Directory: ${directory}`);

  await using store = new FileSystemStore({ basePath: directory, namespace: "demo" });
  const t0 = performance.now();
  const outcomes = await store.saveMany(results);
  const saveMs = performance.now() - t0;
  for (const outcome of outcomes) if (!outcome.ok) throw outcome.error;
  write(`Saved ${outcomes.length} results with saveMany in ${saveMs.toFixed(0)} ms (atomic writes, indexed)`);

  const recentIds = await showRecentFailures(store, FOCUS_ASSET, now, write);
  const statusCounts = await showStatusCounts(store, write);
  const health = await showAssetHealth(store, assets, write);
  const pagination = await showPagination(store, write);
  const history = await showHistory(store, HISTORY_ASSET, now, 14, write);
  const compression = await showCompression(directory, results, write);
  const memory = await showMemoryStore(results, now, recentIds, write);
  const registry = await showRegistry(directory, write);
  const sql = await showEmbeddedSql(results, FOCUS_ASSET, now, recentIds, write);
  const stack = await showWorkflowStack(directory, results.slice(0, 20), write);
  const servers = options.services
    ? await showServerBackends(results, FOCUS_ASSET, now, recentIds, options.services, write)
    : [];
  const errors = {
    missing: await errorCodeOf(() => store.get("run_19700101_000000_00000000")),
    traversal: await errorCodeOf(() => store.get("../../etc/passwd")),
  };
  writeLines(write, heading("Errors are typed"));
  write(`  get of a missing id: ${errors.missing}; get of "../../etc/passwd": ${errors.traversal}`);

  const report: DemoReport = {
    directory,
    saved: outcomes.length,
    saveMs,
    assets,
    statusCounts,
    recentFailures: { dataAsset: FOCUS_ASSET, ids: recentIds },
    health,
    pagination,
    history: { dataAsset: HISTORY_ASSET, runs: history.length },
    compression,
    memory,
    registry,
    errors,
    servers,
    stack,
    sql,
  };
  writeSummary(report, write);
  return report;
}

async function showCompression(
  directory: string,
  results: readonly ValidationResult[],
  write: Write,
): Promise<DemoReport["compression"]> {
  await using gzipped = new FileSystemStore({
    basePath: directory,
    namespace: "demo-gzip",
    useCompression: true,
  });
  for (const outcome of await gzipped.saveMany(results)) if (!outcome.ok) throw outcome.error;
  const sample = results[0] as ValidationResult;
  const back = await gzipped.get(sample.runId);
  const identical = JSON.stringify(back.toDict()) === JSON.stringify(sample.toDict());
  const plainBytes = await directoryBytes(join(directory, "demo"));
  const compressedBytes = await directoryBytes(join(directory, "demo-gzip"));
  writeLines(write, heading("Compression (useCompression: true, namespace demo-gzip)"));
  writeLines(
    write,
    table(
      ["namespace", "on disk", "per result"],
      [
        ["demo", kib(plainBytes), kib(plainBytes / results.length)],
        ["demo-gzip", kib(compressedBytes), kib(compressedBytes / results.length)],
      ],
    ),
  );
  write(
    `  ${(plainBytes / compressedBytes).toFixed(1)}x smaller; a result read back is ${identical ? "identical" : "DIFFERENT"}`,
  );
  return { plainBytes, compressedBytes, identical };
}

async function showMemoryStore(
  results: readonly ValidationResult[],
  now: Date,
  fileSystemIds: readonly string[],
  write: Write,
): Promise<DemoReport["memory"]> {
  await using memory = new MemoryStore();
  for (const outcome of await memory.saveMany(results)) if (!outcome.ok) throw outcome.error;
  const ids = (await memory.query(recentFailuresQuery(FOCUS_ASSET, now))).map((r) => r.runId);
  const same = JSON.stringify(ids) === JSON.stringify(fileSystemIds);
  writeLines(write, heading("Memory store"));
  write(
    `  ${await memory.count()} results; the same 7-day failure query gives ${same ? "the same" : "a DIFFERENT"} answer (${ids.length} results)`,
  );
  return { saved: await memory.count(), sameRecentFailures: same };
}

async function showRegistry(directory: string, write: Write): Promise<DemoReport["registry"]> {
  const store: ResultStore = await getStore("filesystem", { basePath: directory, namespace: "demo" });
  try {
    const reopenedCount = await store.count();
    const backends = listAvailableBackends();
    writeLines(write, heading("Registry"));
    write(
      `  getStore("filesystem", { basePath, namespace: "demo" }) reopened the store: ${reopenedCount} results`,
    );
    write(`  backends registered in this process: ${backends.join(", ")}`);
    return { backends, reopenedCount };
  } finally {
    await store.close();
  }
}

async function showWorkflowStack(
  directory: string,
  results: readonly ValidationResult[],
  write: Write,
): Promise<WorkflowStackOutcome> {
  const outcome = await runWorkflowStack(
    new FileSystemStore({ basePath: directory, namespace: "demo-stack" }),
    new FileSystemStore({
      basePath: directory,
      namespace: "demo-stack-history",
      adapter: historyRecordAdapter,
    }),
    results,
  );
  writeLines(write, heading("Workflow 2: filesystem -> VersionedStore -> CachedStore -> ObservableStore"));
  write(
    `  ${results.length} results saved through the stack; one of them saved three times, then rolled back to v1`,
  );
  write(
    `  versions ${outcome.versions.join(", ")} (rollback created ${outcome.rollbackVersion}); content after the rollback ${outcome.rolledBackToFirst && outcome.baseAgrees ? "equals v1 in every layer" : "DIFFERS from v1"}`,
  );
  write(
    `  cache: ${outcome.cacheHits} hits (${(outcome.cacheHitRate * 100).toFixed(0)}% hit rate); audit log: ${outcome.auditEvents} events; ${outcome.metricSamples} operation histograms in the Prometheus registry`,
  );
  return outcome;
}

function writeSummary(report: DemoReport, write: Write): void {
  writeLines(write, heading("Summary"));
  const c = report.statusCounts;
  write(`  saved ${report.saved} results in ${report.saveMs.toFixed(0)} ms into ${report.directory}`);
  write(`  status: ${c.success} success, ${c.warning} warning, ${c.failure} failure, ${c.error} error`);
  write(
    `  ${report.recentFailures.ids.length} failures of ${report.recentFailures.dataAsset} in the last 7 days`,
  );
  write(
    `  production results: ${report.pagination.paged} in ${report.pagination.pages} pages, ${report.pagination.iterated} by iterQuery`,
  );
  write(`  compression: ${kib(report.compression.plainBytes)} -> ${kib(report.compression.compressedBytes)}`);
  for (const server of report.servers) {
    write(
      `  ${server.backend}: ${server.saved} saved, ${server.sameRecentFailures ? "same" : "DIFFERENT"} answers as the filesystem store`,
    );
  }
}
