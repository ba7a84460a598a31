import {
  RESULT_STATUSES,
  type ResultStatus,
  type Store,
  type StoreQuery,
  type ValidationResult,
} from "@truthound/store-core";
import { heading, percent, shortTime, statusMark, table, type Write, writeLines } from "./format.js";

const DAY_MS = 86_400_000;

export type ResultStore = Store<ValidationResult>;

/** The seeds' workflow 3: the last 7 days of failures for one asset, newest first. */
export function recentFailuresQuery(dataAsset: string, now: Date): StoreQuery {
  return {
    dataAsset,
    startTime: new Date(now.getTime() - 7 * DAY_MS),
    status: "failure",
    limit: 100,
    orderBy: "runTime",
    ascending: false,
  };
}

export async function showRecentFailures(
  store: ResultStore,
  dataAsset: string,
  now: Date,
  write: Write,
): Promise<string[]> {
  const results = await store.query(recentFailuresQuery(dataAsset, now));
  writeLines(write, heading(`Last 7 days of failures for ${dataAsset}: ${results.length}`));
  writeLines(
    write,
    table(
      ["run time (UTC)", "run id", "issues", "critical", "high", "failed columns"],
      results.map((r) => [
        shortTime(r.runTime),
        r.runId,
        r.statistics.totalIssues,
        r.statistics.criticalIssues,
        r.statistics.highIssues,
        [...r.getFailedColumns()].join(", ") || "(table-level)",
      ]),
    ),
  );
  return results.map((r) => r.runId);
}

export async function showStatusCounts(
  store: ResultStore,
  write: Write,
): Promise<Record<ResultStatus, number>> {
  const counts = {} as Record<ResultStatus, number>;
  for (const status of RESULT_STATUSES) counts[status] = await store.count({ status });
  const total = await store.count();
  writeLines(write, heading(`Results by status (${total} in all)`));
  writeLines(
    write,
    table(
      ["status", "results", "share"],
      RESULT_STATUSES.map((s) => [s, counts[s], percent(total === 0 ? 0 : counts[s] / total)]),
    ),
  );
  return counts;
}

export interface AssetHealth {
  dataAsset: string;
  runs: number;
  failures: number;
  latest: { runId: string; status: ResultStatus; passRate: number } | undefined;
}

export async function showAssetHealth(
  store: ResultStore,
  assets: readonly string[],
  write: Write,
): Promise<AssetHealth[]> {
  const health: AssetHealth[] = [];
  for (const dataAsset of assets) {
    const latest = await store.getLatest(dataAsset);
    health.push({
      dataAsset,
      runs: await store.count({ dataAsset }),
      failures: await store.count({ dataAsset, status: "failure" }),
      latest: latest && { runId: latest.runId, status: latest.status, passRate: latest.statistics.passRate },
    });
  }
  writeLines(write, heading("Assets: latest run (getLatest) and failure counts"));
  writeLines(
    write,
    table(
      ["data asset", "runs", "failures", "latest status", "latest pass rate", "latest run id"],
      health.map((h) => [
        h.dataAsset,
        h.runs,
        h.failures,
        h.latest?.status ?? "-",
        h.latest ? percent(h.latest.passRate) : "-",
        h.latest?.runId ?? "-",
      ]),
    ),
  );
  return health;
}

export interface PaginationOutcome {
  pageSize: number;
  pages: number;
  paged: number;
  iterated: number;
  counted: number;
}

/** Walks every production result twice: page by page with cursors, then with `iterQuery`. */
export async function showPagination(store: ResultStore, write: Write): Promise<PaginationOutcome> {
  const query: StoreQuery = { tags: { environment: "production" }, orderBy: "runTime", ascending: false };
  const pageSize = 25;
  const lines: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  let paged = 0;
  do {
    const page = await store.queryPage({ ...query, limit: pageSize, cursor });
    pages++;
    paged += page.items.length;
    const first = page.items[0];
    const last = page.items[page.items.length - 1];
    if (first && last && (pages <= 3 || page.nextCursor === undefined)) {
      lines.push(
        `  page ${pages}: ${page.items.length} results, ${shortTime(first.runTime)} .. ${shortTime(last.runTime)}`,
      );
    } else if (pages === 4) lines.push("  ...");
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  let iterated = 0;
  for await (const _ of store.iterQuery(query, { batchSize: 40 })) iterated++;
  const counted = await store.count(query);
  writeLines(write, heading(`Pagination over production results (tags: environment=production)`));
  writeLines(write, lines);
  write(
    `  ${pages} pages of ${pageSize} with cursors: ${paged} results; iterQuery (batchSize 40): ${iterated}; count: ${counted}`,
  );
  return { pageSize, pages, paged, iterated, counted };
}

/** The asset's runs of the last `days` days, oldest first, as a strip of status marks and a table. */
export async function showHistory(
  store: ResultStore,
  dataAsset: string,
  now: Date,
  days: number,
  write: Write,
): Promise<ValidationResult[]> {
  const runs: ValidationResult[] = [];
  for await (const r of store.iterQuery({
    dataAsset,
    startTime: new Date(now.getTime() - days * DAY_MS),
    ascending: true,
  })) {
    runs.push(r);
  }
  writeLines(
    write,
    heading(`History of ${dataAsset}, last ${days} days (${runs.length} runs, oldest first)`),
  );
  write(`  ${runs.map((r) => statusMark(r.status)).join("")}   (+ success, ~ warning, x failure, ! error)`);
  writeLines(
    write,
    table(
      ["run time (UTC)", "status", "validators", "pass rate", "issues", "tags"],
      runs.slice(-10).map((r) => [
        shortTime(r.runTime),
        r.status,
        r.statistics.totalValidators,
        percent(r.statistics.passRate),
        r.statistics.totalIssues,
        Object.entries(r.tags)
          .map(([k, v]) => `${k}=${v}`)
          .join(" "),
      ]),
    ),
  );
  if (runs.length > 10) write(`  (the last 10 of ${runs.length} shown)`);
  return runs;
}
