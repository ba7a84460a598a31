import { type BaseStore, ValidationResult, ValidatorResult } from "@truthound/store-core";
import { expect } from "vitest";
import type { PyDict, PythonRead } from "./python-interop.js";

/** The ten results the TypeScript side writes for Python to read; read_results.py queries orders.csv from 03:00. */
export function resultsForPython(): ValidationResult[] {
  return Array.from(
    { length: 10 },
    (_, i) =>
      new ValidationResult({
        runId: `run_20240401_${String(i).padStart(6, "0")}_${i.toString(16).padStart(8, "0")}`,
        runTime: new Date(Date.UTC(2024, 3, 1, i, 30, 0, 250)),
        dataAsset: i % 2 === 0 ? "orders.csv" : "customers.csv",
        status: i % 3 === 0 ? "failure" : "success",
        results: [
          new ValidatorResult({ validatorName: "unique", success: i % 3 !== 0, column: "id", count: i }),
        ],
        tags: { env: "prod", owner: "ünï" },
        metadata: { n: i },
      }),
  );
}

/** The failure query both sides run on Python's results, oldest first. */
export const PYTHON_FAILURES_QUERY = {
  dataAsset: "asset_1.csv",
  status: "failure",
  ascending: true,
} as const;

/**
 * Checks that `store` reads exactly what write_results.py wrote: ids, fields, a failure query and a tag count.
 * Returns the expected ids of PYTHON_FAILURES_QUERY.
 */
export async function expectStoreReadsPythonResults(
  store: BaseStore<ValidationResult>,
  written: PyDict[],
): Promise<string[]> {
  expect(new Set(await store.listIds())).toEqual(new Set(written.map((w) => w.run_id)));
  for (const w of written) {
    const item = await store.get(w.run_id);
    expect(item.dataAsset).toBe(w.data_asset);
    expect(item.status).toBe(w.status);
    expect(item.tags).toEqual(w.tags);
    expect(item.metadata).toEqual(w.metadata);
    // Naive Python times are read as UTC.
    expect(item.runTime.toISOString()).toBe(`${w.run_time.slice(0, 23)}Z`);
    expect(item.results[0]?.validatorName).toBe("not_null");
  }
  const failures = await store.query(PYTHON_FAILURES_QUERY);
  const expected = written
    .filter((w) => w.data_asset === "asset_1.csv" && w.status === "failure")
    .sort((a, b) => a.run_time.localeCompare(b.run_time))
    .map((w) => w.run_id);
  expect(expected.length).toBeGreaterThan(0);
  expect(failures.map((r) => r.runId)).toEqual(expected);
  expect(await store.count({ tags: { env: "prod" } })).toBe(
    written.filter((w) => (w.tags as { env: string }).env === "prod").length,
  );
  return expected;
}

/** Checks what read_results.py (asset orders.csv, start 2024-04-01T03:00:00) reported about `saved`. */
export function expectPythonReadResults(read: PythonRead, saved: ValidationResult[]): void {
  expect(new Set(read.ids)).toEqual(new Set(saved.map((s) => s.runId)));
  for (const s of saved) {
    const doc = read.documents[s.runId];
    expect(doc?.data_asset).toBe(s.dataAsset);
    expect(doc?.status).toBe(s.status);
    expect(doc?.tags).toEqual(s.tags);
    expect(read.exists[s.runId]).toBe(true);
  }
  const expected = saved
    .filter(
      (s) =>
        s.dataAsset === "orders.csv" &&
        s.status === "failure" &&
        s.runTime.getTime() >= Date.UTC(2024, 3, 1, 3),
    )
    .map((s) => s.runId);
  expect(expected.length).toBeGreaterThan(0);
  expect(read.query).toEqual(expected);
}

/** The query read_results.py runs on resultsForPython(). */
export const PYTHON_READ_QUERY = { asset: "orders.csv", start: "2024-04-01T03:00:00" } as const;

/** Saves one more result into a store holding Python's results and checks Python's entries are all kept. */
export async function expectSaveKeepsPythonResults(
  store: BaseStore<ValidationResult>,
  written: PyDict[],
): Promise<void> {
  await store.save(
    new ValidationResult({
      runId: "run_20240302_000000_0000abcd",
      dataAsset: "asset_1.csv",
      status: "success",
    }),
  );
  expect(await store.count()).toBe(written.length + 1);
}
