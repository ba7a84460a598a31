import { isStoreError, type Store, ValidationResult } from "@truthound/store-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, stopService, type TestServiceName } from "../../../scripts/lib/services.mjs";

function result(runId: string) {
  return new ValidationResult({ runId, dataAsset: "a", status: "success" });
}

/** One test file's container on the service, and stores on it. */
export interface RestartedServer<S extends Store<ValidationResult>> {
  /** A store in this file's container whose operations end within `deadlineMs`. */
  open(deadlineMs: number): S;
  dispose(): Promise<void>;
}

export interface ServerRestartOptions<S extends Store<ValidationResult>> {
  /** False skips the suite (no server configured and CI is not set). */
  available: boolean;
  /** The service name scripts/lib/services.mjs stops and starts ("minio", "azurite", ...). */
  service: TestServiceName;
  server: () => Promise<RestartedServer<S>>;
  /** Backend-specific operations (run after the common ones) that must also fail with a retryable CONNECTION error while the server is down. */
  extraOperations?: (store: S) => Array<() => Promise<unknown>>;
  deadlineMs?: number;
}

/**
 * Stops the shared service while a writer is saving: every failure is a typed, retryable CONNECTION error within
 * the deadline, and after the restart everything saved before and during the outage is there.
 * Only for *.faults.test.ts files: the root run takes those last, one at a time.
 */
export function describeServerRestart<S extends Store<ValidationResult>>(
  name: string,
  options: ServerRestartOptions<S>,
): void {
  const deadlineMs = options.deadlineMs ?? 10_000;
  describe.skipIf(!options.available)(name, { sequential: true }, () => {
    let server: RestartedServer<S> | undefined;
    beforeAll(async () => {
      server = await options.server();
    });
    afterAll(async () => {
      await startService(options.service);
      await server?.dispose();
    });

    it("a server stopped mid-run gives retryable CONNECTION errors within the deadline; after restart all works", async () => {
      if (server === undefined) throw new Error("the server-restart test server was not set up");
      const store = server.open(deadlineMs);
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
      await stopService(options.service);
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
          ...(options.extraOperations?.(store) ?? []),
        ]) {
          const started = performance.now();
          const error = await operation().catch((e: unknown) => e);
          expect(isStoreError(error, "CONNECTION"), String(error)).toBe(true);
          expect((error as { retryable: boolean }).retryable).toBe(true);
          expect(performance.now() - started).toBeLessThan(deadlineMs);
        }
      } finally {
        stop = true;
        await startService(options.service);
      }
      expect((await store.get("before")).runId).toBe("before");
      for (const id of saved) expect((await store.get(id)).runId).toBe(id);
      await store.save(result("after"));
      const ids = new Set(await store.listIds());
      for (const id of ["before", "after", ...saved]) expect(ids.has(id)).toBe(true);
      await store.close();
    });
  });
}
