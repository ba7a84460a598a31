import { MAX_ID_BYTES, type Store, type ValidationResult } from "@truthound/store-core";
import { expect } from "vitest";
import { expectSameResult, expectStoreError } from "../../assertions.js";
import { makeResult } from "../../fixtures.js";
import type { ConformanceCase } from "../case.js";

/** Valid ids that break naive path or key mapping. */
export const SPECIAL_IDS: readonly string[] = [
  "a/b/c",
  "/leading-slash",
  "trailing-slash/",
  "double//slash",
  "back\\slash",
  "dots.in.the.id",
  "a..b",
  "..hidden-prefix",
  "suffix..",
  ".dotfile",
  "...",
  "colon:id:2024-01-01T00:00:00",
  "percent%20encoded%2F",
  "%",
  "%zz",
  "_underscore",
  "~tilde",
  "spaces in id",
  "query?and#hash&amp=1+2",
  "quotes'\"`",
  "brackets<>[]{}|^",
  "unicode-é-日本語-Ω",
  "emoji-😀-🚀",
  "ｚ-fullwidth",
  "CON",
  "nul.json",
  "x".repeat(200),
];

/** Ids that could escape a directory or key prefix: every store must refuse them. */
export const TRAVERSAL_IDS: readonly string[] = [
  "..",
  ".",
  "../x",
  "./x",
  "a/../b",
  "a/./b",
  "x/..",
  "..\\x",
  "a\\..\\b",
  "../../etc/passwd",
];

/** Ids that cannot be stored faithfully. */
export const MALFORMED_IDS: readonly string[] = [
  "",
  "a\u0000b",
  "line\nbreak",
  "tab\tid",
  "\u007f",
  "lone-\ud800",
];

async function expectNothingStored(store: Store<ValidationResult>): Promise<void> {
  expect(await store.listIds()).toEqual([]);
  expect(await store.count()).toBe(0);
}

export const idCases: ConformanceCase[] = [
  {
    group: "ids",
    name: "ids with / \\ . : % .. and unicode round-trip and list as given",
    async run({ harness }) {
      const store = await harness.open();
      const items = SPECIAL_IDS.map((runId, i) => makeResult({ runId, runTime: Date.UTC(2024, 0, 1, 0, i) }));
      for (const item of items) expect(await store.save(item)).toBe(item.runId);
      for (const item of items) {
        expect(await store.exists(item.runId), item.runId).toBe(true);
        expectSameResult(await store.get(item.runId), item);
      }
      expect([...(await store.listIds())].sort()).toEqual([...SPECIAL_IDS].sort());
      for (const item of items) expect(await store.delete(item.runId), item.runId).toBe(true);
      await expectNothingStored(store);
    },
  },
  {
    group: "ids",
    name: "ids that differ only in case are different items",
    async run({ harness }) {
      const store = await harness.open();
      const lower = makeResult({ runId: "run-case", status: "success" });
      const upper = makeResult({ runId: "RUN-CASE", status: "failure" });
      await store.save(lower);
      await store.save(upper);
      expectSameResult(await store.get("run-case"), lower);
      expectSameResult(await store.get("RUN-CASE"), upper);
      expect(await store.count()).toBe(2);
    },
  },
  {
    group: "ids",
    name: `ids of up to ${MAX_ID_BYTES} UTF-8 bytes round-trip`,
    async run({ harness }) {
      const store = await harness.open();
      const ascii = "a".repeat(MAX_ID_BYTES);
      const multibyte = "é".repeat(MAX_ID_BYTES / 2);
      for (const runId of [ascii, multibyte]) {
        const item = makeResult({ runId });
        await store.save(item);
        expectSameResult(await store.get(runId), item);
      }
      expect([...(await store.listIds())].sort()).toEqual([ascii, multibyte].sort());
    },
  },
  {
    group: "ids",
    name: "an id longer than the limit is INVALID_ARGUMENT and nothing is written",
    async run({ harness }) {
      const store = await harness.open();
      const runId = "a".repeat(MAX_ID_BYTES + 1);
      await expectStoreError(store.save(makeResult({ runId })), "INVALID_ARGUMENT");
      await expectStoreError(store.get(runId), "INVALID_ARGUMENT");
      await expectNothingStored(store);
    },
  },
  {
    group: "ids",
    name: "path traversal ids are INVALID_ARGUMENT on every operation and nothing is written",
    async run({ harness }) {
      const store = await harness.open();
      for (const runId of TRAVERSAL_IDS) {
        await expectStoreError(store.save(makeResult({ runId })), "INVALID_ARGUMENT");
        await expectStoreError(store.get(runId), "INVALID_ARGUMENT");
        await expectStoreError(store.exists(runId), "INVALID_ARGUMENT");
        await expectStoreError(store.delete(runId), "INVALID_ARGUMENT");
      }
      await expectNothingStored(store);
    },
  },
  {
    group: "ids",
    name: "empty ids, control characters and lone surrogates are INVALID_ARGUMENT",
    async run({ harness }) {
      const store = await harness.open();
      for (const runId of MALFORMED_IDS) {
        await expectStoreError(store.save(makeResult({ runId })), "INVALID_ARGUMENT");
        await expectStoreError(store.get(runId), "INVALID_ARGUMENT");
      }
      await expectNothingStored(store);
    },
  },
  {
    group: "ids",
    name: "traversal ids do not reach other items",
    async run({ harness }) {
      const store = await harness.open();
      const target = makeResult({ runId: "victim" });
      await store.save(target);
      await expectStoreError(
        store.save(makeResult({ runId: "x/../victim", status: "error" })),
        "INVALID_ARGUMENT",
      );
      await expectStoreError(store.delete("x/../victim"), "INVALID_ARGUMENT");
      expectSameResult(await store.get("victim"), target);
      expect(await store.listIds()).toEqual(["victim"]);
    },
  },
];
