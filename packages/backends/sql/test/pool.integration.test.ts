import { isStoreError, type StoreError, ValidationResult } from "@truthound/store-core";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SqlStore, type SqlStoreOptions } from "../src/index.js";
import { createDatabase, postgresUrl, type TestDatabase } from "./helpers/postgres.js";

const result = (runId: string) => new ValidationResult({ runId, dataAsset: "a", status: "success" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(postgresUrl === undefined)("SqlStore pool and resilience options on PostgreSQL", () => {
  let database: TestDatabase | undefined;
  const stores: SqlStore[] = [];
  const open = (options: SqlStoreOptions = {}) => {
    const store = new SqlStore({
      connectionUrl: (database as TestDatabase).url,
      namespace: "pool",
      ...options,
    });
    stores.push(store);
    return store;
  };
  beforeAll(async () => {
    database = await createDatabase("pool");
    await open().initialize();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await database?.drop();
  });

  it("poolSize + maxOverflow bound the server connections; extra callers wait", async () => {
    const store = open({ poolSize: 2, maxOverflow: 1 });
    await store.initialize();
    const admin = await (database as TestDatabase).admin();
    let peakWaiting = 0;
    let peakServer = 0;
    const sleepers = Array.from({ length: 6 }, () =>
      store.executeWithRetry((db) => db.execute(sql`SELECT pg_sleep(0.3)`)),
    );
    for (let i = 0; i < 5; i++) {
      await sleep(100);
      peakWaiting = Math.max(peakWaiting, store.poolMetrics?.waitingRequests ?? 0);
      const active = await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep%'",
      );
      peakServer = Math.max(peakServer, (active.rows[0] as { n: number }).n);
    }
    await Promise.all(sleepers);
    expect(peakServer).toBe(3);
    expect(peakWaiting).toBeGreaterThan(0);
    expect(store.poolMetrics?.totalConnections).toBeLessThanOrEqual(3);
  });

  it("poolTimeout: no free connection in time is a TIMEOUT error", async () => {
    const store = open({ poolSize: 1, maxOverflow: 0, poolTimeout: 0.2, enableRetry: false });
    await store.initialize();
    const holder = store.executeWithRetry((db) => db.execute(sql`SELECT pg_sleep(1)`));
    await sleep(50);
    const error = await store.get("x").catch((e: unknown) => e);
    expect(isStoreError(error, "TIMEOUT"), String(error)).toBe(true);
    await holder;
  });

  it("poolRecycle closes connections older than it; poolPrePing checks reused connections", async () => {
    const store = open({ poolRecycle: 0.4, poolPrePingAfterIdle: 0 });
    await store.save(result("recycled"));
    await store.get("recycled");
    expect(store.poolMetrics?.prePings).toBeGreaterThan(0);
    const created = store.poolMetrics?.connectionsCreated ?? 0;
    await sleep(900);
    expect(store.poolMetrics?.connectionsClosed).toBeGreaterThan(0);
    await store.get("recycled");
    expect(store.poolMetrics?.connectionsCreated).toBeGreaterThan(created);
  });

  it("connections killed by the server are replaced without an error reaching the caller", async () => {
    const store = open({ poolPrePingAfterIdle: 0, enableRetry: false, poolSize: 2 });
    await store.save(result("survivor"));
    await Promise.all([store.get("survivor"), store.get("survivor")]);
    const admin = await (database as TestDatabase).admin();
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    await sleep(100);
    expect((await store.get("survivor")).runId).toBe("survivor");
    const m = store.poolMetrics;
    expect((m?.prePingFailures ?? 0) + (m?.idleConnectionErrors ?? 0)).toBeGreaterThan(0);
  });

  it("recycleConnections closes the pooled connections and the store keeps working", async () => {
    const store = open();
    await store.save(result("r"));
    expect(await store.recycleConnections()).toBeGreaterThan(0);
    expect(store.poolMetrics?.recycles).toBe(1);
    expect((await store.get("r")).runId).toBe("r");
  });

  it("getPoolStatus reports the settings with the password redacted", async () => {
    const store = open({ poolSize: 3 });
    await store.initialize();
    const status = store.getPoolStatus();
    const password = new URL((database as TestDatabase).url).password;
    expect(password.length).toBeGreaterThan(0);
    expect(JSON.stringify(status)).not.toContain(password);
    expect(status.connectionUrl).toContain(":***@");
    expect(status).toMatchObject({
      driver: "pg",
      poolSize: 3,
      maxOverflow: 10,
      healthy: true,
      circuitBreaker: "closed",
    });
  });

  it("health checks run on their interval; disabled, they do not", async () => {
    const checked = open({ healthCheckInterval: 0.1 });
    const unchecked = open({ enableHealthChecks: false });
    await checked.initialize();
    await unchecked.initialize();
    await sleep(450);
    expect(checked.poolMetrics?.healthChecksPassed).toBeGreaterThanOrEqual(2);
    expect(unchecked.poolMetrics?.healthChecksPassed).toBe(0);
    expect(checked.isHealthy).toBe(true);
  });

  it("an unreachable server: CONNECTION errors, then the circuit opens and calls fail fast", async () => {
    const url = new URL((database as TestDatabase).url);
    url.port = "1";
    const store = new SqlStore({
      connectionUrl: url.toString(),
      enableRetry: false,
      circuitBreaker: { failureThreshold: 2, timeout: 60 },
    });
    stores.push(store);
    const errors: StoreError[] = [];
    for (let i = 0; i < 3; i++) errors.push((await store.get("x").catch((e: unknown) => e)) as StoreError);
    for (const error of errors) {
      expect(isStoreError(error, "CONNECTION"), String(error)).toBe(true);
      expect(error.retryable).toBe(true);
    }
    expect(errors[2]?.details.circuit).toBe("open");
    expect(store.isHealthy).toBe(false);
  });

  it("retries transient failures with backoff (executeWithRetry), not permanent ones", async () => {
    const store = open({ retryBaseDelay: 0.01, maxRetries: 3 });
    let calls = 0;
    const value = await store.executeWithRetry(async (db) => {
      calls++;
      if (calls < 3) throw Object.assign(new Error("could not serialize access"), { code: "40001" });
      return (await db.execute(sql`SELECT 42 AS answer`)).rows[0];
    });
    expect(value).toEqual({ answer: 42 });
    expect(calls).toBe(3);
    expect(store.poolMetrics?.retries).toBe(2);
    calls = 0;
    const permanent = await store
      .executeWithRetry(async () => {
        calls++;
        throw Object.assign(new Error("duplicate key"), { code: "23505" });
      })
      .catch((e: unknown) => e);
    expect(isStoreError(permanent, "CONFLICT")).toBe(true);
    expect(calls).toBe(1);
  });

  it("echo logs every statement", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const store = open({ echo: true });
      await store.exists("echoed");
      expect(log.mock.calls.some((call) => String(call[0]).includes("select"))).toBe(true);
    } finally {
      log.mockRestore();
    }
  });
});
