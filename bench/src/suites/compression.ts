import { randomBytes } from "node:crypto";
import * as zlib from "node:zlib";
import {
  AdaptiveCompressor,
  CompressionGoal,
  type Compressor,
  getCompressor,
  readFrame,
} from "@truthound/codec-compression";
import "@truthound/codec-lz4";
import "@truthound/codec-snappy";
import "@truthound/codec-zstd";
import { generateResults } from "demo/fixtures";
import * as lz4 from "lz4-napi";
import * as snappy from "snappy";
import * as zstd from "zstd-napi";
import { type ComparisonFigures, compare, type Subject } from "../harness.js";
import type { ComparisonRecord, Measurement, Suite } from "../suite.js";
import { checkTarget, type TargetOutcome } from "../targets.js";

interface RawLibrary {
  compress(data: Uint8Array, level: number): Uint8Array;
  decompress(payload: Uint8Array): Uint8Array;
}

const { BROTLI_PARAM_QUALITY } = zlib.constants;
const SNAPPY_COPY = { copyOutputData: true };

/** The plain library calls a user would write without this package, at the same native level. */
const RAW: Record<string, RawLibrary> = {
  gzip: { compress: (d, level) => zlib.gzipSync(d, { level }), decompress: (p) => zlib.gunzipSync(p) },
  "deflate-raw": {
    compress: (d, level) => zlib.deflateRawSync(d, { level }),
    decompress: (p) => zlib.inflateRawSync(p),
  },
  zlib: { compress: (d, level) => zlib.deflateSync(d, { level }), decompress: (p) => zlib.inflateSync(p) },
  brotli: {
    compress: (d, level) => zlib.brotliCompressSync(d, { params: { [BROTLI_PARAM_QUALITY]: level } }),
    decompress: (p) => zlib.brotliDecompressSync(p),
  },
  zstd: {
    compress: (d, level) => zstd.compress(d, { compressionLevel: level }),
    decompress: (p) => zstd.decompress(p),
  },
  lz4: { compress: (d) => lz4.compressSync(d as Buffer), decompress: (p) => lz4.uncompressSync(p) },
  snappy: {
    compress: (d) => snappy.compressSync(d, SNAPPY_COPY),
    decompress: (p) => snappy.uncompressSync(p, { asBuffer: true, copyOutputData: true }) as Buffer,
  },
};

const KiB = 1024;
const MiB = 1024 * KiB;

/** Validation-result JSON from the demo generator, concatenated up to `bytes`. */
function jsonOf(bytes: number): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  for (let seed = 1; total < bytes; seed++) {
    for (const result of generateResults(16, { seed })) {
      const json = Buffer.from(JSON.stringify(result.toDict()));
      parts.push(json);
      total += json.length;
      if (total >= bytes) break;
    }
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

/** Operations per sample so that one sample of `op` lasts about `targetMs`. */
function opsFor(op: () => unknown, targetMs: number, quick: boolean): number {
  op();
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 20) {
    op();
    n++;
  }
  const perOp = (performance.now() - start) / n;
  return Math.max(quick ? 1 : 3, Math.ceil((quick ? 5 : targetMs) / perOp));
}

const subject = (name: string, op: () => unknown): Subject => ({ name, op });

