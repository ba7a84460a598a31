import { StoreSerializationError, type WriteConditions } from "@truthound/store-core";
import { getTableName, type SQL, sql } from "drizzle-orm";
import type { ResultsTable } from "./schema.js";

/** What one save writes; the derived columns (tags, document, run_time_ms) the database computes. */
export interface RowValues {
  runId: string;
  dataAsset: string;
  runTimeMs: number;
  status: string;
  tags: Record<string, string>;
  /** The JSON document; null when `payload` holds it encoded by a codec chain. */
  document: Record<string, unknown> | null;
  payload: Uint8Array | null;
}

/** Naive UTC, as Truthound-py stores run times; computed from epoch milliseconds by the server (no local-time drift). */
export const utcTimestamp = (ms: SQL) => sql`(to_timestamp(${ms}::float8 / 1000) AT TIME ZONE 'UTC')`;
export const NOW_UTC = sql`(now() AT TIME ZONE 'UTC')`;

const COLUMNS = sql.raw(
  "(run_id, data_asset, run_time, status, namespace, tags_json, data_json, payload, created_at, updated_at)",
);

export const UPDATE_FROM_EXCLUDED = sql.raw(
  "data_asset = EXCLUDED.data_asset, run_time = EXCLUDED.run_time, status = EXCLUDED.status, tags_json = EXCLUDED.tags_json, data_json = EXCLUDED.data_json, payload = EXCLUDED.payload, updated_at = EXCLUDED.updated_at",
);

/** `data_json`: the document's JSON text, or "" when the row holds an encoded payload instead. */
export function dataJsonOf(row: RowValues): string {
  if (row.document === null) return "";
  try {
    return JSON.stringify(row.document);
  } catch (cause) {
    throw new StoreSerializationError("Document cannot be serialized to JSON", { cause, id: row.runId });
  }
}

/**
 * A conditional save as one statement, so the condition is checked atomically by the database:
 * - ifNoneMatch "*": insert only if no row has this namespace and id (ON CONFLICT DO NOTHING);
 * - ifMatch: update only the row whose current version (`xmin`) is the etag; a concurrent update re-checks it.
 * Each returns the new etag, or no row when the condition failed.
 */
export function conditionalSaveSql(
  table: ResultsTable,
  namespace: string,
  row: RowValues,
  conditions: WriteConditions,
): SQL {
  const t = sql.identifier(getTableName(table));
  const dataJson = dataJsonOf(row);
  const tagsJson = JSON.stringify(row.tags);
  if (conditions.ifMatch !== undefined) {
    return sql`UPDATE ${t} SET data_asset = ${row.dataAsset}, run_time = ${utcTimestamp(sql`${row.runTimeMs}`)}, status = ${row.status}, tags_json = ${tagsJson}, data_json = ${dataJson}, payload = ${row.payload}::bytea, updated_at = ${NOW_UTC} WHERE namespace = ${namespace} AND run_id = ${row.runId} AND xmin::text = ${conditions.ifMatch} RETURNING xmin::text AS etag`;
  }
  return sql`INSERT INTO ${t} ${COLUMNS} VALUES (${row.runId}, ${row.dataAsset}, ${utcTimestamp(sql`${row.runTimeMs}`)}, ${row.status}, ${namespace}, ${tagsJson}, ${dataJson}, ${row.payload}::bytea, ${NOW_UTC}, ${NOW_UTC}) ON CONFLICT (namespace, run_id) DO NOTHING RETURNING xmin::text AS etag`;
}

/** One row of the batch as JSON: the document nested as an object, so its text is written once, unescaped. */
function batchRowJson(row: RowValues): string {
  return JSON.stringify({
    run_id: row.runId,
    data_asset: row.dataAsset,
    run_time_ms: row.runTimeMs,
    status: row.status,
    tags: row.tags,
    doc: row.document,
    payload:
      row.payload === null
        ? null
        : Buffer.from(row.payload.buffer, row.payload.byteOffset, row.payload.byteLength).toString("base64"),
  });
}

/**
 * The rows of a batch as one JSON array text; rows that cannot be serialized are reported by index and left out.
 */
export function batchJson(rows: readonly RowValues[]): { json: string; failed: Map<number, unknown> } {
  const failed = new Map<number, unknown>();
  const parts: string[] = [];
  rows.forEach((row, i) => {
    try {
      parts.push(batchRowJson(row));
    } catch (error) {
      failed.set(i, error);
    }
  });
  return { json: `[${parts.join(",")}]`, failed };
}

/**
 * Many rows (distinct ids) in one INSERT from one JSON parameter. `json` (not jsonb) keeps each nested document's
 * text exactly as serialized, so `data_json` holds the same bytes a single save writes.
 */
export function insertRowsSql(table: ResultsTable, namespace: string, json: string): SQL {
  const t = sql.identifier(getTableName(table));
  return sql`INSERT INTO ${t} ${COLUMNS}
    SELECT r.run_id, r.data_asset, ${utcTimestamp(sql.raw("r.run_time_ms"))}, r.status, ${namespace}, r.tags::text,
      COALESCE(r.doc::text, ''), decode(r.payload, 'base64'), ${NOW_UTC}, ${NOW_UTC}
    FROM json_to_recordset(${json}::json)
      AS r(run_id text, data_asset text, run_time_ms float8, status text, tags json, doc json, payload text)
    ON CONFLICT (namespace, run_id) DO UPDATE SET ${UPDATE_FROM_EXCLUDED}`;
}
