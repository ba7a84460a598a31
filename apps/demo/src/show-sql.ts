import { getStore, type ValidationResult } from "@truthound/store-core";
import type { SqlStore } from "@truthound/store-sql";
import { heading, type Write, writeLines } from "./format.js";
import { recentFailuresQuery } from "./workflows.js";

export interface EmbeddedSqlReport {
  saved: number;
  sameRecentFailures: boolean;
  /** Results whose validators timed out or lost their connection, found by full-text search. */
  searchHits: number;
  /** The same results found by reading every document. */
  expectedSearchHits: number;
}

const SEARCH = '"timed out" or "connection reset"';

function mentionsSearchedErrors(result: ValidationResult): boolean {
  return result.results.some((r) => /timed out|connection reset/i.test(r.message ?? ""));
}

/** The SQL backend with no server: `getStore("database")` without a connectionUrl is PGlite in memory. */
export async function showEmbeddedSql(
  results: readonly ValidationResult[],
  focusAsset: string,
  now: Date,
  fileSystemRecentIds: readonly string[],
  write: Write,
): Promise<EmbeddedSqlReport> {
  const store = await getStore<SqlStore>("database", { namespace: "demo" });
  try {
    for (const outcome of await store.saveMany(results)) if (!outcome.ok) throw outcome.error;
    const ids = (await store.query(recentFailuresQuery(focusAsset, now))).map((r) => r.runId);
    const hits = await store.search(SEARCH, { limit: 10_000 });
    const report: EmbeddedSqlReport = {
      saved: await store.count(),
      sameRecentFailures: JSON.stringify(ids) === JSON.stringify(fileSystemRecentIds),
      searchHits: hits.length,
      expectedSearchHits: results.filter(mentionsSearchedErrors).length,
    };
    writeLines(write, heading('SQL store, embedded (getStore("database") with no connectionUrl: PGlite)'));
    write(
      `  ${report.saved} results in the validation_results table; the 7-day failure query gives ${report.sameRecentFailures ? "the same" : "a DIFFERENT"} answer`,
    );
    write(
      `  full-text search ${SEARCH}: ${report.searchHits} results (${report.expectedSearchHits} by reading every document)`,
    );
    return report;
  } finally {
    await store.close();
  }
}
