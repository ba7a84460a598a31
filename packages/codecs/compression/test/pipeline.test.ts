import { randomBytes } from "node:crypto";
import { CodecChain } from "@truthound/store-core";
import { expectStoreError } from "@truthound/store-testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reverseDeduplication } from "../src/dedup.js";
import {
  AdaptiveCompressor,
  CompressionPipeline,
  DeduplicationTransform,
  getCompressor,
  pipelineCodec,
  reversePipeline,
} from "../src/index.js";
import { randomData, repetitiveData, resultJson, same } from "./helpers.js";

const blocks = Array.from({ length: 6 }, (_, i) => randomBytes(300 + i * 700));

describe("DeduplicationTransform", () => {
  for (const chunking of ["content-defined", "fixed"] as const) {
    it(`${chunking}: reverses exactly (property-based, repeated random blocks)`, () => {
      const transform = new DeduplicationTransform({ chunking, chunkBytes: 256 });
      fc.assert(
        fc.property(
          fc.array(fc.nat(20), { maxLength: 40 }),
          fc.uint8Array({ maxLength: 300 }),
          (picks, tail) => {
            const data = Buffer.concat([repetitiveData(blocks, picks), tail]);
            const body = transform.apply(data);
            expect(same(reverseDeduplication(body, 1 << 30), data)).toBe(true);
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it("content-defined chunking finds repeats that are not block-aligned", () => {
    const unit = randomBytes(40_000);
    const data = Buffer.concat([randomBytes(123), unit, randomBytes(4567), unit]);
    const cdc = new DeduplicationTransform({ chunkBytes: 1024 });
    const fixed = new DeduplicationTransform({ chunking: "fixed", chunkBytes: 1024 });
    const cdcSize = cdc.apply(data).length;
    expect(cdc.lastStats.deduplicated).toBe(true);
    expect(cdcSize).toBeLessThan(data.length * 0.6);
    expect(fixed.apply(data).length).toBeGreaterThan(cdcSize);
  });

  it("passes through input without repeats", () => {
    const data = randomData(50_000);
    const transform = new DeduplicationTransform();
    const body = transform.apply(data);
    expect(transform.lastStats.deduplicated).toBe(false);
    expect(body.length).toBe(data.length + 2);
    expect(same(reverseDeduplication(body, 1 << 20), data)).toBe(true);
  });

  it("validates options", async () => {
    await expectStoreError(() => new DeduplicationTransform({ chunkBytes: 1000 }), "CONFIGURATION");
    await expectStoreError(
      () => new DeduplicationTransform({ chunking: "rolling" as never }),
      "CONFIGURATION",
    );
  });

  it("refuses to expand beyond maxOutputBytes", async () => {
    const block = randomBytes(320);
    const data = Buffer.concat(Array.from({ length: 64 }, () => block));
    const body = new DeduplicationTransform({ chunking: "fixed", chunkBytes: 64 }).apply(data);
    expect(body.length).toBeLessThan(data.length / 5);
    await expectStoreError(() => reverseDeduplication(body, 1000), "INTEGRITY");
  });
});

describe("CompressionPipeline", () => {
  const json = Buffer.concat([resultJson(100), resultJson(100), resultJson(50, 9)]);

  it("processes and reverses with no configuration (any pipeline or the free function)", () => {
    const pipeline = new CompressionPipeline("json_optimized")
      .addTransform(new DeduplicationTransform({ chunkBytes: 1024 }))
      .addCompression(getCompressor("brotli", { level: "fast" }))
      .addChecksum();
    expect(pipeline.stages).toEqual(["deduplication", "compression", "checksum"]);
    const { data, metrics } = pipeline.process(json);
    expect(same(reversePipeline(data), json)).toBe(true);
    expect(same(new CompressionPipeline().reverse(data), json)).toBe(true);
    expect(metrics.stages.map((s) => s.stage)).toEqual(pipeline.stages);
    expect(metrics.stages[0]?.inputBytes).toBe(json.length);
    expect(metrics.outputBytes).toBe(data.length);
    expect(metrics.ratio).toBeGreaterThan(10);
  });

  it("works with the adaptive compressor and with no stages at all", () => {
    const adaptive = new CompressionPipeline().addCompression(new AdaptiveCompressor({ sampleBytes: 8192 }));
    expect(same(reversePipeline(adaptive.process(json).data), json)).toBe(true);
    const empty = new CompressionPipeline().process(json).data;
    expect(same(reversePipeline(empty), json)).toBe(true);
  });

  it("detects any change covered by the checksum stage (INTEGRITY)", async () => {
    const { data } = new CompressionPipeline().addCompression("deflate-raw").addChecksum().process(json);
    // Header: 3 magic + version + count + 2 stage bytes; checksum body: algorithm byte + 32-byte digest + frame.
    for (let at = 7; at < data.length; at += 13) {
      const copy = Buffer.from(data);
      copy[at] = (copy[at] as number) ^ 0x01;
      await expectStoreError(() => reversePipeline(copy), "INTEGRITY");
    }
  });

  it("rejects unknown stages and bad headers with INTEGRITY", async () => {
    const { data } = new CompressionPipeline().addChecksum().process(json);
    const bad = Buffer.from(data);
    bad[5] = 9;
    await expectStoreError(() => reversePipeline(bad), "INTEGRITY");
    await expectStoreError(() => reversePipeline(json), "INTEGRITY");
    await expectStoreError(() => reversePipeline(data.subarray(0, 4)), "INTEGRITY");
  });

  it("rejects bad stages with CONFIGURATION", async () => {
    await expectStoreError(() => new CompressionPipeline().addTransform({} as never), "CONFIGURATION");
    await expectStoreError(() => new CompressionPipeline().addCompression("nope"), "UNSUPPORTED");
    const many = new CompressionPipeline();
    for (let i = 0; i < 16; i++) many.addChecksum();
    await expectStoreError(() => many.addChecksum(), "CONFIGURATION");
  });

  it("applies maxOutputBytes to every stage", async () => {
    const zeros = Buffer.alloc(4 << 20);
    const { data } = new CompressionPipeline()
      .addTransform(new DeduplicationTransform())
      .addCompression("gzip")
      .process(zeros);
    await expectStoreError(() => reversePipeline(data, { maxOutputBytes: 1 << 20 }), "INTEGRITY");
    expect(reversePipeline(data, { maxOutputBytes: 4 << 20 }).length).toBe(4 << 20);
  });

  it("as a codec: a chain with no codecs configured decodes it (registered decoder)", async () => {
    const codec = pipelineCodec(
      new CompressionPipeline().addTransform(new DeduplicationTransform()).addCompression("brotli"),
    );
    const framed = await new CodecChain([codec]).encode(json);
    expect(same(await new CodecChain([]).decode(framed), json)).toBe(true);
  });
});
