import { isStoreError } from "@truthound/store-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqlStore } from "../src/index.js";
import { expectHostileStringsInert, HOSTILE_STRINGS } from "./helpers/injection.js";
import { createDatabase, postgresUrl, type TestDatabase } from "./helpers/postgres.js";

describe.skipIf(postgresUrl === undefined)(
  "SqlStore on PostgreSQL: SQL injection through every string",
  () => {
    let database: TestDatabase | undefined;
    beforeAll(async () => {
      database = await createDatabase("injection");
      const admin = await database.admin();
      await admin.query("CREATE TABLE canary (n integer); INSERT INTO canary VALUES (1), (2), (3)");
    });
    afterAll(async () => database?.drop());

    it("ids, assets, tag keys and values, search text and cursors are stored and matched verbatim", async () => {
      const admin = await (database as TestDatabase).admin();
      const canaryRows = async () =>
        (await admin.query("SELECT count(*)::int AS n FROM canary")).rows[0].n as number;
      const store = new SqlStore({ connectionUrl: (database as TestDatabase).url, namespace: "hostile" });
      await expectHostileStringsInert(store, canaryRows);
      await store.close();
    });

    it("hostile namespaces and table prefixes are rejected as CONFIGURATION before any SQL runs", async () => {
      for (const hostile of HOSTILE_STRINGS) {
        for (const option of ["namespace", "tablePrefix"] as const) {
          const error = (() => {
            try {
              new SqlStore({ connectionUrl: (database as TestDatabase).url, [option]: hostile });
              return undefined;
            } catch (e) {
              return e;
            }
          })();
          expect(isStoreError(error, "CONFIGURATION"), `${option}=${hostile}`).toBe(true);
        }
      }
      const admin = await (database as TestDatabase).admin();
      const tables = await admin.query(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
      );
      expect(tables.rows.map((r) => r.tablename)).toEqual([
        "canary",
        "validation_results",
        "validation_results_migrations",
      ]);
    });
  },
);
