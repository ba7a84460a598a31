import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationResult } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { FileSystemStore } from "../src/index.js";
import { etagOf } from "../src/io/etag.js";
import { currentProcess } from "../src/io/process-identity.js";
import { tempDir } from "./helpers/temp-dir.js";

// A native save logs a pending record (synced) while its temporary file is written, renames the temporary
// file over the document, then logs the committed record. These tests leave the state a writer killed at each
// point would leave, and check that a fresh store's index describes the documents on disk.

function result(dataAsset: string, status: "success" | "failure"): ValidationResult {
  return new ValidationResult({ runId: "doc", runTime: new Date(Date.UTC(2024, 0, 1)), dataAsset, status });
}

function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid as number;
}

/** The log a killed writer leaves: its header, then the pending save of `bytes` as `next`, and no more. */
function writeDeadWritersLog(dir: string, next: ValidationResult, bytes: Buffer): void {
  const pid = deadPid();
  const header = { k: "h", h: currentProcess.host, b: currentProcess.boot, p: pid };
  const pending = {
    k: "ps",
    n: 1,
    w: Date.now(),
    id: "doc",
    f: "doc.json",
    e: etagOf(bytes),
    a: next.dataAsset,
    t: next.runTime.getTime(),
    s: next.status,
    g: {},
  };
  const lines = `${JSON.stringify(header)}\n${JSON.stringify(pending)}\n`;
  writeFileSync(join(dir, "_index", "logs", `${pid}-crash-000000000000.log`), lines);
}

/** The bytes the store writes for `item`, taken from a scratch store with the same options. */
async function bytesOf(item: ValidationResult): Promise<Buffer> {
  const scratch = new FileSystemStore({ basePath: tempDir("crash-scratch") });
  await scratch.save(item);
  await scratch.close();
  return readFileSync(join(scratch.directory, "doc.json"));
}

async function setUp(label: string): Promise<{ basePath: string; dir: string }> {
  const basePath = tempDir(label);
  const store = new FileSystemStore({ basePath });
  await store.save(result("before.csv", "success"));
  await store.close();
  return { basePath, dir: store.directory };
}

async function indexedAssets(basePath: string): Promise<{ asset: string; status: string; count: number }> {
  const store = new FileSystemStore({ basePath });
  try {
    const [item] = await store.query({});
    const count = await store.count();
    return { asset: item?.dataAsset ?? "", status: item?.status ?? "", count };
  } finally {
    await store.close();
  }
}

describe("native layout: a writer killed between its records", () => {
  it("after the pending record and the temporary file, before the rename: the old document stays indexed", async () => {
    const { basePath, dir } = await setUp("crash-before-rename");
    const next = result("after.csv", "failure");
    const bytes = await bytesOf(next);
    writeDeadWritersLog(dir, next, bytes);
    writeFileSync(join(dir, "_tmp-1-000000000000-1"), bytes);
    expect(await indexedAssets(basePath)).toEqual({ asset: "before.csv", status: "success", count: 1 });
    const store = new FileSystemStore({ basePath });
    expect(await store.listIds({ dataAsset: "after.csv" })).toEqual([]);
    expect((await store.get("doc")).dataAsset).toBe("before.csv");
    await store.close();
  });

  it("after the rename, before the committed record: the new document is indexed", async () => {
    const { basePath, dir } = await setUp("crash-after-rename");
    const next = result("after.csv", "failure");
    const bytes = await bytesOf(next);
    writeDeadWritersLog(dir, next, bytes);
    writeFileSync(join(dir, "doc.json"), bytes);
    expect(await indexedAssets(basePath)).toEqual({ asset: "after.csv", status: "failure", count: 1 });
    const store = new FileSystemStore({ basePath });
    expect(await store.listIds({ dataAsset: "before.csv" })).toEqual([]);
    expect((await store.getWithEtag("doc")).etag).toBe(etagOf(bytes));
    await store.close();
  });
});
