import type { BatchOutcome, Store, ValidationResult } from "@truthound/store-core";
import { expect } from "vitest";
import { expectSameResult, expectStoreError } from "../../assertions.js";
import { makeResult } from "../../fixtures.js";
import type { ConformanceCase } from "../case.js";

async function expectBatchClosed(batch: Promise<BatchOutcome<unknown>[]>): Promise<void> {
  let outcomes: BatchOutcome<unknown>[];
  try {
    outcomes = await batch;
  } catch (error) {
    await expectStoreError(Promise.reject(error), "CLOSED");
    return;
  }
  expect(outcomes.length).toBeGreaterThan(0);
  for (const outcome of outcomes) {
    if (outcome.ok) throw new Error(`batch item ${outcome.id} succeeded on a closed store`);
    await expectStoreError(Promise.reject(outcome.error), "CLOSED");
  }
}

async function expectEveryOperationClosed(store: Store<ValidationResult>, id: string): Promise<void> {
  const item = makeResult({ runId: id });
  await expectStoreError(() => store.initialize(), "CLOSED");
  await expectStoreError(() => store.save(item), "CLOSED");
  await expectStoreError(() => store.saveWithEtag(item), "CLOSED");
  await expectStoreError(() => store.get(id), "CLOSED");
  await expectStoreError(() => store.getWithEtag(id), "CLOSED");
  await expectStoreError(() => store.exists(id), "CLOSED");
  await expectStoreError(() => store.delete(id), "CLOSED");
  await expectStoreError(() => store.listIds(), "CLOSED");
  await expectStoreError(() => store.listIdsPage({ limit: 1 }), "CLOSED");
  await expectStoreError(() => store.query(), "CLOSED");
  await expectStoreError(() => store.queryPage(), "CLOSED");
  await expectStoreError(() => store.count(), "CLOSED");
  await expectStoreError(() => store.getLatest("orders"), "CLOSED");
  await expectStoreError(() => store.clear(), "CLOSED");
  await expectStoreError(async () => {
    for await (const _ of store.iterQuery()) break;
  }, "CLOSED");
  await expectBatchClosed(store.saveMany([item]));
  await expectBatchClosed(store.getMany([id]));
  await expectBatchClosed(store.deleteMany([id]));
}

export const lifecycleCases: ConformanceCase[] = [
  {
    group: "lifecycle",
    name: "operations initialize lazily; initialize is idempotent, also when called concurrently",
    async run({ harness }) {
      const lazy = await harness.open();
      const item = makeResult();
      await lazy.save(item);
      expectSameResult(await lazy.get(item.runId), item);
      const eager = await harness.open();
      await Promise.all([eager.initialize(), eager.initialize(), eager.initialize()]);
      await eager.initialize();
      expect(await eager.count()).toBe(0);
    },
  },
  {
    group: "lifecycle",
    name: "close is idempotent, also when called concurrently",
    async run({ harness }) {
      const store = await harness.open();
      await store.save(makeResult());
      await Promise.all([store.close(), store.close()]);
      await store.close();
      const unused = await harness.open();
      await unused.close();
      await unused.close();
    },
  },
  {
    group: "lifecycle",
    name: "every operation after close fails with CLOSED",
    async run({ harness }) {
      const store = await harness.open();
      const item = makeResult();
      await store.save(item);
      await store.close();
      await expectEveryOperationClosed(store, item.runId);
      const neverUsed = await harness.open();
      await neverUsed.close();
      await expectEveryOperationClosed(neverUsed, item.runId);
    },
  },
  {
    group: "lifecycle",
    name: "await using closes the store at the end of the block",
    async run({ harness }) {
      let escaped: Store<ValidationResult>;
      const item = makeResult();
      {
        await using store = await harness.open();
        await store.save(item);
        escaped = store;
      }
      await expectStoreError(() => escaped.get(item.runId), "CLOSED");
      const disposed = await harness.open();
      await disposed[Symbol.asyncDispose]();
      await expectStoreError(() => disposed.count(), "CLOSED");
    },
  },
];
