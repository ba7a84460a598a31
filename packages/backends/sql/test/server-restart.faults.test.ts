import { isStoreError, type StoreError, ValidationResult } from "@truthound/store-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, stopService } from "../../../../scripts/lib/services.mjs";
import { SqlStore } from "../src/index.js";
import { createDatabase, postgresUrl, type TestDatabase } from "./helpers/postgres.js";

const result = (runId: string) => new ValidationResult({ runId, dataAsset: "a", status: "success" });

// Stops the shared PostgreSQL: kept in a file of its own and run last, one file at a time.
describe.skipIf(postgresUrl === undefined)("SqlStore when PostgreSQL restarts", { sequential: true }, () => {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createDatabase("faults");
  });
  afterAll(async () => {
    await startService("postgres");
    await database?.drop();
  });

  it("a stopped server gives typed, retryable CONNECTION errors (then an open circuit); after restart it recovers", async () => {
    const store = new SqlStore({
      connectionUrl: (database as TestDatabase).url,
      namespace: "faults",
      operationTimeoutMs: 20_000,
      maxRetries: 2,
      retryBaseDelay: 0.05,
      circuitBreaker: { failureThreshold: 4, timeout: 1, successThreshold: 1 },
      healthCheckInterval: 0.2,
    });
    await store.save(result("before"));
    await stopService("postgres");
    const errors: unknown[] = [];
    try {
      for (const operation of [
        () => store.get("before"),
        () => store.save(result("during")),
        () => store.query({ dataAsset: "a" }),
        () => store.delete("before"),
        () => store.count(),
      ]) {
        errors.push(
          await operation().then(
            () => "succeeded",
            (e: unknown) => e,
          ),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(store.isHealthy).toBe(false);
    } finally {
      await startService("postgres");
    }
    for (const error of errors) {
      expect(isStoreError(error, "CONNECTION"), String(error)).toBe(true);
      expect((error as StoreError).retryable).toBe(true);
    }
    // The fifth call met the open circuit instead of the dead server.
    expect((errors[4] as StoreError).details.circuit).toBe("open");
    expect(store.poolMetrics?.retries).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await store.get("before")).runId).toBe("before");
    await store.save(result("after"));
    expect(new Set(await store.listIds())).toEqual(new Set(["before", "after"]));
    expect(store.poolMetrics?.circuitState).toBe("closed");
    expect(await store.checkHealth()).toBe(true);
    await store.close();
  });

  it("saves running through a restart either succeed or fail typed; every reported success is stored", async () => {
    const store = new SqlStore({
      connectionUrl: (database as TestDatabase).url,
      namespace: "through",
      operationTimeoutMs: 20_000,
      enableCircuitBreaker: false,
    });
    await store.initialize();
    const succeeded: string[] = [];
    const failures: unknown[] = [];
    let running = true;
    const writer = (async () => {
      for (let i = 0; running; i++) {
        const id = `w-${i}`;
        try {
          await store.save(result(id));
          succeeded.push(id);
        } catch (error) {
          failures.push(error);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stopService("postgres");
    await new Promise((resolve) => setTimeout(resolve, 500));
    await startService("postgres");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    running = false;
    await writer;
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(isStoreError(failure, "CONNECTION") || isStoreError(failure, "TIMEOUT"), String(failure)).toBe(
        true,
      );
    }
    const stored = new Set(await store.listIds());
    for (const id of succeeded) expect(stored.has(id), id).toBe(true);
    await store.close();
  });
});
