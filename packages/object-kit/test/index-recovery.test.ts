import { ValidationResult } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { META_MARKER, ObjectStore } from "../src/index.js";
import { MemoryBlobStorage } from "./helpers/memory-blob-storage.js";

const MARKERS = "truthound/default/_index/v1/";
const isMarker = (key: string) => key.startsWith(MARKERS);
const isDocument = (key: string) => key.includes("/results/");

function result(
  runId: string,
  hour: number,
  extra: Partial<ConstructorParameters<typeof ValidationResult>[0]> = {},
) {
  return new ValidationResult({
    runId,
    runTime: new Date(Date.UTC(2024, 0, 1, hour)),
    dataAsset: "orders.csv",
    status: "success",
    ...extra,
  });
}

function markerKeys(storage: MemoryBlobStorage): string[] {
  return [...storage.objects.keys()].filter(isMarker);
}

describe("native index: crash points and repair", () => {
  it("a save that crashes after the document, before its marker: invisible until rebuildIndex", async () => {
    const storage = new MemoryBlobStorage();
    const store = new ObjectStore({ storage });
    storage.failNext("put", isMarker);
    await expect(store.save(result("r1", 1))).rejects.toThrow("injected crash");
    expect(await store.exists("r1")).toBe(true);
    expect(await store.listIds()).toEqual([]);
    const report = await store.rebuildIndex();
    expect(report).toMatchObject({ documents: 1, written: 1, removed: 0, problems: [] });
    expect(await store.listIds()).toEqual(["r1"]);
  });

  it("a delete that crashes after the document: the marker is recognised as stale by a query and removed", async () => {
    const storage = new MemoryBlobStorage();
    const store = new ObjectStore({ storage });
    await store.save(result("r1", 1));
    await store.save(result("r2", 2));
    storage.failNext("delete", isMarker);
    await expect(store.delete("r1")).rejects.toThrow("injected crash");
    expect(markerKeys(storage)).toHaveLength(2);
    expect((await store.query()).map((r) => r.runId)).toEqual(["r2"]);
    expect(markerKeys(storage)).toHaveLength(1);
    expect(await store.listIds()).toEqual(["r2"]);
  });

  it("a re-save that crashes before removing the old marker: one id, the current entry, stale marker removed", async () => {
    const storage = new MemoryBlobStorage();
    const store = new ObjectStore({ storage });
    await store.save(result("r1", 1, { status: "success" }));
    storage.failNext("delete", isMarker);
    await expect(store.save(result("r1", 5, { status: "failure" }))).rejects.toThrow("injected crash");
    expect(markerKeys(storage)).toHaveLength(2);
    expect(await store.listIds()).toEqual(["r1"]);
    expect(await store.count({ status: "success" })).toBe(0);
    expect(await store.count({ status: "failure" })).toBe(1);
    expect(markerKeys(storage)).toHaveLength(1);
  });

  it("a document overwritten behind the index's back is left out of query pages, not returned under a wrong entry", async () => {
    const storage = new MemoryBlobStorage();
    const store = new ObjectStore({ storage });
    await store.save(result("r1", 1, { status: "failure" }));
    const key = store.documentKey("r1");
    const doc = storage.objects.get(key);
    // Another tool rewrites the document (new content, no token): the marker no longer describes it.
    const other = new ObjectStore({ storage: storage.sibling(), useCompression: false });
    await storage.put(
      key,
      new TextEncoder().encode(JSON.stringify(result("r1", 1, { status: "success" }).toDict())),
      {
        kind: "document",
        contentType: "application/json",
        signal: undefined,
      },
    );
    expect(doc?.metadata[META_MARKER]).toBeDefined();
    expect(await store.query({ status: "failure" })).toEqual([]);
    expect(await other.listIds()).toEqual([]);
    await store.rebuildIndex();
    expect((await store.query({ status: "success" })).map((r) => r.runId)).toEqual(["r1"]);
  });

  it("rebuildIndex reports unreadable documents and keeps markers written meanwhile", async () => {
    const storage = new MemoryBlobStorage();
    const store = new ObjectStore({ storage });
    await store.save(result("good", 1));
    await storage.put("truthound/default/results/bad.json.gz", new Uint8Array([0x1f, 0x8b, 1, 2]), {
      kind: "document",
      contentType: "application/json",
      signal: undefined,
    });
    await storage.put(
      "truthound/default/results/liar.json",
      new TextEncoder().encode(JSON.stringify(result("other", 1).toDict())),
      {
        kind: "document",
        contentType: "application/json",
        signal: undefined,
      },
    );
    const report = await store.rebuildIndex();
    expect(report.documents).toBe(1);
    expect(report.problems.map((p) => p.key).sort()).toEqual([
      "truthound/default/results/bad.json.gz",
      "truthound/default/results/liar.json",
    ]);
    expect(report.removed).toBe(0);
    expect(await store.listIds()).toEqual(["good"]);
  });
});

