import { InvalidArgumentError, validateOptions } from "@truthound/store-core";
import type { AeadAlgorithmSpec } from "../algorithms.js";
import { randomPool } from "../nonce-pool.js";
import {
  DEFAULT_SEGMENT_SIZE,
  HEADER_BYTES,
  HEADER_PREFIX_BYTES,
  MAX_SEGMENTS,
  NONCE_PREFIX_BYTES,
  resolveSegmentedAlgorithm,
  resolveSegmentSize,
  SALT_BYTES,
  type SegmentedAlgorithm,
  writeHeaderPrefix,
} from "./format.js";
import { PieceQueue } from "./piece-queue.js";
import { checkMasterKey, deriveObjectKey, SegmentCipher } from "./segment-cipher.js";
import { type ByteSource, collect, toNodeTransform, toTransformStream } from "./stream-adapters.js";

export interface SegmentedEncryptOptions {
  /** Default "aes-256-gcm". */
  algorithm?: SegmentedAlgorithm;
  /** Plaintext bytes per segment: a power of two from 4 KiB to 16 MiB. Default 64 KiB. */
  segmentSize?: number;
  /** Associated data bound to the whole object (through the key derivation). */
  aad?: Uint8Array;
}

export function validateEncryptOptions(
  owner: string,
  options: SegmentedEncryptOptions | undefined,
): {
  spec: AeadAlgorithmSpec;
  segmentSize: number;
  aad: Uint8Array | undefined;
} {
  const o = validateOptions<SegmentedEncryptOptions>(owner, options, {
    algorithm: { type: "string" },
    segmentSize: { type: "number", integer: true },
    aad: { type: "any", check: (v) => (v instanceof Uint8Array ? undefined : "must be a Uint8Array") },
  });
  return {
    spec: resolveSegmentedAlgorithm(o.algorithm ?? "aes-256-gcm"),
    segmentSize: resolveSegmentSize(o.segmentSize ?? DEFAULT_SEGMENT_SIZE),
    aad: o.aad,
  };
}

/**
 * Encrypts one object into the segmented format as data arrives. `update` returns the ciphertext pieces that
 * are complete so far (the header first); `final` seals the last segment. An object whose `final` was never
 * called has no final segment, so it can never decrypt as complete. `update` may hold on to the chunks it was
 * given until their segment is sealed: do not reuse a chunk's memory before the next `update`/`final` returns.
 */
export class StreamingEncryptor {
  readonly segmentSize: number;
  readonly header: Uint8Array;
  readonly #cipher: SegmentCipher;
  readonly #pending = new PieceQueue();
  #index = 0;
  #headerSent = false;
  #finished = false;
  #plaintextBytes = 0;

  constructor(key: Uint8Array, options: SegmentedEncryptOptions = {}) {
    const { spec, segmentSize, aad } = validateEncryptOptions("StreamingEncryptor", options);
    checkMasterKey(key, spec, "StreamingEncryptor");
    this.segmentSize = segmentSize;
    const random = randomPool.take(SALT_BYTES + NONCE_PREFIX_BYTES);
    const prefixBytes = writeHeaderPrefix(
      spec,
      segmentSize,
      random.subarray(0, SALT_BYTES),
      random.subarray(SALT_BYTES),
    );
    const salt = prefixBytes.subarray(6, 6 + SALT_BYTES);
    const derived = deriveObjectKey(key, { spec, salt, prefixBytes }, aad);
    this.header = new Uint8Array(HEADER_BYTES);
    this.header.set(prefixBytes, 0);
    this.header.set(derived.commitment, HEADER_PREFIX_BYTES);
    this.#cipher = new SegmentCipher(spec, derived.key, prefixBytes.subarray(6 + SALT_BYTES));
  }

  /** Plaintext bytes taken so far. */
  get plaintextBytes(): number {
    return this.#plaintextBytes;
  }

  update(chunk: Uint8Array): Uint8Array[] {
    if (this.#finished) throw new InvalidArgumentError("StreamingEncryptor: update() after final()");
    if (!(chunk instanceof Uint8Array))
      throw new InvalidArgumentError("StreamingEncryptor: chunks must be Uint8Array");
    const out = this.#start();
    this.#pending.push(chunk);
    this.#plaintextBytes += chunk.length;
    // A full segment is sealed only once more data follows it, since the last one carries the final flag.
    while (this.#pending.bytes > this.segmentSize) {
      this.#seal(false, this.#pending.take(this.segmentSize), out);
    }
    return out;
  }

  final(): Uint8Array[] {
    if (this.#finished) throw new InvalidArgumentError("StreamingEncryptor: final() called twice");
    const out = this.#start();
    this.#seal(true, this.#pending.take(this.#pending.bytes), out);
    this.#finished = true;
    return out;
  }

  #start(): Uint8Array[] {
    if (this.#headerSent) return [];
    this.#headerSent = true;
    return [this.header];
  }

  #seal(last: boolean, pieces: Uint8Array[], out: Uint8Array[]): void {
    if (this.#index >= MAX_SEGMENTS) {
      throw new InvalidArgumentError("StreamingEncryptor: an object holds at most 2^32 segments");
    }
    this.#cipher.seal(this.#index, last, pieces, out);
    this.#index++;
  }

  /** Encrypts a whole source (async iterable, iterable or Node readable) into ciphertext pieces. */
  async *encrypt(source: ByteSource): AsyncGenerator<Uint8Array> {
    for await (const chunk of source as AsyncIterable<Uint8Array>) yield* this.update(chunk);
    yield* this.final();
  }

  /** The whole ciphertext of a source, as one array. */
  async encryptToBytes(source: ByteSource): Promise<Uint8Array> {
    return collect(this.encrypt(source));
  }

  /** A web `TransformStream` (plaintext in, ciphertext out). */
  toTransformStream(): TransformStream<Uint8Array, Uint8Array> {
    return toTransformStream(this);
  }

  /** A Node `Transform` stream (plaintext in, ciphertext out). */
  toNodeTransform(): import("node:stream").Transform {
    return toNodeTransform(this);
  }
}
