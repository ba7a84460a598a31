import { createHash } from "node:crypto";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { type Codec, gzipCodec, isStoreError, type ValidationResult } from "@truthound/store-core";
import { expectStoreError, makeResult } from "@truthound/store-testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Store, type S3StoreOptions } from "../src/index.js";
import { adminClient, createBucket, minio, minioOptions, requireMinio } from "./helpers/minio.js";

const MIB = 1024 * 1024;
const BIG_BYTES = 200 * MIB;
/** Generous: the point is that memory does not grow with the document (200 MiB), not a tight figure. */
// The 200 MiB transfers get a long timeout: on a loaded machine with a busy emulator they can take minutes.
const RSS_BOUND_BYTES = 128 * MIB;

/**
 * A JSON document of about `bytes` bytes, generated 1 MiB at a time, with its SHA-256 once fully read.
 * `failAfter` makes the stream throw after that many bytes; `pause` runs once after that many bytes.
 */
function generatedDocument(
  id: string,
  bytes: number,
  options: { failAfter?: number; pause?: { after: number; run: () => Promise<unknown> } } = {},
) {
  const hash = createHash("sha256");
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const emit = (text: string) => {
      const chunk = Buffer.from(text);
      hash.update(chunk);
      return chunk;
    };
    let sent = 0;
    let paused = false;
    yield emit(`{"run_id":${JSON.stringify(id)},"data_asset":"big.parquet","rows":[`);
    for (let block = 0; sent < bytes; block++) {
      const rows: string[] = [];
      for (let i = 0; i < 4096; i++)
        rows.push(`{"row":${block * 4096 + i},"value":"v${(block * 31 + i) % 997}"}`);
      const chunk = emit(`${block === 0 ? "" : ","}${rows.join(",")}`.padEnd(MIB, " "));
      sent += chunk.byteLength;
      yield chunk;
      if (options.failAfter !== undefined && sent >= options.failAfter) throw new Error("source failed");
      if (options.pause !== undefined && !paused && sent >= options.pause.after) {
        paused = true;
        await options.pause.run();
      }
    }
    yield emit("]}");
  }
  return { chunks: chunks(), digest: () => hash.digest("hex") };
}

/** Peak RSS growth over a baseline, sampled every 20 ms while `work` runs. */
async function peakRssGrowth<R>(work: () => Promise<R>): Promise<{ result: R; growth: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growth: peak - before };
  } finally {
    clearInterval(timer);
  }
}

async function hashOf(stream: AsyncIterable<Uint8Array>): Promise<{ digest: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { digest: hash.digest("hex"), bytes };
}

