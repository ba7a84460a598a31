import { ManualClock, type Store, type ValidationResult } from "@truthound/store-core";
import { MemoryStore } from "@truthound/store-memory";
import { expectStoreError, makeResult } from "@truthound/store-testkit";
import { describe, expect, it } from "vitest";
import {
  CompositePolicy,
  CountBasedPolicy,
  CustomPolicy,
  type RetentionPolicy,
  RetentionStore,
  type RetentionStoreOptions,
  SizeBasedPolicy,
  StatusBasedPolicy,
  TagBasedPolicy,
  TimeBasedPolicy,
} from "../src/index.js";
import { filesystemRetention, tempDir } from "./helpers/stores.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2024, 6, 1, 12); // a Monday, 12:00 UTC

/** A memory store that counts document reads, to show cleanups plan from the ledger. */
function countingStore(): { store: MemoryStore; reads: () => number } {
  const store = new MemoryStore();
  let reads = 0;
  for (const method of ["get", "getWithEtag", "getMany", "query", "queryPage"] as const) {
    const original = store[method].bind(store) as (...args: unknown[]) => unknown;
    (store as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      reads++;
      return original(...args);
    };
  }
  return { store, reads: () => reads };
}

function make(
  policies: RetentionPolicy[],
  extra: Partial<RetentionStoreOptions<ValidationResult>> = {},
  clock = new ManualClock(NOW),
): { store: RetentionStore<ValidationResult>; base: MemoryStore; clock: ManualClock; reads: () => number } {
  const { store: base, reads } = countingStore();
  const store = new RetentionStore(base, {
    policies,
    preserveLatest: false,
    clock,
    scheduler: clock,
    ...extra,
  });
  return { store, base, clock, reads };
}

function aged(daysOld: number, overrides: Parameters<typeof makeResult>[0] = {}): ValidationResult {
  return makeResult({ runTime: new Date(NOW - daysOld * DAY), dataAsset: "orders", ...overrides });
}

async function ids(store: Store<ValidationResult>): Promise<string[]> {
  return (await store.listIds({ orderBy: "runTime", ascending: true })).sort();
}

