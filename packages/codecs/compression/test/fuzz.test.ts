import { isStoreError } from "@truthound/store-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reverseDeduplication } from "../src/dedup.js";
import { parseFrameHeader } from "../src/frame.js";
import {
  CompressionPipeline,
  compressionCodec,
  DeduplicationTransform,
  decompressFrame,
  getCompressor,
  readFrame,
  reversePipeline,
} from "../src/index.js";
import { readVarint, varintLength, writeVarint } from "../src/varint.js";
import { collect, resultJson, streamOf } from "./helpers.js";

const LIMIT = 1 << 20;

/** Runs `parse`; it may succeed or throw a StoreError, nothing else. */
function typedOnly(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    expect(isStoreError(error), `untyped error: ${String(error)}`).toBe(true);
  }
}

async function typedOnlyAsync(parse: () => Promise<unknown>): Promise<void> {
  try {
    await parse();
  } catch (error) {
    expect(isStoreError(error), `untyped error: ${String(error)}`).toBe(true);
  }
}

const json = resultJson(20);
const valid = {
  frames: ["gzip", "deflate-raw", "zlib", "brotli"].map((name) => getCompressor(name).compress(json)),
  dedup: new DeduplicationTransform({ chunkBytes: 64, chunking: "fixed" }).apply(Buffer.concat([json, json])),
  pipeline: new CompressionPipeline()
    .addTransform(new DeduplicationTransform({ chunkBytes: 256 }))
    .addCompression("gzip")
    .addChecksum()
    .process(Buffer.concat([json, json])).data,
};

/** A valid input with 1-4 random byte changes, a truncation or an extension. */
function mutated(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc
      .array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 })
      .map((edits) => {
        const copy = Uint8Array.from(base);
        for (const [at, xor] of edits) copy[at % copy.length] = (copy[at % copy.length] as number) ^ xor;
        return copy;
      }),
    fc.nat().map((n) => base.subarray(0, n % base.length)),
    fc.uint8Array({ minLength: 1, maxLength: 16 }).map((extra) => Uint8Array.from([...base, ...extra])),
  );
}

describe("fuzz: every parser gives a result or a typed error, never a crash or a hang", () => {
  it("varints round-trip and reject overlong or truncated forms", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (value) => {
        const buffer = new Uint8Array(varintLength(value));
        expect(writeVarint(buffer, 0, value)).toBe(buffer.length);
        expect(readVarint(buffer, 0, "v")).toEqual({ value, next: buffer.length });
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => typedOnly(() => readVarint(bytes, 0, "v"))),
    );
  });

  it("frame headers: random bytes and bytes after the magic", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.boolean(), (bytes, magic) => {
        const input = magic ? Uint8Array.from([0x54, 0x7a, 1, ...bytes]) : bytes;
        typedOnly(() => parseFrameHeader(input));
        typedOnly(() => readFrame(input));
        typedOnly(() => decompressFrame(input, { maxOutputBytes: LIMIT }));
      }),
      { numRuns: 2000 },
    );
  });

  it("whole frames of every zlib-family algorithm, mutated", () => {
    for (const frame of valid.frames) {
      fc.assert(
        fc.property(mutated(frame), (input) =>
          typedOnly(() => decompressFrame(input, { maxOutputBytes: LIMIT })),
        ),
        { numRuns: 300 },
      );
    }
  });

  it("deduplication bodies, random and mutated", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) =>
        typedOnly(() => reverseDeduplication(Uint8Array.from([1, 1, ...bytes]), LIMIT)),
      ),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(mutated(valid.dedup), (input) => typedOnly(() => reverseDeduplication(input, LIMIT))),
      { numRuns: 400 },
    );
  });

  it("pipeline outputs, random and mutated", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) =>
        typedOnly(() =>
          reversePipeline(Uint8Array.from([0x54, 0x7a, 0x50, 1, ...bytes]), { maxOutputBytes: LIMIT }),
        ),
      ),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(mutated(valid.pipeline), (input) => {
        let out: Uint8Array | undefined;
        try {
          out = reversePipeline(input, { maxOutputBytes: LIMIT });
        } catch (error) {
          expect(isStoreError(error), `untyped error: ${String(error)}`).toBe(true);
        }
        // The checksum stage covers everything below it: a change can only succeed if it changed nothing.
        if (out) expect(Buffer.from(out).equals(Buffer.concat([json, json]))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("the streaming decoder, fed mutated frames in random splits", async () => {
    const codec = compressionCodec("gzip", { maxOutputBytes: LIMIT });
    const decodeStream = codec.decodeStream as NonNullable<typeof codec.decodeStream>;
    await fc.assert(
      fc.asyncProperty(
        mutated(valid.frames[0] as Uint8Array),
        fc.integer({ min: 1, max: 64 }),
        async (input, split) => {
          const chunks: Uint8Array[] = [];
          for (let i = 0; i < input.length; i += split) chunks.push(input.subarray(i, i + split));
          await typedOnlyAsync(() =>
            collect(streamOf(chunks).pipeThrough(decodeStream({ aad: new Uint8Array(0), params: {} }))),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
