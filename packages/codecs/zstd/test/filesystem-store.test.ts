import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compressionCodec, readFrame } from "@truthound/codec-compression";
import { CodecChain } from "@truthound/store-core";
import { FileSystemStore } from "@truthound/store-filesystem";
import { describeStoreConformance, makeResults } from "@truthound/store-testkit";
import { afterAll, describe, expect, it } from "vitest";
import "../src/index.js";

const basePath = mkdtempSync(join(tmpdir(), "truthound-zstd-store-"));
afterAll(() => rmSync(basePath, { recursive: true, force: true }));

describeStoreConformance(
  "FileSystemStore with a zstd codec chain",
  ({ namespace }) => new FileSystemStore({ basePath, namespace, codecs: [compressionCodec("zstd")] }),
  {
    capabilities: {
      conditionalWrites: true,
      serverSideQuery: true,
      persistent: true,
      multiProcess: true,
      nativeTtl: false,
      nativeVersions: false,
      streaming: false,
    },
  },
);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

describe("what the store writes", () => {
  it("stores zstd frames inside codec-chain frames, and a store with no codecs configured reads them", async () => {
    const dir = mkdtempSync(join(basePath, "bytes-"));
    const store = new FileSystemStore({
      basePath: dir,
      codecs: [compressionCodec("zstd", { level: "high" })],
    });
    const results = makeResults(5, { seed: 4, validators: 40 });
    for (const result of results) await store.save(result);
    await store.close();
    const documents = filesUnder(dir).filter(
      (path) => readFileSync(path).subarray(0, 4).toString() === "TRTH",
    );
    expect(documents.length).toBe(results.length);
    const body = readFileSync(documents[0] as string);
    const headerLength = 7 + ((body[5] as number) << 8) + (body[6] as number);
    expect(JSON.parse(body.subarray(7, headerLength).toString()).c[0]).toEqual({
      id: "compression",
      v: 1,
      p: { algorithm: "zstd", level: 9 },
    });
    expect(readFrame(body.subarray(headerLength)).code).toBe(5);
    expect((await new CodecChain([]).decode(body)).length).toBeGreaterThan(body.length);
    const reader = new FileSystemStore({ basePath: dir, codecs: [compressionCodec("gzip")] });
    expect((await reader.get(results[0]?.runId as string)).runId).toBe(results[0]?.runId);
    await reader.close();
  });
});
