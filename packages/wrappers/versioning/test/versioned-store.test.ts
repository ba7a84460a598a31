import { ManualClock, type Store, type ValidationResult } from "@truthound/store-core";
import { MemoryStore } from "@truthound/store-memory";
import { expectSameResult, expectStoreError, makeResult } from "@truthound/store-testkit";
import { afterAll, describe, expect, it } from "vitest";
import {
  type HistoryRecord,
  historyRecordAdapter,
  VersionConflictError,
  VersionedStore,
} from "../src/index.js";
import { itemKey } from "../src/records.js";
import { filesystemVersioned, memoryVersioned, tempDir } from "./helpers/stores.js";

function historyStore(): MemoryStore<HistoryRecord> {
  return new MemoryStore<HistoryRecord>({ adapter: historyRecordAdapter });
}

async function blobCount(history: Store<HistoryRecord>): Promise<number> {
  return history.count({ tags: { kind: "blob" } });
}

describe("modes", () => {
  it("INCREMENTAL numbers versions v1, v2, v3", async () => {
    const store = memoryVersioned();
    const item = makeResult({ status: "success" });
    const labels: string[] = [];
    for (const status of ["success", "warning", "failure"] as const) {
      labels.push((await store.saveVersion(makeResult({ runId: item.runId, status }))).version);
    }
    expect(labels).toEqual(["v1", "v2", "v3"]);
    const versions = await store.listVersions(item.runId);
    expect(versions.map((v) => [v.version, v.number, v.isLatest])).toEqual([
      ["v1", 1, false],
      ["v2", 2, false],
      ["v3", 3, true],
    ]);
    expect((await store.getVersion(item.runId, "v2")).status).toBe("warning");
    expect((await store.getVersion(item.runId, 1)).status).toBe("success");
    expect((await store.get(item.runId)).status).toBe("failure");
  });

  it("SEMANTIC starts at 1.0.0, bumps each part and never overflows", async () => {
    const store = memoryVersioned({ mode: "SEMANTIC" });
    const runId = makeResult().runId;
    const save = async (bump?: "major" | "minor" | "patch") =>
      (await store.saveVersion(makeResult({ runId }), bump ? { bump } : {})).version;
    expect(await save()).toBe("1.0.0");
    expect(await save()).toBe("1.0.1");
    expect(await save("minor")).toBe("1.1.0");
    expect(await save("major")).toBe("2.0.0");
    let last = "";
    for (let i = 0; i < 100; i++) last = await save("patch");
    expect(last).toBe("2.0.100");
    expect(await save("minor")).toBe("2.1.0");
  });

  it("bump outside SEMANTIC mode is INVALID_ARGUMENT and writes nothing", async () => {
    const store = memoryVersioned();
    const item = makeResult();
    await expectStoreError(store.save(item, { bump: "major" }), "INVALID_ARGUMENT");
    expect(await store.exists(item.runId)).toBe(false);
  });

  it("TIMESTAMP labels are ISO times that never collide, even within one millisecond", async () => {
    const clock = new ManualClock(Date.UTC(2024, 5, 1, 12));
    const store = memoryVersioned({ mode: "TIMESTAMP", clock });
    const runId = makeResult().runId;
    const labels: string[] = [];
    for (let i = 0; i < 5; i++) labels.push((await store.saveVersion(makeResult({ runId }))).version);
    expect(new Set(labels).size).toBe(5);
    expect(labels[0]).toBe("2024-06-01T12:00:00.000Z");
    expect(labels[4]).toBe("2024-06-01T12:00:00.004Z");
    expect([...labels].sort()).toEqual(labels);
    await clock.advance(60_000);
    expect((await store.saveVersion(makeResult({ runId }))).version).toBe("2024-06-01T12:01:00.000Z");
  });

  it("GIT_LIKE labels are short content hashes, distinct even for identical content", async () => {
    const store = memoryVersioned({ mode: "GIT_LIKE" });
    const item = makeResult();
    const a = await store.saveVersion(item);
    const b = await store.saveVersion(item);
    expect(a.version).toMatch(/^[0-9a-f]{12}$/);
    expect(b.version).toMatch(/^[0-9a-f]{12}$/);
    expect(a.version).not.toBe(b.version);
    expect(a.contentHash).toBe(b.contentHash);
    expectSameResult(await store.getVersion(item.runId, a.version), item);
  });
});