describe("policies", () => {
  it("TimeBasedPolicy deletes items older than the maximum age, from the ledger, reading no document", async () => {
    const { store, reads } = make([new TimeBasedPolicy({ maxAgeDays: 30 })]);
    const old = aged(31, { runId: "old" });
    const young = aged(29, { runId: "young" });
    await store.saveMany([old, young]);
    const readsBefore = reads();
    const result = await store.runCleanup();
    expect(reads()).toBe(readsBefore);
    expect(result.actions).toEqual([
      expect.objectContaining({
        id: "old",
        action: "DELETE",
        outcome: "done",
        policy: expect.stringMatching(/^TimeBasedPolicy/),
      }),
    ]);
    expect([result.scanned, result.deleted, result.bytesFreed > 0]).toEqual([2, 1, true]);
    expect(await ids(store)).toEqual(["young"]);
    expect((await store.runCleanup()).actions).toEqual([]);
  });

  it("CountBasedPolicy keeps the newest items in total or per asset", async () => {
    const items = [
      aged(1, { runId: "a1", dataAsset: "a" }),
      aged(2, { runId: "a2", dataAsset: "a" }),
      aged(3, { runId: "a3", dataAsset: "a" }),
      aged(4, { runId: "b1", dataAsset: "b" }),
    ];
    const global = make([new CountBasedPolicy({ maxCount: 2 })]);
    await global.store.saveMany(items);
    await global.store.runCleanup();
    expect(await ids(global.store)).toEqual(["a1", "a2"]);

    const perAsset = make([new CountBasedPolicy({ maxCount: 2, perAsset: true })]);
    await perAsset.store.saveMany(items);
    await perAsset.store.runCleanup();
    expect(await ids(perAsset.store)).toEqual(["a1", "a2", "b1"]);
  });

  it("SizeBasedPolicy uses the sizes recorded at save, newest first", async () => {
    const items = [1, 2, 3].map((d) => aged(d, { runId: `s${d}`, validators: 5, seed: 1 }));
    const size = Buffer.byteLength(JSON.stringify(items[0]?.toDict()));
    const { store } = make([new SizeBasedPolicy({ maxSizeBytes: size * 2 + 10 })]);
    await store.saveMany(items);
    const result = await store.runCleanup();
    expect(result.actions.map((a) => [a.id, a.sizeBytes])).toEqual([["s3", size]]);
    expect(await ids(store)).toEqual(["s1", "s2"]);
    await expectStoreError(() => new SizeBasedPolicy({ maxSizeMb: 1, maxSizeKb: 2 }), "CONFIGURATION");
    expect(new SizeBasedPolicy({ maxSizeKb: 2 }).maxSizeBytes).toBe(2048);
  });

  it("StatusBasedPolicy removes old items of that status only (no inversion)", async () => {
    const { store } = make([new StatusBasedPolicy({ status: "failure", maxAgeDays: 7 })]);
    await store.saveMany([
      aged(10, { runId: "old-failure", status: "failure" }),
      aged(2, { runId: "young-failure", status: "failure" }),
      aged(10, { runId: "old-success", status: "success" }),
    ]);
    await store.runCleanup();
    expect(await ids(store)).toEqual(["old-success", "young-failure"]);
    await expectStoreError(() => new StatusBasedPolicy({ status: "failed" }), "CONFIGURATION");
  });

  it("TagBasedPolicy removes tagged items, optionally by value and age", async () => {
    const { store } = make([new TagBasedPolicy({ tagKey: "env", tagValue: "dev", maxAgeDays: 5 })]);
    await store.saveMany([
      aged(6, { runId: "old-dev", tags: { env: "dev" } }),
      aged(1, { runId: "new-dev", tags: { env: "dev" } }),
      aged(6, { runId: "old-prod", tags: { env: "prod" } }),
      aged(6, { runId: "untagged", tags: {} }),
    ]);
    await store.runCleanup();
    expect(await ids(store)).toEqual(["new-dev", "old-prod", "untagged"]);
  });

  it("CompositePolicy any / all, and the store's mode", async () => {
    const old = new TimeBasedPolicy({ maxAgeDays: 5 });
    const failed = new StatusBasedPolicy({ status: "failure" });
    const items = () => [
      aged(6, { runId: "old-failure", status: "failure" }),
      aged(6, { runId: "old-success" }),
      aged(1, { runId: "new-failure", status: "failure" }),
      aged(1, { runId: "new-success" }),
    ];
    const any = make([new CompositePolicy({ policies: [old, failed], mode: "any" })]);
    await any.store.saveMany(items());
    await any.store.runCleanup();
    expect(await ids(any.store)).toEqual(["new-success"]);

    const all = make([new CompositePolicy({ policies: [old, failed], mode: "all" })]);
    await all.store.saveMany(items());
    await all.store.runCleanup();
    expect(await ids(all.store)).toEqual(["new-failure", "new-success", "old-success"]);

    const storeAll = make([old, failed], { mode: "all" });
    await storeAll.store.saveMany(items());
    expect((await storeAll.store.runCleanup()).actions.map((a) => a.id)).toEqual(["old-failure"]);
  });

  it("CustomPolicy applies the caller's predicate to the item metadata", async () => {
    const { store } = make([
      new CustomPolicy({
        description: "ids starting with tmp-",
        predicate: (item) => item.id.startsWith("tmp-"),
      }),
    ]);
    await store.saveMany([aged(1, { runId: "tmp-1" }), aged(1, { runId: "keep-1" })]);
    const result = await store.runCleanup();
    expect(result.actions.map((a) => a.policy)).toEqual(["CustomPolicy: ids starting with tmp-"]);
    expect(await ids(store)).toEqual(["keep-1"]);
  });

  it("policy options are validated", async () => {
    await expectStoreError(() => new TimeBasedPolicy({}), "CONFIGURATION");
    await expectStoreError(
      () => new TimeBasedPolicy({ maxAgeDays: 1, action: "COMPRESS" as never }),
      "CONFIGURATION",
    );
    await expectStoreError(() => new CountBasedPolicy({ maxCount: 1.5 }), "CONFIGURATION");
    await expectStoreError(() => new CompositePolicy({ policies: [] }), "CONFIGURATION");
    await expectStoreError(() => new TimeBasedPolicy({ maxAgeDay: 3 } as never), "CONFIGURATION");
  });
});