async function* bytesOf(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

const entryOf = (id: string) => ({
  id,
  dataAsset: "big.parquet",
  runTimeMs: Date.parse("2026-11-01T00:00:00Z"),
  status: "success",
  tags: { size: "large" },
});

describe.skipIf(minio === undefined)("S3Store streaming on MinIO", () => {
  let bucket = "";
  let drop: (() => Promise<void>) | undefined;
  let admin: S3Client;
  const open = (namespace: string, extra: Partial<S3StoreOptions> = {}) =>
    new S3Store({ ...minioOptions(requireMinio()), bucket, namespace, partSizeBytes: 8 * MIB, ...extra });
  const keysUnder = async (prefix: string) =>
    ((await admin.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map(
      (c) => c.Key,
    );

  beforeAll(async () => {
    const created = await createBucket(requireMinio(), "stream");
    bucket = created.name;
    drop = created.drop;
    admin = adminClient(requireMinio());
  });
  afterAll(async () => {
    admin?.destroy();
    await drop?.();
  });

  it("declares streaming", () => {
    expect(open("caps").capabilities.streaming).toBe(true);
  });

  for (const useCompression of [true, false]) {
    it(`streams a 200 MiB document in and out with bounded memory (useCompression ${useCompression})`, async () => {
      const store = open(`big-${useCompression}`, { useCompression });
      const doc = generatedDocument("big-1", BIG_BYTES);
      const saved = await peakRssGrowth(() => store.saveStream(entryOf("big-1"), doc.chunks));
      expect(saved.growth).toBeLessThan(RSS_BOUND_BYTES);
      expect(saved.result.id).toBe("big-1");
      const read = await peakRssGrowth(async () => hashOf(await store.openStream("big-1")));
      expect(read.growth).toBeLessThan(RSS_BOUND_BYTES);
      expect(read.result.bytes).toBeGreaterThan(BIG_BYTES);
      expect(read.result.digest).toBe(doc.digest());
      expect(await store.listIds({ dataAsset: "big.parquet", status: "success" })).toEqual(["big-1"]);
      expect(await store.count({ tags: { size: "large" } })).toBe(1);
      expect(await store.delete("big-1")).toBe(true);
      await store.close();
    }, 600_000);
  }

  it("a body failing mid-stream (after several parts) leaves no document, marker or upload behind", async () => {
    const store = open("fail");
    const doc = generatedDocument("broken", 64 * MIB, { failAfter: 30 * MIB });
    const error = await expectStoreError(store.saveStream(entryOf("broken"), doc.chunks), "WRITE");
    expect((error as Error).message).toMatch(/source failed/);
    expect(await store.exists("broken")).toBe(false);
    expect(await store.listIds()).toEqual([]);
    expect(await keysUnder(store.layout.root)).toEqual([]);
    await store.close();
  });

  it("a failed stream replacing a document leaves the previous version readable and indexed", async () => {
    const store = open("replace-fail");
    const original = makeResult({ runId: "kept", dataAsset: "big.parquet" });
    await store.save(original);
    const doc = generatedDocument("kept", 40 * MIB, { failAfter: 20 * MIB });
    await expect(store.saveStream(entryOf("kept"), doc.chunks)).rejects.toSatisfy((e) =>
      isStoreError(e, "WRITE"),
    );
    expect((await store.get("kept")).toDict()).toEqual(original.toDict());
    expect(await store.listIds({ dataAsset: "big.parquet" })).toEqual(["kept"]);
    await store.close();
  });

  it("a streamed result reads back with get, and a saved one opens as a stream", async () => {
    for (const options of [{}, { useCompression: false }, { codecs: [gzipCodec()] }]) {
      const store = open(`get-${Object.keys(options).join("") || "default"}`, options);
      const result = makeResult({ runId: "r-1" });
      const json = JSON.stringify(result.toDict());
      await store.saveStream(entryOfResult(result), bytesOf(json));
      expect((await store.get("r-1")).toDict()).toEqual(result.toDict());
      const other = makeResult({ runId: "r-2" });
      await store.save(other);
      const text = Buffer.concat(await (await store.openStream("r-2")).toArray()).toString("utf8");
      expect(JSON.parse(text)).toEqual(other.toDict());
      expect(await store.listIds({ dataAsset: result.dataAsset })).toContain("r-1");
      await store.close();
    }
  });

  it("conditional stream saves: ifNoneMatch and ifMatch as for save", async () => {
    const store = open("conditions");
    const first = await store.saveStream(entryOf("c-1"), bytesOf('{"v":1}'), { ifNoneMatch: "*" });
    await expect(
      store.saveStream(entryOf("c-1"), bytesOf('{"v":2}'), { ifNoneMatch: "*" }),
    ).rejects.toSatisfy((e) => isStoreError(e, "CONFLICT"));
    await expect(
      store.saveStream(entryOf("c-1"), bytesOf('{"v":3}'), { ifMatch: '"not-the-etag"' }),
    ).rejects.toSatisfy((e) => isStoreError(e, "CONFLICT"));
    const second = await store.saveStream(entryOf("c-1"), bytesOf('{"v":4}'), { ifMatch: first.etag });
    expect(second.etag).not.toBe(first.etag);
    expect(Buffer.concat(await (await store.openStream("c-1")).toArray()).toString()).toBe('{"v":4}');
    expect(await store.count()).toBe(1);
    await store.close();
  });

  it("ifNoneMatch is enforced by the server when another save lands during a multipart upload", async () => {
    const store = open("race");
    const doc = generatedDocument("raced", 24 * MIB, {
      pause: { after: 12 * MIB, run: () => store.save(makeResult({ runId: "raced" })) },
    });
    await expect(store.saveStream(entryOf("raced"), doc.chunks, { ifNoneMatch: "*" })).rejects.toSatisfy(
      (e) => isStoreError(e, "CONFLICT"),
    );
    expect((await store.get("raced")).runId).toBe("raced");
    expect(await store.listIds()).toEqual(["raced"]);
    await store.close();
  });

  it("a codec without streaming forms is refused with UNSUPPORTED before anything is written", async () => {
    const plain: Codec = {
      id: "identity-no-stream",
      version: 1,
      authenticated: false,
      headerParams: () => ({}),
      encode: async (data) => data,
      decode: async (data) => data,
    };
    const store = open("unsupported", { codecs: [plain] });
    const error = await expectStoreError(store.saveStream(entryOf("u-1"), bytesOf("{}")), "UNSUPPORTED");
    expect((error as Error).message).toMatch(/identity-no-stream/);
    await store.save(makeResult({ runId: "u-2" }));
    // The document's header names its codecs, so reading (not opening) is what fails.
    await expectStoreError(async () => hashOf(await store.openStream("u-2")), "UNSUPPORTED");
    expect(await keysUnder(`${store.layout.documentsPrefix}u-1`)).toEqual([]);
    await store.close();
  });

  it("bad input is refused before anything is written", async () => {
    const store = open("bad-input");
    await expect(store.saveStream({ ...entryOf("../x"), id: "../x" }, bytesOf("{}"))).rejects.toSatisfy((e) =>
      isStoreError(e, "INVALID_ARGUMENT"),
    );
    await expect(
      store.saveStream({ ...entryOf("b-1"), runTimeMs: Number.NaN }, bytesOf("{}")),
    ).rejects.toSatisfy((e) => isStoreError(e, "INVALID_ARGUMENT"));
    await expect(store.saveStream(entryOf("b-1"), "{}" as never)).rejects.toSatisfy((e) =>
      isStoreError(e, "INVALID_ARGUMENT"),
    );
    async function* strings() {
      yield "{}";
    }
    await expect(store.saveStream(entryOf("b-1"), strings() as never)).rejects.toSatisfy((e) =>
      isStoreError(e, "INVALID_ARGUMENT"),
    );
    await expect(store.openStream("missing")).rejects.toSatisfy((e) => isStoreError(e, "NOT_FOUND"));
    expect(await keysUnder(store.layout.root)).toEqual([]);
    await store.close();
  });

  it("a truncated gzip document fails the stream with INTEGRITY", async () => {
    const store = open("truncated");
    await store.saveStream(entryOf("t-1"), generatedDocument("t-1", 4 * MIB).chunks);
    const key = store.documentKey("t-1");
    const stored = await (
      await admin.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    ).Body?.transformToByteArray();
    await admin.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: (stored as Uint8Array).subarray(0, Math.floor((stored as Uint8Array).byteLength / 2)),
        Metadata: {},
      }),
    );
    await expectStoreError(hashOf(await store.openStream("t-1")), "INTEGRITY");
    await store.close();
  });

  it("python compatibility: a streamed document is recorded in _index.json", async () => {
    const store = open("python", { compatibility: "python" });
    const result = makeResult({ runId: "py-1" });
    await store.saveStream(entryOfResult(result), bytesOf(JSON.stringify(result.toDict(), null, 2)));
    const reopened = open("python", { compatibility: "python" });
    expect(await reopened.listIds()).toEqual(["py-1"]);
    expect((await reopened.get("py-1")).toDict()).toEqual(result.toDict());
    await store.close();
    await reopened.close();
  });
});

function entryOfResult(result: ValidationResult) {
  return {
    id: result.runId,
    dataAsset: result.dataAsset,
    runTimeMs: result.runTime.getTime(),
    status: result.status,
    tags: { ...result.tags },
  };
}
