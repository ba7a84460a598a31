import { StoreConfigurationError } from "@truthound/store-core";
import { sql } from "drizzle-orm";
import { executeRows, type SqlDatabase } from "./connection.js";
import type { SchemaNames } from "./schema.js";

export interface Migration {
  version: number;
  name: string;
  statements: (names: SchemaNames) => string[];
}

/** Names here come from `schemaNames`, built from a validated prefix; quoting keeps them exact. */
const q = (identifier: string) => `"${identifier}"`;

/**
 * Versioned, append-only. Version 1 is Truthound-py's table as its SQLAlchemy model creates it (a no-op when
 * Python created it first); later versions only add, widen or re-index, so Python keeps working on the table.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "truthound_py_validation_results",
    statements: ({ table }) => [
      `CREATE TABLE IF NOT EXISTS ${q(table)} (
        id SERIAL PRIMARY KEY,
        run_id VARCHAR(255) NOT NULL,
        data_asset VARCHAR(500) NOT NULL,
        run_time TIMESTAMP WITHOUT TIME ZONE NOT NULL,
        status VARCHAR(50) NOT NULL,
        namespace VARCHAR(255) NOT NULL DEFAULT 'default',
        tags_json TEXT,
        data_json TEXT NOT NULL,
        created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc'),
        updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc')
      )`,
    ],
  },
  {
    version: 2,
    name: "namespaced_ids_derived_columns_query_indexes",
    statements: ({ table }) => [
      // Python's run_id index is UNIQUE across namespaces, which lets one namespace take over another's row.
      `DROP INDEX IF EXISTS ${q(`ix_${table}_run_id`)}`,
      `ALTER TABLE ${q(table)}
        ALTER COLUMN run_id TYPE VARCHAR(512) COLLATE "C",
        ALTER COLUMN data_asset TYPE TEXT COLLATE "C",
        ALTER COLUMN status TYPE VARCHAR(50) COLLATE "C"`,
      `ALTER TABLE ${q(table)}
        ADD COLUMN IF NOT EXISTS payload BYTEA,
        ADD COLUMN IF NOT EXISTS tags JSONB GENERATED ALWAYS AS (COALESCE(tags_json::jsonb, '{}'::jsonb)) STORED,
        ADD COLUMN IF NOT EXISTS document JSONB GENERATED ALWAYS AS (CASE WHEN payload IS NULL THEN data_json::jsonb END) STORED,
        ADD COLUMN IF NOT EXISTS run_time_ms BIGINT GENERATED ALWAYS AS ((floor(extract(epoch FROM run_time) * 1000))::bigint) STORED`,
      `CREATE UNIQUE INDEX IF NOT EXISTS ${q(`ux_${table}_namespace_run_id`)} ON ${q(table)} (namespace, run_id)`,
      `CREATE INDEX IF NOT EXISTS ${q(`ix_${table}_run_id`)} ON ${q(table)} (run_id)`,
      `CREATE INDEX IF NOT EXISTS ${q(`ix_${table}_ns_time`)} ON ${q(table)} (namespace, run_time_ms, run_id)`,
      `CREATE INDEX IF NOT EXISTS ${q(`ix_${table}_ns_asset_time`)} ON ${q(table)} (namespace, data_asset, run_time_ms, run_id)`,
      `CREATE INDEX IF NOT EXISTS ${q(`ix_${table}_ns_asset_status_time`)} ON ${q(table)} (namespace, data_asset, status, run_time_ms, run_id)`,
      `CREATE INDEX IF NOT EXISTS ${q(`ix_${table}_ns_status_time`)} ON ${q(table)} (namespace, status, run_time_ms, run_id)`,
      `CREATE INDEX IF NOT EXISTS ${q(`ix_${table}_tags`)} ON ${q(table)} USING gin (tags jsonb_path_ops)`,
      `CREATE INDEX IF NOT EXISTS ${q(`ix_${table}_search`)} ON ${q(table)} USING gin ((jsonb_to_tsvector('simple'::regconfig, jsonb_path_query_array(document, '$.results[*].validator_name') || jsonb_path_query_array(document, '$.results[*].message'), '["string"]')))`,
    ],
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

function versionsOf(rows: readonly Record<string, unknown>[]): Set<number> {
  return new Set(rows.map((row) => Number(row.version)));
}

function checkNotNewer(applied: Set<number>, names: SchemaNames): void {
  const newest = Math.max(0, ...applied);
  if (newest > LATEST_SCHEMA_VERSION) {
    throw new StoreConfigurationError(
      `SqlStore: table ${names.table} has schema version ${newest}, newer than this @truthound/store-sql knows (${LATEST_SCHEMA_VERSION}); upgrade the package`,
    );
  }
}

/**
 * Applies the pending migrations in one transaction under a transaction-scoped advisory lock, so two processes
 * initialising at once apply each migration exactly once (the second waits, then finds nothing to do).
 */
export async function applyMigrations(db: SqlDatabase, names: SchemaNames): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${names.lockKey}, 0))`);
    await tx.execute(
      sql.raw(
        `CREATE TABLE IF NOT EXISTS ${q(names.migrations)} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      ),
    );
    const applied = versionsOf(await executeRows(tx, sql.raw(`SELECT version FROM ${q(names.migrations)}`)));
    checkNotNewer(applied, names);
    const done: number[] = [];
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements(names)) await tx.execute(sql.raw(statement));
      await tx.execute(
        sql`INSERT INTO ${sql.identifier(names.migrations)} (version, name) VALUES (${migration.version}, ${migration.name})`,
      );
      done.push(migration.version);
    }
    return done;
  });
}

/** With `createTables: false`: the schema must already be current. */
export async function checkSchemaCurrent(db: SqlDatabase, names: SchemaNames): Promise<void> {
  const exists = await executeRows(
    db,
    sql`SELECT to_regclass(${q(names.migrations)}) IS NOT NULL AS present`,
  );
  const present = exists[0]?.present === true;
  const applied = present
    ? versionsOf(await executeRows(db, sql.raw(`SELECT version FROM ${q(names.migrations)}`)))
    : new Set<number>();
  checkNotNewer(applied, names);
  const missing = MIGRATIONS.filter((m) => !applied.has(m.version)).map((m) => m.version);
  if (missing.length > 0) {
    throw new StoreConfigurationError(
      `SqlStore: table ${names.table} lacks schema migrations ${missing.join(", ")} and createTables is false; initialize once with createTables: true`,
    );
  }
}
