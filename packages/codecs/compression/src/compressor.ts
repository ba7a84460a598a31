import { performance } from "node:perf_hooks";
import { InvalidArgumentError, isStoreError, type OptionsSpec, validateOptions } from "@truthound/store-core";
import { corrupt, DEFAULT_MAX_OUTPUT_BYTES, DecompressionLimitError } from "./errors.js";
import { frameHeaderLength, readFrame, writeFrameHeader } from "./frame.js";
import { looksIncompressible } from "./incompressible.js";
import { type CompressionLevel, resolveLevel } from "./levels.js";
import type { CompressionProvider } from "./provider.js";
import { getProvider, getProviderByCode } from "./registry.js";

export interface CompressorOptions {
  /** A preset or the algorithm's native integer level. Default `balanced`. */
  level?: CompressionLevel | number;
  /** Keep the input as it is when compression gains less than this ratio (>= 1). Default 1.05. */
  rawBelowRatio?: number;
  /**
   * Run the cheap entropy sample test (~0.2 µs on text, ~3 µs on random data, whatever the size) before
   * compressing, and store input that looks random without compressing it. Default true.
   */
  sampleTest?: boolean;
  /** Largest output `decompress` will produce (decompression-bomb guard). Default 256 MiB. */
  maxOutputBytes?: number;
}

export interface DecompressOptions {
  /** Largest output to produce; more is a `DecompressionLimitError` (code INTEGRITY). Default 256 MiB. */
  maxOutputBytes?: number;
}

export interface CompressionMetrics {
  algorithm: string;
  /** Native level used. */
  level: number;
  inputBytes: number;
  outputBytes: number;
  /** inputBytes / outputBytes (header included). */
  ratio: number;
  /** The input was kept as it is (incompressible, or too small a gain). */
  stored: boolean;
  compressTimeMs: number;
  /** Input bytes per second of compression. */
  throughputBytesPerSecond: number;
}

export interface CompressionResult {
  data: Uint8Array;
  metrics: CompressionMetrics;
}

/** Compresses into self-describing frames; `decompress` reads any frame, whatever algorithm wrote it. */
export interface Compressor {
  readonly algorithm: string;
  /** Native level in use. */
  readonly level: number;
  compress(data: Uint8Array): Uint8Array;
  decompress(frame: Uint8Array): Uint8Array;
  compressWithMetrics(data: Uint8Array): CompressionResult;
}

const optionsSpec: OptionsSpec<CompressorOptions> = {
  level: { type: "any" as const },
  rawBelowRatio: { type: "number" as const, min: 1 },
  sampleTest: { type: "boolean" as const },
  maxOutputBytes: { type: "number" as const, integer: true, min: 0 },
};

const decompressSpec: OptionsSpec<DecompressOptions> = { maxOutputBytes: optionsSpec.maxOutputBytes };

function requireBytes(data: unknown, what: string): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) throw new InvalidArgumentError(`${what} must be a Uint8Array`);
}

/** Frames `data` as it is (STORED). */
export function storedFrame(code: number, data: Uint8Array): Uint8Array {
  const header = frameHeaderLength(data.length);
  const out = Buffer.allocUnsafe(header + data.length);
  writeFrameHeader(out, code, true, data.length);
  out.set(data, header);
  return out;
}

/** Compresses with `provider`, or stores when the sample test or the achieved ratio says so. */
export function compressWith(
  provider: CompressionProvider,
  level: number,
  data: Uint8Array,
  rawBelowRatio: number,
  sampleTest: boolean,
): Uint8Array {
  requireBytes(data, "Data to compress");
  const length = data.length;
  if (length === 0 || (sampleTest && looksIncompressible(data))) {
    return storedFrame(provider.code, data);
  }
  if (provider.compressInto && provider.compressBound) {
    return compressIntoFrame(provider, level, data, rawBelowRatio);
  }
  let payload: Uint8Array;
  try {
    payload = provider.compress(data, level);
  } catch (cause) {
    if (isStoreError(cause)) throw cause;
    throw new InvalidArgumentError(`${provider.name}: compression failed`, { cause });
  }
  if (payload.length * rawBelowRatio > length) return storedFrame(provider.code, data);
  const header = frameHeaderLength(length);
  const out = Buffer.allocUnsafe(header + payload.length);
  writeFrameHeader(out, provider.code, false, length);
  out.set(payload, header);
  return out;
}

/** Reused for inputs up to 1 MiB; the frame is then copied out at its exact size. */
const SCRATCH_LIMIT = 1 << 20;
let scratch: Buffer = Buffer.allocUnsafe(0);

function compressIntoFrame(
  provider: CompressionProvider,
  level: number,
  data: Uint8Array,
  rawBelowRatio: number,
): Uint8Array {
  const length = data.length;
  const header = frameHeaderLength(length);
  const bound = header + (provider.compressBound as (n: number) => number)(length);
  let target: Buffer;
  if (length <= SCRATCH_LIMIT) {
    if (scratch.length < bound) scratch = Buffer.allocUnsafeSlow(bound);
    target = scratch;
  } else target = Buffer.allocUnsafe(bound);
  let written: number;
  try {
    written = (provider.compressInto as NonNullable<typeof provider.compressInto>)(
      data,
      level,
      target.subarray(header, bound),
    );
  } catch (cause) {
    if (isStoreError(cause)) throw cause;
    throw new InvalidArgumentError(`${provider.name}: compression failed`, { cause });
  }
  if (written * rawBelowRatio > length) return storedFrame(provider.code, data);
  writeFrameHeader(target, provider.code, false, length);
  const total = header + written;
  return target === scratch || total < 0.75 * bound
    ? Buffer.from(target.subarray(0, total))
    : target.subarray(0, total);
}