function humanSize(bytes: number): string {
  return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`;
}

export const compressionSuite: Suite = {
  id: "compression",
  title: "Compression codecs vs the raw library calls; incompressible input; adaptive selection",
  async run({ samples, quick, log }) {
    const comparisons: ComparisonRecord[] = [];
    const measurements: Measurement[] = [];
    const targets: TargetOutcome[] = [];
    const sizes = quick ? [64 * KiB] : [64 * KiB, MiB];
    const algorithms = Object.keys(RAW);
    const runs = async (
      candidate: Subject,
      baseline: Subject,
      probe: () => unknown,
    ): Promise<ComparisonFigures> => {
      const opsPerSample = opsFor(probe, 120, quick);
      return compare({
        candidate,
        baselines: [baseline],
        samples,
        opsPerSample,
        warmupOps: Math.min(opsPerSample, 20),
      });
    };

    for (const algorithm of algorithms) {
      const raw = RAW[algorithm] as RawLibrary;
      const compressor: Compressor = getCompressor(algorithm);
      const level = compressor.level;
      for (const size of sizes) {
        const data = jsonOf(size);
        const frame = compressor.compress(data);
        const payload = readFrame(frame).payload;
        const rawOut = raw.compress(data, level);
        measurements.push({
          name: `${algorithm} L${level} ratio at ${humanSize(size)}`,
          value: data.length / frame.length,
          unit: "×",
          note: `raw library ${(data.length / rawOut.length).toFixed(3)}×; frame header ${frame.length - payload.length} B`,
        });
        log(`compression: ${algorithm} level ${level} at ${humanSize(size)}`);
        const compressFigures = await runs(
          subject(`getCompressor('${algorithm}').compress`, () => compressor.compress(data)),
          subject(`raw ${algorithm} compress`, () => raw.compress(data, level)),
          () => raw.compress(data, level),
        );
        const decompressFigures = await runs(
          subject(`getCompressor('${algorithm}').decompress`, () => compressor.decompress(frame)),
          subject(`raw ${algorithm} decompress`, () => raw.decompress(payload)),
          () => raw.decompress(payload),
        );
        for (const [direction, figures] of [
          ["compress", compressFigures],
          ["decompress", decompressFigures],
        ] as const) {
          comparisons.push({
            name: `${algorithm}-${direction}-${humanSize(size).replace(" ", "")}`,
            description: `${algorithm} level ${level}, ${humanSize(size)} of result JSON: ${direction} through the codec API vs the raw library call`,
            figures,
          });
          targets.push(
            checkTarget(
              `${algorithm} ${direction} at ${humanSize(size)} vs raw library`,
              figures.baselines[0]?.ratio.median ?? Number.NaN,
              ">=",
              0.95,
              "×",
            ),
          );
        }
      }
      // Per-call overhead at 1 KiB, where fixed costs dominate.
      const small = jsonOf(KiB);
      const smallFigures = await runs(
        subject(`getCompressor('${algorithm}').compress 1 KiB`, () => compressor.compress(small)),
        subject(`raw ${algorithm} compress 1 KiB`, () => raw.compress(small, level)),
        () => raw.compress(small, level),
      );
      comparisons.push({
        name: `${algorithm}-compress-1KiB`,
        description: `${algorithm} level ${level}, 1 KiB: per-call overhead`,
        figures: smallFigures,
      });
      const overheadUs =
        1e6 / smallFigures.candidate.opsPerSec.median -
        1e6 / (smallFigures.baselines[0]?.opsPerSec.median ?? Number.NaN);
      measurements.push({
        name: `${algorithm} compress overhead per call at 1 KiB`,
        value: overheadUs,
        unit: "µs",
      });
      targets.push(
        checkTarget(`${algorithm} compress overhead per call at 1 KiB`, overheadUs, "<=", 2, "µs"),
      );
    }

    // Incompressible input: random bytes through the sample test and the stored path, for each algorithm.
    for (const size of quick ? [MiB] : [64 * KiB, MiB, 16 * MiB]) {
      const random = randomBytes(size);
      for (const algorithm of ["gzip", "brotli", "zstd"]) {
        const compressor = getCompressor(algorithm);
        const ops = opsFor(() => compressor.compress(random), 60, quick);
        const figures = await compare({
          candidate: subject(`getCompressor('${algorithm}').compress(random)`, () =>
            compressor.compress(random),
          ),
          baselines: [subject("Buffer.from(random) (one copy)", () => Buffer.from(random))],
          samples,
          opsPerSample: ops,
          warmupOps: Math.min(ops, 10),
        });
        comparisons.push({
          name: `incompressible-${algorithm}-${humanSize(size).replace(" ", "")}`,
          description: `random ${humanSize(size)} through ${algorithm}'s compress (sample test, stored frame) vs one copy`,
          figures,
        });
        const gbps = (figures.candidate.opsPerSec.median * size) / 1e9;
        measurements.push({
          name: `${algorithm} compress of random ${humanSize(size)}`,
          value: gbps,
          unit: "GB/s",
        });
        targets.push(
          checkTarget(
            `${algorithm} incompressible throughput at ${humanSize(size)}`,
            gbps,
            ">=",
            1.5,
            "GB/s",
          ),
        );
      }
    }
    {
      const random = randomBytes(MiB);
      const start = performance.now();
      zlib.gzipSync(random, { level: 6 });
      measurements.push({
        name: "naive gzip level 6 of random 1 MiB (no detection), for reference",
        value: MiB / ((performance.now() - start) * 1e6),
        unit: "GB/s",
      });
    }

    // Adaptive selection, measured on the actual input.
    const adaptiveInput = jsonOf(quick ? 256 * KiB : MiB);
    for (const goal of Object.values(CompressionGoal)) {
      const { metrics } = new AdaptiveCompressor({ goal }).compressWithMetrics(adaptiveInput);
      measurements.push({
        name: `adaptive ${goal} on ${humanSize(adaptiveInput.length)} JSON: chose ${metrics.algorithm} L${metrics.level}`,
        value: metrics.ratio,
        unit: "×",
        note: `selection ${metrics.selectionTimeMs.toFixed(1)} ms over ${metrics.measurements.length} candidates; compress ${metrics.compressTimeMs.toFixed(1)} ms (${(metrics.throughputBytesPerSecond / 1e6).toFixed(0)} MB/s)`,
      });
    }

    return {
      setup: [
        `Data: validation-result JSON from demo/fixtures (generateResults), concatenated to ${sizes.map(humanSize).join(", ")} and 1 KiB; random bytes from crypto.randomBytes.`,
        "Candidate: getCompressor(algorithm) at the default 'balanced' level (sync API, framed output). Baseline: the library call a user would make at the same native level: node:zlib gzipSync/gunzipSync etc. with default options, zstd-napi compress/decompress, lz4-napi compressSync/uncompressSync (block), snappy compressSync/uncompressSync with copyOutputData.",
        "Incompressible: compress() of random bytes (entropy sample test, then a stored frame) vs Buffer.from of the same bytes.",
        "Adaptive: one AdaptiveCompressor.compressWithMetrics per goal with the default candidates (every registered algorithm at fastest and balanced; best-ratio adds high and maximum) measured on a 64 KiB sample.",
      ],
      comparisons,
      measurements,
      targets,
    };
  },
};
