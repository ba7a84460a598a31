import {
  compressionCodec,
  DecompressionLimitError,
  decompressFrame,
  readFrame,
} from "@truthound/codec-compression";
import type { CodecContext } from "@truthound/store-core";
import { expectStoreError, makeResults } from "@truthound/store-testkit";
import { describe, expect, it } from "vitest";
import "../src/index.js";

const context: CodecContext = { aad: new Uint8Array(0), params: {} };

async function pipe(
  stream: TransformStream<Uint8Array, Uint8Array>,
  data: Uint8Array,
  chunk: number,
): Promise<Buffer> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < data.length; i += chunk) controller.enqueue(data.subarray(i, i + chunk));
      controller.close();
    },
  });
  const parts: Uint8Array[] = [];
  for await (const part of source.pipeThrough(stream) as unknown as AsyncIterable<Uint8Array>)
    parts.push(part);
  return Buffer.concat(parts);
}

describe("zstd streaming", () => {
  const codec = compressionCodec("zstd", { level: "fast" });
  const json = Buffer.from(JSON.stringify(makeResults(1500, { seed: 8 }).map((r) => r.toDict())));

  it("writes a streamed frame (a standard zstd stream) that both decoders read", async () => {
    const frame = await pipe(
      (codec.encodeStream as NonNullable<typeof codec.encodeStream>)(context),
      json,
      30_000,
    );
    expect(readFrame(frame)).toMatchObject({ streamed: true, stored: false });
    expect(readFrame(frame).payload.readUInt32LE(0)).toBe(0xfd2fb528);
    expect(Buffer.from(decompressFrame(frame)).equals(json)).toBe(true);
    const decoded = await pipe(
      (codec.decodeStream as NonNullable<typeof codec.decodeStream>)(context),
      frame,
      999,
    );
    expect(decoded.equals(json)).toBe(true);
  });

  it("stops streamed bombs at maxOutputBytes, in both decoders", async () => {
    const bomb = await pipe(
      (codec.encodeStream as NonNullable<typeof codec.encodeStream>)(context),
      Buffer.alloc(16 << 20),
      1 << 20,
    );
    expect(bomb.length).toBeLessThan(10_000);
    const error = await expectStoreError(
      () => decompressFrame(bomb, { maxOutputBytes: 1 << 20 }),
      "INTEGRITY",
    );
    expect(error).toBeInstanceOf(DecompressionLimitError);
    const limited = compressionCodec("zstd", { maxOutputBytes: 1 << 20 });
    await expectStoreError(
      () => pipe((limited.decodeStream as NonNullable<typeof limited.decodeStream>)(context), bomb, 4096),
      "INTEGRITY",
    );
  });

  it("fails with INTEGRITY on a truncated streamed frame", async () => {
    const frame = await pipe(
      (codec.encodeStream as NonNullable<typeof codec.encodeStream>)(context),
      json,
      30_000,
    );
    for (const cut of [7, 100, Math.floor(frame.length / 2), frame.length - 1]) {
      await expectStoreError(() => decompressFrame(frame.subarray(0, cut)), "INTEGRITY");
      await expectStoreError(
        () =>
          pipe(
            (codec.decodeStream as NonNullable<typeof codec.decodeStream>)(context),
            frame.subarray(0, cut),
            500,
          ),
        "INTEGRITY",
      );
    }
  });
});