function algorithmName(code: number): string {
  try {
    return getProviderByCode(code).name;
  } catch {
    return `code ${code}`;
  }
}

/**
 * Decompresses any frame written by this package or a registered algorithm. Corrupt or truncated input is an
 * INTEGRITY error; output above `maxOutputBytes` is a `DecompressionLimitError` (INTEGRITY), detected from the
 * declared size before anything is allocated.
 */
export function decompressFrame(frame: Uint8Array, options: DecompressOptions = {}): Uint8Array {
  const { maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES } = validateOptions<DecompressOptions>(
    "decompress",
    options,
    decompressSpec,
  );
  return decompressWithLimit(frame, maxOutputBytes);
}

export function decompressWithLimit(frame: Uint8Array, maxOutputBytes: number): Uint8Array {
  requireBytes(frame, "Compressed data");
  const info = readFrame(frame);
  if (info.stored) {
    if (info.payload.length > maxOutputBytes) {
      throw new DecompressionLimitError(algorithmName(info.code), maxOutputBytes, info.payload.length);
    }
    return info.payload.slice();
  }
  const provider = getProviderByCode(info.code);
  if (info.originalSize === undefined) {
    if (!provider.decompressUnsized) {
      throw corrupt(provider.name, "streamed frame, but this algorithm has no streaming form");
    }
    return guard(provider.name, () =>
      (provider.decompressUnsized as NonNullable<typeof provider.decompressUnsized>)(
        info.payload,
        maxOutputBytes,
      ),
    );
  }
  const size = info.originalSize;
  if (size > maxOutputBytes) throw new DecompressionLimitError(provider.name, maxOutputBytes, size);
  if (size === 0) throw corrupt(provider.name, "compressed frame declares an empty output");
  const out = guard(provider.name, () => provider.decompress(info.payload, size));
  if (out.length !== size) {
    throw corrupt(provider.name, `decompressed ${out.length} bytes, frame declares ${size} (corrupt)`);
  }
  return out;
}

function guard(algorithm: string, run: () => Uint8Array): Uint8Array {
  try {
    return run();
  } catch (cause) {
    if (isStoreError(cause)) throw cause;
    throw corrupt(algorithm, "data is corrupt or truncated", cause);
  }
}

export interface ResolvedCompressorOptions {
  level: number;
  rawBelowRatio: number;
  sampleTest: boolean;
  maxOutputBytes: number;
}

export function resolveCompressorOptions(
  provider: CompressionProvider,
  options: CompressorOptions | undefined,
  owner: string,
): ResolvedCompressorOptions {
  const o = validateOptions<CompressorOptions>(owner, options, optionsSpec);
  return {
    level: resolveLevel(provider.name, provider.levels, o.level),
    rawBelowRatio: o.rawBelowRatio ?? 1.05,
    sampleTest: o.sampleTest ?? true,
    maxOutputBytes: o.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
  };
}

class FramedCompressor implements Compressor {
  readonly algorithm: string;
  readonly level: number;
  readonly #provider: CompressionProvider;
  readonly #options: ResolvedCompressorOptions;

  constructor(provider: CompressionProvider, options: ResolvedCompressorOptions) {
    this.#provider = provider;
    this.#options = options;
    this.algorithm = provider.name;
    this.level = options.level;
  }

  compress(data: Uint8Array): Uint8Array {
    requireBytes(data, "Data to compress");
    const o = this.#options;
    return compressWith(this.#provider, o.level, data, o.rawBelowRatio, o.sampleTest);
  }

  decompress(frame: Uint8Array): Uint8Array {
    return decompressWithLimit(frame, this.#options.maxOutputBytes);
  }

  compressWithMetrics(data: Uint8Array): CompressionResult {
    const start = performance.now();
    const out = this.compress(data);
    const elapsed = performance.now() - start;
    return { data: out, metrics: metricsOf(this.algorithm, this.level, data.length, out, elapsed) };
  }
}

export function metricsOf(
  algorithm: string,
  level: number,
  inputBytes: number,
  frame: Uint8Array,
  compressTimeMs: number,
): CompressionMetrics {
  return {
    algorithm,
    level,
    inputBytes,
    outputBytes: frame.length,
    ratio: frame.length === 0 ? 0 : inputBytes / frame.length,
    stored: readFrame(frame).stored,
    compressTimeMs,
    throughputBytesPerSecond:
      compressTimeMs > 0 ? (inputBytes * 1000) / compressTimeMs : Number.POSITIVE_INFINITY,
  };
}

/** A compressor for a registered algorithm. UNSUPPORTED when it is not registered, CONFIGURATION on bad options. */
export function getCompressor(algorithm: string, options?: CompressorOptions): Compressor {
  const provider = getProvider(algorithm);
  return new FramedCompressor(
    provider,
    resolveCompressorOptions(provider, options, `getCompressor('${algorithm}')`),
  );
}
