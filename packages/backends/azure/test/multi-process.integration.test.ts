import { expectBulkWritesIntact, runWriterProcesses, type StoreRecipe } from "@truthound/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureBlobStore } from "../src/index.js";
import { azurite, createContainer, requireAzurite } from "./helpers/azurite.js";

const WRITERS = 4;
const SAVES = 250;
const SHARED = 20;

/** The store a writer process opens: the built package (run `tsc -b` first), namespace "mp". */
function writerStore(container: string, compatibility: "native" | "python"): StoreRecipe {
  return {
    module: new URL("../dist/index.js", import.meta.url).href,
    exportName: "AzureBlobStore",
    options: {
      connectionString: requireAzurite().connectionString,
      container,
      compatibility,
      namespace: "mp",
    },
  };
}

describe.skipIf(azurite === undefined)("AzureBlobStore: concurrent writer processes on Azurite", () => {
  let container = "";
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createContainer(requireAzurite(), "multiproc");
    container = created.name;
    drop = created.drop;
  });
  afterAll(async () => drop?.());

  it(`${WRITERS} processes x ${SAVES} saves (native index): nothing lost from get, listIds, query or count`, {
    timeout: 600_000,
  }, async () => {
    const writers = Array.from({ length: WRITERS }, (_, w) => `w${w}`);
    await runWriterProcesses({
      store: writerStore(container, "native"),
      writers,
      saves: SAVES,
      shared: SHARED,
      concurrency: 8,
    });
    const store = new AzureBlobStore({
      connectionString: requireAzurite().connectionString,
      container,
      namespace: "mp",
    });
    await expectBulkWritesIntact(store, { writers, saves: SAVES, shared: SHARED });
    await store.close();
  });

  it("4 processes x 60 saves (python compatibility): _index.json loses nothing", {
    timeout: 600_000,
  }, async () => {
    const writers = Array.from({ length: WRITERS }, (_, w) => `p${w}`);
    const saves = 60;
    await runWriterProcesses({
      store: writerStore(container, "python"),
      writers,
      saves,
      shared: 0,
      concurrency: 8,
    });
    const store = new AzureBlobStore({
      connectionString: requireAzurite().connectionString,
      container,
      namespace: "mp",
      compatibility: "python",
    });
    const ids = await store.listIds({ tags: {} });
    const mine = ids.filter((id) => id.startsWith("p"));
    expect(new Set(mine)).toEqual(
      new Set(writers.flatMap((w) => Array.from({ length: saves }, (_, i) => `${w}-${i}`))),
    );
    await store.close();
  });
});
