import { expectBulkWritesIntact, runWriterProcesses, type StoreRecipe } from "@truthound/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS, SqlStore } from "../src/index.js";
import { createDatabase, postgresUrl, type TestDatabase } from "./helpers/postgres.js";

const WRITERS = 4;
const SAVES = 500;
const SHARED = 20;

describe.skipIf(postgresUrl === undefined)("SqlStore: concurrent writer processes on PostgreSQL", () => {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createDatabase("multiproc");
  });
  afterAll(async () => database?.drop());

  it(`${WRITERS} processes x ${SAVES} saves, all migrating the fresh table at once: nothing lost`, {
    timeout: 600_000,
  }, async () => {
    const url = (database as TestDatabase).url;
    // The built package (run `tsc -b` first). Every process initialises, so four race to apply the migrations.
    const store: StoreRecipe = {
      module: new URL("../dist/index.js", import.meta.url).href,
      exportName: "SqlStore",
      options: { connectionUrl: url, namespace: "mp", poolSize: 4 },
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => `w${w}`);
    await runWriterProcesses({ store, writers, saves: SAVES, shared: SHARED, concurrency: 8 });
    const reader = new SqlStore({ connectionUrl: url, namespace: "mp" });
    await expectBulkWritesIntact(reader, { writers, saves: SAVES, shared: SHARED });
    const applied = await reader.executeWithRetry(async (db) =>
      db.execute("SELECT count(*)::int AS n FROM validation_results_migrations"),
    );
    expect((applied as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(MIGRATIONS.length);
    await reader.close();
  });
});
