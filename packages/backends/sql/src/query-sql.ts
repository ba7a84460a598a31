import type { NormalizedQuery, SortKey } from "@truthound/store-core";
import { and, asc, desc, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import type { ResultsTable } from "./schema.js";

/** Every filter of the query as SQL, always scoped to the namespace; the cursor only when `withCursor`. */
export function whereClause(
  table: ResultsTable,
  namespace: string,
  q: NormalizedQuery,
  withCursor: boolean,
): SQL {
  const conditions: SQL[] = [eq(table.namespace, namespace)];
  if (q.dataAsset !== undefined) conditions.push(eq(table.dataAsset, q.dataAsset));
  if (q.status !== undefined) conditions.push(eq(table.status, q.status));
  if (q.startMs !== undefined) conditions.push(gte(table.runTimeMs, q.startMs));
  if (q.endMs !== undefined) conditions.push(lte(table.runTimeMs, q.endMs));
  if (Object.keys(q.tags).length > 0) conditions.push(sql`${table.tags} @> ${JSON.stringify(q.tags)}::jsonb`);
  if (withCursor && q.after !== undefined) conditions.push(keysetCondition(table, q, q.after));
  return and(...conditions) as SQL;
}

/**
 * Rows strictly after the cursor's sort key `[orderBy, runTimeMs, id]` in the query's direction, as one row-value
 * comparison (which the composite indexes serve). Columns compare in the "C" collation: code-point order.
 */
function keysetCondition(table: ResultsTable, q: NormalizedQuery, after: SortKey): SQL {
  const [primary, timeMs, id] = after;
  const op = sql.raw(q.ascending ? ">" : "<");
  if (q.orderBy === "runTime") {
    return sql`(${table.runTimeMs}, ${table.runId}) ${op} (${timeMs}::bigint, ${id}::text)`;
  }
  const column = q.orderBy === "dataAsset" ? table.dataAsset : table.status;
  return sql`(${column}, ${table.runTimeMs}, ${table.runId}) ${op} (${String(primary)}::text, ${timeMs}::bigint, ${id}::text)`;
}

/** ORDER BY `[orderBy, runTimeMs, id]` in one direction. */
export function orderClause(table: ResultsTable, q: NormalizedQuery): SQL[] {
  const dir = q.ascending ? asc : desc;
  const keys =
    q.orderBy === "runTime" ? [] : [dir(q.orderBy === "dataAsset" ? table.dataAsset : table.status)];
  return [...keys, dir(table.runTimeMs), dir(table.runId)];
}

export interface KeyRow {
  runId: string;
  dataAsset: string;
  status: string;
  runTimeMs: number;
}

export function sortKeyOfRow(row: KeyRow, orderBy: NormalizedQuery["orderBy"]): SortKey {
  const primary =
    orderBy === "runTime" ? row.runTimeMs : orderBy === "dataAsset" ? row.dataAsset : row.status;
  return [primary, row.runTimeMs, row.runId];
}