describe("native index: queries do not read every object", () => {
  async function seeded(n: number) {
    const storage = new MemoryBlobStorage();
    storage.pageSize = 1000;
    const store = new ObjectStore({ storage });
    for (let i = 0; i < n; i++) {
      await store.save(
        result(`r${String(i).padStart(4, "0")}`, i, {
          dataAsset: `asset-${i % 4}`,
          status: i % 5 === 0 ? "failure" : "success",
          tags: { env: i % 2 === 0 ? "prod" : "dev" },
        }),
      );
    }
    storage.calls.length = 0;
    return { storage, store };
  }

  it("listIds, count and tag filters read no document and no marker body", async () => {
    const { storage, store } = await seeded(200);
    expect(await store.count()).toBe(200);
    expect(await store.count({ tags: { env: "prod" }, status: "failure" })).toBe(20);
    expect((await store.listIds({ dataAsset: "asset-1" })).length).toBe(50);
    expect(storage.countCalls("get")).toBe(0);
    expect(storage.countCalls("head")).toBe(0);
  });

  it("getLatest and a limited newest-first query stop listing early and read only the page's documents", async () => {
    const { storage, store } = await seeded(200);
    storage.pageSize = 5;
    const latest = await store.getLatest("asset-2");
    expect(latest?.runId).toBe("r0198");
    expect(storage.countCalls("get", isDocument)).toBe(1);
    expect(storage.countCalls("list")).toBeLessThanOrEqual(2);
    storage.calls.length = 0;
    const page = await store.queryPage({ dataAsset: "asset-3", limit: 3 });
    expect(page.items.map((r) => r.runId)).toEqual(["r0199", "r0195", "r0191"]);
    expect(storage.countCalls("get", isDocument)).toBe(3);
    expect(storage.countCalls("list")).toBeLessThanOrEqual(2);
    const next = await store.queryPage({ dataAsset: "asset-3", limit: 3, cursor: page.nextCursor as string });
    expect(next.items.map((r) => r.runId)).toEqual(["r0187", "r0183", "r0179"]);
  });

  it("a time range lists only markers inside it (StartAfter), also across assets", async () => {
    const { storage, store } = await seeded(200);
    storage.pageSize = 5;
    const ids = await store.listIds({
      startTime: new Date(Date.UTC(2024, 0, 1, 100)),
      endTime: new Date(Date.UTC(2024, 0, 1, 109)),
      ascending: true,
    });
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `r0${100 + i}`));
    // 4 assets: one delimiter listing, then a few pages per asset instead of 40 pages of everything.
    expect(storage.countCalls("list")).toBeLessThanOrEqual(1 + 4 * 2);
  });
});

describe("python compatibility: _index.json", () => {
  it("keeps Truthound-py's flat shape with naive UTC times and keeps entries it does not own", async () => {
    const storage = new MemoryBlobStorage();
    const foreign = {
      data_asset: "x.csv",
      run_time: "2024-03-01T12:00:00.123456",
      status: "error",
      key: "k",
      tags: {},
      extra: 1,
    };
    await storage.put(
      "truthound/default/_index.json",
      new TextEncoder().encode(JSON.stringify({ py1: foreign })),
      {
        kind: "index",
        contentType: "application/json",
        signal: undefined,
      },
    );
    const store = new ObjectStore({ storage, compatibility: "python" });
    await store.save(result("run_20240101_010000_0000abcd", 1, { tags: { env: "prod" } }));
    const index = JSON.parse(
      Buffer.from((await storage.get("truthound/default/_index.json")).bytes).toString("utf8"),
    );
    expect(index.py1).toEqual(foreign);
    expect(index.run_20240101_010000_0000abcd).toEqual({
      data_asset: "orders.csv",
      run_time: "2024-01-01T01:00:00",
      status: "success",
      key: "truthound/default/results/run_20240101_010000_0000abcd.json.gz",
      tags: { env: "prod" },
    });
    expect(await store.listIds({ ascending: true })).toEqual(["run_20240101_010000_0000abcd", "py1"]);
  });

  it("concurrent writers on separate clients lose no entry (conditional rewrites)", async () => {
    const storage = new MemoryBlobStorage();
    const stores = Array.from(
      { length: 4 },
      () => new ObjectStore({ storage: storage.sibling(), compatibility: "python" }),
    );
    await Promise.all(
      stores.flatMap((store, w) => Array.from({ length: 25 }, (_, i) => store.save(result(`w${w}-${i}`, i)))),
    );
    const reader = new ObjectStore({ storage: storage.sibling(), compatibility: "python" });
    expect(await reader.count()).toBe(100);
  });

  it("a save that races a delete of the same id leaves the index agreeing with the document", async () => {
    const storage = new MemoryBlobStorage();
    const a = new ObjectStore({ storage: storage.sibling(), compatibility: "python" });
    const b = new ObjectStore({ storage: storage.sibling(), compatibility: "python" });
    for (let round = 0; round < 20; round++) {
      await Promise.all([a.save(result("contested", round)), b.delete("contested")]);
      const indexed = (await a.listIds()).includes("contested");
      expect(indexed).toBe(await a.exists("contested"));
    }
  });
});
