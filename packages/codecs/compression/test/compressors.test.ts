import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from "node:zlib";
import { isStoreError } from "@truthound/store-core";
import { expectStoreError } from "@truthound/store-testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  COMPRESSION_LEVELS,
  type CompressionProvider,
  compressionCodec,
  DecompressionLimitError,
  decompressFrame,
  getCompressor,
  gzipProvider,
  isAlgorithmAvailable,
  listAvailableAlgorithms,
  readFrame,
  registerCompressor,
} from "../src/index.js";
import { randomData, resultJson, same } from "./helpers.js";

const ZLIB_FAMILY = ["gzip", "deflate-raw", "zlib", "brotli"] as const;

describe("registry", () => {
  it("lists the node:zlib algorithms without any native package", () => {
    for (const name of ZLIB_FAMILY) expect(isAlgorithmAvailable(name), name).toBe(true);
    expect(listAvailableAlgorithms()).toEqual([...listAvailableAlgorithms()].sort());
    expect(isAlgorithmAvailable("lzma")).toBe(false);
  });

  it("names the package to install for a native algorithm that is not imported", async () => {
    const error = await expectStoreError(() => getCompressor("snappy"), "UNSUPPORTED");
    expect(error.message).toContain("@truthound/codec-snappy");
    await expectStoreError(() => getCompressor("nope"), "UNSUPPORTED");
  });

  it("rejects a provider whose name or code collides with a different algorithm", async () => {
    await expectStoreError(() => registerCompressor({ ...gzipProvider, name: "gzip2" }), "CONFIGURATION");
    await expectStoreError(() => registerCompressor({ ...gzipProvider, code: 200 }), "CONFIGURATION");
    await expectStoreError(
      () => registerCompressor({ ...gzipProvider, name: "Bad Name", code: 201 }),
      "CONFIGURATION",
    );
    await expectStoreError(
      () => registerCompressor({ ...gzipProvider, name: "x", code: 0 }),
      "CONFIGURATION",
    );
    registerCompressor(gzipProvider);
  });

  it("registers an application algorithm, decodable from frames by its code", () => {
    const reverse: CompressionProvider = {
      name: "test-reverse",
      code: 250,
      levels: { min: 1, max: 1, presets: { fastest: 1, fast: 1, balanced: 1, high: 1, maximum: 1 } },
      workingMemoryBytes: () => 0,
      // Not compression, but a reversible map that shrinks repeated bytes enough to pass the ratio check.
      compress: (data) => Uint8Array.of(data[0] as number, data.length & 0xff, data.length >> 8),
      decompress: (payload, size) => new Uint8Array(size).fill(payload[0] as number),
    };
    registerCompressor(reverse);
    const data = new Uint8Array(1000).fill(7);
    const frame = getCompressor("test-reverse").compress(data);
    expect(readFrame(frame).code).toBe(250);
    expect(same(decompressFrame(frame), data)).toBe(true);
  });
});

describe("levels and options", () => {
  it("maps every preset to the algorithm's native level", () => {
    const expected: Record<string, number[]> = {
      gzip: [1, 3, 6, 8, 9],
      "deflate-raw": [1, 3, 6, 8, 9],
      zlib: [1, 3, 6, 8, 9],
      brotli: [1, 3, 5, 9, 11],
    };
    for (const name of ZLIB_FAMILY) {
      expect(
        COMPRESSION_LEVELS.map((level) => getCompressor(name, { level }).level),
        name,
      ).toEqual(expected[name]);
      expect(getCompressor(name).level, `${name} default`).toBe(expected[name]?.[2]);
    }
  });

  it("accepts native integer levels in range and rejects anything else with CONFIGURATION naming the field", async () => {
    expect(getCompressor("gzip", { level: 4 }).level).toBe(4);
    expect(getCompressor("brotli", { level: 0 }).level).toBe(0);
    for (const level of [0, 10, 2.5, "medium", null]) {
      const error = await expectStoreError(
        () => getCompressor("gzip", { level: level as never }),
        "CONFIGURATION",
      );
      expect(error.details.field).toBe("level");
    }
    for (const options of [
      { rawBelowRatio: 0.9 },
      { maxOutputBytes: -1 },
      { sampleTest: "yes" },
      { levle: 3 },
    ]) {
      await expectStoreError(() => getCompressor("gzip", options as never), "CONFIGURATION");
    }
  });
});

