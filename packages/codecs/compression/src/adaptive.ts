import { performance } from "node:perf_hooks";
import {
  type Codec,
  type OptionsSpec,
  StoreConfigurationError,
  validateOptions,
} from "@truthound/store-core";
import { COMPRESSION_CODEC_ID, COMPRESSION_CODEC_VERSION } from "./codec.js";
import {
  type CompressionMetrics,
  compressWith,
  decompressWithLimit,
  metricsOf,
  storedFrame,
} from "./compressor.js";
import { DEFAULT_MAX_OUTPUT_BYTES } from "./errors.js";
import { type CompressionLevel, resolveLevel } from "./levels.js";
import type { CompressionProvider } from "./provider.js";
import { getProvider, listAvailableAlgorithms } from "./registry.js";

export const CompressionGoal = {
  BALANCED: "balanced",
  BEST_RATIO: "best-ratio",
  BEST_SPEED: "best-speed",
  LOW_MEMORY: "low-memory",
} as const;
export type CompressionGoal = (typeof CompressionGoal)[keyof typeof CompressionGoal];

export interface AdaptiveCandidate {
  algorithm: string;
  level?: CompressionLevel | number;
}

export interface AdaptiveCompressorOptions {
  /** Default `balanced`. */
  goal?: CompressionGoal;
  /**
   * Algorithm/level pairs to measure. Default: every algorithm registered when the compressor is built, at
   * `fastest` and `balanced` (plus `high` and `maximum` for `best-ratio`).
   */
  candidates?: AdaptiveCandidate[];
  /** Bytes of the input the candidates are measured on (spread over the input). Default 64 KiB. */
  sampleBytes?: number;
  /** `low-memory`: largest working memory a candidate may need. Default 1 MiB. */
  memoryBudgetBytes?: number;
  /** Candidates reaching less than this ratio on the sample count as not compressing. Default 1.05. */
  rawBelowRatio?: number;
  /** Largest output `decompress` produces. Default 256 MiB. */
  maxOutputBytes?: number;
}

/** What one candidate did on the sample. */
export interface CandidateMeasurement {
  algorithm: string;
  level: number;
  ratio: number;
  compressBytesPerSecond: number;
  decompressBytesPerSecond: number;
  /** 1 / (1/compress + 1/decompress): the speed figure `balanced`, `best-speed` and `low-memory` use. */
  roundTripBytesPerSecond: number;
  workingMemoryBytes: number;
}

export interface AdaptiveSelection {
  goal: CompressionGoal;
  /** The winner, or `undefined` when no candidate reached `rawBelowRatio` (the input is stored). */
  chosen: CandidateMeasurement | undefined;
  sampleBytes: number;
  selectionTimeMs: number;
  measurements: CandidateMeasurement[];
}

export interface AdaptiveCompressionMetrics extends CompressionMetrics {
  goal: CompressionGoal;
  selectionTimeMs: number;
  measurements: CandidateMeasurement[];
}

export interface AdaptiveCompressionResult {
  data: Uint8Array;
  metrics: AdaptiveCompressionMetrics;
}

interface ResolvedCandidate {
  provider: CompressionProvider;
  level: number;
}

/** `balanced`: candidates at least this fraction as fast as the fastest compete on ratio. */
const BALANCED_SPEED_FRACTION = 0.25;

const spec: OptionsSpec<AdaptiveCompressorOptions> = {
  goal: { type: "string" as const, oneOf: Object.values(CompressionGoal) },
  candidates: { type: "array" as const },
  sampleBytes: { type: "number" as const, integer: true, min: 1024 },
  memoryBudgetBytes: { type: "number" as const, integer: true, min: 0 },
  rawBelowRatio: { type: "number" as const, min: 1 },
  maxOutputBytes: { type: "number" as const, integer: true, min: 0 },
};

/**
 * Chooses an algorithm and level per input by measuring the candidates on a sample of that input, then
 * compresses with the winner. Output is an ordinary frame: any `decompress` reads it. Selection costs about one
 * compression and decompression of the sample per candidate, so for hot paths call `select` once on
 * representative data and use `getCompressor` with the result.
 */