describe("actions", () => {
  it("ARCHIVE copies to the archive store, then deletes", async () => {
    const archive = new MemoryStore();
    const { store } = make([new TimeBasedPolicy({ maxAgeDays: 1, action: "ARCHIVE" })], {
      archiveStore: archive,
    });
    const old = aged(3, { runId: "old" });
    await store.saveMany([old, aged(0, { runId: "new" })]);
    const result = await store.runCleanup();
    expect([result.archived, result.deleted]).toEqual([1, 0]);
    expect(await archive.listIds()).toEqual(["old"]);
    expect((await archive.get("old")).toDict()).toEqual(old.toDict());
    expect(await ids(store)).toEqual(["new"]);
  });

  it("ARCHIVE or QUARANTINE without a destination is a CONFIGURATION error, never a delete", async () => {
    const base = new MemoryStore();
    await base.save(aged(100));
    await expectStoreError(
      () =>
        new RetentionStore(base, { policies: [new TimeBasedPolicy({ maxAgeDays: 1, action: "ARCHIVE" })] }),
      "CONFIGURATION",
    );
    await expectStoreError(
      () =>
        new RetentionStore(base, {
          policies: [
            new CompositePolicy({ policies: [new TimeBasedPolicy({ maxAgeDays: 1, action: "QUARANTINE" })] }),
          ],
        }),
      "CONFIGURATION",
    );
    await expectStoreError(
      () =>
        new RetentionStore(base, {
          policies: [new TimeBasedPolicy({ maxAgeDays: 1 })],
          defaultAction: "ARCHIVE",
        }),
      "CONFIGURATION",
    );
    expect(await base.count()).toBe(1);
  });

  it("QUARANTINE moves to the quarantine store; the policy's action beats the default", async () => {
    const quarantine = new MemoryStore();
    const { store } = make(
      [
        new StatusBasedPolicy({ status: "error", action: "QUARANTINE" }),
        new TimeBasedPolicy({ maxAgeDays: 50 }),
      ],
      {
        quarantineStore: quarantine,
      },
    );
    await store.saveMany([aged(1, { runId: "broken", status: "error" }), aged(60, { runId: "ancient" })]);
    const result = await store.runCleanup();
    expect(result.actions.map((a) => [a.id, a.action])).toEqual([
      ["broken", "QUARANTINE"],
      ["ancient", "DELETE"],
    ]);
    expect(await quarantine.listIds()).toEqual(["broken"]);
    expect(await store.count()).toBe(0);
  });

  it("a failed archive keeps the item and reports the failure for that id", async () => {
    const archive = new MemoryStore();
    const failing = new Proxy(archive, {
      get(target, key, receiver) {
        if (key === "save") return async () => Promise.reject(new Error("archive unavailable"));
        const value = Reflect.get(target, key, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const { store } = make([new TimeBasedPolicy({ maxAgeDays: 1, action: "ARCHIVE" })], {
      archiveStore: failing,
    });
    await store.save(aged(5, { runId: "kept" }));
    const result = await store.runCleanup();
    expect(result.failed).toBe(1);
    expect(result.actions[0]?.outcome).toBe("failed");
    expect(result.actions[0]?.error?.code).toBe("WRITE");
    expect(await ids(store)).toEqual(["kept"]);
  });
});

describe("options", () => {
  it("preserveLatest keeps the newest item of every asset", async () => {
    const { store } = make([new TimeBasedPolicy({ maxAgeDays: 1 })], { preserveLatest: true });
    await store.saveMany([
      aged(10, { runId: "a-new", dataAsset: "a" }),
      aged(20, { runId: "a-old", dataAsset: "a" }),
      aged(30, { runId: "b-only", dataAsset: "b" }),
    ]);
    const result = await store.runCleanup();
    expect(result.preserved).toBe(2);
    expect(await ids(store)).toEqual(["a-new", "b-only"]);
  });

  it("exclusions by tag, asset and id are never removed", async () => {
    const { store } = make([new TimeBasedPolicy({ maxAgeDays: 1 })], {
      excludedTags: { legal: "hold" },
      excludedAssets: ["audit"],
      excludedIds: ["pinned"],
    });
    await store.saveMany([
      aged(9, { runId: "held", tags: { legal: "hold" } }),
      aged(9, { runId: "audited", dataAsset: "audit" }),
      aged(9, { runId: "pinned" }),
      aged(9, { runId: "gone" }),
    ]);
    const result = await store.runCleanup();
    expect(result.excluded).toBe(3);
    expect(await ids(store)).toEqual(["audited", "held", "pinned"]);
  });

  it("dryRun and estimateCleanup report what would happen and change nothing", async () => {
    const dry = make([new TimeBasedPolicy({ maxAgeDays: 1 })], { dryRun: true });
    await dry.store.saveMany([aged(5, { runId: "x" }), aged(0, { runId: "y" })]);
    const report = await dry.store.runCleanup();
    expect([report.dryRun, report.actions.map((a) => [a.id, a.outcome])]).toEqual([true, [["x", "planned"]]]);
    expect(await ids(dry.store)).toEqual(["x", "y"]);

    const real = make([new TimeBasedPolicy({ maxAgeDays: 1 })]);
    await real.store.saveMany([aged(5, { runId: "x" }), aged(0, { runId: "y" })]);
    const estimate = await real.store.estimateCleanup();
    expect(estimate.actions.map((a) => a.id)).toEqual(["x"]);
    expect(await ids(real.store)).toEqual(["x", "y"]);
    const done = await real.store.runCleanup();
    expect(done.actions.map((a) => a.id)).toEqual(estimate.actions.map((a) => a.id));
  });

  it("maxDurationSeconds stops starting actions and reports the rest as skipped", async () => {
    const { store } = make([new TimeBasedPolicy({ maxAgeDays: 1 })], { schedule: { maxDurationSeconds: 0 } });
    await store.saveMany([aged(5, { runId: "a" }), aged(6, { runId: "b" })]);
    const result = await store.runCleanup();
    expect(result.truncated).toBe(true);
    expect(result.actions.map((a) => a.outcome)).toEqual(["skipped", "skipped"]);
    expect(await store.count()).toBe(2);
  });

  it("concurrent runCleanup calls share one cleanup", async () => {
    const { store } = make([new TimeBasedPolicy({ maxAgeDays: 1 })]);
    await store.save(aged(5));
    const [a, b] = await Promise.all([store.runCleanup(), store.runCleanup()]);
    expect(a).toBe(b);
    expect(a.deleted).toBe(1);
  });

  it("unknown options and a persistent store without a ledger are CONFIGURATION errors", async () => {
    const policies = [new TimeBasedPolicy({ maxAgeDays: 1 })];
    await expectStoreError(
      () => new RetentionStore(new MemoryStore(), { policies, cleanupIntervalHours: 24 } as never),
      "CONFIGURATION",
    );
    await expectStoreError(
      () => new RetentionStore(new MemoryStore(), { policies, schedule: { runAtHour: 24 } }),
      "CONFIGURATION",
    );
    await expectStoreError(
      () => new RetentionStore(new MemoryStore(), { policies, schedule: { runOnDays: [7] } }),
      "CONFIGURATION",
    );
    const dir = tempDir("options");
    try {
      const { FileSystemStore } = await import("@truthound/store-filesystem");
      await expectStoreError(
        () => new RetentionStore(new FileSystemStore({ basePath: dir.path }), { policies }),
        "CONFIGURATION",
      );
    } finally {
      dir.remove();
    }
  });
});

describe("the index", () => {
  it("items saved around the wrapper are adopted once; vanished items are dropped from the ledger", async () => {
    const base = new MemoryStore();
    await base.save(aged(10, { runId: "before" }));
    const clock = new ManualClock(NOW);
    const store = new RetentionStore(base, {
      policies: [new TimeBasedPolicy({ maxAgeDays: 5 })],
      preserveLatest: false,
      clock,
    });
    await store.save(aged(9, { runId: "through" }));
    await store.save(aged(1, { runId: "vanishing" }));
    await base.delete("vanishing");
    const result = await store.runCleanup();
    expect([result.adopted, result.stale, result.scanned]).toEqual([1, 1, 2]);
    expect(result.actions.map((a) => a.id).sort()).toEqual(["before", "through"]);
    expect(await base.count()).toBe(0);
  });
});

describe("scheduler", () => {
  it("runs on the injected clock after the interval, never inside a save", async () => {
    const cleanups: number[] = [];
    const { store, clock } = make([new TimeBasedPolicy({ maxAgeDays: 1 })], {
      schedule: { enabled: true, intervalHours: 24, checkIntervalSeconds: 3600 },
      onCleanup: (r) => cleanups.push(r.deleted),
    });
    await store.save(aged(0, { runId: "first" }));
    expect(store.schedulerStatus().running).toBe(true);
    await clock.advance(2 * DAY - 1);
    // The cleanup after 24 h found nothing old; "first" is now 2 days old but the next cleanup is not due yet.
    expect(cleanups).toEqual([0]);
    for (let i = 0; i < 5; i++) await store.save(aged(-2 + i * 0.01, { runId: `new-${i}` }));
    expect(await store.exists("first")).toBe(true);
    expect(cleanups).toEqual([0]);
    await clock.advance(3600_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(cleanups).toEqual([0, 1]);
    expect(await store.exists("first")).toBe(false);
    await store.close();
    expect(store.schedulerStatus().running).toBe(false);
  });

  it("honours runAtHour and runOnDays (UTC)", async () => {
    const start = Date.UTC(2024, 6, 1, 0); // Monday 00:00 UTC
    const clock = new ManualClock(start);
    const runs: string[] = [];
    const { store } = make(
      [new TimeBasedPolicy({ maxAgeDays: 1 })],
      {
        schedule: {
          enabled: true,
          intervalHours: 1,
          runAtHour: 3,
          runOnDays: [3],
          checkIntervalSeconds: 1800,
        },
        onCleanup: (r) => runs.push(r.startedAt),
      },
      clock,
    );
    await store.initialize();
    await clock.advance(4 * DAY);
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toEqual(["2024-07-03T03:00:00.000Z"]);
    store.stopScheduler();
    await clock.advance(7 * DAY);
    expect(runs).toHaveLength(1);
    await store.close();
  });
});

describe("persistence", () => {
  it("the ledger survives a restart over the filesystem", async () => {
    const dir = tempDir("restart");
    try {
      const clock = new ManualClock(NOW);
      const options = { policies: [new TimeBasedPolicy({ maxAgeDays: 5 })], preserveLatest: false, clock };
      const first = filesystemRetention(dir.path, "restart", options);
      await first.saveMany([aged(10, { runId: "old" }), aged(1, { runId: "new" })]);
      await first.close();
      const second = filesystemRetention(dir.path, "restart", options);
      const result = await second.runCleanup();
      expect([result.adopted, result.actions.map((a) => a.id)]).toEqual([0, ["old"]]);
      expect(await second.listIds()).toEqual(["new"]);
      await second.close();
    } finally {
      dir.remove();
    }
  });
});
