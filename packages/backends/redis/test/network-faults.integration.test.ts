import { isStoreError, type ValidationResult } from "@truthound/store-core";
import { makeResults } from "@truthound/store-testkit";
import { createToxicProxy, hostPortOf, type ToxicProxy } from "@truthound/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/index.js";
import { dropPrefix, redisUrl, requireRedis, toxiproxyUrl, uniquePrefix } from "./helpers/redis-server.js";

const sameDocument = (a: ValidationResult, b: ValidationResult) => expect(a.toDict()).toEqual(b.toDict());

/**
 * The store's view after a faulty period: every id reads back exactly what was saved or is NOT_FOUND, every
 * acknowledged save is readable, listIds, query and count agree, and a rebuild finds nothing to repair (no
 * document without its index entries, no index entry without its document).
 */
async function expectNothingHalfWritten(
  store: RedisStore,
  saved: readonly ValidationResult[],
  acknowledged: ReadonlySet<string>,
) {
  const readable = new Set<string>();
  for (const original of saved) {
    const outcome = await store.get(original.runId).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    if ("value" in outcome) {
      sameDocument(outcome.value, original);
      readable.add(original.runId);
    } else {
      expect(isStoreError(outcome.error, "NOT_FOUND"), String(outcome.error)).toBe(true);
    }
  }
  for (const id of acknowledged) expect(readable.has(id), `acknowledged save of ${id}`).toBe(true);
  expect(new Set(await store.listIds())).toEqual(readable);
  expect(await store.count()).toBe(readable.size);
  expect((await store.query({})).length).toBe(readable.size);
  const report = await store.rebuildIndex();
  expect(report.documents).toBe(readable.size);
  expect(report.removedRecords + report.removedIndexEntries).toBe(0);
}

