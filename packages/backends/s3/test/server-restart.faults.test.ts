import { isStoreError, ValidationResult } from "@truthound/store-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, stopService } from "../../../../scripts/lib/services.mjs";
import { S3Store } from "../src/index.js";
import { createBucket, minio, minioOptions, requireMinio } from "./helpers/minio.js";

const DEADLINE_MS = 10_000;

function result(runId: string) {
  return new ValidationResult({ runId, dataAsset: "a", status: "success" });
}

// Stops the shared MinIO: the root run takes *.faults.test.ts files last, one at a time.
describe.skipIf(minio === undefined)("S3Store when MinIO goes away", { sequential: true }, () => {
  let bucket = "";
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createBucket(requireMinio(), "faults");
    bucket = created.name;
    drop = created.drop;
  });
  afterAll(async () => {
    await startService("minio");
    await drop?.();
  });

  it("a server stopped mid-run gives retryable CONNECTION errors within the deadline; after restart all works", async () => {
    const store = new S3Store({
      ...minioOptions(requireMinio()),
      bucket,
      namespace: "faults",
      operationTimeoutMs: DEADLINE_MS,
    });
    await store.save(result("before"));

    // A writer keeps saving while the server goes away.
    const saved: string[] = [];
    const failures: unknown[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const id = `during-${i}`;
        await store.save(result(id)).then(
          () => saved.push(id),
          (error: unknown) => failures.push(error),
        );
      }
    })();
    while (saved.length < 5) await new Promise((resolve) => setTimeout(resolve, 20));
    await stopService("minio");
    try {
      while (failures.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
      stop = true;
      await writer;
      for (const error of failures) {
        expect(isStoreError(error, "CONNECTION"), String(error)).toBe(true);
        expect((error as { retryable: boolean }).retryable).toBe(true);
      }
      for (const operation of [
        () => store.get("before"),
        () => store.save(result("while-down")),
        () => store.query({ dataAsset: "a" }),
        () => store.delete("before"),
      ]) {
        const started = performance.now();
        const error = await operation().catch((e: unknown) => e);
        expect(isStoreError(error, "CONNECTION"), String(error)).toBe(true);
        expect((error as { retryable: boolean }).retryable).toBe(true);
        expect(performance.now() - started).toBeLessThan(DEADLINE_MS);
      }
    } finally {
      stop = true;
      await startService("minio");
    }
    expect((await store.get("before")).runId).toBe("before");
    for (const id of saved) expect((await store.get(id)).runId).toBe(id);
    await store.save(result("after"));
    const ids = new Set(await store.listIds());
    for (const id of ["before", "after", ...saved]) expect(ids.has(id)).toBe(true);
    await store.close();
  });
});
