import { isStoreError, type StoreErrorCode } from "@truthound/store-core";
import { expect } from "vitest";

export const hex = (text: string): Buffer => Buffer.from(text, "hex");
export const ascii = (text: string): Buffer => Buffer.from(text, "latin1");
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

/** Awaits a promise that must reject with a StoreError of `code`, and returns the error. */
export async function expectStoreError(promise: Promise<unknown>, code: StoreErrorCode): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected a rejection").toBeInstanceOf(Error);
  expect(isStoreError(error), `not a StoreError: ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  return error as Error;
}

export function expectThrowsStoreError(fn: () => unknown, code: StoreErrorCode): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(isStoreError(thrown), `expected a StoreError ${code}, got ${String(thrown)}`).toBe(true);
  expect((thrown as { code: string }).code).toBe(code);
}
