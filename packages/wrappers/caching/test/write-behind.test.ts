import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isStoreError, ManualClock, type StoreError } from "@truthound/store-core";
import { FileSystemStore } from "@truthound/store-filesystem";
import { expectSameResult, expectStoreError, makeResult, makeResults } from "@truthound/store-testkit";
import { afterAll, describe, expect, it } from "vitest";
import { CachedStore, CacheMode } from "../src/index.js";
import { countingStore } from "./helpers/counting-store.js";

const WRITE_BEHIND = CacheMode.WRITE_BEHIND;

describe("WRITE_BEHIND", () => {
  it("save returns before the store has the item; the interval flush writes it", async () => {
    const clock = new ManualClock(0);
    const c = countingStore();
    const store = new CachedStore(c.store, {
      mode: WRITE_BEHIND,
      scheduler: clock,
      writeBehindIntervalMs: 50,
    });
    const item = makeResult();
    await store.save(item);
    expect(await c.inner.exists(item.runId)).toBe(false);
    expect(await store.exists(item.runId)).toBe(true);
    expectSameResult(await store.get(item.runId), item);
    expect(store.getStats().pendingWrites).toBe(1);
    await clock.advance(50);
    await store.flush();
    expectSameResult(await c.inner.get(item.runId), item);
    expect(store.getStats()).toMatchObject({ pendingWrites: 0, flushedWrites: 1 });
  });

  it("repeated saves of one id are coalesced into one write of the newest version", async () => {
    const c = countingStore();
    const store = new CachedStore(c.store, { mode: WRITE_BEHIND, scheduler: new ManualClock(0) });
    const id = "coalesced";
    for (const status of ["success", "failure", "warning"] as const)
      await store.save(makeResult({ runId: id, status }));
    await store.flush();
    expect(c.calls.saveWithEtag).toBe(1);
    expect((await c.inner.get(id)).status).toBe("warning");
  });

  it("close writes everything still queued: nothing is lost", async () => {
    const basePath = mkdtempSync(join(tmpdir(), "truthound-wb-"));
    afterAll(() => rmSync(basePath, { recursive: true, force: true }));
    const items = makeResults(40);
    const store = new CachedStore(new FileSystemStore({ basePath, namespace: "wb" }), {
      mode: WRITE_BEHIND,
      writeBehindIntervalMs: 60_000,
    });
    for (const item of items) await store.save(item);
    await store.close();
    const reopened = new FileSystemStore({ basePath, namespace: "wb" });
    expect((await reopened.listIds()).sort()).toEqual(items.map((i) => i.runId).sort());
    for (const item of items.slice(0, 5)) expectSameResult(await reopened.get(item.runId), item);
    await reopened.close();
  });

  it("a failing flush rejects with the failed ids, keeps them queued, and a later flush writes them", async () => {
    const c = countingStore();
    const store = new CachedStore(c.store, { mode: WRITE_BEHIND, scheduler: new ManualClock(0) });
    const item = makeResult();
    await store.save(item);
    c.fail("saveWithEtag", new Error("store unavailable"));
    const error = (await store.flush().then(
      () => undefined,
      (e: unknown) => e,
    )) as StoreError;
    expect(isStoreError(error, "WRITE")).toBe(true);
    expect(error.message).toMatch(/1 of 1 queued writes failed/);
    expect((error.details.failures as { id: string }[]).map((f) => f.id)).toEqual([item.runId]);
    expect(store.getStats()).toMatchObject({ pendingWrites: 1, flushErrors: 1 });
    expectSameResult(await store.get(item.runId), item);
    c.heal();
    await store.flush();
    expectSameResult(await c.inner.get(item.runId), item);
  });

  it("background flush errors reach onFlushError", async () => {
    const clock = new ManualClock(0);
    const c = countingStore();
    const seen: StoreError[] = [];
    const store = new CachedStore(c.store, {
      mode: WRITE_BEHIND,
      scheduler: clock,
      writeBehindIntervalMs: 10,
      onFlushError: (e) => seen.push(e),
    });
    c.fail("saveWithEtag", new Error("boom"));
    await store.save(makeResult());
    await clock.advance(10);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.code).toBe("WRITE");
  });

  it("close surfaces what could not be written, with the items", async () => {
    const c = countingStore();
    const store = new CachedStore(c.store, { mode: WRITE_BEHIND, scheduler: new ManualClock(0) });
    const item = makeResult();
    await store.save(item);
    c.fail("saveWithEtag", new Error("store unavailable"));
    const error = (await store.close().then(
      () => undefined,
      (e: unknown) => e,
    )) as StoreError;
    expect(isStoreError(error, "WRITE")).toBe(true);
    const unwritten = error.details.unwrittenItems as { runId: string }[];
    expect(unwritten.map((i) => i.runId)).toEqual([item.runId]);
  });

  it("a full queue makes save wait for a flush (backpressure, never a drop)", async () => {
    const c = countingStore();
    const store = new CachedStore(c.store, {
      mode: WRITE_BEHIND,
      scheduler: new ManualClock(0),
      writeBehindMaxPending: 5,
    });
    for (const item of makeResults(12)) await store.save(item);
    expect(store.getStats().pendingWrites).toBeLessThan(5);
    expect(c.inner.size).toBeGreaterThanOrEqual(10);
    await store.flush();
    expect(c.inner.size).toBe(12);
  });

  it("queries, counts and listings flush first, so they see every save", async () => {
    const c = countingStore();
    const store = new CachedStore(c.store, { mode: WRITE_BEHIND, scheduler: new ManualClock(0) });
    const items = makeResults(7, { assets: ["orders"] });
    for (const item of items) await store.save(item);
    expect(await store.count({ dataAsset: "orders" })).toBe(7);
    expect((await store.query({ dataAsset: "orders" })).length).toBe(7);
  });

  it("deleting a queued item cancels its write; a delete waits for a write already under way", async () => {
    const c = countingStore();
    const store = new CachedStore(c.store, { mode: WRITE_BEHIND, scheduler: new ManualClock(0) });
    const queued = makeResult();
    await store.save(queued);
    expect(await store.delete(queued.runId)).toBe(true);
    await store.flush();
    expect(await c.inner.exists(queued.runId)).toBe(false);

    const inFlight = makeResult();
    await store.save(inFlight);
    c.hold("saveWithEtag");
    const flushing = store.flush();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const deleting = store.delete(inFlight.runId);
    c.release();
    await flushing;
    expect(await deleting).toBe(true);
    expect(await c.inner.exists(inFlight.runId)).toBe(false);
    await expectStoreError(store.get(inFlight.runId), "NOT_FOUND");
  });

  it("saveWithEtag and conditional saves write synchronously, after the queued version of the id", async () => {
    const c = countingStore();
    const store = new CachedStore(c.store, { mode: WRITE_BEHIND, scheduler: new ManualClock(0) });
    const v1 = makeResult();
    await store.save(v1);
    const { etag } = await store.getWithEtag(v1.runId);
    expect(await c.inner.exists(v1.runId)).toBe(true);
    const v2 = makeResult({ runId: v1.runId, status: "failure" });
    await store.save(v2, { ifMatch: etag });
    expect((await c.inner.get(v1.runId)).status).toBe("failure");
    await expectStoreError(store.save(makeResult({ runId: v1.runId }), { ifNoneMatch: "*" }), "CONFLICT");
  });
});