export class AdaptiveCompressor {
  readonly goal: CompressionGoal;
  readonly #candidates: ResolvedCandidate[];
  readonly #sampleBytes: number;
  readonly #memoryBudget: number;
  readonly #rawBelowRatio: number;
  readonly #maxOutputBytes: number;

  constructor(options?: AdaptiveCompressorOptions) {
    const o = validateOptions<AdaptiveCompressorOptions>("AdaptiveCompressor", options, spec);
    this.goal = o.goal ?? CompressionGoal.BALANCED;
    this.#sampleBytes = o.sampleBytes ?? 64 * 1024;
    this.#memoryBudget = o.memoryBudgetBytes ?? 1 << 20;
    this.#rawBelowRatio = o.rawBelowRatio ?? 1.05;
    this.#maxOutputBytes = o.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    this.#candidates = resolveCandidates(o.candidates ?? defaultCandidates(this.goal));
  }

  /** Measures every candidate on a sample of `data` and picks one for the goal. */
  select(data: Uint8Array): AdaptiveSelection {
    const start = performance.now();
    const sample = sampleOf(data, this.#sampleBytes);
    const runs = this.goal === CompressionGoal.BEST_RATIO ? 1 : 2;
    const measurements = this.#candidates.map((c) => measure(c, sample, runs));
    const chosen = choose(this.goal, measurements, this.#rawBelowRatio, this.#memoryBudget);
    return {
      goal: this.goal,
      chosen,
      sampleBytes: sample.length,
      selectionTimeMs: performance.now() - start,
      measurements,
    };
  }

  compress(data: Uint8Array): Uint8Array {
    return this.compressWithMetrics(data).data;
  }

  decompress(frame: Uint8Array): Uint8Array {
    return decompressWithLimit(frame, this.#maxOutputBytes);
  }

  compressWithMetrics(data: Uint8Array): AdaptiveCompressionResult {
    if (!(data instanceof Uint8Array)) {
      throw new StoreConfigurationError("AdaptiveCompressor: data must be a Uint8Array");
    }
    const selection = this.select(data);
    const start = performance.now();
    const chosen = selection.chosen;
    const first = this.#candidates[0] as ResolvedCandidate;
    const frame = chosen
      ? compressWith(getProvider(chosen.algorithm), chosen.level, data, this.#rawBelowRatio, false)
      : storedFrame(first.provider.code, data);
    const elapsed = performance.now() - start;
    const base = metricsOf(
      chosen?.algorithm ?? first.provider.name,
      chosen?.level ?? first.level,
      data.length,
      frame,
      elapsed,
    );
    return {
      data: frame,
      metrics: {
        ...base,
        goal: this.goal,
        selectionTimeMs: selection.selectionTimeMs,
        measurements: selection.measurements,
      },
    };
  }
}

function defaultCandidates(goal: CompressionGoal): AdaptiveCandidate[] {
  const levels: CompressionLevel[] =
    goal === CompressionGoal.BEST_RATIO
      ? ["fastest", "balanced", "high", "maximum"]
      : ["fastest", "balanced"];
  return listAvailableAlgorithms().flatMap((algorithm) => levels.map((level) => ({ algorithm, level })));
}

function resolveCandidates(candidates: AdaptiveCandidate[]): ResolvedCandidate[] {
  const seen = new Set<string>();
  const out: ResolvedCandidate[] = [];
  for (const candidate of candidates) {
    if (typeof candidate !== "object" || candidate === null || typeof candidate.algorithm !== "string") {
      throw new StoreConfigurationError("AdaptiveCompressor: each candidate needs an algorithm name", {
        details: { field: "candidates" },
      });
    }
    const provider = getProvider(candidate.algorithm);
    const level = resolveLevel(provider.name, provider.levels, candidate.level);
    const key = `${provider.name}:${level}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ provider, level });
  }
  if (out.length === 0) {
    throw new StoreConfigurationError("AdaptiveCompressor: no candidates", {
      details: { field: "candidates" },
    });
  }
  return out;
}

/** Up to `bytes` of `data`: all of it when small, else four slices spread over it. */
function sampleOf(data: Uint8Array, bytes: number): Uint8Array {
  if (data.length <= bytes) return data;
  const slices = 4;
  const slice = Math.floor(bytes / slices);
  const stride = Math.floor((data.length - slice) / (slices - 1));
  const out = new Uint8Array(slice * slices);
  for (let i = 0; i < slices; i++) out.set(data.subarray(i * stride, i * stride + slice), i * slice);
  return out;
}

function measure(candidate: ResolvedCandidate, sample: Uint8Array, runs: number): CandidateMeasurement {
  const { provider, level } = candidate;
  let compressMs = Number.POSITIVE_INFINITY;
  let decompressMs = Number.POSITIVE_INFINITY;
  let compressed: Uint8Array = new Uint8Array(0);
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    compressed = sample.length === 0 ? compressed : provider.compress(sample, level);
    const t1 = performance.now();
    if (sample.length > 0) provider.decompress(compressed, sample.length);
    const t2 = performance.now();
    compressMs = Math.min(compressMs, t1 - t0);
    decompressMs = Math.min(decompressMs, t2 - t1);
  }
  const perSecond = (ms: number): number => (ms > 0 ? (sample.length * 1000) / ms : Number.POSITIVE_INFINITY);
  const c = perSecond(compressMs);
  const d = perSecond(decompressMs);
  return {
    algorithm: provider.name,
    level,
    ratio: compressed.length === 0 ? 1 : sample.length / compressed.length,
    compressBytesPerSecond: c,
    decompressBytesPerSecond: d,
    roundTripBytesPerSecond: 1 / (1 / c + 1 / d),
    workingMemoryBytes: provider.workingMemoryBytes(level),
  };
}

function bestRatio(list: CandidateMeasurement[]): CandidateMeasurement | undefined {
  return list.reduce<CandidateMeasurement | undefined>((best, m) => {
    if (!best || m.ratio > best.ratio * 1.005) return m;
    if (m.ratio >= best.ratio / 1.005 && m.roundTripBytesPerSecond > best.roundTripBytesPerSecond) return m;
    return best;
  }, undefined);
}

function balanced(list: CandidateMeasurement[]): CandidateMeasurement | undefined {
  const fastest = Math.max(...list.map((m) => m.roundTripBytesPerSecond));
  return bestRatio(list.filter((m) => m.roundTripBytesPerSecond >= fastest * BALANCED_SPEED_FRACTION));
}

/** The rules of each goal, applied to measured figures only. */
export function choose(
  goal: CompressionGoal,
  measurements: CandidateMeasurement[],
  rawBelowRatio: number,
  memoryBudgetBytes: number,
): CandidateMeasurement | undefined {
  const useful = measurements.filter((m) => m.ratio >= rawBelowRatio);
  if (useful.length === 0) return undefined;
  switch (goal) {
    case CompressionGoal.BEST_RATIO:
      return bestRatio(useful);
    case CompressionGoal.BEST_SPEED:
      return useful.reduce((a, b) => (b.roundTripBytesPerSecond > a.roundTripBytesPerSecond ? b : a));
    case CompressionGoal.LOW_MEMORY: {
      const fitting = useful.filter((m) => m.workingMemoryBytes <= memoryBudgetBytes);
      if (fitting.length > 0) return balanced(fitting);
      const least = Math.min(...useful.map((m) => m.workingMemoryBytes));
      return balanced(useful.filter((m) => m.workingMemoryBytes === least));
    }
    default:
      return balanced(useful);
  }
}

/** A core `Codec` compressing each document with the adaptive choice; decoding reads the frame. */
export function adaptiveCodec(options?: AdaptiveCompressorOptions): Codec {
  const compressor = new AdaptiveCompressor(options);
  return {
    id: COMPRESSION_CODEC_ID,
    version: COMPRESSION_CODEC_VERSION,
    authenticated: false,
    headerParams: () => ({ algorithm: "adaptive", goal: compressor.goal }),
    encode: async (data) => compressor.compress(data),
    decode: async (data) => compressor.decompress(data),
  };
}
