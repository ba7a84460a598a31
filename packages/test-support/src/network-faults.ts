import { request } from "node:http";
import { isStoreError, type Store, type ValidationResult } from "@truthound/store-core";
import { makeResults } from "@truthound/store-testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToxicProxy, type ToxicProxy } from "./toxiproxy.js";

export interface NetworkFaultOptions {
  /** TRUTHOUND_TEST_TOXIPROXY_URL. */
  toxiproxyUrl: string;
  /** `host:port` of the real server. */
  upstream: string;
  /**
   * A store whose client reaches the server through `listen` (`127.0.0.1:PORT`); `namespace` is unique per
   * test. Toxiproxy picks the connections a toxic hits, so the client should open one per request (no
   * keep-alive); otherwise one lucky connection could carry every request and test nothing.
   */
  makeStore(listen: string, namespace: string): Promise<Store<ValidationResult>>;
}

const sameDocument = (a: ValidationResult, b: ValidationResult) =>
  expect(JSON.stringify(a.toDict())).toBe(JSON.stringify(b.toDict()));

/**
 * The client-visible view after a faulty period: every id either reads back exactly what was saved or is
 * NOT_FOUND (never a torn or corrupt document), and everything listed or queried reads back.
 */
async function expectNothingHalfWritten(
  store: Store<ValidationResult>,
  saved: readonly ValidationResult[],
  acknowledged: ReadonlySet<string>,
) {
  const byId = new Map(saved.map((r) => [r.runId, r]));
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
  for (const id of acknowledged)
    expect(readable.has(id), `acknowledged save of ${id} is readable`).toBe(true);
  for (const id of await store.listIds()) {
    expect(byId.has(id)).toBe(true);
    expect(readable.has(id), `listed ${id} is readable`).toBe(true);
  }
  for (const result of await store.query({})) expect(readable.has(result.runId)).toBe(true);
}

/** One raw HTTP request on a fresh connection, no retries: whether it got any answer. */
function rawRequestSucceeds(listen: string, bodyBytes: number): Promise<boolean> {
  const [host, port] = listen.split(":");
  return new Promise((resolve) => {
    const req = request(
      {
        host,
        port: Number(port),
        method: "PUT",
        path: "/probe",
        agent: false,
        headers: { connection: "close" },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(true));
        res.on("error", () => resolve(false));
      },
    );
    req.on("error", () => resolve(false));
    req.setTimeout(10_000, () => req.destroy(new Error("probe timed out")));
    req.end(Buffer.alloc(bodyBytes, 0x61));
  });
}

/** Shows the toxic is live (some raw requests fail) but not total (some get through), so retries are tested. */
async function expectSomeRawRequestsFail(listen: string, bodyBytes: number) {
  const outcomes: boolean[] = [];
  for (let i = 0; i < 40; i++) outcomes.push(await rawRequestSucceeds(listen, bodyBytes));
  const failed = outcomes.filter((ok) => !ok).length;
  expect(failed, "raw requests failing through the toxic").toBeGreaterThan(0);
  expect(failed, "raw requests failing through the toxic").toBeLessThan(outcomes.length);
}

/**
 * Runs a store through Toxiproxy: latency on every byte, connections reset at random, requests cut part-way.
 * Idempotent operations must retry and succeed; writes must never leave a half-written document.
 */
export function describeNetworkFaults(name: string, options: NetworkFaultOptions): void {
  describe(`${name} through Toxiproxy (latency, resets, cut requests)`, () => {
    let proxy: ToxicProxy;
    let counter = 0;
    const namespace = () => `netfault-${Date.now().toString(36)}-${counter++}`;

    beforeAll(async () => {
      proxy = await createToxicProxy(options.toxiproxyUrl, "netfault", options.upstream);
    });
    afterAll(async () => {
      await proxy?.delete();
    });

    it("with 40 ± 20 ms latency both ways every operation succeeds and returns the right data", async () => {
      const store = await options.makeStore(proxy.listen, namespace());
      const results = makeResults(8, { seed: 11 });
      try {
        await proxy.addToxic({
          type: "latency",
          stream: "downstream",
          attributes: { latency: 40, jitter: 20 },
        });
        await proxy.addToxic({
          type: "latency",
          stream: "upstream",
          attributes: { latency: 40, jitter: 20 },
        });
        for (const outcome of await store.saveMany(results)) expect(outcome.ok).toBe(true);
        for (const original of results) sameDocument(await store.get(original.runId), original);
        expect(await store.count({})).toBe(results.length);
        const asset = results[0]?.dataAsset as string;
        expect((await store.query({ dataAsset: asset })).map((r) => r.runId).sort()).toEqual(
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

    it("with a quarter of connections reset, reads retry and succeed", async () => {
      const store = await options.makeStore(proxy.listen, namespace());
      const results = makeResults(10, { seed: 12 });
      try {
        for (const outcome of await store.saveMany(results)) expect(outcome.ok).toBe(true);
        await proxy.addToxic({
          type: "reset_peer",
          stream: "downstream",
          toxicity: 0.25,
          attributes: { timeout: 0 },
        });
        await expectSomeRawRequestsFail(proxy.listen, 0);
        for (let round = 0; round < 3; round++) {
          for (const original of results) sameDocument(await store.get(original.runId), original);
          expect(await store.exists(results[1]?.runId as string)).toBe(true);
          expect((await store.listIds()).length).toBe(results.length);
          expect(await store.count({})).toBe(results.length);
        }
      } finally {
        await proxy.removeAllToxics();
        await store.close();
      }
    });

    it("with requests cut part-way, no document is half-written and retried saves complete", async () => {
      const store = await options.makeStore(proxy.listen, namespace());
      const results = makeResults(12, { seed: 13, validators: 60 });
      const acknowledged = new Set<string>();
      try {
        // Half the connections are closed after 4 KB towards the server: bodies are cut mid-upload.
        await proxy.addToxic({
          type: "limit_data",
          stream: "upstream",
          toxicity: 0.5,
          attributes: { bytes: 4096 },
        });
        await expectSomeRawRequestsFail(proxy.listen, 32 * 1024);
        for (const result of results) {
          const outcome = await store.save(result).then(
            () => undefined,
            (error: unknown) => error,
          );
          if (outcome === undefined) acknowledged.add(result.runId);
          else expect(isStoreError(outcome), String(outcome)).toBe(true);
        }
        await proxy.removeAllToxics();
        await expectNothingHalfWritten(store, results, acknowledged);
        for (const result of results) if (!acknowledged.has(result.runId)) await store.save(result);
        for (const original of results) sameDocument(await store.get(original.runId), original);
        expect(await store.count({})).toBe(results.length);
      } finally {
        await proxy.removeAllToxics();
        await store.close();
      }
    });
  });
}
