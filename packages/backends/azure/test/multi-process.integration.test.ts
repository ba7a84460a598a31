import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureBlobStore } from "../src/index.js";
import { azurite, createContainer, requireAzurite } from "./helpers/azurite.js";

const WRITER = fileURLToPath(new URL("./helpers/writer-process.mjs", import.meta.url));
const WRITERS = 4;
const SAVES = 250;
const SHARED = 20;

function runWriter(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}: ${err}`))));
  });
}

describe.skipIf(azurite === undefined)("AzureBlobStore: concurrent writer processes on Azurite", () => {
  let container = "";
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createContainer(requireAzurite(), "multiproc");
    container = created.name;
    drop = created.drop;
  });
  afterAll(async () => drop?.());

  it(`${WRITERS} processes x ${SAVES} saves (native index): nothing lost from get, listIds, query or count`, {
    timeout: 600_000,
  }, async () => {
    const writers = Array.from({ length: WRITERS }, (_, w) => `w${w}`);
    await Promise.all(writers.map((w) => runWriter([container, "native", w, String(SAVES), String(SHARED)])));
    const store = new AzureBlobStore({
      connectionString: requireAzurite().connectionString,
      container,
      namespace: "mp",
    });
    const expected = writers.flatMap((w) => Array.from({ length: SAVES }, (_, i) => `${w}-${i}`));
    const shared = Array.from({ length: SHARED }, (_, i) => `shared-${i}`);
    const ids = await store.listIds({ ascending: true });
    expect(ids).toHaveLength(expected.length + SHARED);
    expect(new Set(ids)).toEqual(new Set([...expected, ...shared]));
    expect(await store.count()).toBe(expected.length + SHARED);
    for (const w of writers) {
      expect(await store.count({ tags: { writer: w }, dataAsset: "asset-3" })).toBe(SAVES / 5);
    }
    // Each shared id is indexed once, under the asset of the writer whose document won.
    for (const id of shared) {
      const item = await store.get(id);
      const owners = await Promise.all(
        writers.map(async (w) => (await store.listIds({ dataAsset: `owner-${w}` })).includes(id)),
      );
      expect(owners.filter(Boolean)).toHaveLength(1);
      expect(owners[writers.indexOf(item.tags.writer as string)]).toBe(true);
    }
    const failures = await store.query({ dataAsset: "asset-1", status: "failure" });
    expect(failures.length).toBe(
      failures.filter((f) => f.dataAsset === "asset-1" && f.status === "failure").length,
    );
    expect(new Set(failures.map((f) => f.runId)).size).toBe(failures.length);
    for (const id of expected.filter((_, i) => i % 25 === 0)) expect((await store.get(id)).runId).toBe(id);
    await store.close();
  });

  it("4 processes x 60 saves (python compatibility): _index.json loses nothing", {
    timeout: 600_000,
  }, async () => {
    const writers = Array.from({ length: WRITERS }, (_, w) => `p${w}`);
    const saves = 60;
    await Promise.all(writers.map((w) => runWriter([container, "python", w, String(saves), "0"])));
    const store = new AzureBlobStore({
      connectionString: requireAzurite().connectionString,
      container,
      namespace: "mp",
      compatibility: "python",
    });
    const ids = await store.listIds({ tags: {} });
    const mine = ids.filter((id) => id.startsWith("p"));
    expect(new Set(mine)).toEqual(
      new Set(writers.flatMap((w) => Array.from({ length: saves }, (_, i) => `${w}-${i}`))),
    );
    await store.close();
  });
});
