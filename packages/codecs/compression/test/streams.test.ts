import { CodecChain, type CodecContext } from "@truthound/store-core";
import { expectStoreError } from "@truthound/store-testkit";
import { describe, expect, it } from "vitest";
import { compressionCodec, DecompressionLimitError, decompressFrame, readFrame } from "../src/index.js";
import { collect, randomData, resultJson, same, splitEvery, streamOf } from "./helpers.js";

const context: CodecContext = { aad: new Uint8Array(0), params: {} };

async function encodeStreaming(algorithm: string, data: Uint8Array, chunk: number): Promise<Buffer> {
  const codec = compressionCodec(algorithm);
  return collect(
    streamOf(splitEvery(data, chunk)).pipeThrough(
      (codec.encodeStream as NonNullable<typeof codec.encodeStream>)(context),
    ),
  );
}

async function decodeStreaming(frame: Uint8Array, chunk: number, maxOutputBytes?: number): Promise<Buffer> {
  const codec = compressionCodec("gzip", maxOutputBytes === undefined ? {} : { maxOutputBytes });
  return collect(
    streamOf(splitEvery(frame, chunk)).pipeThrough(
      (codec.decodeStream as NonNullable<typeof codec.decodeStream>)(context),
    ),
  );
}

describe("streaming forms", () => {
  const big = Buffer.concat(Array.from({ length: 8 }, (_, i) => resultJson(150, i)));

  for (const algorithm of ["gzip", "deflate-raw", "zlib", "brotli"]) {
    it(`${algorithm}: a large input becomes a streamed frame readable by both decoders`, async () => {
      const frame = await encodeStreaming(algorithm, big, 10_000);
      const info = readFrame(frame);
      expect(info).toMatchObject({ streamed: true, stored: false, originalSize: undefined });
      expect(frame.length).toBeLessThan(big.length / 4);
      expect(same(await decodeStreaming(frame, 777), big)).toBe(true);
      expect(same(decompressFrame(frame), big)).toBe(true);
    });
  }

  it("input under 64 KiB becomes exactly the sized frame the one-shot API writes", async () => {
    const small = resultJson(20);
    expect(small.length).toBeLessThan(64 * 1024);
    const streamed = await encodeStreaming("gzip", small, 1000);
    expect(readFrame(streamed)).toMatchObject({ streamed: false, originalSize: small.length });
    expect(same(await decodeStreaming(streamed, 5), small)).toBe(true);
  });

  it("random input is stored as it streams (decided on the first 64 KiB)", async () => {
    const data = randomData(300_000);
    const frame = await encodeStreaming("brotli", data, 50_000);
    expect(readFrame(frame)).toMatchObject({ streamed: true, stored: true });
    expect(frame.length - data.length).toBe(5);
    expect(same(await decodeStreaming(frame, 4096), data)).toBe(true);
    expect(same(decompressFrame(frame), data)).toBe(true);
  });

  it("a one-shot frame decodes through the stream decoder, and empty input round-trips", async () => {
    const data = resultJson(100);
    const codec = compressionCodec("zlib");
    const frame = await codec.encode(data, context);
    expect(same(await decodeStreaming(frame, 3), data)).toBe(true);
    expect((await encodeStreaming("gzip", new Uint8Array(0), 1)).length).toBe(6);
  });

  it("a truncated stream fails with INTEGRITY", async () => {
    for (const frame of [
      await encodeStreaming("gzip", big, 10_000),
      await encodeStreaming("gzip", resultJson(30), 100),
    ]) {
      for (const cut of [3, 6, 20, Math.floor(frame.length / 2), frame.length - 1]) {
        await expectStoreError(() => decodeStreaming(frame.subarray(0, cut), 1000), "INTEGRITY");
      }
    }
  });

  it("stops a streamed decompression bomb at maxOutputBytes without producing it", async () => {
    const bomb = await encodeStreaming("gzip", Buffer.alloc(8 << 20), 1 << 20);
    expect(readFrame(bomb).streamed).toBe(true);
    const error = await expectStoreError(() => decodeStreaming(bomb, 4096, 1 << 20), "INTEGRITY");
    expect(error).toBeInstanceOf(DecompressionLimitError);
    await expectStoreError(() => decompressFrame(bomb, { maxOutputBytes: 1 << 20 }), "INTEGRITY");
    expect((await decodeStreaming(bomb, 65536, 8 << 20)).length).toBe(8 << 20);
  });

  it("works inside a codec chain (chain frame + streamed compression frame)", async () => {
    const chain = new CodecChain([compressionCodec("gzip")]);
    const framed = await chain.encode(big);
    expect(same(await new CodecChain([]).decode(framed), big)).toBe(true);
  });
});
