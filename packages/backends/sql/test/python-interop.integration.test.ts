import {
  expectPythonReadResults,
  expectSaveKeepsPythonResults,
  expectStoreReadsPythonResults,
  PYTHON_READ_QUERY,
  type PythonStoreConfig,
  readWithPython,
  resultsForPython,
  truthoundPythonWith,
  writeWithPython,
} from "@truthound/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { SqlStore } from "../src/index.js";
import { createDatabase, postgresUrl, type TestDatabase } from "./helpers/postgres.js";

const python =
  postgresUrl === undefined
    ? undefined
    : truthoundPythonWith("sqlalchemy, psycopg2, truthound.stores.backends.database");

/** SQLAlchemy's spelling of the same database: both stores are given exactly this URL. */
function sqlalchemyUrl(url: string): string {
  return url.replace(/^postgres(ql)?:/, "postgresql+psycopg2:");
}

function pythonStore(url: string, namespace = "default"): PythonStoreConfig {
  return {
    module: "truthound.stores.backends.database",
    class: "DatabaseStore",
    kwargs: { connection_url: url, namespace, use_pool_manager: false },
  };
}

describe.skipIf(python === undefined)("SqlStore and Truthound-py 3.2.0 DatabaseStore share one table", () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it("reads a table Truthound-py created and filled, migrates it in place, and Python keeps working on it", async () => {
    const database = await createDatabase("pyfirst");
    databases.push(database);
    const url = sqlalchemyUrl(database.url);
    const written = await writeWithPython(python as string, pythonStore(url), 12);
    const store = new SqlStore({ connectionUrl: url });
    await expectStoreReadsPythonResults(store, written);
    // Python's tags and documents are visible to SQL queries and search too (derived columns).
    expect(await store.count({ tags: { team: "ünïcode" } })).toBe(written.length);
    expect((await store.search("not_null")).length).toBe(written.length);
    await expectSaveKeepsPythonResults(store, written);
    // After the migration Python still writes and reads the same table.
    const more = await writeWithPython(python as string, pythonStore(url, "second"), 3);
    const second = new SqlStore({ connectionUrl: url, namespace: "second" });
    expect(new Set(await second.listIds())).toEqual(new Set(more.map((w) => w.run_id)));
    const read = await readWithPython(python as string, pythonStore(url, "second"), {
      asset: "asset_1.csv",
      start: "2024-03-01T00:00:00",
    });
    expect(new Set(read.ids)).toEqual(new Set(more.map((w) => w.run_id)));
    await second.close();
    await store.close();
  });

  it("rows this store writes are read by Truthound-py: ids, documents, exists and its own query", async () => {
    const database = await createDatabase("tsfirst");
    databases.push(database);
    const url = sqlalchemyUrl(database.url);
    const store = new SqlStore({ connectionUrl: url });
    const saved = resultsForPython();
    for (const result of saved) await store.save(result);
    const read = await readWithPython(python as string, pythonStore(url), PYTHON_READ_QUERY);
    expectPythonReadResults(read, saved);
    // Python's columns carry what its own SQL filters on.
    const admin = await database.admin();
    const rows = await admin.query(
      "SELECT run_id, data_asset, status, namespace, run_time, tags_json FROM validation_results ORDER BY run_id",
    );
    expect(rows.rows).toHaveLength(saved.length);
    const first = rows.rows[0] as { run_time: Date; namespace: string; tags_json: string };
    expect(first.namespace).toBe("default");
    expect(JSON.parse(first.tags_json)).toEqual({ env: "prod", owner: "ünï" });
    await store.close();
  });
});
