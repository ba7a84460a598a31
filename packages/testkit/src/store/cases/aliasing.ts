import { ValidationResult } from "@truthound/store-core";
import { expect } from "vitest";
import { expectSameResult } from "../../assertions.js";
import { makeResult } from "../../fixtures.js";
import type { CaseContext, ConformanceCase } from "../case.js";

function mutate(item: ValidationResult): void {
  item.status = "error";
  item.dataAsset = "mutated";
  item.runTime = new Date(0);
  item.tags.env = "mutated";
  (item.metadata.nested as { list: unknown[] }).list.push("mutated");
  const first = item.results[0];
  if (first) {
    first.success = !first.success;
    first.details.mutated = true;
  }
  item.statistics.totalRows = -1;
  item.runtimeEnvironment.mutated = true;
}

function sample(): ValidationResult {
  return makeResult({ dataAsset: "orders", tags: { env: "prod" }, metadata: { nested: { list: [1, 2] } } });
}

function requireCopies(context: CaseContext): void {
  if (!context.options.copiesItems)
    context.skip("the store shares objects with its caller (copiesItems: false)");
}

export const aliasingCases: ConformanceCase[] = [
  {
    group: "aliasing",
    name: "mutating an item after save changes neither the stored document nor the index",
    async run(context) {
      requireCopies(context);
      const store = await context.harness.open();
      const item = sample();
      const snapshot = ValidationResult.fromDict(structuredClone(item.toDict()));
      await store.save(item);
      mutate(item);
      expectSameResult(await store.get(item.runId), snapshot);
      expect(await store.listIds({ dataAsset: "orders", tags: { env: "prod" } })).toEqual([item.runId]);
    },
  },
  {
    group: "aliasing",
    name: "mutating what get or query returned does not change the stored document",
    async run(context) {
      requireCopies(context);
      const store = await context.harness.open();
      const item = sample();
      const snapshot = ValidationResult.fromDict(structuredClone(item.toDict()));
      await store.save(item);
      mutate(await store.get(item.runId));
      const [queried] = await store.query({ dataAsset: "orders" });
      if (queried === undefined) throw new Error("query returned nothing");
      mutate(queried);
      const latest = await store.getLatest("orders");
      if (latest === undefined) throw new Error("getLatest returned nothing");
      mutate(latest);
      expectSameResult(await store.get(item.runId), snapshot);
    },
  },
];
