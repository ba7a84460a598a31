import { getStore, isBackendAvailable, isStoreError, listAvailableBackends } from "@truthound/store-core";
import { expectSameResult, expectStoreError, makeResult } from "@truthound/store-testkit";
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../src/index.js";

const at = (minutes: number) => Date.UTC(2024, 0, 1, 0, minutes);

describe("MemoryStore maxItems", () => {
  it("evicts the oldest item by run time, not by insertion order", async () => {
    const store = new MemoryStore({ maxItems: 3 });
    await store.save(makeResult({ runId: "t3", runTime: at(3) }));
    await store.save(makeResult({ runId: "t1", runTime: at(1) }));
    await store.save(makeResult({ runId: "t2", runTime: at(2) }));
    await store.save(makeResult({ runId: "t4", runTime: at(4) }));
    expect([...(await store.listIds({ ascending: true }))]).toEqual(["t2", "t3", "t4"]);
    expect(store.size).toBe(3);
  });

  it("keeps maxItems after many saves", async () => {
    const store = new MemoryStore({ maxItems: 2 });
    for (let i = 0; i < 5; i++) await store.save(makeResult({ runId: `r${i}`, runTime: at(i) }));
    expect(await store.listIds()).toEqual(["r4", "r3"]);
  });

  it("re-saving an existing id at capacity evicts nothing, even when it is the oldest", async () => {
    const store = new MemoryStore({ maxItems: 2 });
    await store.save(makeResult({ runId: "x", runTime: at(1) }));
    await store.save(makeResult({ runId: "y", runTime: at(2) }));
    await store.save(makeResult({ runId: "y", runTime: at(2), status: "failure" }));
    const oldest = makeResult({ runId: "x", runTime: at(1), status: "warning" });
    await store.save(oldest);
    expect([...(await store.listIds())].sort()).toEqual(["x", "y"]);
    expectSameResult(await store.get("x"), oldest);
  });

  it("never evicts the item being saved, even when it is older than everything stored", async () => {
    const store = new MemoryStore({ maxItems: 2 });
    await store.save(makeResult({ runId: "b", runTime: at(5) }));
    await store.save(makeResult({ runId: "c", runTime: at(6) }));
    await store.save(makeResult({ runId: "a", runTime: at(1) }));
    expect(await store.exists("a")).toBe(true);
    expect([...(await store.listIds())].sort()).toEqual(["a", "c"]);
  });

  it("0 means unlimited", async () => {
    const store = new MemoryStore({ maxItems: 0 });
    for (let i = 0; i < 50; i++) await store.save(makeResult({ runId: `r${i}`, runTime: at(i) }));
    expect(await store.count()).toBe(50);
  });
});

describe("MemoryStore deepCopy", () => {
  it("by default, neither the saved object nor a returned one is shared with the store", async () => {
    const store = new MemoryStore();
    const item = makeResult({ tags: { env: "prod" } });
    await store.save(item);
    item.tags.env = "changed";
    const first = await store.get(item.runId);
    expect(first).not.toBe(item);
    expect(first.tags.env).toBe("prod");
    first.status = "error";
    expect((await store.get(item.runId)).status).toBe(item.status);
  });

  it("with deepCopy: false, get returns the very object that was saved", async () => {
    const store = new MemoryStore({ deepCopy: false });
    const item = makeResult();
    await store.save(item);
    expect(await store.get(item.runId)).toBe(item);
    item.status = "error";
    expect((await store.get(item.runId)).status).toBe("error");
  });
});

describe("MemoryStore options", () => {
  it.each([
    [{ maxItems: -1 }, "maxItems"],
    [{ maxItems: 1.5 }, "maxItems"],
    [{ deepCopy: "yes" }, "deepCopy"],
    [{ operationTimeoutMs: 0 }, "operationTimeoutMs"],
    [{ maxitems: 3 }, "maxitems"],
  ])("rejects %j with a CONFIGURATION error naming the field", (options, field) => {
    let error: unknown;
    try {
      new MemoryStore(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(isStoreError(error, "CONFIGURATION")).toBe(true);
    expect((error as Error).message).toContain(field);
  });
});

describe("MemoryStore in the registry", () => {
  it("registers itself as 'memory' with its alias", async () => {
    expect(listAvailableBackends()).toContain("memory");
    expect(isBackendAvailable("memory")).toBe(true);
    expect(isBackendAvailable("MEM")).toBe(true);
    const store = await getStore("memory", { maxItems: 1 });
    expect(store).toBeInstanceOf(MemoryStore);
    expect(store.backend).toBe("memory");
    await store.save(makeResult({ runId: "a", runTime: at(1) }));
    await store.save(makeResult({ runId: "b", runTime: at(2) }));
    expect(await store.listIds()).toEqual(["b"]);
    expect(await getStore(" Mem ")).toBeInstanceOf(MemoryStore);
  });

  it("passes options through validation", async () => {
    await expectStoreError(() => getStore("memory", { bogus: true }), "CONFIGURATION");
  });
});
