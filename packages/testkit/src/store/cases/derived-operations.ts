import type { ValidationResult } from "@truthound/store-core";
import { expect } from "vitest";
import { expectSameResult } from "../../assertions.js";
import { makeResult, makeResults } from "../../fixtures.js";
import type { ConformanceCase } from "../case.js";
import { referenceCount, referenceIds, saveAll } from "../reference.js";

async function collect(iterable: AsyncIterable<ValidationResult>): Promise<string[]> {
  const ids: string[] = [];
  for await (const item of iterable) ids.push(item.runId);
  return ids;
}

export const derivedOperationCases: ConformanceCase[] = [
  {
    group: "derivedOperations",
    name: "getLatest returns the newest result of the asset",
    async run({ harness }) {
      const store = await harness.open();
      const t = Date.UTC(2024, 3, 1);
      const newest = makeResult({ dataAsset: "orders", runTime: t + 2000, status: "failure" });
      await saveAll(store, [
        makeResult({ dataAsset: "orders", runTime: t }),
        newest,
        makeResult({ dataAsset: "orders", runTime: t + 1000 }),
        makeResult({ dataAsset: "customers", runTime: t + 5000 }),
      ]);
      expectSameResult(await store.getLatest("orders"), newest);
    },
  },
  {
    group: "derivedOperations",
    name: "iterQuery yields every match in order across batches and respects limit and offset",
    async run({ harness }) {
      const store = await harness.open();
      const items = makeResults(23, { validators: 1, seed: 11, assets: ["orders", "customers"] });
      await saveAll(store, items);
      for (const batchSize of [1, 4, 100]) {
        expect(await collect(store.iterQuery({}, { batchSize }))).toEqual(referenceIds(items));
      }
      const query = { dataAsset: "orders", ascending: true };
      expect(await collect(store.iterQuery(query, { batchSize: 3 }))).toEqual(referenceIds(items, query));
      expect(await collect(store.iterQuery({ limit: 7 }, { batchSize: 3 }))).toEqual(
        referenceIds(items, { limit: 7 }),
      );
      expect(await collect(store.iterQuery({ limit: 6 }, { batchSize: 3 }))).toEqual(
        referenceIds(items, { limit: 6 }),
      );
      expect(await collect(store.iterQuery({ offset: 5, limit: 9 }, { batchSize: 4 }))).toEqual(
        referenceIds(items, { offset: 5, limit: 9 }),
      );
      expect(await collect(store.iterQuery({ limit: 0 }, { batchSize: 4 }))).toEqual([]);
    },
  },
  {
    group: "derivedOperations",
    name: "count matches the filters",
    async run({ harness }) {
      const store = await harness.open();
      const items = makeResults(30, { validators: 1, seed: 5 });
      await saveAll(store, items);
      for (const query of [
        {},
        { status: "failure" },
        { dataAsset: "orders.parquet" },
        { tags: { env: "prod" } },
      ]) {
        expect(await store.count(query), JSON.stringify(query)).toBe(referenceCount(items, query));
      }
    },
  },
  {
    group: "derivedOperations",
    name: "clear(query) deletes only the matches and returns how many; clear() deletes the rest",
    async run({ harness }) {
      const store = await harness.open();
      const items = makeResults(25, { validators: 1, seed: 9 });
      await saveAll(store, items);
      const query = { status: "failure" };
      const matching = referenceCount(items, query);
      expect(matching).toBeGreaterThan(0);
      expect(await store.clear(query)).toBe(matching);
      expect(await store.count(query)).toBe(0);
      const rest = items.filter((item) => item.status !== "failure");
      expect(await store.listIds()).toEqual(referenceIds(rest));
      expect(await store.clear({ ...query, limit: 1 })).toBe(0);
      expect(await store.clear()).toBe(rest.length);
      expect(await store.listIds()).toEqual([]);
      expect(await store.clear()).toBe(0);
    },
  },
  {
    group: "derivedOperations",
    name: "clear(query) with a limit deletes only that page",
    async run({ harness }) {
      const store = await harness.open();
      const items = makeResults(10, { validators: 1, seed: 13 });
      await saveAll(store, items);
      const page = referenceIds(items, { limit: 4 });
      expect(await store.clear({ limit: 4 })).toBe(4);
      for (const id of page) expect(await store.exists(id)).toBe(false);
      expect(await store.count()).toBe(6);
    },
  },
];
