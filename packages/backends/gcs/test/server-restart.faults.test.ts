import { isStoreError, ValidationResult } from "@truthound/store-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, stopService } from "../../../../scripts/lib/services.mjs";
import { GCSStore } from "../src/index.js";
import { createBucket, gcsEndpoint, requireGcs } from "./helpers/fake-gcs.js";

const DEADLINE_MS = 10_000;

// Stops the shared fake-gcs-server: kept in a file of its own and run sequentially.
describe.skipIf(gcsEndpoint === undefined)(
  "GCSStore when fake-gcs-server goes away",
  { sequential: true },
  () => {
    let bucket = "";
    let drop: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const created = await createBucket("faults");
      bucket = created.name;
      drop = created.drop;
    });
    afterAll(async () => {
      await startService("fake_gcs");
      await drop?.();
    });

    it("a stopped server gives a retryable CONNECTION error within the deadline; after restart all works", async () => {
      const store = new GCSStore({
        apiEndpoint: requireGcs(),
        bucket,
        namespace: "faults",
        operationTimeoutMs: DEADLINE_MS,
      });
      await store.save(new ValidationResult({ runId: "before", dataAsset: "a", status: "success" }));
      await stopService("fake_gcs");
      try {
        for (const operation of [
          () => store.get("before"),
          () => store.save(new ValidationResult({ runId: "during", dataAsset: "a", status: "success" })),
          () => store.query({ dataAsset: "a" }),
          () => store.delete("before"),
        ]) {
          const error = await operation().catch((e: unknown) => e);
          expect(isStoreError(error, "CONNECTION"), String(error)).toBe(true);
          expect((error as { retryable: boolean }).retryable).toBe(true);
        }
      } finally {
        await startService("fake_gcs");
      }
      expect((await store.get("before")).runId).toBe("before");
      await store.save(new ValidationResult({ runId: "after", dataAsset: "a", status: "success" }));
      expect(new Set(await store.listIds())).toEqual(new Set(["before", "after"]));
      await store.close();
    });
  },
);
