import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InMemoryKeyStore, KeyManager } from "@truthound/codec-keystores";
import { FileSystemStore } from "@truthound/store-filesystem";
import { describeStoreConformance, makeResult } from "@truthound/store-testkit";
import { afterAll, describe, expect, it } from "vitest";
import { createSecurePipeline } from "../src/index.js";

const basePath = mkdtempSync(join(tmpdir(), "truthound-pipelines-at-rest-"));
afterAll(() => rmSync(basePath, { recursive: true, force: true }));

const keys = new KeyManager({ store: new InMemoryKeyStore() });
await keys.createKey("results-at-rest", { algorithm: "aes-256-gcm" });
const codecs = await createSecurePipeline(
  { keyProvider: keys, keyId: "results-at-rest" },
  { compression: "gzip", level: "fast" },
).codecs();

describeStoreConformance(
  "FileSystemStore with gzip + AES-256-GCM (KeyManager key)",
  ({ namespace }) => new FileSystemStore({ basePath, namespace, codecs }),
  {
    capabilities: { conditionalWrites: true, serverSideQuery: true, persistent: true, multiProcess: true },
    largeDocumentBytes: 2 * 1024 * 1024,
  },
);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("encryption at rest", () => {
  it("documents on disk are encrypted, name the key version, and stay readable after a rotation", async () => {
    const store = new FileSystemStore({ basePath, namespace: "at-rest-check", codecs });
    const result = makeResult({ runId: "run-before-rotation", dataAsset: "customers.csv" });
    await store.save(result);
    await keys.rotateKey("results-at-rest");
    await store.save(makeResult({ runId: "run-after-rotation-1", dataAsset: "customers.csv" }));
    await store.save(makeResult({ runId: "run-after-rotation-2", dataAsset: "customers.csv" }));
    const documents = filesUnder(join(basePath)).filter(
      (path) => path.includes("at-rest-check") && path.includes("run-"),
    );
    expect(documents.length).toBeGreaterThanOrEqual(3);
    for (const path of documents) {
      const bytes = readFileSync(path);
      expect(bytes.subarray(0, 4).toString("latin1")).toBe("TRTH");
      expect(bytes.includes(Buffer.from("customers.csv"))).toBe(false);
    }
    const versions = documents.map((path) => {
      const bytes = readFileSync(path);
      const length = bytes.readUInt16BE(5);
      return JSON.parse(bytes.subarray(7, 7 + length).toString("utf8")).c[1].p.kv as number;
    });
    expect(new Set(versions)).toEqual(new Set([1, 2]));
    const reopened = new FileSystemStore({ basePath, namespace: "at-rest-check", codecs });
    expect((await reopened.get("run-before-rotation")).dataAsset).toBe("customers.csv");
    expect((await reopened.get("run-after-rotation-2")).dataAsset).toBe("customers.csv");
    await store.close();
    await reopened.close();
  });
});
