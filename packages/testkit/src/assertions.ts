import {
  isStoreError,
  type StoreError,
  type StoreErrorCode,
  type ValidationResult,
} from "@truthound/store-core";
import { expect } from "vitest";

/** Awaits `action` and asserts it fails with a store error of one of `codes`; returns that error. */
export async function expectStoreError(
  action: Promise<unknown> | (() => Promise<unknown> | unknown),
  ...codes: [StoreErrorCode, ...StoreErrorCode[]]
): Promise<StoreError> {
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    const value = typeof action === "function" ? await action() : await action;
    outcome = { ok: true, value };
  } catch (error) {
    outcome = { ok: false, error };
  }
  if (outcome.ok) {
    expect.fail(`expected a StoreError with code ${codes.join(" or ")}, but the call succeeded`);
  }
  const { error } = outcome as { ok: false; error: unknown };
  if (!isStoreError(error)) {
    expect.fail(`expected a StoreError with code ${codes.join(" or ")}, got ${describeError(error)}`);
  }
  if (!codes.includes(error.code)) {
    expect.fail(`expected a StoreError with code ${codes.join(" or ")}, got ${error.code}: ${error.message}`);
  }
  return error;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Asserts two results hold the same data (their Python-shaped dictionaries are deep-equal). */
export function expectSameResult(actual: ValidationResult | undefined, expected: ValidationResult): void {
  expect(actual, `expected the result ${expected.runId}`).toBeDefined();
  expect((actual as ValidationResult).toDict()).toEqual(expected.toDict());
}

/** Asserts a list of results holds the same data as `expected`, in the same order. */
export function expectSameResults(
  actual: readonly ValidationResult[],
  expected: readonly ValidationResult[],
): void {
  expect(actual.map((r) => r.runId)).toEqual(expected.map((r) => r.runId));
  expect(actual.map((r) => r.toDict())).toEqual(expected.map((r) => r.toDict()));
}
