import { createHash, timingSafeEqual } from "node:crypto";
import { performance } from "node:perf_hooks";
import {
  type Codec,
  InvalidArgumentError,
  type OptionsSpec,
  StoreConfigurationError,
  StoreIntegrityError,
  UnsupportedOperationError,
  validateOptions,
} from "@truthound/store-core";
import type { AdaptiveCompressor } from "./adaptive.js";
import { type Compressor, type CompressorOptions, decompressWithLimit, getCompressor } from "./compressor.js";
import { DeduplicationTransform, reverseDeduplication } from "./dedup.js";
import { DEFAULT_MAX_OUTPUT_BYTES, DecompressionLimitError } from "./errors.js";

/**
 * Pipeline output: "TzP" | version (1 B) | stage count (1 B) | one type byte per stage, in the order applied |
 * body. Each stage's body describes itself (deduplication body, compressed frame, checksum + input), so
 * `reverse` needs no configuration: any pipeline, or `reversePipeline`, reverses any pipeline's output.
 */
const MAGIC = [0x54, 0x7a, 0x50] as const;
const PIPELINE_VERSION = 1;
const MAX_STAGES = 16;
const STAGE_DEDUP = 1;
const STAGE_COMPRESS = 2;
const STAGE_CHECKSUM = 3;
const CHECKSUM_SHA256 = 1;
const SHA256_BYTES = 32;

const STAGE_NAMES: Readonly<Record<number, string>> = {
  [STAGE_DEDUP]: "deduplication",
  [STAGE_COMPRESS]: "compression",
  [STAGE_CHECKSUM]: "checksum",
};

type Stage =
  | { type: typeof STAGE_DEDUP; transform: DeduplicationTransform }
  | { type: typeof STAGE_COMPRESS; compressor: Compressor | AdaptiveCompressor }
  | { type: typeof STAGE_CHECKSUM };

export interface StageMetrics {
  stage: string;
  inputBytes: number;
  outputBytes: number;
  timeMs: number;
}

export interface PipelineMetrics {
  inputBytes: number;
  outputBytes: number;
  /** inputBytes / outputBytes. */
  ratio: number;
  timeMs: number;
  stages: StageMetrics[];
}

export interface PipelineResult {
  data: Uint8Array;
  metrics: PipelineMetrics;
}

export interface CompressionPipelineOptions {
  /** Largest output `reverse` produces at any stage. Default 256 MiB. */
  maxOutputBytes?: number;
}

const optionsSpec: OptionsSpec<CompressionPipelineOptions> = {
  maxOutputBytes: { type: "number" as const, integer: true, min: 0 },
};

export class CompressionPipeline {
  readonly name: string;
  readonly #stages: Stage[] = [];
  readonly #maxOutputBytes: number;

  constructor(name = "pipeline", options?: CompressionPipelineOptions) {
    if (typeof name !== "string")
      throw new StoreConfigurationError("CompressionPipeline: name must be a string");
    this.name = name;
    this.#maxOutputBytes =
      validateOptions<CompressionPipelineOptions>("CompressionPipeline", options, optionsSpec)
        .maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  }

  addTransform(transform: DeduplicationTransform): this {
    if (!(transform instanceof DeduplicationTransform)) {
      throw new StoreConfigurationError(
        "CompressionPipeline.addTransform: expected a DeduplicationTransform",
      );
    }
    return this.#add({ type: STAGE_DEDUP, transform });
  }

  /** A compressor from `getCompressor`, an `AdaptiveCompressor`, or an algorithm name (with options). */
  addCompression(compressor: Compressor | AdaptiveCompressor | string, options?: CompressorOptions): this {
    const resolved = typeof compressor === "string" ? getCompressor(compressor, options) : compressor;
    if (typeof resolved?.compress !== "function") {
      throw new StoreConfigurationError(
        "CompressionPipeline.addCompression: expected a compressor or an algorithm name",
      );
    }
    return this.#add({ type: STAGE_COMPRESS, compressor: resolved });
  }

  /** SHA-256 of this stage's input, verified on `reverse` (mismatch: INTEGRITY). */
  addChecksum(): this {
    return this.#add({ type: STAGE_CHECKSUM });
  }

  get stages(): string[] {
    return this.#stages.map((s) => STAGE_NAMES[s.type] as string);
  }

