import type { AeadAlgorithm } from "@truthound/codec-aead";
import type { CompressionLevel } from "@truthound/codec-compression";
import { type Codec, type KeyProvider, validateOptions } from "@truthound/store-core";
import type { EncryptionStats } from "./encryption-stats.js";
import type { PasswordCodecOptions } from "./password-codec.js";
import { EncryptionPipeline } from "./pipeline.js";

export interface PresetOptions {
  /** An algorithm registered with codec-compression ("gzip", "deflate-raw", "brotli", "zstd" once imported, ...), a core Codec, or false for none. */
  compression?: string | Codec | false;
  /** Compression level preset or native level; only with an algorithm name. */
  level?: CompressionLevel | number;
  algorithm?: AeadAlgorithm;
  /** Key id recorded in the header for a raw key. Default "default". */
  keyId?: string;
  keyVersion?: number;
  stats?: EncryptionStats;
}

export type PresetKey = Uint8Array | { keyProvider: KeyProvider; keyId: string };

const presetSpec = {
  compression: { type: "any" as const },
  level: { type: "any" as const },
  algorithm: { type: "string" as const },
  keyId: { type: "string" as const },
  keyVersion: { type: "number" as const, integer: true, min: 1 },
  stats: { type: "object" as const },
};

function build(
  owner: string,
  key: PresetKey,
  options: PresetOptions | undefined,
  defaults: { compression: string; level?: CompressionLevel; algorithm: AeadAlgorithm },
): EncryptionPipeline {
  const o = validateOptions<PresetOptions>(owner, options, presetSpec);
  const pipeline = new EncryptionPipeline(o.stats ? { stats: o.stats } : {});
  const compression = o.compression ?? defaults.compression;
  if (compression !== false) {
    if (typeof compression === "string") {
      const level = o.level ?? defaults.level;
      pipeline.addCompression(compression, level === undefined ? undefined : { level });
    } else {
      pipeline.addCompression(compression, o.level === undefined ? undefined : { level: o.level });
    }
  }
  const algorithm = o.algorithm ?? defaults.algorithm;
  if (key instanceof Uint8Array) {
    pipeline.addEncryption(algorithm, {
      key,
      ...(o.keyId === undefined ? {} : { keyId: o.keyId }),
      ...(o.keyVersion === undefined ? {} : { keyVersion: o.keyVersion }),
    });
  } else {
    validateOptions(
      owner,
      { keyId: o.keyId, keyVersion: o.keyVersion },
      {
        keyId: { type: "any", check: (v) => (v === undefined ? undefined : "applies to a raw key only") },
        keyVersion: {
          type: "any",
          check: (v) => (v === undefined ? undefined : "applies to a raw key only"),
        },
      },
    );
    pipeline.addEncryption(algorithm, key);
  }
  return pipeline;
}

/** Compress (gzip by default) then AES-256-GCM. */
export function createSecurePipeline(key: PresetKey, options?: PresetOptions): EncryptionPipeline {
  return build("createSecurePipeline", key, options, { compression: "gzip", algorithm: "aes-256-gcm" });
}

/**
 * The cheapest CPU path without native packages: raw deflate at its fastest level, then ChaCha20-Poly1305. Pass
 * `compression: "zstd"` or `"lz4"` after importing their codec packages for more speed.
 */
export function createFastPipeline(key: PresetKey, options?: PresetOptions): EncryptionPipeline {
  return build("createFastPipeline", key, options, {
    compression: "deflate-raw",
    level: "fastest",
    algorithm: "chacha20-poly1305",
  });
}

export interface PasswordPipelineOptions extends Omit<PresetOptions, "keyId" | "keyVersion"> {
  kdf?: PasswordCodecOptions["kdf"];
  kdfParams?: PasswordCodecOptions["kdfParams"];
}

/**
 * Compress then AES-256-GCM under a key derived from `password` (Argon2id by default). The KDF, its parameters
 * and the salt are in the authenticated header, so `reverse` needs only the password. The key is derived on
 * first use (about 12 ms at the default Argon2id cost).
 */
export function createPasswordPipeline(
  password: string | Uint8Array,
  options?: PasswordPipelineOptions,
): EncryptionPipeline {
  const o = validateOptions<PasswordPipelineOptions>("createPasswordPipeline", options, {
    compression: presetSpec.compression,
    level: presetSpec.level,
    algorithm: presetSpec.algorithm,
    stats: presetSpec.stats,
    kdf: { type: "string" },
    kdfParams: { type: "object" },
  });
  const pipeline = new EncryptionPipeline(o.stats ? { stats: o.stats } : {});
  const compression = o.compression ?? "gzip";
  if (compression !== false) {
    pipeline.addCompression(compression, o.level === undefined ? undefined : { level: o.level });
  }
  pipeline.addEncryption(o.algorithm ?? "aes-256-gcm", {
    password,
    ...(o.kdf === undefined ? {} : { kdf: o.kdf }),
    ...(o.kdfParams === undefined ? {} : { kdfParams: o.kdfParams }),
  });
  return pipeline;
}
