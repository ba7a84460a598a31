import { and, eq, sql } from "drizzle-orm";
import type { SqlDatabase } from "./connection.js";
import { etagOf, type ResultsTable } from "./schema.js";
import { NOW_UTC, utcTimestamp } from "./write-sql.js";

const p = (name: string) => sql.placeholder(name);

/**
 * The hot single-row statements, built once per database handle and prepared by name, so the server parses and
 * plans them once per connection.
 */
function build(db: SqlDatabase, t: ResultsTable, prefix: string) {
  const key = and(eq(t.namespace, p("ns")), eq(t.runId, p("id")));
  return {
    save: db
      .insert(t)
      .values({
        runId: p("id"),
        dataAsset: p("asset"),
        runTime: utcTimestamp(sql`${p("ms")}`),
        status: p("status"),
        namespace: p("ns"),
        tagsJson: p("tags"),
        dataJson: p("data"),
        payload: sql`${p("payload")}::bytea`,
        createdAt: NOW_UTC,
        updatedAt: NOW_UTC,
      })
      .onConflictDoUpdate({
        target: [t.namespace, t.runId],
        set: {
          dataAsset: sql`excluded.data_asset`,
          runTime: sql`excluded.run_time`,
          status: sql`excluded.status`,
          tagsJson: sql`excluded.tags_json`,
          dataJson: sql`excluded.data_json`,
          payload: sql`excluded.payload`,
          updatedAt: sql`excluded.updated_at`,
        },
      })
      .returning({ etag: sql<string>`xmin::text` })
      .prepare(`${prefix}_save`),
    get: db
      .select({ dataJson: t.dataJson, payload: t.payload, etag: etagOf(t) })
      .from(t)
      .where(key)
      .limit(1)
      .prepare(`${prefix}_get`),
    exists: db.select({ one: sql<number>`1` }).from(t).where(key).limit(1).prepare(`${prefix}_exists`),
    delete: db.delete(t).where(key).returning({ id: t.id }).prepare(`${prefix}_delete`),
  };
}

export type PreparedStatements = ReturnType<typeof build>;

const cache = new WeakMap<SqlDatabase, Map<string, PreparedStatements>>();

/** The statements for this table on this database handle (a pool recycle brings a new handle). */
export function preparedFor(db: SqlDatabase, table: ResultsTable, tableName: string): PreparedStatements {
  let byTable = cache.get(db);
  if (byTable === undefined) {
    byTable = new Map();
    cache.set(db, byTable);
  }
  let statements = byTable.get(tableName);
  if (statements === undefined) {
    statements = build(db, table, `tt_${tableName}`);
    byTable.set(tableName, statements);
  }
  return statements;
}
