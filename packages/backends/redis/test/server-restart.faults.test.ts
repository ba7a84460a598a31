import { isStoreError, ValidationResult } from "@truthound/store-core";
import { afterAll, describe, expect, it } from "vitest";
import { startService, stopService } from "../../../../scripts/lib/services.mjs";
import { RedisStore } from "../src/index.js";
import { dropPrefix, redisUrl, requireRedis, uniquePrefix } from "./helpers/redis-server.js";

const DEADLINE_MS = 5_000;

function result(runId: string) {
  return new ValidationResult({ runId, dataAsset: "a", status: "success" });
}

// Stops the shared Redis: the root run takes *.faults.test.ts files last, one at a time.
describe.skipIf(redisUrl === undefined)("RedisStore when Redis goes away", { sequential: true }, () => {
  const keyPrefix = uniquePrefix("faults");
  afterAll(async () => {
    await startService("redis");
    await dropPrefix(keyPrefix);
  });

  it("a server stopped mid-run gives retryable CONNECTION errors within the deadline; after restart all works", async () => {
    const store = new RedisStore({
      url: requireRedis(),
      keyPrefix,
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
    while (saved.length < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    await stopService("redis");
    try {
      while (failures.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      stop = true;
      await writer;
      for (const error of failures) {
        expect(isStoreError(error, "CONNECTION"), String(error)).toBe(true);
        expect((error as { retryable: boolean }).retryable).toBe(true);
      }
      for (const operation of [
        () => store.get("before"),
        () => store.exists("before"),
        () => store.save(result("while-down")),
        () => store.query({ dataAsset: "a" }),
        () => store.count(),
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
      await startService("redis");
    }
    // The client reconnects on its own (with backoff); the first operations may still see it reconnecting.
    let back = false;
    for (let attempt = 0; attempt < 50 && !back; attempt++) {
      back = await store.exists("before").then(
        () => true,
        () => false,
      );
      if (!back) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(back).toBe(true);
    expect((await store.get("before")).runId).toBe("before");
    for (const id of saved) expect((await store.get(id)).runId).toBe(id);
    expect(await store.exists("while-down")).toBe(false);
    await store.save(result("after"));
    const ids = new Set(await store.listIds());
    for (const id of ["before", "after", ...saved]) expect(ids.has(id)).toBe(true);
    expect(await store.count()).toBe(ids.size);
    const report = await store.rebuildIndex();
    expect(report.removedRecords + report.removedIndexEntries).toBe(0);
    await store.close();
  });

  it("a store initialized while the server is down fails with CONNECTION, then works once it is back", async () => {
    await stopService("redis");
    const store = new RedisStore({
      url: requireRedis(),
      keyPrefix,
      namespace: "cold",
      operationTimeoutMs: DEADLINE_MS,
    });
    try {
      const started = performance.now();
      const error = await store.save(result("x")).catch((e: unknown) => e);
      expect(isStoreError(error, "CONNECTION"), String(error)).toBe(true);
      expect(performance.now() - started).toBeLessThan(DEADLINE_MS);
    } finally {
      await startService("redis");
    }
    await store.save(result("x"));
    expect(await store.listIds()).toEqual(["x"]);
    await store.close();
  });
});
