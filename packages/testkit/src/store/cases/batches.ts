import { expect } from "vitest";
import { expectSameResult, expectStoreError } from "../../assertions.js";
import { makeResult } from "../../fixtures.js";
import type { ConformanceCase } from "../case.js";

export const batchCases: ConformanceCase[] = [
  {
    group: "batches",
    name: "saveMany reports one outcome per item, in order, and a bad item does not stop the others",
    async run({ harness }) {
      const store = await harness.open();
      const good1 = makeResult({ runId: "good-1" });
      const bad = makeResult({ runId: "../escape" });
      const good2 = makeResult({ runId: "good-2" });
      const outcomes = await store.saveMany([good1, bad, good2]);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
      expect(outcomes[0]).toMatchObject({ id: "good-1", ok: true, value: "good-1" });
      expect(outcomes[2]).toMatchObject({ id: "good-2", ok: true, value: "good-2" });
      const failed = outcomes[1];
      if (failed === undefined || failed.ok) throw new Error("the traversal id was saved");
      await expectStoreError(Promise.reject(failed.error), "INVALID_ARGUMENT");
      expect([...(await store.listIds())].sort()).toEqual(["good-1", "good-2"]);
      expectSameResult(await store.get("good-2"), good2);
      expect(await store.saveMany([])).toEqual([]);
    },
  },
  {
    group: "batches",
    name: "getMany returns each item or its NOT_FOUND / INVALID_ARGUMENT error, in order",
    async run({ harness }) {
      const store = await harness.open();
      const a = makeResult({ runId: "a" });
      const b = makeResult({ runId: "b" });
      await store.saveMany([a, b]);
      const outcomes = await store.getMany(["b", "missing", "a", ".."]);
      expect(outcomes.map((o) => [o.id, o.ok])).toEqual([
        ["b", true],
        ["missing", false],
        ["a", true],
        ["..", false],
      ]);
      const [first, missing, third, invalid] = outcomes;
      if (first?.ok !== true || third?.ok !== true) throw new Error("expected two items");
      expectSameResult(first.value, b);
      expectSameResult(third.value, a);
      if (missing?.ok !== false || invalid?.ok !== false) throw new Error("expected two failures");
      await expectStoreError(Promise.reject(missing.error), "NOT_FOUND");
      await expectStoreError(Promise.reject(invalid.error), "INVALID_ARGUMENT");
    },
  },
  {
    group: "batches",
    name: "deleteMany reports true for deleted, false for missing, and an error for invalid ids",
    async run({ harness }) {
      const store = await harness.open();
      await store.saveMany([
        makeResult({ runId: "x" }),
        makeResult({ runId: "y" }),
        makeResult({ runId: "z" }),
      ]);
      const outcomes = await store.deleteMany(["x", "missing", "a/../b", "z"]);
      expect(outcomes.map((o) => o.id)).toEqual(["x", "missing", "a/../b", "z"]);
      expect(outcomes[0]).toMatchObject({ ok: true, value: true });
      expect(outcomes[1]).toMatchObject({ ok: true, value: false });
      expect(outcomes[3]).toMatchObject({ ok: true, value: true });
      const invalid = outcomes[2];
      if (invalid?.ok !== false) throw new Error("the traversal id was accepted");
      await expectStoreError(Promise.reject(invalid.error), "INVALID_ARGUMENT");
      expect(await store.listIds()).toEqual(["y"]);
    },
  },
];
