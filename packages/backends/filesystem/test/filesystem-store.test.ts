import { readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getStore, gzipCodec, isStoreError, ValidationResult } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { FileSystemStore } from "../src/index.js";
import { tempDir } from "./helpers/temp-dir.js";

function result(runId: string, i = 0, dataAsset = "orders.csv"): ValidationResult {
  return new ValidationResult({
    runId,
    runTime: new Date(Date.UTC(2024, 0, 1, 0, i)),
    dataAsset,
    status: i % 2 === 0 ? "success" : "failure",
    tags: { env: i % 3 === 0 ? "prod" : "dev" },
  });
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isStoreError(error), `expected a StoreError ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

describe("options", () => {
  it("rejects unknown and mistyped options with CONFIGURATION", () => {
    expect(() => new FileSystemStore({ bogus: 1 } as never)).toThrow(/unknown option 'bogus'/);
    expect(() => new FileSystemStore({ layout: "other" } as never)).toThrow(/layout/);
    expect(() => new FileSystemStore({ fileExtension: "json" })).toThrow(/fileExtension/);
    expect(() => new FileSystemStore({ namespace: "../up" })).toThrow(/namespace/);
    expect(() => new FileSystemStore({ useCompression: true, codecs: [gzipCodec()] })).toThrow(/not both/);
    expect(() => new FileSystemStore({ layout: "python", codecs: [gzipCodec()] })).toThrow(/python layout/);
  });

  it("with createDirs false, a missing directory fails initialize with CONFIGURATION", async () => {
    const basePath = join(tempDir("nodirs"), "missing");
    const store = new FileSystemStore({ basePath, createDirs: false });
    await expectCode(store.initialize(), "CONFIGURATION");
  });

  it("places documents at {basePath}/{namespace}/{prefix}", async () => {
    const basePath = tempDir("layout");
    const store = new FileSystemStore({ basePath, namespace: "ns", prefix: "px", fileExtension: ".data" });
    await store.save(result("run-1"));
    expect(readdirSync(join(basePath, "ns", "px"))).toContain("run-1.data");
    expect(store.directory).toBe(join(basePath, "ns", "px"));
    await store.close();
  });

  it('is registered as "filesystem"', async () => {
    const store = await getStore("filesystem", { basePath: tempDir("registry") });
    expect(store).toBeInstanceOf(FileSystemStore);
    await store.close();
  });
});

describe.each(["native", "python"] as const)("%s layout", (layout) => {
  it("round-trips hostile ids to files that stay inside the directory", async () => {
    const basePath = tempDir(`ids-${layout}`);
    const store = new FileSystemStore({ basePath, layout });
    const ids = ["a..b", "x/y", "back\\slash", "c:d", "50%", "_under", ".dot", "ünïcødé-🦀", "z".repeat(400)];
    for (const [i, id] of ids.entries()) await store.save(result(id, i));
    const fresh = new FileSystemStore({ basePath, layout });
    expect(new Set(await fresh.listIds())).toEqual(new Set(ids));
    for (const id of ids) expect((await fresh.get(id)).runId).toBe(id);
    const files = readdirSync(join(basePath, "default", "validations"));
    for (const file of files) expect(file.includes("/") || Buffer.byteLength(file) > 255).toBe(false);
    await expectCode(store.save(result("../escape")), "INVALID_ARGUMENT");
    await store.close();
    await fresh.close();
  });

  it("compressed and codec-framed documents round-trip; reading follows the index after settings change", async () => {
    const basePath = tempDir(`codecs-${layout}`);
    const gz = new FileSystemStore({ basePath, layout, useCompression: true });
    await gz.save(result("run-gz", 1));
    const raw = readFileSync(join(basePath, "default", "validations", "run-gz.json.gz"));
    expect(raw[0]).toBe(0x1f);
    await gz.close();
    const plain = new FileSystemStore({ basePath, layout });
    expect((await plain.get("run-gz")).status).toBe("failure");
    await plain.save(result("run-gz", 2));
    expect(
      readdirSync(join(basePath, "default", "validations")).filter((f) => f.startsWith("run-gz")),
    ).toEqual(["run-gz.json"]);
    await plain.close();
    if (layout === "native") {
      const framed = new FileSystemStore({ basePath, codecs: [gzipCodec()] });
      await framed.save(result("run-framed", 3));
      expect((await framed.get("run-framed")).runId).toBe("run-framed");
      await framed.close();
    }
  });

  it("conditional writes: ifNoneMatch and ifMatch, with etags that change on every write", async () => {
    const store = new FileSystemStore({ basePath: tempDir(`cond-${layout}`), layout });
    const first = await store.saveWithEtag(result("run-c", 0), { ifNoneMatch: "*" });
    await expectCode(store.save(result("run-c", 1), { ifNoneMatch: "*" }), "CONFLICT");
    const second = await store.saveWithEtag(result("run-c", 1), { ifMatch: first.etag });
    expect(second.etag).not.toBe(first.etag);
    expect((await store.getWithEtag("run-c")).etag).toBe(second.etag);
    await expectCode(store.save(result("run-c", 2), { ifMatch: first.etag }), "CONFLICT");
    await expectCode(store.save(result("run-missing", 2), { ifMatch: first.etag }), "CONFLICT");
    await store.close();
  });

  it("queries come from the index, not from reading documents", async () => {
    const basePath = tempDir(`index-${layout}`);
    const store = new FileSystemStore({ basePath, layout });
    for (let i = 0; i < 20; i++) await store.save(result(`run-${i}`, i, i % 2 ? "a.csv" : "b.csv"));
    // Replace every document with garbage: listing and counting must not notice.
    const dir = join(basePath, "default", "validations");
    for (const file of readdirSync(dir))
      if (file.startsWith("run-")) writeFileSync(join(dir, file), "garbage");
    expect(await store.count({ dataAsset: "a.csv", status: "failure" })).toBe(10);
    expect(await store.listIds({ dataAsset: "b.csv", limit: 3, ascending: true })).toEqual([
      "run-0",
      "run-2",
      "run-4",
    ]);
    await store.close();
  });

  it("a corrupt document is a SERIALIZATION or INTEGRITY error on get, and rebuildIndex reports it", async () => {
    const basePath = tempDir(`corrupt-${layout}`);
    const store = new FileSystemStore({ basePath, layout });
    await store.save(result("run-ok", 0));
    await store.save(result("run-bad", 1));
    const dir = join(basePath, "default", "validations");
    writeFileSync(join(dir, "run-bad.json"), '{"run_id": "run-bad", "trunc');
    const error = await store.get("run-bad").catch((e: unknown) => e);
    expect(isStoreError(error) && ["SERIALIZATION", "INTEGRITY"].includes(error.code)).toBe(true);
    expect((await store.get("run-ok")).runId).toBe("run-ok");
    const report = await store.rebuildIndex();
    expect(report.indexed).toBe(1);
    expect(report.skipped.map((s) => s.file)).toEqual(["run-bad.json"]);
    expect(await store.listIds()).toEqual(["run-ok"]);
    await store.close();
  });

  it("rebuildIndex restores an index that was deleted, from the documents", async () => {
    const basePath = tempDir(`rebuild-${layout}`);
    const store = new FileSystemStore({ basePath, layout });
    for (let i = 0; i < 5; i++) await store.save(result(`run-${i}`, i));
    await store.close();
    const dir = join(basePath, "default", "validations");
    rmSync(join(dir, layout === "native" ? "_index" : "_index.json"), { recursive: true });
    const fresh = new FileSystemStore({ basePath, layout });
    expect(await fresh.listIds()).toEqual([]);
    expect((await fresh.rebuildIndex()).indexed).toBe(5);
    expect(await fresh.count({ status: "failure" })).toBe(2);
    await fresh.close();
  });

  it("deletes are seen by other instances; delete of a missing id is false", async () => {
    const basePath = tempDir(`delete-${layout}`);
    const a = new FileSystemStore({ basePath, layout });
    const b = new FileSystemStore({ basePath, layout });
    await a.save(result("run-d", 0));
    expect(await b.exists("run-d")).toBe(true);
    expect(await b.delete("run-d")).toBe(true);
    expect(await a.listIds()).toEqual([]);
    expect(await a.exists("run-d")).toBe(false);
    expect(await a.delete("run-d")).toBe(false);
    await expectCode(a.get("run-d"), "NOT_FOUND");
    await a.close();
    await b.close();
  });
});

describe("native layout index", () => {
  it("skips a corrupt log line, reports it, and keeps the other entries", async () => {
    const basePath = tempDir("badline");
    const store = new FileSystemStore({ basePath });
    await store.save(result("run-1", 1));
    await store.close();
    const logs = join(basePath, "default", "validations", "_index", "logs");
    const [log] = readdirSync(logs);
    writeFileSync(join(logs, log as string), "this is not json\n", { flag: "a" });
    writeFileSync(join(logs, "99999-x-y.log"), '{"k":"s","n":1}\n');
    const fresh = new FileSystemStore({ basePath });
    expect(await fresh.listIds()).toEqual(["run-1"]);
    const status = await fresh.indexStatus();
    expect(status.problems.length).toBe(2);
    await fresh.close();
  });

  it("a corrupt snapshot makes queries fail with INTEGRITY until rebuildIndex", async () => {
    const basePath = tempDir("badsnapshot");
    const store = new FileSystemStore({ basePath });
    await store.save(result("run-1", 1));
    await store.compact();
    await store.close();
    writeFileSync(join(basePath, "default", "validations", "_index", "snapshot.json"), "{not json");
    const fresh = new FileSystemStore({ basePath });
    await expectCode(fresh.listIds(), "INTEGRITY");
    expect((await fresh.get("run-1")).runId).toBe("run-1");
    expect((await fresh.rebuildIndex()).indexed).toBe(1);
    expect(await fresh.listIds()).toEqual(["run-1"]);
    await fresh.close();
  });

  it("compaction absorbs logs of closed writers into the snapshot and removes them", async () => {
    const basePath = tempDir("compact");
    for (let w = 0; w < 3; w++) {
      const store = new FileSystemStore({ basePath });
      await store.save(result(`run-${w}`, w));
      await store.close();
    }
    const store = new FileSystemStore({ basePath });
    await store.compact();
    expect((await store.indexStatus()).logs).toBe(0);
    const fresh = new FileSystemStore({ basePath });
    expect((await fresh.listIds()).sort()).toEqual(["run-0", "run-1", "run-2"]);
    await store.close();
    await fresh.close();
  });

  it("an index entry pointing at a missing document is not listed after the document is removed by hand and rebuilt", async () => {
    const basePath = tempDir("manualdelete");
    const store = new FileSystemStore({ basePath });
    await store.save(result("run-1", 1));
    unlinkSync(join(basePath, "default", "validations", "run-1.json"));
    await expectCode(store.get("run-1"), "NOT_FOUND");
    await store.rebuildIndex();
    expect(await store.listIds()).toEqual([]);
    await store.close();
  });
});

describe("python layout index", () => {
  it("skips hostile _index.json entries (paths outside the directory) and keeps the rest", async () => {
    const basePath = tempDir("hostile");
    const store = new FileSystemStore({ basePath, layout: "python" });
    await store.save(result("run-1", 1));
    await store.close();
    const indexPath = join(basePath, "default", "validations", "_index.json");
    const index = JSON.parse(readFileSync(indexPath, "utf8"));
    index.evil = {
      data_asset: "x",
      run_time: "2024-01-01T00:00:00",
      status: "success",
      file: "../../etc/passwd",
      tags: {},
    };
    writeFileSync(indexPath, JSON.stringify(index));
    const fresh = new FileSystemStore({ basePath, layout: "python" });
    expect(await fresh.listIds()).toEqual(["run-1"]);
    await expectCode(fresh.get("evil"), "NOT_FOUND");
    expect((await fresh.indexStatus()).problems[0]?.message).toMatch(/evil/);
    await fresh.close();
  });

  it("a corrupt _index.json is an INTEGRITY error (never an empty result) until rebuildIndex", async () => {
    const basePath = tempDir("pycorrupt");
    const store = new FileSystemStore({ basePath, layout: "python" });
    await store.save(result("run-1", 1));
    writeFileSync(join(basePath, "default", "validations", "_index.json"), "{");
    await expectCode(store.listIds(), "INTEGRITY");
    await expectCode(store.save(result("run-2", 2)), "INTEGRITY");
    expect((await store.rebuildIndex()).indexed).toBe(1);
    expect(await store.listIds()).toEqual(["run-1"]);
    await store.close();
  });

  it("writes the flat _index.json shape with naive UTC run times", async () => {
    const basePath = tempDir("pyshape");
    const store = new FileSystemStore({ basePath, layout: "python" });
    await store.save(result("run-1", 1));
    const index = JSON.parse(readFileSync(join(basePath, "default", "validations", "_index.json"), "utf8"));
    expect(index).toEqual({
      "run-1": {
        data_asset: "orders.csv",
        run_time: "2024-01-01T00:01:00",
        status: "failure",
        file: "run-1.json",
        tags: { env: "dev" },
      },
    });
    await store.close();
  });
});
