import type { Store, StoreQuery, ValidationResult } from "@truthound/store-core";
import { expect } from "vitest";
import { expectStoreError } from "../../assertions.js";
import { makeResults } from "../../fixtures.js";
import type { ConformanceCase } from "../case.js";
import { saveAll } from "../reference.js";

/** Queries every store must refuse with INVALID_ARGUMENT (cast: some are not even well-typed). */
export const INVALID_QUERIES: ReadonlyArray<[string, StoreQuery]> = [
  ["orderBy not whitelisted", { orderBy: "runId" as never }],
  ["orderBy in snake_case", { orderBy: "run_time" as never }],
  ["orderBy of a tag", { orderBy: "tags.env" as never }],
  ["negative limit", { limit: -1 }],
  ["fractional limit", { limit: 1.5 }],
  ["NaN limit", { limit: Number.NaN }],
  ["limit as a string", { limit: "10" as never }],
  ["negative offset", { offset: -3 }],
  ["unknown key", { foo: 1 } as never],
  ["snake_case key", { data_asset: "orders" } as never],
  ["unknown status", { status: "passed" }],
  ["unparsable startTime", { startTime: "yesterday" }],
  ["invalid endTime date", { endTime: new Date(Number.NaN) }],
  ["non-string tag value", { tags: { env: 1 } as never }],
  ["non-boolean ascending", { ascending: "yes" as never }],
  ["garbage cursor", { cursor: "not a cursor" }],
  ["empty cursor", { cursor: "" }],
  ["cursor of an empty object", { cursor: Buffer.from("{}").toString("base64url") }],
];

async function expectInvalidEverywhere(store: Store<ValidationResult>, query: StoreQuery): Promise<void> {
  await expectStoreError(() => store.listIds(query), "INVALID_ARGUMENT");
  await expectStoreError(() => store.listIdsPage(query), "INVALID_ARGUMENT");
  await expectStoreError(() => store.query(query), "INVALID_ARGUMENT");
  await expectStoreError(() => store.queryPage(query), "INVALID_ARGUMENT");
  await expectStoreError(() => store.count(query), "INVALID_ARGUMENT");
  await expectStoreError(async () => {
    for await (const _ of store.iterQuery(query)) break;
  }, "INVALID_ARGUMENT");
  await expectStoreError(() => store.clear(query), "INVALID_ARGUMENT");
}

export const invalidQueryCases: ConformanceCase[] = [
  {
    group: "invalidQueries",
    name: "malformed queries are INVALID_ARGUMENT on every query operation, and clear deletes nothing",
    async run({ harness }) {
      const store = await harness.open();
      const items = makeResults(5, { validators: 1 });
      await saveAll(store, items);
      for (const [why, query] of INVALID_QUERIES) {
        try {
          await expectInvalidEverywhere(store, query);
        } catch (error) {
          throw new Error(`query with ${why} (${JSON.stringify(query)}): ${(error as Error).message}`, {
            cause: error,
          });
        }
      }
      expect(await store.count()).toBe(items.length);
    },
  },
  {
    group: "invalidQueries",
    name: "a cursor used with a different orderBy or direction is INVALID_ARGUMENT",
    async run({ harness }) {
      const store = await harness.open();
      await saveAll(store, makeResults(5, { validators: 1 }));
      const { nextCursor } = await store.listIdsPage({ limit: 2 });
      expect(nextCursor).toBeTypeOf("string");
      await expectInvalidEverywhere(store, { cursor: nextCursor, orderBy: "dataAsset" });
      await expectInvalidEverywhere(store, { cursor: nextCursor, ascending: true });
      expect(await store.count()).toBe(5);
    },
  },
  {
    group: "invalidQueries",
    name: "iterQuery rejects a batchSize that is not a positive integer; getLatest rejects a non-string asset",
    async run({ harness }) {
      const store = await harness.open();
      for (const batchSize of [0, -1, 1.5]) {
        await expectStoreError(async () => {
          for await (const _ of store.iterQuery({}, { batchSize })) break;
        }, "INVALID_ARGUMENT");
      }
      await expectStoreError(() => store.getLatest(42 as never), "INVALID_ARGUMENT");
    },
  },
];
