import { runWriterProcesses, type StoreRecipe } from "@truthound/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GCSStore } from "../src/index.js";
import { createBucket, gcsEndpoint, requireGcs } from "./helpers/fake-gcs.js";

const WRITERS = 4;
const SAVES = 250;
const SHARED = 20;

/** The store a writer process opens: the built package (run `tsc -b` first), namespace "mp". */
function writerStore(bucket: string, compatibility: "native" | "python"): StoreRecipe {
  return {
    module: new URL("../dist/index.js", import.meta.url).href,
    exportName: "GCSStore",
    options: { apiEndpoint: requireGcs(), bucket, compatibility, namespace: "mp" },
  };
}

describe.skipIf(gcsEndpoint === undefined)("GCSStore: concurrent writer processes on fake-gcs-server", () => {
  let bucket = "";
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createBucket("multiproc");
    bucket = created.name;
    drop = created.drop;
  });
  afterAll(async () => drop?.());

  it(`${WRITERS} processes x ${SAVES} saves (native index): nothing lost from get, listIds, query or count`, {
    timeout: 600_000,
  }, async () => {
    const writers = Array.from({ length: WRITERS }, (_, w) => `w${w}`);
    await runWriterProcesses({
      store: writerStore(bucket, "native"),
      writers,
      saves: SAVES,
      shared: SHARED,
      concurrency: 8,
    });
    const store = new GCSStore({ apiEndpoint: requireGcs(), bucket, namespace: "mp" });
    const expected = writers.flatMap((w) => Array.from({ length: SAVES }, (_, i) => `${w}-${i}`));
    const shared = Array.from({ length: SHARED }, (_, i) => `shared-${i}`);
    const ids = await store.listIds({ ascending: true });
    expect(ids).toHaveLength(expected.length + SHARED);
    expect(new Set(ids)).toEqual(new Set([...expected, ...shared]));
    expect(await store.count()).toBe(expected.length + SHARED);
    for (const w of writers) {
      expect(await store.count({ tags: { writer: w }, dataAsset: "asset-3" })).toBe(SAVES / 5);
    }
    // Each shared id is indexed once, under the asset of the writer whose document won.
    for (const id of shared) {
      const item = await store.get(id);
      const owners = await Promise.all(
        writers.map(async (w) => (await store.listIds({ dataAsset: `owner-${w}` })).includes(id)),
      );
      expect(owners.filter(Boolean)).toHaveLength(1);
      expect(owners[writers.indexOf(item.tags.writer as string)]).toBe(true);
    }
    const failures = await store.query({ dataAsset: "asset-1", status: "failure" });
    expect(failures.length).toBe(
      failures.filter((f) => f.dataAsset === "asset-1" && f.status === "failure").length,
    );
    expect(new Set(failures.map((f) => f.runId)).size).toBe(failures.length);
    for (const id of expected.filter((_, i) => i % 25 === 0)) expect((await store.get(id)).runId).toBe(id);
    await store.close();
  });

  it("4 processes x 60 saves (python compatibility): _index.json loses nothing", {
    timeout: 600_000,
  }, async () => {
    const writers = Array.from({ length: WRITERS }, (_, w) => `p${w}`);
    const saves = 60;
    await runWriterProcesses({
      store: writerStore(bucket, "python"),
      writers,
      saves,
      shared: 0,
      concurrency: 8,
    });
    const store = new GCSStore({
      apiEndpoint: requireGcs(),
      bucket,
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
