import type { Store, ValidationResult } from "@truthound/store-core";
import { expect } from "vitest";
import { expectSameResult, expectStoreError } from "../../assertions.js";
import { makeResult } from "../../fixtures.js";
import type { CaseContext, ConformanceCase } from "../case.js";

async function conditionalStore(context: CaseContext): Promise<Store<ValidationResult>> {
  const store = await context.harness.open();
  if (!store.capabilities.conditionalWrites) context.skip("the store does not declare conditionalWrites");
  return store;
}

export const conditionalWriteCases: ConformanceCase[] = [
  {
    group: "conditionalWrites",
    name: "without the capability, ifMatch and ifNoneMatch are refused and nothing is written",
    async run({ harness, skip }) {
      const store = await harness.open();
      if (store.capabilities.conditionalWrites) skip("the store supports conditional writes");
      const result = makeResult();
      await expectStoreError(store.save(result, { ifNoneMatch: "*" }), "INVALID_ARGUMENT", "UNSUPPORTED");
      await expectStoreError(store.save(result, { ifMatch: "1" }), "INVALID_ARGUMENT", "UNSUPPORTED");
      expect(await store.count()).toBe(0);
    },
  },
  {
    group: "conditionalWrites",
    name: 'ifNoneMatch: "*" creates a new item and refuses to overwrite with CONFLICT',
    async run(context) {
      const store = await conditionalStore(context);
      const original = makeResult({ status: "success" });
      const created = await store.saveWithEtag(original, { ifNoneMatch: "*" });
      expect(created.id).toBe(original.runId);
      const rival = makeResult({ runId: original.runId, status: "failure" });
      await expectStoreError(store.save(rival, { ifNoneMatch: "*" }), "CONFLICT");
      const stored = await store.getWithEtag(original.runId);
      expectSameResult(stored.item, original);
      expect(stored.etag).toBe(created.etag);
    },
  },
  {
    group: "conditionalWrites",
    name: "ifMatch with the current etag saves and changes the etag; a stale etag is CONFLICT",
    async run(context) {
      const store = await conditionalStore(context);
      const v1 = makeResult({ status: "success" });
      const first = await store.saveWithEtag(v1);
      const v2 = makeResult({ runId: v1.runId, status: "warning" });
      const second = await store.saveWithEtag(v2, { ifMatch: first.etag });
      expect(second.etag).not.toBe(first.etag);
      expectSameResult(await store.get(v1.runId), v2);
      const v3 = makeResult({ runId: v1.runId, status: "error" });
      await expectStoreError(store.save(v3, { ifMatch: first.etag }), "CONFLICT");
      const stored = await store.getWithEtag(v1.runId);
      expectSameResult(stored.item, v2);
      expect(stored.etag).toBe(second.etag);
    },
  },
  {
    group: "conditionalWrites",
    name: "ifMatch on a missing item is CONFLICT and writes nothing",
    async run(context) {
      const store = await conditionalStore(context);
      const result = makeResult();
      await expectStoreError(store.save(result, { ifMatch: "some-etag" }), "CONFLICT");
      expect(await store.exists(result.runId)).toBe(false);
    },
  },
  {
    group: "conditionalWrites",
    name: "an etag from before a delete and re-create does not match",
    async run(context) {
      const store = await conditionalStore(context);
      const v1 = makeResult();
      const { etag } = await store.saveWithEtag(v1);
      await store.delete(v1.runId);
      const v2 = makeResult({ runId: v1.runId, status: "failure" });
      await store.save(v2);
      await expectStoreError(store.save(makeResult({ runId: v1.runId }), { ifMatch: etag }), "CONFLICT");
      expectSameResult(await store.get(v1.runId), v2);
    },
  },
  {
    group: "conditionalWrites",
    name: "ifMatch and ifNoneMatch together are INVALID_ARGUMENT",
    async run(context) {
      const store = await conditionalStore(context);
      const result = makeResult();
      await expectStoreError(store.save(result, { ifMatch: "1", ifNoneMatch: "*" }), "INVALID_ARGUMENT");
      expect(await store.exists(result.runId)).toBe(false);
    },
  },
  {
    group: "conditionalWrites",
    name: "concurrent saves with the same ifMatch etag: exactly one wins, the rest are CONFLICT",
    async run(context) {
      const store = await conditionalStore(context);
      const base = makeResult({ metadata: { writer: -1 } });
      const { etag } = await store.saveWithEtag(base);
      const writers = context.options.raceWriters;
      const attempts = Array.from({ length: writers }, (_, writer) =>
        store.saveWithEtag(makeResult({ runId: base.runId, metadata: { writer } }), { ifMatch: etag }),
      );
      const settled = await Promise.allSettled(attempts);
      const winners = settled.flatMap((s, writer) => (s.status === "fulfilled" ? [writer] : []));
      expect(winners).toHaveLength(1);
      for (const s of settled) {
        if (s.status === "rejected") await expectStoreError(Promise.reject(s.reason), "CONFLICT");
      }
      const stored = await store.getWithEtag(base.runId);
      expect(stored.item.metadata).toEqual({ writer: winners[0] });
      expect(stored.etag).toBe(
        (settled[winners[0] as number] as PromiseFulfilledResult<{ etag: string }>).value.etag,
      );
    },
  },
  {
    group: "conditionalWrites",
    name: 'concurrent creates with ifNoneMatch: "*": exactly one wins, the rest are CONFLICT',
    async run(context) {
      const store = await conditionalStore(context);
      const runId = "race-create";
      const writers = context.options.raceWriters;
      const settled = await Promise.allSettled(
        Array.from({ length: writers }, (_, writer) =>
          store.save(makeResult({ runId, metadata: { writer } }), { ifNoneMatch: "*" }),
        ),
      );
      const winners = settled.flatMap((s, writer) => (s.status === "fulfilled" ? [writer] : []));
      expect(winners).toHaveLength(1);
      for (const s of settled) {
        if (s.status === "rejected") await expectStoreError(Promise.reject(s.reason), "CONFLICT");
      }
      expect((await store.get(runId)).metadata).toEqual({ writer: winners[0] });
    },
  },
];
