import { performance } from "node:perf_hooks";
import {
  type AeadAlgorithm,
  createAeadCodec,
  createSegmentedCodec,
  type SegmentedAlgorithm,
} from "@truthound/codec-aead";
import { type CompressorOptions, compressionCodec } from "@truthound/codec-compression";
import {
  type ChainHeaderEntry,
  type Codec,
  CodecChain,
  hasChainMagic,
  isStoreError,
  type KeyProvider,
  readChainHeader,
  StoreConfigurationError,
  StoreIntegrityError,
  writeChainHeader,
} from "@truthound/store-core";
import { checksumCodec } from "./checksum-codec.js";
import type { EncryptionStats, PipelineMetrics } from "./encryption-stats.js";
import { createPasswordCodec, type PasswordCodecOptions } from "./password-codec.js";

/** How an encryption stage gets its key. */
export type EncryptionKeySource =
  | Uint8Array
  | { key: Uint8Array; keyId?: string; keyVersion?: number }
  | { keyProvider: KeyProvider; keyId: string }
  | ({ password: string | Uint8Array } & Omit<PasswordCodecOptions, "algorithm">);

export interface PipelineResult {
  /** Header ‖ payload: what to store. `reverse` needs nothing else. */
  data: Uint8Array;
  /** The stages the header records, in encode order. */
  header: ChainHeaderEntry[];
  metrics: PipelineMetrics;
}

export interface EncryptionPipelineOptions {
  /** Totals every `process`/`reverse` of this pipeline is recorded into. */
  stats?: EncryptionStats;
}

type Stage = {
  kind: "compression" | "encryption" | "other";
  algorithm?: string;
  build: () => Promise<Codec>;
};

/**
 * Stages in order (compression before encryption), run as one core codec chain: the output starts with the
 * chain's "TRTH" header naming every stage, its parameters and key ids, and every encryption stage binds that
 * whole header as associated data. `reverse` reads the header, so it needs only the secrets. `codecs()` gives
 * the same chain to any backend (`codecs` option), so data at rest is encrypted on every backend.
 */
export class EncryptionPipeline {
  readonly #stages: Stage[] = [];
  readonly #stats: EncryptionStats | undefined;
  #built: Promise<Codec[]> | undefined;

