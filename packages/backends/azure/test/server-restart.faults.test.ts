import { isStoreError, ValidationResult } from "@truthound/store-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, stopService } from "../../../../scripts/lib/services.mjs";
import { AzureBlobStore } from "../src/index.js";
import { azurite, createContainer, requireAzurite } from "./helpers/azurite.js";

const DEADLINE_MS = 10_000;

function result(runId: string) {
  return new ValidationResult({ runId, dataAsset: "a", status: "success" });
}

// Stops the shared Azurite: kept in a file of its own; the package's files run one at a time.
describe.skipIf(azurite === undefined)("AzureBlobStore when Azurite goes away", { sequential: true }, () => {
  let container = "";
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createContainer(requireAzurite(), "faults");
    container = created.name;
    drop = created.drop;
  });
  afterAll(async () => {
    await startService("azurite");
    await drop?.();
  });

  it("a server stopped mid-run gives retryable CONNECTION errors within the deadline; after restart all works", async () => {
    const store = new AzureBlobStore({
      connectionString: requireAzurite().connectionString,
      container,
      namespace: "faults",
      operationTimeoutMs: DEADLINE_MS,
      // The SDK's own retries must end before the deadline, so the caller sees the cause, not a timeout.
      retryOptions: { maxTries: 3, retryDelayInMs: 100, maxRetryDelayInMs: 500, tryTimeoutInMs: 2_000 },
    });
    await store.save(result("before"));

    // Writers keep saving while the server goes away.
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
    await stopService("azurite");
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
        () => store.setAccessTier("before", "Cool"),
      ]) {
        const started = performance.now();
        const error = await operation().catch((e: unknown) => e);
        expect(isStoreError(error, "CONNECTION"), String(error)).toBe(true);
        expect((error as { retryable: boolean }).retryable).toBe(true);
        expect(performance.now() - started).toBeLessThan(DEADLINE_MS);
      }
    } finally {
      stop = true;
      await startService("azurite");
    }
    expect((await store.get("before")).runId).toBe("before");
    for (const id of saved) expect((await store.get(id)).runId).toBe(id);
    await store.save(result("after"));
    const ids = new Set(await store.listIds());
    for (const id of ["before", "after", ...saved]) expect(ids.has(id)).toBe(true);
    await store.close();
  });
});
