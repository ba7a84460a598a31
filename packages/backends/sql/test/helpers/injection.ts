import { encodeCursor, isStoreError, ValidationResult, ValidatorResult } from "@truthound/store-core";
import { expect } from "vitest";
import type { SqlStore } from "../../src/index.js";

/** Strings that break SQL built by concatenation, in every quoting style PostgreSQL has. */
export const HOSTILE_STRINGS: readonly string[] = [
  "'; DROP TABLE validation_results; --",
  "x' OR '1'='1",
  '"; DROP TABLE canary; --',
  "$1",
  "$$; DROP TABLE canary; $$",
  "$tag$ DROP TABLE canary $tag$",
  "\\'; SELECT pg_sleep(10); --",
  "E'\\\\x41'",
  "') UNION SELECT run_id, data_json FROM validation_results --",
  "%_%",
  ":name ? ?? @> ->> ::jsonb",
  "/* comment */ -- line",
  "Robert'); DELETE FROM canary;--",
  "ünï'cödé\"😀",
];

const item = (runId: string, dataAsset: string, tags: Record<string, string>) =>
  new ValidationResult({
    runId,
    dataAsset,
    status: "failure",
    tags,
    results: [new ValidatorResult({ validatorName: "not_null", success: false, message: dataAsset })],
  });

/**
 * Sends each hostile string through every string the store puts into SQL (id, asset, tag keys and values, search
 * text, cursor) and checks it came back verbatim, while a canary table and every other row stay untouched.
 * `canaryRows` counts the rows of a table named `canary` the caller created beside the store's table.
 */
export async function expectHostileStringsInert(
  store: SqlStore,
  canaryRows: () => Promise<number>,
): Promise<void> {
  const before = await canaryRows();
  for (const [i, hostile] of HOSTILE_STRINGS.entries()) {
    const runId = `${hostile}#${i}`;
    await store.save(item(runId, hostile, { [hostile]: hostile, plain: `v${i}` }));
    const read = await store.get(runId);
    expect(read.runId).toBe(runId);
    expect(read.dataAsset).toBe(hostile);
    expect(read.tags).toEqual({ [hostile]: hostile, plain: `v${i}` });
    expect(await store.exists(runId)).toBe(true);
    expect(await store.listIds({ dataAsset: hostile })).toEqual([runId]);
    expect(await store.listIds({ tags: { [hostile]: hostile } })).toEqual([runId]);
    expect(await store.count({ tags: { plain: `v${i}` }, dataAsset: hostile })).toBe(1);
    // The search text is a parameter too: at worst no match, never an error or an effect.
    await store.search(hostile);
    const forged = encodeCursor([hostile, 0, hostile], "dataAsset", false);
    await store.listIds({ orderBy: "dataAsset", cursor: forged });
    const bad = await store.listIds({ orderBy: hostile as "runTime" }).catch((e: unknown) => e);
    expect(isStoreError(bad, "INVALID_ARGUMENT")).toBe(true);
    const status = await store.listIds({ status: hostile }).catch((e: unknown) => e);
    expect(isStoreError(status, "INVALID_ARGUMENT")).toBe(true);
  }
  expect(await store.count()).toBe(HOSTILE_STRINGS.length);
  const ids = new Set(HOSTILE_STRINGS.map((h, i) => `${h}#${i}`));
  expect(new Set(await store.listIds())).toEqual(ids);
  const many = await store.getMany([...ids]);
  expect(many.every((o) => o.ok)).toBe(true);
  expect((await store.deleteMany([...ids])).every((o) => o.ok && o.value)).toBe(true);
  expect(await store.count()).toBe(0);
  expect(await canaryRows()).toBe(before);
}
