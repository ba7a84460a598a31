import { getTableName, sql } from "drizzle-orm";
import {
  bigint,
  customType,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  varchar,
} from "drizzle-orm/pg-core";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
});

/** Names of everything the store creates, all derived from `tablePrefix`. */
export interface SchemaNames {
  table: string;
  migrations: string;
  /** Key of the advisory lock that serialises migrations of this table across processes. */
  lockKey: string;
}

export function schemaNames(tablePrefix: string): SchemaNames {
  const table = `${tablePrefix}validation_results`;
  return { table, migrations: `${table}_migrations`, lockKey: `truthound-store-sql:${table}` };
}

/**
 * Truthound-py's `validation_results` columns (same names and types; `run_id` and `data_asset` widened, and
 * code-point collation), plus what it lacks: `tags` and `document` (jsonb, derived from its text columns so rows
 * Python writes get them too), `payload` (codec-encoded documents) and `run_time_ms` (what queries sort on).
 */
export function resultsTable(name: string) {
  return pgTable(name, {
    id: serial("id").primaryKey(),
    runId: varchar("run_id", { length: 512 }).notNull(),
    dataAsset: text("data_asset").notNull(),
    runTime: timestamp("run_time", { mode: "string" }).notNull(),
    status: varchar("status", { length: 50 }).notNull(),
    namespace: varchar("namespace", { length: 255 }).notNull(),
    tagsJson: text("tags_json"),
    dataJson: text("data_json").notNull(),
    createdAt: timestamp("created_at", { mode: "string" }),
    updatedAt: timestamp("updated_at", { mode: "string" }),
    payload: bytea("payload"),
    // Computed by the database (see migrations); never written by the store.
    tags: jsonb("tags")
      .$type<Record<string, string>>()
      .notNull()
      .generatedAlwaysAs(sql`COALESCE(tags_json::jsonb, '{}'::jsonb)`),
    document: jsonb("document").generatedAlwaysAs(sql`CASE WHEN payload IS NULL THEN data_json::jsonb END`),
    runTimeMs: bigint("run_time_ms", { mode: "number" })
      .notNull()
      .generatedAlwaysAs(sql`(floor(extract(epoch FROM run_time) * 1000))::bigint`),
  });
}

export type ResultsTable = ReturnType<typeof resultsTable>;

/** The row version: PostgreSQL's `xmin` changes on every update, by any writer (Truthound-py included). */
export const etagOf = (table: ResultsTable) => sql<string>`${sql.identifier(getTableName(table))}.xmin::text`;

/** The text search vector over validator names and messages; the same expression as the GIN index. */
export const searchVector = (table: ResultsTable) =>
  sql`jsonb_to_tsvector('simple'::regconfig, jsonb_path_query_array(${table.document}, '$.results[*].validator_name') || jsonb_path_query_array(${table.document}, '$.results[*].message'), '["string"]')`;

export const migrationsTable = (name: string) =>
  pgTable(name, {
    version: integer("version").primaryKey(),
    name: text("name").notNull(),
  });