describe("round trips", () => {
  for (const name of ZLIB_FAMILY) {
    for (const level of COMPRESSION_LEVELS) {
      it(`${name} at ${level}: random and structured data (property-based)`, () => {
        const compressor = getCompressor(name, { level });
        fc.assert(
          fc.property(
            fc.oneof(
              fc.uint8Array({ maxLength: 6000 }),
              fc
                .array(fc.constantFrom(...Buffer.from('{"a":1,"b":"text"},')), { maxLength: 6000 })
                .map((a) => Uint8Array.from(a)),
            ),
            (data) => {
              const frame = compressor.compress(data);
              expect(same(compressor.decompress(frame), data)).toBe(true);
              expect(same(decompressFrame(frame), data)).toBe(true);
            },
          ),
          { numRuns: 25 },
        );
      });
    }
  }

  it("compresses validation-result JSON and writes the algorithm's standard format as payload", () => {
    const json = resultJson(200);
    const readers: Record<string, (b: Uint8Array) => Buffer> = {
      gzip: gunzipSync,
      "deflate-raw": inflateRawSync,
      zlib: inflateSync,
      brotli: brotliDecompressSync,
    };
    for (const name of ZLIB_FAMILY) {
      const frame = getCompressor(name).compress(json);
      const info = readFrame(frame);
      expect(info.stored, name).toBe(false);
      expect(info.originalSize).toBe(json.length);
      expect(json.length / frame.length, `${name} ratio`).toBeGreaterThan(5);
      expect((readers[name] as (b: Uint8Array) => Buffer)(info.payload).equals(json), name).toBe(true);
    }
    // The raw-deflate payload really is raw: no zlib (78 xx) and no gzip (1f 8b) header.
    const raw = readFrame(getCompressor("deflate-raw").compress(json)).payload;
    expect([raw[0], raw[1]]).not.toEqual([0x1f, 0x8b]);
    expect(() => inflateSync(raw)).toThrow();
  });

  it("keeps the header within 13 bytes of the raw library output", () => {
    for (const size of [1000, 70_000, 5_000_000]) {
      const data = Buffer.alloc(size, "abcdefgh");
      const frame = getCompressor("gzip").compress(data);
      expect(frame.length - readFrame(frame).payload.length).toBeLessThanOrEqual(13);
    }
  });
});

describe("incompressible input", () => {
  it("is stored as it is, flagged, and read back with no configuration", () => {
    for (const name of ZLIB_FAMILY) {
      const data = randomData(100_000);
      const frame = getCompressor(name).compress(data);
      const info = readFrame(frame);
      expect(info.stored, name).toBe(true);
      expect(frame.length - data.length).toBeLessThanOrEqual(13);
      expect(same(decompressFrame(frame), data)).toBe(true);
    }
  });

  it("is stored after compressing when the sample test is off or the input is small", () => {
    const data = randomData(1500);
    expect(readFrame(getCompressor("gzip").compress(data)).stored).toBe(true);
    expect(readFrame(getCompressor("gzip", { sampleTest: false }).compress(randomData(50_000))).stored).toBe(
      true,
    );
  });

  it("stores input whose gain is below rawBelowRatio", () => {
    // Half random, half zeros: ratio about 2.
    const data = Buffer.concat([randomData(20_000), Buffer.alloc(20_000)]);
    expect(readFrame(getCompressor("gzip", { rawBelowRatio: 1.5 }).compress(data)).stored).toBe(false);
    expect(readFrame(getCompressor("gzip", { rawBelowRatio: 3 }).compress(data)).stored).toBe(true);
  });

  it("stores empty input in a 6-byte frame", () => {
    const frame = getCompressor("brotli").compress(new Uint8Array(0));
    expect(frame.length).toBe(6);
    expect(decompressFrame(frame).length).toBe(0);
  });
});

