import { PGlite } from "@electric-sql/pglite";
import { describeStoreConformance } from "@truthound/store-testkit";
import { afterAll, beforeAll, describe } from "vitest";
import { SqlStore } from "../src/index.js";

// One embedded database for the file (opening one takes seconds and much memory); namespaces keep tests apart.
describe("SqlStore on PGlite", () => {
  let pglite: PGlite | undefined;
  beforeAll(async () => {
    pglite = new PGlite();
    await pglite.waitReady;
  }, 120_000);
  afterAll(async () => pglite?.close());

  describeStoreConformance(
    "SqlStore (PGlite)",
    ({ namespace }) => new SqlStore({ pglite: pglite as PGlite, namespace }),
    {
      capabilities: {
        conditionalWrites: true,
        serverSideQuery: true,
        persistent: true,
        multiProcess: false,
        nativeTtl: false,
        nativeVersions: false,
        streaming: false,
      },
    },
  );
});