  constructor(options: EncryptionPipelineOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new StoreConfigurationError("EncryptionPipeline: options must be an object");
    }
    for (const name of Object.keys(options)) {
      if (name !== "stats") {
        throw new StoreConfigurationError(
          `EncryptionPipeline: unknown option '${name}' (known options: stats)`,
          {
            details: { field: name },
          },
        );
      }
    }
    this.#stats = options.stats;
  }

  /** A compression stage: an algorithm name registered with codec-compression, or any core `Codec`. */
  addCompression(compression: string | Codec, options?: CompressorOptions): this {
    this.#assertOpen();
    if (this.#stages.some((stage) => stage.kind === "encryption")) {
      throw new StoreConfigurationError(
        "EncryptionPipeline: compression must come before encryption (ciphertext does not compress)",
      );
    }
    if (typeof compression === "string") {
      // Resolved now, so an unknown algorithm fails here rather than at the first write.
      const codec = compressionCodec(compression, options);
      this.#stages.push({ kind: "compression", algorithm: compression, build: async () => codec });
    } else {
      if (options !== undefined) {
        throw new StoreConfigurationError(
          "EncryptionPipeline: compression options apply to an algorithm name, not to a codec",
        );
      }
      assertCodec(compression);
      this.#stages.push({ kind: "compression", algorithm: compression.id, build: async () => compression });
    }
    return this;
  }

  /** An AEAD stage (one-shot records) with a raw key, a key provider, or a password. */
  addEncryption(algorithm: AeadAlgorithm, source: EncryptionKeySource): this {
    this.#assertOpen();
    const build = encryptionStage(algorithm, source);
    this.#stages.push({ kind: "encryption", algorithm, build });
    return this;
  }

  /** A segmented (STREAM) encryption stage: the codec has streaming forms and 64 KiB-segment random access. */
  addSegmentedEncryption(
    algorithm: SegmentedAlgorithm,
    source: Exclude<EncryptionKeySource, { password: string | Uint8Array }>,
    options: { segmentSize?: number } = {},
  ): this {
    this.#assertOpen();
    const keyOptions = source instanceof Uint8Array ? { key: source } : source;
    this.#stages.push({
      kind: "encryption",
      algorithm: `${algorithm}-hkdf-stream`,
      build: () => createSegmentedCodec({ algorithm, ...keyOptions, ...options }),
    });
    return this;
  }

  /** SHA-256 of the data at this point, checked on reverse (corruption detection; not authentication). */
  addChecksum(algorithm: "sha256" = "sha256"): this {
    this.#assertOpen();
    if (algorithm !== "sha256") {
      throw new StoreConfigurationError(
        `EncryptionPipeline: checksum algorithm '${String(algorithm)}' is not supported; use "sha256"`,
      );
    }
    const codec = checksumCodec();
    this.#stages.push({ kind: "other", algorithm: "sha256", build: async () => codec });
    return this;
  }

  /** Any core codec as a stage. */
  addCodec(codec: Codec): this {
    this.#assertOpen();
    assertCodec(codec);
    this.#stages.push({ kind: "other", build: async () => codec });
    return this;
  }

  /** The stages as core codecs: pass them to a backend's `codecs` option. Builds (and derives keys) once. */
  codecs(): Promise<Codec[]> {
    if (this.#stages.length === 0) {
      return Promise.reject(new StoreConfigurationError("EncryptionPipeline: add at least one stage"));
    }
    this.#built ??= Promise.all(this.#stages.map((stage) => stage.build()));
    return this.#built;
  }

  /** True when an authenticated stage binds the header and payload. */
  get authenticated(): boolean {
    return this.#stages.some((stage) => stage.kind === "encryption");
  }

  get encryptionAlgorithm(): string | undefined {
    return this.#stages.find((stage) => stage.kind === "encryption")?.algorithm;
  }

  async process(data: Uint8Array): Promise<PipelineResult> {
    if (!(data instanceof Uint8Array))
      throw new StoreConfigurationError("EncryptionPipeline.process: data must be a Uint8Array");
    const started = performance.now();
    try {
      const codecs = await this.codecs();
      const entries: ChainHeaderEntry[] = codecs.map((c) => ({
        id: c.id,
        v: c.version,
        p: c.headerParams(),
      }));
      const header = writeChainHeader(entries);
      const stageBytes: number[] = [];
      let body = data;
      for (const [i, codec] of codecs.entries()) {
        body = await codec.encode(body, { aad: header, params: (entries[i] as ChainHeaderEntry).p });
        stageBytes.push(body.length);
      }
      const framed = new Uint8Array(header.length + body.length);
      framed.set(header, 0);
      framed.set(body, header.length);
      const metrics = this.#metrics("process", codecs, data.length, framed.length, started, stageBytes);
      return { data: framed, header: entries, metrics };
    } catch (error) {
      this.#stats?.recordError();
      throw error;
    }
  }

  /** The stored bytes (header ‖ payload). */
  async processToBytes(data: Uint8Array): Promise<Uint8Array> {
    return (await this.process(data)).data;
  }

  /** Reverses any pipeline output whose stages this pipeline's codecs (or registered codecs) can decode. */
  async reverse(framed: Uint8Array): Promise<Uint8Array> {
    const started = performance.now();
    try {
      if (!(framed instanceof Uint8Array) || !hasChainMagic(framed)) {
        throw new StoreIntegrityError("Not pipeline output (no TRTH header)");
      }
      const codecs = await this.codecs();
      const plain = await new CodecChain(codecs).decode(framed);
      this.#metrics("reverse", codecs, plain.length, framed.length, started, []);
      return plain;
    } catch (error) {
      this.#stats?.recordError();
      if (isStoreError(error)) throw error;
      throw new StoreIntegrityError("Pipeline output could not be reversed", { cause: error });
    }
  }

  /** The stage records of a pipeline output's header, without decoding it. */
  static describe(framed: Uint8Array): ChainHeaderEntry[] {
    return readChainHeader(framed).entries;
  }

  #metrics(
    operation: "process" | "reverse",
    codecs: Codec[],
    plaintextBytes: number,
    framedBytes: number,
    started: number,
    stageBytes: number[],
  ): PipelineMetrics {
    const metrics: PipelineMetrics = {
      operation,
      stages: codecs.map((c) => c.id),
      algorithm: this.encryptionAlgorithm,
      plaintextBytes,
      framedBytes,
      compressionRatio: framedBytes > 0 ? plaintextBytes / framedBytes : 0,
      durationMs: performance.now() - started,
      stageBytes,
    };
    this.#stats?.record(metrics);
    return metrics;
  }

  #assertOpen(): void {
    if (this.#built)
      throw new StoreConfigurationError("EncryptionPipeline: stages cannot change after first use");
  }
}

function assertCodec(codec: unknown): asserts codec is Codec {
  const c = codec as Codec;
  if (!c || typeof c.encode !== "function" || typeof c.decode !== "function" || typeof c.id !== "string") {
    throw new StoreConfigurationError("EncryptionPipeline: expected a core Codec");
  }
}

function encryptionStage(algorithm: AeadAlgorithm, source: EncryptionKeySource): () => Promise<Codec> {
  if (source instanceof Uint8Array) return () => createAeadCodec({ algorithm, key: source });
  if (typeof source !== "object" || source === null) {
    throw new StoreConfigurationError(
      "EncryptionPipeline.addEncryption: expected a key, { keyProvider, keyId } or { password }",
    );
  }
  if ("password" in source) {
    const { password, ...rest } = source;
    for (const name of Object.keys(rest)) {
      if (name !== "kdf" && name !== "kdfParams") {
        throw new StoreConfigurationError(
          `EncryptionPipeline.addEncryption: unknown option '${name}' with a password`,
          {
            details: { field: name },
          },
        );
      }
    }
    return () => createPasswordCodec(password, { algorithm, ...rest });
  }
  return () => createAeadCodec({ algorithm, ...source });
}