describe.skipIf(redisUrl === undefined || toxiproxyUrl === undefined)("RedisStore through Toxiproxy", () => {
  const keyPrefix = uniquePrefix("netfault");
  let proxy: ToxicProxy;
  let counter = 0;
  const open = (extra: Partial<ConstructorParameters<typeof RedisStore>[0]> = {}) => {
    const url = new URL(requireRedis());
    const [host, port] = proxy.listen.split(":");
    return new RedisStore({
      host: host as string,
      port: Number(port),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      keyPrefix,
      namespace: `nf-${counter++}`,
      retries: 8,
      ...extra,
    });
  };

  beforeAll(async () => {
    proxy = await createToxicProxy(toxiproxyUrl as string, "redis-netfault", hostPortOf(requireRedis()));
  });
  afterAll(async () => {
    await proxy?.delete();
    await dropPrefix(keyPrefix);
  });

  it("with 40 ± 20 ms latency both ways every operation succeeds and returns the right data", async () => {
    const store = open();
    const results = makeResults(8, { seed: 11 });
    try {
      await proxy.addToxic({
        type: "latency",
        stream: "downstream",
        attributes: { latency: 40, jitter: 20 },
      });
      await proxy.addToxic({ type: "latency", stream: "upstream", attributes: { latency: 40, jitter: 20 } });
      for (const outcome of await store.saveMany(results)) expect(outcome.ok).toBe(true);
      for (const original of results) sameDocument(await store.get(original.runId), original);
      expect(await store.count()).toBe(results.length);
      const asset = results[0]?.dataAsset as string;
      expect((await store.listIds({ dataAsset: asset })).sort()).toEqual(
        results
          .filter((r) => r.dataAsset === asset)
          .map((r) => r.runId)
          .sort(),
      );
      expect(await store.delete(results[0]?.runId as string)).toBe(true);
      expect(await store.exists(results[0]?.runId as string)).toBe(false);
    } finally {
      await proxy.removeAllToxics();
      await store.close();
    }
  });

  it("connections reset before or after the server ran a command: reads and saves retry and succeed, nothing half-written", async () => {
    const store = open();
    const results = makeResults(40, { seed: 12 });
    const acknowledged = new Set<string>();
    let resets = 0;
    try {
      await store.initialize();
      store.client.on("reconnecting", () => resets++);
      for (let round = 0; round < results.length / 10; round++) {
        const batch = results.slice(round * 10, round * 10 + 10);
        // Upstream: commands are dropped before Redis sees them. Downstream: Redis runs them, the replies are
        // lost, and a retried save must recognise that its first attempt was applied.
        const stream = round % 2 === 0 ? "upstream" : "downstream";
        await proxy.addToxic({ type: "reset_peer", stream, attributes: { timeout: 0 } });
        const pending = batch.map((result) =>
          store.save(result).then(
            () => acknowledged.add(result.runId),
            (error: unknown) => error,
          ),
        );
        const reads = round > 0 ? results.slice(0, 5).map((r) => store.get(r.runId)) : [];
        await new Promise((resolve) => setTimeout(resolve, 30));
        await proxy.removeAllToxics();
        for (const outcome of await Promise.all(pending))
          expect(outcome, String(outcome)).toBeInstanceOf(Set);
        for (const read of reads) expect((await read).runId).toMatch(/^run_/);
      }
      expect(resets, "connections reset by the toxic").toBeGreaterThanOrEqual(results.length / 10);
      expect(acknowledged.size).toBe(results.length);
      await expectNothingHalfWritten(store, results, acknowledged);
    } finally {
      await proxy.removeAllToxics();
      await store.close();
    }
  });

  it("with commands cut part-way, no document is half-written and retried saves complete", async () => {
    const store = open({ retries: 2 });
    const results = makeResults(12, { seed: 13, validators: 80 });
    const acknowledged = new Set<string>();
    try {
      // Half the connections are closed after 4 KB towards the server: documents are cut mid-command.
      await proxy.addToxic({
        type: "limit_data",
        stream: "upstream",
        toxicity: 0.5,
        attributes: { bytes: 4096 },
      });
      for (const result of results) {
        const error = await store.save(result).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (error === undefined) acknowledged.add(result.runId);
        else expect(isStoreError(error, "CONNECTION"), String(error)).toBe(true);
      }
      await proxy.removeAllToxics();
      await expectNothingHalfWritten(store, results, acknowledged);
      for (const result of results) if (!acknowledged.has(result.runId)) await store.save(result);
      for (const original of results) sameDocument(await store.get(original.runId), original);
      expect(await store.count()).toBe(results.length);
    } finally {
      await proxy.removeAllToxics();
      await store.close();
    }
  });

  it("a stalled connection fails within the deadline with a typed error, then recovers", async () => {
    const store = open({ operationTimeoutMs: 1_000, socketTimeoutMs: 500, retries: 1 });
    const [result] = makeResults(1, { seed: 14 });
    try {
      await store.save(result as ValidationResult);
      // Nothing comes back: the socket timeout drops the connection, the deadline bounds the call.
      await proxy.addToxic({ type: "timeout", stream: "downstream", attributes: { timeout: 0 } });
      const started = performance.now();
      const error = await store.get(result?.runId as string).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(isStoreError(error), String(error)).toBe(true);
      expect(["CONNECTION", "TIMEOUT"]).toContain((error as { code: string }).code);
      expect((error as { retryable: boolean }).retryable).toBe(true);
      await proxy.removeAllToxics();
      let recovered = false;
      for (let attempt = 0; attempt < 20 && !recovered; attempt++) {
        recovered = await store.get(result?.runId as string).then(
          (item) => item.runId === result?.runId,
          () => false,
        );
        if (!recovered) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(recovered).toBe(true);
      sameDocument(await store.get(result?.runId as string), result as ValidationResult);
    } finally {
      await proxy.removeAllToxics();
      await store.close();
    }
  });

  it("a proxy that refuses connections gives retryable CONNECTION errors, never a silent success, then recovers", async () => {
    const store = open({ operationTimeoutMs: 5_000, retries: 2 });
    const [before, during] = makeResults(2, { seed: 15 });
    try {
      await store.save(before as ValidationResult);
      await proxy.setEnabled(false);
      for (const operation of [
        () => store.save(during as ValidationResult),
        () => store.get(before?.runId as string),
        () => store.count(),
        () => store.delete(before?.runId as string),
      ]) {
        const error = await operation().catch((e: unknown) => e);
        expect(isStoreError(error, "CONNECTION"), String(error)).toBe(true);
        expect((error as { retryable: boolean }).retryable).toBe(true);
      }
      await proxy.setEnabled(true);
      // The client reconnects on its own backoff (up to 2 s between attempts after a long outage); until then
      // reads fail fast with retryable CONNECTION errors, and the first read after the reconnect succeeds.
      const recoveredBy = Date.now() + 10_000;
      let recovered: ValidationResult | undefined;
      while (recovered === undefined) {
        recovered = await store.get(before?.runId as string).catch((error: unknown) => {
          if (!isStoreError(error, "CONNECTION") || Date.now() > recoveredBy) throw error;
          return new Promise<undefined>((resolve) => setTimeout(resolve, 100));
        });
      }
      expect(recovered.runId).toBe(before?.runId);
      expect(await store.exists(during?.runId as string)).toBe(false);
      await store.save(during as ValidationResult);
      expect(await store.count()).toBe(2);
    } finally {
      await proxy.setEnabled(true);
      await store.close();
    }
  });
});
