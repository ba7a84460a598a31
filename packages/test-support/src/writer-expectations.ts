import type { Store, ValidationResult } from "@truthound/store-core";
import { expect } from "vitest";

export interface BulkWritesRun {
  writers: readonly string[];
  saves: number;
  shared: number;
}

/**
 * After `runWriterProcesses` in bulk mode: every id of every writer is there exactly once in get, listIds,
 * count and query, and each shared id is indexed once, under the asset of the writer whose document won.
 */
export async function expectBulkWritesIntact(
  store: Store<ValidationResult>,
  { writers, saves, shared }: BulkWritesRun,
): Promise<void> {
  const expected = writers.flatMap((w) => Array.from({ length: saves }, (_, i) => `${w}-${i}`));
  const sharedIds = Array.from({ length: shared }, (_, i) => `shared-${i}`);
  const ids = await store.listIds({ ascending: true });
  expect(ids).toHaveLength(expected.length + shared);
  expect(new Set(ids)).toEqual(new Set([...expected, ...sharedIds]));
  expect(await store.count()).toBe(expected.length + shared);
  for (const w of writers) {
    // Writers spread their own ids over asset-0 .. asset-4.
    expect(await store.count({ tags: { writer: w }, dataAsset: "asset-3" })).toBe(
      Array.from({ length: saves }, (_, i) => i).filter((i) => i % 5 === 3).length,
    );
  }
  for (const id of sharedIds) {
    const item = await store.get(id);
    const owners = await Promise.all(
      writers.map(async (w) => (await store.listIds({ dataAsset: `owner-${w}` })).includes(id)),
    );
    expect(owners.filter(Boolean)).toHaveLength(1);
    expect(owners[writers.indexOf(item.tags.writer as string)]).toBe(true);
  }
  const failures = await store.query({ dataAsset: "asset-1", status: "failure" });
  expect(failures.length).toBeGreaterThan(0);
  for (const f of failures) expect([f.dataAsset, f.status]).toEqual(["asset-1", "failure"]);
  expect(new Set(failures.map((f) => f.runId)).size).toBe(failures.length);
  for (const id of expected.filter((_, i) => i % 25 === 0)) expect((await store.get(id)).runId).toBe(id);
}
