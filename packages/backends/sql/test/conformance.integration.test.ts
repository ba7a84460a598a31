import { describeStoreConformance } from "@truthound/store-testkit";
import { afterAll, beforeAll, describe } from "vitest";
import { SqlStore } from "../src/index.js";
import { createDatabase, postgresUrl, type TestDatabase } from "./helpers/postgres.js";

const capabilities = {
  conditionalWrites: true,
  serverSideQuery: true,
  persistent: true,
  multiProcess: true,
  nativeTtl: false,
  nativeVersions: false,
  streaming: false,
};

describe.skipIf(postgresUrl === undefined)("SqlStore on PostgreSQL", () => {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createDatabase("conformance");
  });
  afterAll(async () => database?.drop());

  describeStoreConformance(
    "SqlStore (PostgreSQL)",
    ({ namespace }) => new SqlStore({ connectionUrl: (database as TestDatabase).url, namespace }),
    { capabilities },
  );

  describeStoreConformance(
    "SqlStore (PostgreSQL, tablePrefix, small pool)",
    ({ namespace }) =>
      new SqlStore({
        connectionUrl: (database as TestDatabase).url,
        namespace,
        tablePrefix: "tt_",
        poolSize: 1,
        maxOverflow: 1,
        poolPrePingAfterIdle: 0,
      }),
    { capabilities, skip: ["largeDocuments", "listing"] },
  );
});
