import { type Codec, isStoreError } from "@truthound/store-core";
import { describeCodecConformance, expectStoreError, makeResults } from "@truthound/store-testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/**
 * The parts of @truthound/codec-compression the shared tests use, passed in by the native packages
 * (compression's own tests depend on test-support, so test-support cannot depend on it).
 */
export interface CompressionModule<Level extends string> {
  readonly COMPRESSION_LEVELS: readonly Level[];
  getCompressor(
    algorithm: string,
    options?: { level?: Level | number },
  ): {
    readonly level: number;
    compress(data: Uint8Array): Uint8Array;
    decompress(frame: Uint8Array): Uint8Array;
  };
  isAlgorithmAvailable(algorithm: string): boolean;
  listAvailableAlgorithms(): string[];
  readFrame(frame: Uint8Array): { readonly stored: boolean; readonly headerBytes: number };
  decompressFrame(frame: Uint8Array, options?: { maxOutputBytes?: number }): Uint8Array;
  compressionCodec(algorithm: string): Codec;
}

export interface NativeCompressorOptions {
  /** The native level each of COMPRESSION_LEVELS maps to, in order. */
  nativeLevels: number[];
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/**
 * Registration, level mapping, round trips, hostile frames and codec conformance of a native compressor
 * package that registers `algorithm` with codec-compression on import.
 */
export function describeNativeCompressor<Level extends string>(
  algorithm: string,
  compression: CompressionModule<Level>,
  options: NativeCompressorOptions,
): void {
  const { COMPRESSION_LEVELS, decompressFrame, getCompressor, readFrame } = compression;
  const json = Buffer.from(JSON.stringify(makeResults(150, { seed: 5 }).map((r) => r.toDict())));

  describe(`${algorithm}: registration and levels`, () => {
    it("registers itself on import", () => {
      expect(compression.isAlgorithmAvailable(algorithm)).toBe(true);
      expect(compression.listAvailableAlgorithms()).toContain(algorithm);
    });

    it("maps the presets to native levels", () => {
      expect(COMPRESSION_LEVELS.map((level) => getCompressor(algorithm, { level }).level)).toEqual(
        options.nativeLevels,
      );
      expect(() => getCompressor(algorithm, { level: 99 })).toThrow(/level/);
    });
  });

  describe(`${algorithm}: round trips`, () => {
    for (const level of COMPRESSION_LEVELS) {
      it(`at ${level}: random and structured data (property-based)`, () => {
        const compressor = getCompressor(algorithm, { level });
        fc.assert(
          fc.property(
            fc.oneof(
              fc.uint8Array({ maxLength: 6000 }),
              fc
                .array(fc.constantFrom(...Buffer.from('{"a":1,"b":"text"},')), { maxLength: 6000 })
                .map((a) => Uint8Array.from(a)),
            ),
            (data) => {
              expect(same(compressor.decompress(compressor.compress(data)), data)).toBe(true);
            },
          ),
          { numRuns: 25 },
        );
      });
    }

    it("compresses validation-result JSON and stores random data", () => {
      const frame = getCompressor(algorithm).compress(json);
      expect(readFrame(frame).stored).toBe(false);
      expect(json.length / frame.length).toBeGreaterThan(3);
      expect(same(decompressFrame(frame), json)).toBe(true);
      const random = new Uint8Array(200_000).map(() => Math.floor(Math.random() * 256));
      const stored = getCompressor(algorithm).compress(random);
      expect(readFrame(stored).stored).toBe(true);
      expect(same(decompressFrame(stored), random)).toBe(true);
    });
  });

  describe(`${algorithm}: corrupt and hostile input`, () => {
    const frame = getCompressor(algorithm).compress(json);

    it("fails with INTEGRITY on truncation", async () => {
      for (let length = 0; length < frame.length; length += Math.max(1, Math.floor(frame.length / 101))) {
        await expectStoreError(() => decompressFrame(frame.subarray(0, length)), "INTEGRITY");
      }
    });

    it("rejects a payload whose first byte (lz4, snappy: its size field; zstd: its magic) was changed", async () => {
      const payloadStart = readFrame(frame).headerBytes;
      const forged = Buffer.from(frame);
      forged[payloadStart] = (forged[payloadStart] as number) ^ 0x04;
      await expectStoreError(() => decompressFrame(forged), "INTEGRITY");
    });

    it("gives a result or a typed error, never a crash, on mutated frames (fuzz)", () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
          (edits) => {
            const copy = Buffer.from(frame);
            for (const [at, xor] of edits) copy[at % copy.length] = (copy[at % copy.length] as number) ^ xor;
            try {
              decompressFrame(copy, { maxOutputBytes: 1 << 20 });
            } catch (error) {
              expect(isStoreError(error), String(error)).toBe(true);
            }
          },
        ),
        { numRuns: 1000 },
      );
    });

    it("refuses a frame declaring more than maxOutputBytes", async () => {
      const big = getCompressor(algorithm).compress(Buffer.alloc(4 << 20, 1));
      await expectStoreError(() => decompressFrame(big, { maxOutputBytes: 1 << 20 }), "INTEGRITY");
    });
  });

  describeCodecConformance(
    `compressionCodec('${algorithm}')`,
    () => compression.compressionCodec(algorithm),
    {
      authenticated: false,
      propertyRuns: 40,
    },
  );
}
