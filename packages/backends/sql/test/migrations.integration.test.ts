import { isStoreError, ValidationResult } from "@truthound/store-core";
import { afterAll, describe, expect, it } from "vitest";
import { LATEST_SCHEMA_VERSION, MIGRATIONS, SqlStore } from "../src/index.js";
import { createDatabase, postgresUrl, type TestDatabase } from "./helpers/postgres.js";

const result = (runId: string, dataAsset = "a") =>
  new ValidationResult({ runId, dataAsset, status: "success" });

/** Opens a store on `url` once (applying the migrations) and closes it. */
async function migrate(url: string): Promise<void> {
  const store = new SqlStore({ connectionUrl: url });
  try {
    await store.initialize();
  } finally {
    await store.close();
  }
}

/** Truthound-py 3.2.0's table exactly as its SQLAlchemy model creates it on PostgreSQL. */
const PYTHON_DDL = `
  CREATE TABLE validation_results (
    id SERIAL NOT NULL, run_id VARCHAR(255) NOT NULL, data_asset VARCHAR(500) NOT NULL,
    run_time TIMESTAMP WITHOUT TIME ZONE NOT NULL, status VARCHAR(50) NOT NULL, namespace VARCHAR(255) NOT NULL,
    tags_json TEXT, data_json TEXT NOT NULL, created_at TIMESTAMP WITHOUT TIME ZONE,
    updated_at TIMESTAMP WITHOUT TIME ZONE, PRIMARY KEY (id));
  CREATE UNIQUE INDEX ix_validation_results_run_id ON validation_results (run_id);
  CREATE INDEX ix_namespace_data_asset ON validation_results (namespace, data_asset);`;

describe.skipIf(postgresUrl === undefined)("SqlStore schema migrations on PostgreSQL", () => {
  const databases: TestDatabase[] = [];
  const fresh = async (label: string) => {
    const database = await createDatabase(label);
    databases.push(database);
    return database;
  };
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it("eight stores with their own pools initialising at once apply each migration exactly once", async () => {
    const database = await fresh("migrate");
    const stores = Array.from(
      { length: 8 },
      (_, i) => new SqlStore({ connectionUrl: database.url, namespace: `n${i}`, poolSize: 1 }),
    );
    await Promise.all(stores.map((store) => store.initialize()));
    await Promise.all(stores.map((store, i) => store.save(result(`same-id`, `asset-${i}`))));
    const admin = await database.admin();
    const versions = await admin.query("SELECT version FROM validation_results_migrations ORDER BY version");
    expect(versions.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    // The same id lives once per namespace.
    expect(
      (await admin.query("SELECT count(*)::int AS n FROM validation_results WHERE run_id = 'same-id'"))
        .rows[0].n,
    ).toBe(8);
    for (const store of stores) await store.close();
  });

  it("createTables: false refuses an unmigrated database and accepts a current one", async () => {
    const database = await fresh("nocreate");
    const early = new SqlStore({ connectionUrl: database.url, createTables: false });
    const error = await early.initialize().catch((e: unknown) => e);
    expect(isStoreError(error, "CONFIGURATION"), String(error)).toBe(true);
    await early.close();
    const admin = await database.admin();
    expect((await admin.query("SELECT to_regclass('validation_results') AS t")).rows[0].t).toBeNull();
    await migrate(database.url);
    const later = new SqlStore({ connectionUrl: database.url, createTables: false });
    await later.save(result("ok"));
    expect(await later.exists("ok")).toBe(true);
    await later.close();
  });

  it("a table migrated by a newer package version is refused, not altered", async () => {
    const database = await fresh("newer");
    await migrate(database.url);
    const admin = await database.admin();
    await admin.query("INSERT INTO validation_results_migrations (version, name) VALUES ($1, 'future')", [
      LATEST_SCHEMA_VERSION + 1,
    ]);
    const error = await migrate(database.url).catch((e: unknown) => e);
    expect(isStoreError(error, "CONFIGURATION"), String(error)).toBe(true);
    expect(String((error as Error).message)).toContain("newer");
  });

  it("upgrades Truthound-py's table in place: keeps its rows, lifts the global run_id uniqueness", async () => {
    const database = await fresh("pytable");
    const admin = await database.admin();
    await admin.query(PYTHON_DDL);
    await admin.query(
      `INSERT INTO validation_results (run_id, data_asset, run_time, status, namespace, tags_json, data_json)
       VALUES ('py-1', 'orders', '2024-03-01 12:00:00.123456', 'failure', 'default', '{"env": "prod"}',
               '{"run_id": "py-1", "run_time": "2024-03-01T12:00:00.123456", "data_asset": "orders", "status": "failure", "results": [], "statistics": {}, "tags": {"env": "prod"}, "metadata": {}}')`,
    );
    const store = new SqlStore({ connectionUrl: database.url });
    expect(await store.listIds({ tags: { env: "prod" }, endTime: "2024-03-01T12:00:00.123Z" })).toEqual([
      "py-1",
    ]);
    expect((await store.get("py-1")).runTime.toISOString()).toBe("2024-03-01T12:00:00.123Z");
    const other = new SqlStore({ connectionUrl: database.url, namespace: "other" });
    await other.save(result("py-1", "elsewhere"));
    expect((await store.get("py-1")).dataAsset).toBe("orders");
    expect((await other.get("py-1")).dataAsset).toBe("elsewhere");
    await store.close();
    await other.close();
  });

  it("tablePrefix names separate tables that never see each other's rows", async () => {
    const database = await fresh("prefix");
    const a = new SqlStore({ connectionUrl: database.url, tablePrefix: "team_a_" });
    const b = new SqlStore({ connectionUrl: database.url, tablePrefix: "team_b_" });
    await a.save(result("only-a"));
    await b.save(result("only-b"));
    expect(await a.listIds()).toEqual(["only-a"]);
    expect(await b.listIds()).toEqual(["only-b"]);
    expect(a.tableName).toBe("team_a_validation_results");
    const admin = await database.admin();
    const tables = await admin.query(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    expect(tables.rows.map((r) => r.tablename)).toEqual([
      "team_a_validation_results",
      "team_a_validation_results_migrations",
      "team_b_validation_results",
      "team_b_validation_results_migrations",
    ]);
    await a.close();
    await b.close();
  });
});
