import { expect } from "vitest";
import { expectSameResult, expectStoreError } from "../../assertions.js";
import { makeResult } from "../../fixtures.js";
import type { ConformanceCase } from "../case.js";

export const namespaceCases: ConformanceCase[] = [
  {
    group: "namespaces",
    name: "stores on different namespaces do not see each other's items",
    async run({ harness }) {
      const a = await harness.open();
      const b = await harness.open();
      const inA = makeResult({ runId: "shared-id", dataAsset: "orders", status: "success" });
      const inB = makeResult({ runId: "shared-id", dataAsset: "customers", status: "failure" });
      await a.save(inA);
      expect(await b.exists("shared-id")).toBe(false);
      expect(await b.listIds()).toEqual([]);
      expect(await b.count()).toBe(0);
      await expectStoreError(b.get("shared-id"), "NOT_FOUND");
      await b.save(inB);
      expectSameResult(await a.get("shared-id"), inA);
      expectSameResult(await b.get("shared-id"), inB);
      expect(await a.listIds({ dataAsset: "customers" })).toEqual([]);
      expect(await b.clear()).toBe(1);
      expectSameResult(await a.get("shared-id"), inA);
    },
  },
  {
    group: "namespaces",
    name: "two stores on the same namespace share their items",
    async run({ harness, options, skip }) {
      if (!options.sharedNamespaces)
        skip("the factory does not open shared namespaces (sharedNamespaces: false)");
      const namespace = harness.newNamespace();
      const first = await harness.open(namespace);
      const second = await harness.open(namespace);
      const result = makeResult({ dataAsset: "orders" });
      await first.save(result);
      expectSameResult(await second.get(result.runId), result);
      expect(await second.listIds({ dataAsset: "orders" })).toEqual([result.runId]);
      expect(await second.delete(result.runId)).toBe(true);
      expect(await first.exists(result.runId)).toBe(false);
    },
  },
  {
    group: "namespaces",
    name: "items survive closing the store and opening another on the same namespace",
    async run({ harness, options, skip }) {
      if (!options.sharedNamespaces)
        skip("the factory does not open shared namespaces (sharedNamespaces: false)");
      const namespace = harness.newNamespace();
      const writer = await harness.open(namespace);
      if (!writer.capabilities.persistent) skip("the store is not persistent");
      const older = makeResult({ dataAsset: "orders", runTime: Date.UTC(2024, 0, 1) });
      const newer = makeResult({ dataAsset: "orders", runTime: Date.UTC(2024, 0, 2), status: "failure" });
      await writer.save(older);
      await writer.save(newer);
      await writer.close();
      const reader = await harness.open(namespace);
      expectSameResult(await reader.get(older.runId), older);
      expect(await reader.listIds({ dataAsset: "orders" })).toEqual([newer.runId, older.runId]);
      expectSameResult(await reader.getLatest("orders"), newer);
    },
  },
];
