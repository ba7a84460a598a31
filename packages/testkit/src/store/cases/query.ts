import type { Store, StoreQuery, ValidationResult } from "@truthound/store-core";
import fc from "fast-check";
import { expect } from "vitest";
import { expectSameResults } from "../../assertions.js";
import { makeResult } from "../../fixtures.js";
import type { ConformanceCase } from "../case.js";
import { buildItems, continuationArbitrary, itemSetArbitrary, queryArbitrary } from "../query-arbitraries.js";
import { collectIdPages, referenceCount, referenceIds, referencePage, saveAll } from "../reference.js";

const DAY = 86_400_000;

/** Checks one query against the reference semantics: ids, pages, documents, count, cursor continuation. */
async function checkQuery(
  store: Store<ValidationResult>,
  items: readonly ValidationResult[],
  query: StoreQuery,
  continuation: { offset: number; limit: number },
): Promise<void> {
  const byId = new Map(items.map((item) => [item.runId, item]));
  const expected = referencePage(items, query);
  const expectedIds = expected.entries.map((e) => e.id);
  const label = JSON.stringify(query);

  expect(await store.listIds(query), `listIds ${label}`).toEqual(expectedIds);
  const page = await store.listIdsPage(query);
  expect(page.items, `listIdsPage ${label}`).toEqual(expectedIds);
  expect(page.nextCursor !== undefined, `nextCursor presence ${label}`).toBe(
    expected.nextCursor !== undefined,
  );
  expectSameResults(
    await store.query(query),
    expectedIds.map((id) => byId.get(id) as ValidationResult),
  );
  expect(await store.count(query), `count ${label}`).toBe(referenceCount(items, query));

  // Walking every page from the query's offset gives the rest of the ordered result, each id once.
  const { limit: _limit, offset = 0, ...filters } = query;
  const all = referenceIds(items, filters);
  const pageSize = query.limit !== undefined && query.limit > 0 ? query.limit : 5;
  const pages = await collectIdPages(store, { ...filters, offset, limit: pageSize });
  expect(pages.flat(), `pages of ${pageSize} ${label}`).toEqual(all.slice(offset));

  // A cursor combined with an offset skips that many more items after the cursor.
  const first = await store.listIdsPage({ ...filters, offset, limit: pageSize });
  if (first.nextCursor === undefined) return;
  const resumed = await store.listIdsPage({
    ...filters,
    cursor: first.nextCursor,
    offset: continuation.offset,
    limit: continuation.limit,
  });
  const from = offset + pageSize + continuation.offset;
  expect(resumed.items, `cursor + offset ${label}`).toEqual(all.slice(from, from + continuation.limit));
  expect(resumed.nextCursor !== undefined).toBe(from + continuation.limit < all.length);
}

export const queryCases: ConformanceCase[] = [
  {
    group: "query",
    name: "every StoreQuery parameter matches the reference semantics (property-based)",
    slow: true,
    async run({ harness, options }) {
      const store = await harness.open();
      await fc.assert(
        fc.asyncProperty(
          itemSetArbitrary(options.propertyMaxItems),
          fc.array(fc.tuple(queryArbitrary, continuationArbitrary), { minLength: 1, maxLength: 4 }),
          async (specs, queries) => {
            await store.clear();
            expect(await store.count()).toBe(0);
            const items = buildItems(specs);
            await saveAll(store, items);
            for (const [query, continuation] of queries) await checkQuery(store, items, query, continuation);
          },
        ),
        { numRuns: options.propertyRuns, ...(options.seed === undefined ? {} : { seed: options.seed }) },
      );
    },
  },
  {
    group: "query",
    name: "the default order is newest first, ties broken by id descending",
    async run({ harness }) {
      const store = await harness.open();
      const t = Date.UTC(2024, 5, 1);
      const items = [
        makeResult({ runId: "b", runTime: t }),
        makeResult({ runId: "a", runTime: t }),
        makeResult({ runId: "c", runTime: t - DAY }),
        makeResult({ runId: "d", runTime: t + DAY }),
      ];
      await saveAll(store, items);
      expect(await store.listIds()).toEqual(["d", "b", "a", "c"]);
      expect(await store.listIds({ ascending: true })).toEqual(["c", "a", "b", "d"]);
    },
  },
  {
    group: "query",
    name: "startTime and endTime are inclusive, as a Date, an ISO string or epoch ms",
    async run({ harness }) {
      const store = await harness.open();
      const t = Date.UTC(2024, 5, 1, 12);
      const items = [-2, -1, 0, 1, 2].map((d) => makeResult({ runId: `day${d + 2}`, runTime: t + d * DAY }));
      await saveAll(store, items);
      const start = t - DAY;
      const end = t + DAY;
      for (const [s, e] of [
        [new Date(start), new Date(end)],
        [new Date(start).toISOString(), new Date(end).toISOString()],
        [start, end],
      ] as const) {
        expect(await store.listIds({ startTime: s, endTime: e, ascending: true })).toEqual([
          "day1",
          "day2",
          "day3",
        ]);
      }
      expect(await store.listIds({ startTime: t, endTime: t })).toEqual(["day2"]);
      expect(await store.listIds({ startTime: t + 1, endTime: t + DAY - 1 })).toEqual([]);
    },
  },
  {
    group: "query",
    name: "asset, status and every given tag must all match",
    async run({ harness }) {
      const store = await harness.open();
      const items = [
        makeResult({
          runId: "m1",
          dataAsset: "orders",
          status: "failure",
          tags: { env: "prod", team: "core" },
        }),
        makeResult({ runId: "m2", dataAsset: "orders", status: "failure", tags: { env: "prod" } }),
        makeResult({
          runId: "m3",
          dataAsset: "orders",
          status: "success",
          tags: { env: "prod", team: "core" },
        }),
        makeResult({
          runId: "m4",
          dataAsset: "Orders",
          status: "failure",
          tags: { env: "prod", team: "core" },
        }),
      ];
      await saveAll(store, items);
      const q = { dataAsset: "orders", status: "failure", tags: { env: "prod", team: "core" } };
      expect(await store.listIds(q)).toEqual(["m1"]);
      expect(await store.count(q)).toBe(1);
      expect([...(await store.listIds({ tags: { env: "prod" } }))].sort()).toEqual(["m1", "m2", "m3", "m4"]);
      expect(await store.listIds({ tags: { team: "nobody" } })).toEqual([]);
    },
  },
  {
    group: "query",
    name: "count ignores limit, offset and cursor",
    async run({ harness }) {
      const store = await harness.open();
      await saveAll(
        store,
        [0, 1, 2, 3, 4].map((i) => makeResult({ runId: `c${i}`, runTime: i * 1000 })),
      );
      const page = await store.listIdsPage({ limit: 2 });
      expect(await store.count({ limit: 2, offset: 1 })).toBe(5);
      expect(await store.count({ cursor: page.nextCursor })).toBe(5);
    },
  },
];
