import {
  type Codec,
  type CodecContext,
  isStoreError,
  type KeyMaterial,
  registerCodec,
  StoreConfigurationError,
  StoreIntegrityError,
  validateOptions,
} from "@truthound/store-core";
import { KeySource, type KeySourceOptions, keyFromRegisteredProviders } from "../key-source.js";
import {
  DEFAULT_SEGMENT_SIZE,
  resolveSegmentedAlgorithm,
  resolveSegmentSize,
  SEGMENTED_ALGORITHMS,
  type SegmentedAlgorithm,
} from "./format.js";
import { checkMasterKey } from "./segment-cipher.js";
import { concatPieces, type PieceProcessor } from "./stream-adapters.js";
import { StreamingDecryptor } from "./streaming-decryptor.js";
import { StreamingEncryptor } from "./streaming-encryptor.js";

export const SEGMENTED_CODEC_VERSION = 1;

export interface SegmentedCodecOptions extends KeySourceOptions {
  /** Default "aes-256-gcm". */
  algorithm?: SegmentedAlgorithm;
  /** Plaintext bytes per segment (power of two, 4 KiB to 16 MiB). Default 64 KiB. */
  segmentSize?: number;
}

/** The codec id of the segmented format for an AEAD, e.g. "aes-256-gcm-hkdf-stream". */
export function segmentedCodecId(algorithm: SegmentedAlgorithm): string {
  return `${algorithm}-hkdf-stream`;
}

/**
 * The segmented format as a chain codec, with streaming forms: `encodeStream`/`decodeStream` produce and take
 * the same bytes as `encode`/`decode`. The chain header is bound through the per-object key derivation.
 */
export class SegmentedCodec implements Codec {
  readonly id: string;
  readonly version = SEGMENTED_CODEC_VERSION;
  readonly authenticated = true;
  readonly algorithm: SegmentedAlgorithm;
  readonly segmentSize: number;
  readonly #keys: KeySource | undefined;

  constructor(algorithm: SegmentedAlgorithm, segmentSize: number, keys: KeySource | undefined) {
    this.algorithm = algorithm;
    this.id = segmentedCodecId(algorithm);
    this.segmentSize = segmentSize;
    this.#keys = keys;
  }

  headerParams(): Record<string, unknown> {
    const { kid, kv } = this.#requireKeys().headerParams();
    return { kid, kv };
  }

  async encode(data: Uint8Array, context: CodecContext): Promise<Uint8Array> {
    const encryptor = this.#encryptor(await this.#requireKeys().forEncode(context.params), context);
    const pieces = encryptor.update(data);
    for (const piece of encryptor.final()) pieces.push(piece);
    return concatPieces(pieces);
  }

  async decode(data: Uint8Array, context: CodecContext): Promise<Uint8Array> {
    const decryptor = new StreamingDecryptor((await this.#decodeKey(context)).key, { aad: context.aad });
    const pieces = decryptor.update(data);
    for (const piece of decryptor.final()) pieces.push(piece);
    return concatPieces(pieces);
  }

  encodeStream(context: CodecContext): TransformStream<Uint8Array, Uint8Array> {
    return lazyTransform(async () =>
      this.#encryptor(await this.#requireKeys().forEncode(context.params), context),
    );
  }

  decodeStream(context: CodecContext): TransformStream<Uint8Array, Uint8Array> {
    return lazyTransform(
      async () => new StreamingDecryptor((await this.#decodeKey(context)).key, { aad: context.aad }),
    );
  }

  #encryptor(material: KeyMaterial, context: CodecContext): StreamingEncryptor {
    return new StreamingEncryptor(material.key, {
      algorithm: this.algorithm,
      segmentSize: this.segmentSize,
      aad: context.aad,
    });
  }

  #decodeKey(context: CodecContext): Promise<KeyMaterial> {
    return this.#keys
      ? this.#keys.forDecode(context.params)
      : keyFromRegisteredProviders(context.params, `${this.id} codec`);
  }

  #requireKeys(): KeySource {
    if (!this.#keys) {
      throw new StoreConfigurationError(
        `${this.id} codec: built from a header for decoding only; configure it with a key to encode`,
      );
    }
    return this.#keys;
  }
}

/** A TransformStream whose processor is built asynchronously (the key comes from a provider) before the first chunk. */
function lazyTransform(build: () => Promise<PieceProcessor>): TransformStream<Uint8Array, Uint8Array> {
  let processor: PieceProcessor | undefined;
  const typed = (error: unknown) =>
    isStoreError(error) ? error : new StoreIntegrityError("Stream processing failed", { cause: error });
  return new TransformStream<Uint8Array, Uint8Array>({
    async start() {
      processor = await build();
    },
    transform(chunk, controller) {
      try {
        for (const piece of (processor as PieceProcessor).update(chunk)) controller.enqueue(piece);
      } catch (error) {
        controller.error(typed(error));
      }
    },
    flush(controller) {
      try {
        for (const piece of (processor as PieceProcessor).final()) controller.enqueue(piece);
      } catch (error) {
        controller.error(typed(error));
      }
    },
  });
}

/** Builds a segmented codec; with a `keyProvider` the current key version is loaded first. */
export async function createSegmentedCodec(options: SegmentedCodecOptions): Promise<SegmentedCodec> {
  const o = validateOptions<SegmentedCodecOptions>("createSegmentedCodec", options, {
    algorithm: { type: "string" },
    segmentSize: { type: "number", integer: true },
    key: { type: "any", check: (v) => (v instanceof Uint8Array ? undefined : "must be a Uint8Array") },
    keyId: { type: "string" },
    keyVersion: { type: "number", integer: true, min: 1 },
    keyProvider: { type: "object" },
  });
  const spec = resolveSegmentedAlgorithm(o.algorithm ?? "aes-256-gcm");
  const segmentSize = resolveSegmentSize(o.segmentSize ?? DEFAULT_SEGMENT_SIZE);
  const owner = `${segmentedCodecId(spec.name as SegmentedAlgorithm)} codec`;
  const keys = new KeySource(owner, o, spec.name);
  if (o.key !== undefined) checkMasterKey(o.key, spec, owner);
  await keys.load();
  return new SegmentedCodec(spec.name as SegmentedAlgorithm, segmentSize, keys);
}

for (const algorithm of SEGMENTED_ALGORITHMS) {
  registerCodec(
    segmentedCodecId(algorithm),
    () => new SegmentedCodec(algorithm, DEFAULT_SEGMENT_SIZE, undefined),
  );
}
