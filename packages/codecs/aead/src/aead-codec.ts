import {
  type Codec,
  type CodecContext,
  type KeyMaterial,
  registerCodec,
  StoreConfigurationError,
  validateOptions,
} from "@truthound/store-core";
import { type AeadKey, toAeadKey } from "./aead-key.js";
import {
  AEAD_ALGORITHMS,
  type AeadAlgorithm,
  type AeadAlgorithmSpec,
  isAeadAlgorithm,
  resolveAeadAlgorithm,
} from "./algorithms.js";
import { openCommitted, sealCommitted } from "./commitment.js";
import { checkKeyBytes, KeySource, type KeySourceOptions, keyFromRegisteredProviders } from "./key-source.js";

export const AEAD_CODEC_VERSION = 1;

export interface AeadCodecOptions extends KeySourceOptions {
  algorithm: AeadAlgorithm | string;
}

const isBytes = (value: unknown): string | undefined =>
  value instanceof Uint8Array ? undefined : "must be a Uint8Array";

/**
 * An AEAD as a chain codec. Output: commitment (32) ‖ nonce ‖ ciphertext ‖ tag; the chain header (which names
 * the codec, key id and key version) is the associated data, so changing any header byte fails decryption.
 */
export class AeadCodec implements Codec {
  readonly id: AeadAlgorithm;
  readonly version = AEAD_CODEC_VERSION;
  readonly authenticated = true;
  readonly spec: AeadAlgorithmSpec;
  readonly #keys: KeySource | undefined;
  /**
   * One AeadKey per key version, reused while the provider hands out the same bytes: keeps the KeyObject and,
   * above all, the per-key message counter even when a provider returns a fresh copy of the bytes each call.
   */
  readonly #byVersion = new Map<string, AeadKey>();

  /** Use `createAeadCodec`; a codec without keys decodes with registered decryption key providers only. */
  constructor(spec: AeadAlgorithmSpec, keys: KeySource | undefined) {
    this.spec = spec;
    this.id = spec.name;
    this.#keys = keys;
  }

  headerParams(): Record<string, unknown> {
    if (!this.#keys) {
      throw new StoreConfigurationError(
        `${this.id} codec: built from a header for decoding only; it has no key to encode with`,
      );
    }
    const { kid, kv } = this.#keys.headerParams();
    return { kid, kv };
  }

  async encode(data: Uint8Array, context: CodecContext): Promise<Uint8Array> {
    if (!this.#keys) {
      throw new StoreConfigurationError(
        `${this.id} codec: built from a header for decoding only; configure it with a key to encode`,
      );
    }
    const key = this.#aeadKey(await this.#keys.forEncode(context.params));
    return sealCommitted(key, data, context.aad);
  }

  async decode(data: Uint8Array, context: CodecContext): Promise<Uint8Array> {
    const material = this.#keys
      ? await this.#keys.forDecode(context.params)
      : await keyFromRegisteredProviders(context.params, `${this.id} codec`);
    return openCommitted(this.#aeadKey(material), data, context.aad, `${this.id} codec`);
  }

  #aeadKey(material: KeyMaterial): AeadKey {
    if (isAeadAlgorithm(material.algorithm) && material.algorithm !== this.id) {
      throw new StoreConfigurationError(
        `${this.id} codec: key '${material.keyId}' v${material.version} is a ${material.algorithm} key; use one key per algorithm`,
        { details: { keyId: material.keyId, keyAlgorithm: material.algorithm } },
      );
    }
    const bytes = checkKeyBytes(material, this.spec.keySize, `${this.id} codec`);
    const slot = `${material.version}\u0000${material.keyId}`;
    const cached = this.#byVersion.get(slot);
    if (cached?.matches(bytes)) return cached;
    const key = toAeadKey(this.id, bytes);
    this.#byVersion.set(slot, key);
    return key;
  }
}

/**
 * Builds an AEAD codec. With a `keyProvider`, it loads the current key version first (so the header can name
 * it); with a raw `key`, the header records `keyId` (default "default") and `keyVersion` (default 1).
 */
export async function createAeadCodec(options: AeadCodecOptions): Promise<AeadCodec> {
  const o = validateOptions<AeadCodecOptions>("createAeadCodec", options, {
    algorithm: { type: "string", required: true },
    key: { type: "any", check: isBytes },
    keyId: { type: "string" },
    keyVersion: { type: "number", integer: true, min: 1 },
    keyProvider: { type: "object" },
  });
  const spec = resolveAeadAlgorithm(o.algorithm);
  const keys = new KeySource(`${spec.name} codec`, o, spec.name);
  await keys.load();
  if (o.key !== undefined)
    checkKeyBytes(await keys.forDecode(keys.headerParams() as never), spec.keySize, `${spec.name} codec`);
  return new AeadCodec(spec, keys);
}

for (const name of AEAD_ALGORITHMS) {
  registerCodec(name, () => new AeadCodec(resolveAeadAlgorithm(name), undefined));
}
