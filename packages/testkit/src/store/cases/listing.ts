import type { ValidationResult } from "@truthound/store-core";
import { expect } from "vitest";
import { makeResults } from "../../fixtures.js";
import type { ConformanceCase } from "../case.js";
import { collectIdPages, referenceIds, saveAll } from "../reference.js";

/** Many small results, three per run time so ties are broken by id. */
function listingItems(n: number): ValidationResult[] {
  const items = makeResults(n, { validators: 1, seed: 7, stepMs: 0 });
  for (const [i, item] of items.entries()) item.runTime = Date.UTC(2024, 0, 1) + Math.floor(i / 3) * 60_000;
  return items;
}

function expectEachOnceInOrder(pages: string[][], expected: readonly string[], pageSize: number): void {
  const flat = pages.flat();
  expect(new Set(flat).size, "an id was visited twice").toBe(flat.length);
  expect(flat).toEqual(expected);
  for (const page of pages.slice(0, -1)) expect(page.length).toBe(pageSize);
  expect(pages.length).toBe(Math.max(1, Math.ceil(expected.length / pageSize)));
}

export const listingCases: ConformanceCase[] = [
  {
    group: "listing",
    name: "listIds and count see every item past 1,000, in reference order",
    slow: true,
    async run({ harness, options }) {
      const store = await harness.open();
      const items = listingItems(options.listingItems);
      await saveAll(store, items);
      expect(await store.count()).toBe(items.length);
      expect(await store.listIds()).toEqual(referenceIds(items));
      expect(await store.listIds({ ascending: true })).toEqual(referenceIds(items, { ascending: true }));
    },
  },
  {
    group: "listing",
    name: "cursor pagination past 1,000 items visits every id exactly once, in order",
    slow: true,
    async run({ harness, options }) {
      const store = await harness.open();
      const items = listingItems(options.listingItems);
      await saveAll(store, items);
      for (const [query, size] of [
        [{}, 100],
        [{ ascending: true }, 333],
        [{ orderBy: "dataAsset" as const }, 1000],
        [{ orderBy: "status" as const, ascending: true }, 7],
      ] as const) {
        const pages = await collectIdPages(store, { ...query, limit: size });
        expectEachOnceInOrder(pages, referenceIds(items, query), size);
      }
    },
  },
  {
    group: "listing",
    name: "queryPage and iterQuery return every item past 1,000, in order",
    slow: true,
    async run({ harness, options }) {
      const store = await harness.open();
      const items = listingItems(options.listingItems);
      await saveAll(store, items);
      const expected = referenceIds(items);
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.queryPage({ limit: 400, ...(cursor === undefined ? {} : { cursor }) });
        paged.push(...page.items.map((item) => item.runId));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(paged).toEqual(expected);
      const iterated: string[] = [];
      for await (const item of store.iterQuery({}, { batchSize: 128 })) iterated.push(item.runId);
      expect(iterated).toEqual(expected);
    },
  },
  {
    group: "listing",
    name: "a page that ends exactly at the last item has no nextCursor",
    async run({ harness }) {
      const store = await harness.open();
      const items = makeResults(6, { validators: 1, seed: 3 });
      await saveAll(store, items);
      const whole = await store.listIdsPage({ limit: 6 });
      expect(whole.items).toEqual(referenceIds(items));
      expect(whole.nextCursor).toBeUndefined();
      const first = await store.listIdsPage({ limit: 3 });
      expect(first.nextCursor).toBeTypeOf("string");
      const second = await store.listIdsPage({ limit: 3, cursor: first.nextCursor });
      expect([...first.items, ...second.items]).toEqual(referenceIds(items));
      expect(second.nextCursor).toBeUndefined();
      const empty = await store.listIdsPage({ dataAsset: "no-such-asset", limit: 3 });
      expect(empty).toEqual({ items: [], nextCursor: undefined });
    },
  },
];
