import type { ValidationResult } from "@truthound/store-core";
import { heading, table, type Write, writeLines } from "./format.js";
import { SERVER_BACKENDS } from "./server-backends.js";
import { recentFailuresQuery } from "./workflows.js";

export interface ServerBackendReport {
  backend: string;
  location: string;
  saved: number;
  saveMs: number;
  count: number;
  /** The 7-day failure query gives the filesystem store's answer, in the same order. */
  sameRecentFailures: boolean;
  latestRunId: string | undefined;
}

/**
 * The same results in every server backend, opened by name through the registry: saved, queried and
 * compared with the filesystem store's answers, then removed from the server again.
 */
export async function showServerBackends(
  results: readonly ValidationResult[],
  focusAsset: string,
  now: Date,
  fileSystemRecentIds: readonly string[],
  env: NodeJS.ProcessEnv,
  write: Write,
): Promise<ServerBackendReport[]> {
  const reports: ServerBackendReport[] = [];
  for (const backend of SERVER_BACKENDS) {
    const opened = await backend.open(env);
    try {
      const t0 = performance.now();
      const outcomes = await opened.store.saveMany(results);
      const saveMs = performance.now() - t0;
      for (const outcome of outcomes) if (!outcome.ok) throw outcome.error;
      const ids = (await opened.store.query(recentFailuresQuery(focusAsset, now))).map((r) => r.runId);
      reports.push({
        backend: backend.backend,
        location: opened.location,
        saved: outcomes.length,
        saveMs,
        count: await opened.store.count(),
        sameRecentFailures: JSON.stringify(ids) === JSON.stringify(fileSystemRecentIds),
        latestRunId: (await opened.store.getLatest(focusAsset))?.runId,
      });
    } finally {
      await opened.dispose();
    }
  }
  writeLines(write, heading("Server backends (--services), opened with getStore(name, options)"));
  writeLines(
    write,
    table(
      ["backend", "saved", "save ms", "count", "7-day failures", "latest run", "where"],
      reports.map((r) => [
        r.backend,
        r.saved,
        Math.round(r.saveMs),
        r.count,
        r.sameRecentFailures ? "same as filesystem" : "DIFFERENT",
        r.latestRunId ?? "-",
        r.location,
      ]),
    ),
  );
  write("  (each bucket or container was made for this run and removed afterwards)");
  return reports;
}
