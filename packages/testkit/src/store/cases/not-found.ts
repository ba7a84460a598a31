import { isStoreError, type StoreNotFoundError } from "@truthound/store-core";
import { expect } from "vitest";
import { expectStoreError } from "../../assertions.js";
import { makeResult } from "../../fixtures.js";
import type { ConformanceCase } from "../case.js";

export const notFoundCases: ConformanceCase[] = [
  {
    group: "notFound",
    name: "get of a missing id throws NOT_FOUND naming the identifier",
    async run({ harness }) {
      const store = await harness.open();
      await store.save(makeResult());
      const id = "run_20240101_000000_deadbeef";
      const error = await expectStoreError(store.get(id), "NOT_FOUND");
      expect(isStoreError(error, "NOT_FOUND")).toBe(true);
      expect((error as StoreNotFoundError).identifier).toBe(id);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(id);
    },
  },
  {
    group: "notFound",
    name: "getWithEtag of a missing id throws NOT_FOUND",
    async run({ harness }) {
      const store = await harness.open();
      const error = await expectStoreError(store.getWithEtag("missing/id"), "NOT_FOUND");
      expect((error as StoreNotFoundError).identifier).toBe("missing/id");
    },
  },
  {
    group: "notFound",
    name: "exists and delete of a missing id return false",
    async run({ harness }) {
      const store = await harness.open();
      expect(await store.exists("missing")).toBe(false);
      expect(await store.delete("missing")).toBe(false);
    },
  },
  {
    group: "notFound",
    name: "get after delete throws NOT_FOUND",
    async run({ harness }) {
      const store = await harness.open();
      const result = makeResult();
      await store.save(result);
      await store.delete(result.runId);
      const error = await expectStoreError(store.get(result.runId), "NOT_FOUND");
      expect((error as StoreNotFoundError).identifier).toBe(result.runId);
    },
  },
  {
    group: "notFound",
    name: "getLatest of an asset with no results is undefined",
    async run({ harness }) {
      const store = await harness.open();
      await store.save(makeResult({ dataAsset: "orders.parquet" }));
      expect(await store.getLatest("customers.csv")).toBeUndefined();
    },
  },
];
