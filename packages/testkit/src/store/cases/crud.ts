import { expect } from "vitest";
import { expectSameResult } from "../../assertions.js";
import { makeResult } from "../../fixtures.js";
import type { ConformanceCase } from "../case.js";

export const crudCases: ConformanceCase[] = [
  {
    group: "crud",
    name: "save returns the run id; get returns the same data; exists is true",
    async run({ harness }) {
      const store = await harness.open();
      const result = makeResult({ dataAsset: "customers.csv", status: "failure", validators: 6 });
      expect(await store.save(result)).toBe(result.runId);
      expect(await store.exists(result.runId)).toBe(true);
      expectSameResult(await store.get(result.runId), result);
      expect(await store.listIds()).toEqual([result.runId]);
      expect(await store.count()).toBe(1);
    },
  },
  {
    group: "crud",
    name: "getWithEtag reports the non-empty etag that saveWithEtag returned",
    async run({ harness }) {
      const store = await harness.open();
      const result = makeResult();
      const saved = await store.saveWithEtag(result);
      expect(saved.id).toBe(result.runId);
      expect(typeof saved.etag).toBe("string");
      expect(saved.etag.length).toBeGreaterThan(0);
      const read = await store.getWithEtag(result.runId);
      expect(read.etag).toBe(saved.etag);
      expectSameResult(read.item, result);
    },
  },
  {
    group: "crud",
    name: "saving an existing id overwrites the document and what queries see",
    async run({ harness }) {
      const store = await harness.open();
      const first = makeResult({ dataAsset: "orders.parquet", status: "success", tags: { env: "prod" } });
      await store.save(first);
      const second = makeResult({
        runId: first.runId,
        runTime: first.runTime.getTime() + 60_000,
        dataAsset: "customers.csv",
        status: "failure",
        tags: { env: "dev" },
        metadata: { replaced: true },
      });
      expect(await store.save(second)).toBe(first.runId);
      expectSameResult(await store.get(first.runId), second);
      expect(await store.count()).toBe(1);
      expect(await store.listIds({ dataAsset: "orders.parquet" })).toEqual([]);
      expect(await store.listIds({ dataAsset: "customers.csv" })).toEqual([first.runId]);
      expect(await store.listIds({ status: "success" })).toEqual([]);
      expect(await store.listIds({ tags: { env: "prod" } })).toEqual([]);
      expect(await store.listIds({ tags: { env: "dev" } })).toEqual([first.runId]);
      expect(await store.count({ startTime: second.runTime, endTime: second.runTime })).toBe(1);
      expect(await store.count({ endTime: first.runTime })).toBe(0);
    },
  },
  {
    group: "crud",
    name: "delete removes only that item and returns true, then false",
    async run({ harness }) {
      const store = await harness.open();
      const keep = makeResult({ runTime: Date.UTC(2024, 0, 1) });
      const drop = makeResult({ runTime: Date.UTC(2024, 0, 2) });
      await store.save(keep);
      await store.save(drop);
      expect(await store.delete(drop.runId)).toBe(true);
      expect(await store.exists(drop.runId)).toBe(false);
      expect(await store.delete(drop.runId)).toBe(false);
      expect(await store.listIds()).toEqual([keep.runId]);
      expect(await store.count()).toBe(1);
      expectSameResult(await store.get(keep.runId), keep);
    },
  },
  {
    group: "crud",
    name: "a deleted id can be saved again",
    async run({ harness }) {
      const store = await harness.open();
      const result = makeResult();
      await store.save(result);
      await store.delete(result.runId);
      const again = makeResult({ runId: result.runId, status: "warning" });
      await store.save(again);
      expectSameResult(await store.get(result.runId), again);
      expect(await store.listIds()).toEqual([result.runId]);
    },
  },
];