  #add(stage: Stage): this {
    if (this.#stages.length >= MAX_STAGES) {
      throw new StoreConfigurationError(`CompressionPipeline: at most ${MAX_STAGES} stages`);
    }
    this.#stages.push(stage);
    return this;
  }

  process(data: Uint8Array): PipelineResult {
    if (!(data instanceof Uint8Array))
      throw new InvalidArgumentError("CompressionPipeline: data must be a Uint8Array");
    const start = performance.now();
    const stages: StageMetrics[] = [];
    let body = data;
    for (const stage of this.#stages) {
      const t0 = performance.now();
      const input = body;
      body = applyStage(stage, input);
      stages.push({
        stage: STAGE_NAMES[stage.type] as string,
        inputBytes: input.length,
        outputBytes: body.length,
        timeMs: performance.now() - t0,
      });
    }
    const header = 5 + this.#stages.length;
    const out = Buffer.allocUnsafe(header + body.length);
    out.set(MAGIC, 0);
    out[3] = PIPELINE_VERSION;
    out[4] = this.#stages.length;
    this.#stages.forEach((s, i) => {
      out[5 + i] = s.type;
    });
    out.set(body, header);
    return {
      data: out,
      metrics: {
        inputBytes: data.length,
        outputBytes: out.length,
        ratio: out.length === 0 ? 0 : data.length / out.length,
        timeMs: performance.now() - start,
        stages,
      },
    };
  }

  /** Reverses any pipeline output (this pipeline's configuration is not used, only its `maxOutputBytes`). */
  reverse(data: Uint8Array): Uint8Array {
    return reversePipeline(data, { maxOutputBytes: this.#maxOutputBytes });
  }
}

function applyStage(stage: Stage, input: Uint8Array): Uint8Array {
  switch (stage.type) {
    case STAGE_DEDUP:
      return stage.transform.apply(input);
    case STAGE_COMPRESS:
      return stage.compressor.compress(input);
    default: {
      const out = Buffer.allocUnsafe(1 + SHA256_BYTES + input.length);
      out[0] = CHECKSUM_SHA256;
      out.set(createHash("sha256").update(input).digest(), 1);
      out.set(input, 1 + SHA256_BYTES);
      return out;
    }
  }
}

export function isPipelineOutput(data: Uint8Array): boolean {
  return data.length >= 5 && MAGIC.every((b, i) => data[i] === b);
}

/** Reverses the output of any `CompressionPipeline`. Corruption: INTEGRITY; too much output: DecompressionLimitError. */
export function reversePipeline(data: Uint8Array, options?: CompressionPipelineOptions): Uint8Array {
  const max =
    validateOptions<CompressionPipelineOptions>("reversePipeline", options, optionsSpec).maxOutputBytes ??
    DEFAULT_MAX_OUTPUT_BYTES;
  if (!(data instanceof Uint8Array))
    throw new InvalidArgumentError("reversePipeline: data must be a Uint8Array");
  if (!isPipelineOutput(data))
    throw new StoreIntegrityError("Not compression-pipeline output (bad magic or truncated)");
  if (data[3] !== PIPELINE_VERSION)
    throw new StoreIntegrityError(`Unknown pipeline format version ${data[3]}`);
  const count = data[4] as number;
  if (count > MAX_STAGES || data.length < 5 + count)
    throw new StoreIntegrityError("Pipeline header is corrupt");
  const types = [...data.subarray(5, 5 + count)];
  let body = data.subarray(5 + count);
  for (let i = types.length - 1; i >= 0; i--) {
    const type = types[i] as number;
    if (type === STAGE_DEDUP) body = reverseDeduplication(body, max);
    else if (type === STAGE_COMPRESS) body = decompressWithLimit(body, max);
    else if (type === STAGE_CHECKSUM) body = verifyChecksum(body, max);
    else throw new StoreIntegrityError(`Unknown pipeline stage type ${type}`);
  }
  return body.buffer === data.buffer ? body.slice() : body;
}

function verifyChecksum(body: Uint8Array, max: number): Uint8Array {
  if (body.length < 1 + SHA256_BYTES || body[0] !== CHECKSUM_SHA256) {
    throw new StoreIntegrityError("Pipeline checksum stage is corrupt or truncated");
  }
  const input = body.subarray(1 + SHA256_BYTES);
  if (input.length > max) throw new DecompressionLimitError("checksum", max, input.length);
  const actual = createHash("sha256").update(input).digest();
  if (!timingSafeEqual(actual, body.subarray(1, 1 + SHA256_BYTES))) {
    throw new StoreIntegrityError("Pipeline checksum mismatch: the data is corrupt");
  }
  return input;
}

export const PIPELINE_CODEC_ID = "compression-pipeline";

/** A core `Codec` running `pipeline`; decoding reads the pipeline header, so it needs no configuration. */
export function pipelineCodec(pipeline: CompressionPipeline, options?: CompressionPipelineOptions): Codec {
  const max =
    validateOptions<CompressionPipelineOptions>("pipelineCodec", options, optionsSpec).maxOutputBytes ??
    DEFAULT_MAX_OUTPUT_BYTES;
  return {
    id: PIPELINE_CODEC_ID,
    version: 1,
    authenticated: false,
    headerParams: () => ({ stages: pipeline.stages }),
    encode: async (data) => pipeline.process(data).data,
    decode: async (data) => reversePipeline(data, { maxOutputBytes: max }),
  };
}

/** Decodes any pipeline output; what a codec chain builds from a header when no pipeline codec is configured. */
export function pipelineDecodingCodec(options?: CompressionPipelineOptions): Codec {
  const max =
    validateOptions<CompressionPipelineOptions>("pipelineDecodingCodec", options, optionsSpec)
      .maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  return {
    id: PIPELINE_CODEC_ID,
    version: 1,
    authenticated: false,
    headerParams: () => ({}),
    encode: async () => {
      throw new UnsupportedOperationError(
        "pipelineDecodingCodec only decodes; build one with pipelineCodec(pipeline)",
      );
    },
    decode: async (data) => reversePipeline(data, { maxOutputBytes: max }),
  };
}