describe("history storage", () => {
  it("identical content is stored once", async () => {
    const history = historyStore();
    const store = memoryVersioned({}, history);
    const item = makeResult();
    for (let i = 0; i < 4; i++) await store.save(item);
    await store.save(makeResult({ runId: item.runId, status: "failure" }));
    expect((await store.listVersions(item.runId)).length).toBe(5);
    // v1..v4 share one archived blob; v5 is the head's inline content.
    expect(await blobCount(history)).toBe(1);
  });

  it("maxVersions keeps the newest versions and removes the rest with their content", async () => {
    const history = historyStore();
    const store = memoryVersioned({ maxVersions: 3 }, history);
    const runId = makeResult().runId;
    for (let i = 0; i < 6; i++) await store.save(makeResult({ runId, metadata: { i } }));
    const versions = await store.listVersions(runId);
    expect(versions.map((v) => v.version)).toEqual(["v4", "v5", "v6"]);
    await expectStoreError(store.getVersion(runId, "v1"), "NOT_FOUND");
    expect((await store.getVersion(runId, "v4")).metadata).toEqual({ i: 3 });
    expect(await blobCount(history)).toBe(2);
  });

  it("autoCleanup: false keeps versions until pruneVersions", async () => {
    const history = historyStore();
    const store = memoryVersioned({ maxVersions: 2, autoCleanup: false }, history);
    const runId = makeResult().runId;
    for (let i = 0; i < 5; i++) await store.save(makeResult({ runId, metadata: { i } }));
    expect((await store.listVersions(runId)).length).toBe(5);
    expect(await store.pruneVersions(runId)).toBe(3);
    expect((await store.listVersions(runId)).map((v) => v.version)).toEqual(["v4", "v5"]);
    expect(await blobCount(history)).toBe(1);
  });

  it("a version whose archiving failed is carried by the head and archived by the next save", async () => {
    const inner = historyStore();
    let failNextArchive = false;
    const flaky = new Proxy(inner, {
      get(target, key, receiver) {
        if (key === "save") {
          return async (record: HistoryRecord, options?: object) => {
            if (failNextArchive && record.kind === "version") {
              failNextArchive = false;
              throw new Error("disk full");
            }
            return target.save(record, options);
          };
        }
        const value = Reflect.get(target, key, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const runId = makeResult().runId;
    const store = memoryVersioned({}, flaky);
    await store.save(makeResult({ runId, metadata: { n: 1 } }));
    failNextArchive = true;
    await store.save(makeResult({ runId, metadata: { n: 2 } }));
    expect(await inner.exists(`v/${itemKey(runId)}/main/000000000001`)).toBe(false);
    // The head still carries v1; the next save (here through another instance) finds it unarchived and archives it.
    const other = memoryVersioned({}, flaky, store.inner as MemoryStore);
    await other.save(makeResult({ runId, metadata: { n: 3 } }));
    expect((await other.listVersions(runId)).map((v) => v.version)).toEqual(["v1", "v2", "v3"]);
    expect((await other.getVersion(runId, "v1")).metadata).toEqual({ n: 1 });
  });

  it("requireMessage refuses a save without a message and writes nothing", async () => {
    const history = historyStore();
    const store = memoryVersioned({ requireMessage: true }, history);
    const item = makeResult();
    await expectStoreError(store.save(item), "INVALID_ARGUMENT");
    await expectStoreError(store.save(item, { message: "  " }), "INVALID_ARGUMENT");
    expect(await store.exists(item.runId)).toBe(false);
    expect(await history.count()).toBe(0);
    const info = await store.saveVersion(item, { message: "first run", createdBy: "ci" });
    expect([info.message, info.createdBy]).toEqual(["first run", "ci"]);
  });

  it("checksumAlgorithm is recorded and verified; tampered content is INTEGRITY", async () => {
    const history = historyStore();
    const store = memoryVersioned({ checksumAlgorithm: "sha512" }, history);
    const item = makeResult();
    const v1 = await store.saveVersion(item);
    await store.save(makeResult({ runId: item.runId, status: "failure" }));
    expect(v1.checksumAlgorithm).toBe("sha512");
    expect(v1.checksum).toMatch(/^[0-9a-f]{128}$/);
    const [blob] = await history.query({ tags: { kind: "blob" } });
    if (blob?.kind !== "blob") throw new Error("expected a blob");
    await history.save({ ...blob, content: blob.content.replace('"status":"success"', '"status":"error"') });
    await expectStoreError(store.getVersion(item.runId, "v1"), "INTEGRITY");
  });

  it("caller metadata is copied, never mutated or aliased", async () => {
    const store = memoryVersioned();
    const metadata = { reason: "nightly", nested: { a: 1 } };
    const info = await store.saveVersion(makeResult(), { metadata });
    metadata.nested.a = 2;
    expect(metadata).toEqual({ reason: "nightly", nested: { a: 2 } });
    expect((await store.getVersionInfo(info.itemId, "v1")).metadata).toEqual({
      reason: "nightly",
      nested: { a: 1 },
    });
  });

  it("getVersionHistory is newest first and honours limit", async () => {
    const store = memoryVersioned();
    const runId = makeResult().runId;
    for (let i = 0; i < 4; i++) await store.save(makeResult({ runId }), { message: `m${i}` });
    const history = await store.getVersionHistory(runId, { limit: 2 });
    expect(history.map((v) => [v.version, v.message, v.parentVersion])).toEqual([
      ["v4", "m3", "v3"],
      ["v3", "m2", "v2"],
    ]);
  });
});

describe("options", () => {
  it("rejects unknown, mistyped and missing options with CONFIGURATION", async () => {
    const base = new MemoryStore();
    const historyStoreOption = historyStore();
    const make = (options: unknown) => () =>
      new VersionedStore(base, options as ConstructorParameters<typeof VersionedStore>[1]);
    await expectStoreError(make({}), "CONFIGURATION");
    await expectStoreError(
      make({ historyStore: historyStoreOption, checksumAlgorithm: "crc32" }),
      "CONFIGURATION",
    );
    await expectStoreError(make({ historyStore: historyStoreOption, mode: "DATE" }), "CONFIGURATION");
    await expectStoreError(make({ historyStore: historyStoreOption, trackChanges: true }), "CONFIGURATION");
    await expectStoreError(make({ historyStore: historyStoreOption, maxVersions: -1 }), "CONFIGURATION");
    await expectStoreError(make({ historyStore: base }), "CONFIGURATION");
  });

  it("a persistent wrapped store needs a persistent history store", async () => {
    const dir = tempDir("options");
    try {
      const { FileSystemStore } = await import("@truthound/store-filesystem");
      const base = new FileSystemStore({ basePath: dir.path });
      await expectStoreError(
        () => new VersionedStore(base, { historyStore: historyStore() }),
        "CONFIGURATION",
      );
    } finally {
      dir.remove();
    }
  });

  it("unknown save options are INVALID_ARGUMENT", async () => {
    const store = memoryVersioned();
    const item = makeResult();
    await expectStoreError(store.save(item, { mesage: "typo" } as never), "INVALID_ARGUMENT");
    await expectStoreError(store.save(item, { expectedVersion: 0 }), "INVALID_ARGUMENT");
    expect(await store.exists(item.runId)).toBe(false);
  });
});

describe("optimistic locking", () => {
  it("expectedVersion commits only on the latest version", async () => {
    const store = memoryVersioned();
    const item = makeResult();
    await store.save(item, { expectedVersion: null });
    await store.save(makeResult({ runId: item.runId }), { expectedVersion: "v1" });
    await store.save(makeResult({ runId: item.runId }), { expectedVersion: 2 });
    const stale = await expectStoreError(
      store.save(makeResult({ runId: item.runId, status: "error" }), { expectedVersion: "v2" }),
      "CONFLICT",
    );
    expect(stale).toBeInstanceOf(VersionConflictError);
    expect((stale as VersionConflictError).actualVersion).toBe("v3");
    await expectStoreError(store.save(item, { expectedVersion: null }), "CONFLICT");
    expect((await store.listVersions(item.runId)).length).toBe(3);
  });

  it("concurrent saves with one expectedVersion: exactly one wins", async () => {
    const store = memoryVersioned();
    const item = makeResult();
    await store.save(item);
    const settled = await Promise.allSettled(
      Array.from({ length: 10 }, (_, writer) =>
        store.saveVersion(makeResult({ runId: item.runId, metadata: { writer } }), { expectedVersion: "v1" }),
      ),
    );
    const winners = settled.filter((s) => s.status === "fulfilled");
    expect(winners).toHaveLength(1);
    for (const s of settled)
      if (s.status === "rejected") await expectStoreError(Promise.reject(s.reason), "CONFLICT");
    expect((await store.listVersions(item.runId)).map((v) => v.version)).toEqual(["v1", "v2"]);
  });

  it("without conditional writes in the history store the lock is per process and declared so", async () => {
    const inner = historyStore();
    const noConditions = new Proxy(inner, {
      get(target, key, receiver) {
        if (key === "capabilities") return { ...target.capabilities, conditionalWrites: false };
        const value = Reflect.get(target, key, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const store = memoryVersioned({}, noConditions);
    expect(store.lockScope).toBe("process");
    expect(store.capabilities.multiProcess).toBe(false);
    const item = makeResult();
    await store.save(item);
    const settled = await Promise.allSettled(
      Array.from({ length: 6 }, () =>
        store.save(makeResult({ runId: item.runId }), { expectedVersion: "v1" }),
      ),
    );
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(1);
    expect(memoryVersioned().lockScope).toBe("store");
  });
});

describe("diff and rollback", () => {
  it("diff lists changes as JSON pointers, in a deterministic order", async () => {
    const store = memoryVersioned();
    const a = makeResult({ tags: { "a/b": "1", "t~x": "old", keep: "k" }, seed: 1 });
    await store.save(a);
    await store.save(
      makeResult({
        runId: a.runId,
        tags: { "t~x": "new", keep: "k", zed: "z" },
        runTime: a.runTime,
        seed: 1,
      }),
    );
    const diff = await store.diff(a.runId, "v1", "v2");
    const tagChanges = diff.changes.filter((c) => c.path.startsWith("/tags"));
    expect(tagChanges).toEqual([
      { path: "/tags/a~1b", type: "removed", oldValue: "1" },
      { path: "/tags/t~0x", type: "modified", oldValue: "old", newValue: "new" },
      { path: "/tags/zed", type: "added", newValue: "z" },
    ]);
    expect(diff.summary).toMatch(/^\d+ added, \d+ removed, \d+ modified$/);
    expect(await store.diff(a.runId, "v1")).toEqual(diff);
    expect((await store.diff(a.runId, "v2", "v2")).changes).toEqual([]);
  });

  it("rollback saves the old content as a new version and returns it", async () => {
    const store = memoryVersioned();
    const v1 = makeResult({ status: "success" });
    await store.save(v1);
    await store.save(makeResult({ runId: v1.runId, status: "failure" }));
    const rolled = await store.rollback(v1.runId, "v1");
    expect([rolled.version, rolled.rollbackFrom, rolled.message]).toEqual([
      "v3",
      "v1",
      "Rollback to version v1",
    ]);
    expectSameResult(await store.get(v1.runId), v1);
    await expectStoreError(store.rollback(v1.runId, "v9"), "NOT_FOUND");
    await expectStoreError(store.rollback(v1.runId, "v1", { expectedVersion: "v2" }), "CONFLICT");
  });
});

describe("delete keeps history", () => {
  it("a deleted item keeps its versions and continues its numbering when saved again", async () => {
    const store = memoryVersioned();
    const item = makeResult();
    const { etag } = await store.saveWithEtag(item);
    expect(await store.delete(item.runId)).toBe(true);
    expect(await store.delete(item.runId)).toBe(false);
    await expectStoreError(store.get(item.runId), "NOT_FOUND");
    await expectStoreError(store.getWithEtag(item.runId), "NOT_FOUND");
    const versions = await store.listVersions(item.runId);
    expect(versions.map((v) => [v.version, v.deleted])).toEqual([["v1", true]]);
    await expectStoreError(store.save(item, { ifMatch: etag }), "CONFLICT");
    const again = await store.saveVersion(item, { ifNoneMatch: "*" });
    expect(again.version).toBe("v2");
    expectSameResult(await store.getVersion(item.runId, "v1"), item);
  });

  it("items saved to the wrapped store before versioning are readable and adopted on their first save", async () => {
    const base = new MemoryStore();
    const old = makeResult();
    await base.save(old);
    const store = memoryVersioned({}, historyStore(), base);
    const found = await store.getWithEtag(old.runId);
    expect(found.etag.startsWith("b:")).toBe(true);
    expect(await store.listVersions(old.runId)).toEqual([]);
    await expectStoreError(store.save(old, { ifMatch: "b:stale" }), "CONFLICT");
    expect((await store.saveVersion(old, { ifMatch: found.etag })).version).toBe("v1");
  });
});

describe("branches", () => {
  it("a branch forks a version, takes saves without touching main, and merges by explicit choice", async () => {
    const store = memoryVersioned();
    const main1 = makeResult({ status: "success" });
    await store.save(main1);
    const branch = await store.createBranch(main1.runId, "experiment");
    expect(branch.forkedFrom).toEqual({ branch: "main", version: "v1", number: 1 });
    const onBranch = makeResult({ runId: main1.runId, status: "warning" });
    const b2 = await store.saveVersion(onBranch, { branch: "experiment" });
    expect([b2.branch, b2.version]).toEqual(["experiment", "v2"]);
    expectSameResult(await store.get(main1.runId), main1);
    expect((await store.getVersion(main1.runId, "v2", { branch: "experiment" })).status).toBe("warning");
    await expectStoreError(store.getVersion(main1.runId, "v2"), "NOT_FOUND");
    expect((await store.listBranches(main1.runId)).map((b) => b.name)).toEqual(["experiment", "main"]);

    const keptMain = await store.merge(main1.runId, { source: "experiment", take: "target" });
    expect([keptMain.version, keptMain.mergedFrom]).toEqual(["v2", { branch: "experiment", version: "v2" }]);
    expectSameResult(await store.get(main1.runId), main1);
    const tookBranch = await store.merge(main1.runId, { source: "experiment", take: "source" });
    expect(tookBranch.version).toBe("v3");
    expectSameResult(await store.get(main1.runId), onBranch);
    await expectStoreError(
      store.merge(main1.runId, { source: "experiment", take: "both" as never }),
      "INVALID_ARGUMENT",
    );

    await expectStoreError(store.createBranch(main1.runId, "experiment"), "CONFLICT");
    await expectStoreError(store.save(onBranch, { branch: "missing" }), "NOT_FOUND");
    expect(await store.deleteBranch(main1.runId, "experiment")).toBe(true);
    expect((await store.listBranches(main1.runId)).map((b) => b.name)).toEqual(["main"]);
  });

  it("a branch can fork an older version", async () => {
    const store = memoryVersioned({ mode: "SEMANTIC" });
    const runId = makeResult().runId;
    await store.save(makeResult({ runId, status: "success" }));
    await store.save(makeResult({ runId, status: "failure" }), { bump: "minor" });
    await store.createBranch(runId, "hotfix", { fromVersion: "1.0.0" });
    const fix = await store.saveVersion(makeResult({ runId, status: "warning" }), { branch: "hotfix" });
    expect(fix.version).toBe("1.0.1");
    expect((await store.diff(runId, "1.0.0", "1.0.1", { branch: "hotfix" })).versionB).toBe("1.0.1");
  });

  it("enableBranching: false makes branch operations UNSUPPORTED", async () => {
    const store = memoryVersioned({ enableBranching: false });
    const item = makeResult();
    await store.save(item);
    await expectStoreError(store.createBranch(item.runId, "x"), "UNSUPPORTED");
    await expectStoreError(store.save(item, { branch: "x" }), "UNSUPPORTED");
  });
});

describe("persistence", () => {
  const dir = tempDir("restart");
  afterAll(() => dir.remove());

  it("a new instance over the same directory sees the history and continues it", async () => {
    const first = filesystemVersioned(dir.path, "restart", { mode: "SEMANTIC" });
    const item = makeResult({ status: "success" });
    await first.save(item, { message: "one" });
    await first.save(makeResult({ runId: item.runId, status: "failure" }), { message: "two", bump: "major" });
    await first.close();

    const second = filesystemVersioned(dir.path, "restart", { mode: "SEMANTIC" });
    const versions = await second.listVersions(item.runId);
    expect(versions.map((v) => [v.version, v.message])).toEqual([
      ["1.0.0", "one"],
      ["2.0.0", "two"],
    ]);
    expectSameResult(await second.getVersion(item.runId, "1.0.0"), item);
    expect((await second.saveVersion(item, { expectedVersion: "2.0.0" })).version).toBe("2.0.1");
    await second.close();
  });
});

function _typecheck(store: VersionedStore<ValidationResult>): Store<ValidationResult> {
  return store;
}
