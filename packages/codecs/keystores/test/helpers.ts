import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isStoreError, type StoreErrorCode } from "@truthound/store-core";
import { expect } from "vitest";
import type { KeyRecord } from "../src/index.js";

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `truthound-keystore-${label}-`));
}

/** Argon2id cost small enough for tests; the default cost is covered by one test of its own. */
export const TEST_KDF = { memoryKiB: 256, iterations: 1, parallelism: 1 };

export async function expectStoreError(promise: Promise<unknown>, code: StoreErrorCode): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isStoreError(error), `expected StoreError ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code, String(error)).toBe(code);
  return error as Error;
}

export function sampleRecord(keyId: string, fill = 7): KeyRecord {
  return {
    keyId,
    revision: 1,
    versions: [
      { version: 1, algorithm: "aes-256-gcm", createdAt: 1_000, key: new Uint8Array(32).fill(fill) },
    ],
  };
}