describe("corrupt, truncated and hostile input", () => {
  const json = resultJson(50);

  it("fails with INTEGRITY on truncation at every length, for every algorithm", async () => {
    for (const name of ZLIB_FAMILY) {
      const frame = getCompressor(name).compress(json);
      for (let length = 0; length < frame.length; length += Math.max(1, Math.floor(frame.length / 97))) {
        await expectStoreError(() => decompressFrame(frame.subarray(0, length)), "INTEGRITY");
      }
    }
  });

  it("fails with a typed error, never a crash, on any single-byte change (gzip's CRC catches body changes)", async () => {
    const frame = getCompressor("gzip").compress(json);
    // gzip's 10-byte member header (mtime, os, ...) is not covered by its CRC; everything after it is.
    const bodyStart = readFrame(frame).headerBytes + 10;
    for (let at = 0; at < frame.length; at += 7) {
      const copy = Buffer.from(frame);
      copy[at] = (copy[at] as number) ^ 0x55;
      let decoded: Uint8Array | undefined;
      try {
        decoded = decompressFrame(copy);
      } catch (error) {
        expect(isStoreError(error), String(error)).toBe(true);
      }
      if (at >= bodyStart) expect(decoded, `change at ${at} went undetected`).toBeUndefined();
    }
  });

  it("rejects non-frames, unknown versions, flags and codes", async () => {
    const frame = Buffer.from(getCompressor("gzip").compress(json));
    await expectStoreError(() => decompressFrame(json), "INTEGRITY");
    await expectStoreError(
      () => decompressFrame(Buffer.concat([Buffer.of(0x54, 0x7a, 9), frame.subarray(3)])),
      "INTEGRITY",
    );
    const flags = Buffer.from(frame);
    flags[4] = 0x80;
    await expectStoreError(() => decompressFrame(flags), "INTEGRITY");
    const code = Buffer.from(frame);
    code[3] = 99;
    await expectStoreError(() => decompressFrame(code), "UNSUPPORTED");
    await expectStoreError(() => decompressFrame("text" as never), "INVALID_ARGUMENT");
    await expectStoreError(() => getCompressor("gzip").compress("text" as never), "INVALID_ARGUMENT");
    const codec = compressionCodec("brotli");
    await expectStoreError(
      () => codec.encode("text" as never, { aad: new Uint8Array(0), params: {} }),
      "INVALID_ARGUMENT",
    );
  });

  it("refuses a frame declaring more than maxOutputBytes before decompressing it", async () => {
    const bomb = getCompressor("gzip").compress(Buffer.alloc(10 << 20));
    expect(bomb.length).toBeLessThan(20_000);
    const error = await expectStoreError(
      () => decompressFrame(bomb, { maxOutputBytes: 1 << 20 }),
      "INTEGRITY",
    );
    expect(error).toBeInstanceOf(DecompressionLimitError);
    expect(error.details).toMatchObject({ limit: 1 << 20, declared: 10 << 20 });
    await expectStoreError(
      () => getCompressor("gzip", { maxOutputBytes: 1000 }).decompress(bomb),
      "INTEGRITY",
    );
    expect(decompressFrame(bomb, { maxOutputBytes: 10 << 20 }).length).toBe(10 << 20);
  });

  it("catches a payload that inflates beyond its declared size (forged size)", async () => {
    const frame = Buffer.from(getCompressor("gzip").compress(Buffer.alloc(100_000)));
    // The declared size 100000 is a 3-byte varint at offset 5: lower it to 20000, also 3 bytes.
    frame[5] = (20000 & 0x7f) | 0x80;
    frame[6] = ((20000 >> 7) & 0x7f) | 0x80;
    frame[7] = 20000 >> 14;
    await expectStoreError(() => decompressFrame(frame), "INTEGRITY");
  });

  it("the default limit is 256 MiB", () => {
    expect(() => decompressFrame(Buffer.of(0x54, 0x7a, 1, 1, 0, 0x81, 0x80, 0x80, 0x80, 0x01, 0))).toThrow(
      DecompressionLimitError,
    );
  });
});

describe("metrics", () => {
  it("reports sizes, ratio, time and throughput of one compression", () => {
    const json = resultJson(100);
    const { data, metrics } = getCompressor("gzip", { level: "fast" }).compressWithMetrics(json);
    expect(metrics).toMatchObject({
      algorithm: "gzip",
      level: 3,
      inputBytes: json.length,
      outputBytes: data.length,
      stored: false,
    });
    expect(metrics.ratio).toBeCloseTo(json.length / data.length, 6);
    expect(metrics.compressTimeMs).toBeGreaterThanOrEqual(0);
    expect(metrics.throughputBytesPerSecond).toBeGreaterThan(0);
  });
});
