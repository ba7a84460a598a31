import { InvalidArgumentError, StoreIntegrityError, validateOptions } from "@truthound/store-core";
import { HEADER_BYTES, readHeader, SEGMENT_TAG_BYTES } from "./format.js";
import { PieceQueue } from "./piece-queue.js";
import { checkCommitment, checkMasterKey, deriveObjectKey, SegmentCipher } from "./segment-cipher.js";
import { type ByteSource, collect, toNodeTransform, toTransformStream } from "./stream-adapters.js";

export interface SegmentedDecryptOptions {
  /** The associated data the object was encrypted with. */
  aad?: Uint8Array;
}

export function validateDecryptOptions(
  owner: string,
  options: SegmentedDecryptOptions | undefined,
): Uint8Array | undefined {
  return validateOptions<SegmentedDecryptOptions>(owner, options, {
    aad: { type: "any", check: (v) => (v instanceof Uint8Array ? undefined : "must be a Uint8Array") },
  }).aad;
}

/**
 * Decrypts the segmented format as data arrives. Each segment's plaintext is released only after its tag
 * verified, but the object is complete only when `final` returns: it fails with INTEGRITY when the stream ended
 * before the final segment (truncation). Every failure is INTEGRITY and leaves the decryptor failed.
 */
export class StreamingDecryptor {
  readonly #key: Uint8Array;
  readonly #aad: Uint8Array | undefined;
  readonly #pending = new PieceQueue();
  #cipher: SegmentCipher | undefined;
  #segmentSize = 0;
  #index = 0;
  #state: "open" | "done" | "failed" = "open";

  constructor(key: Uint8Array, options: SegmentedDecryptOptions = {}) {
    if (!(key instanceof Uint8Array))
      throw new InvalidArgumentError("StreamingDecryptor: the key must be a Uint8Array");
    this.#key = key;
    this.#aad = validateDecryptOptions("StreamingDecryptor", options);
  }

  update(chunk: Uint8Array): Uint8Array[] {
    return this.#guard(() => {
      if (!(chunk instanceof Uint8Array))
        throw new InvalidArgumentError("StreamingDecryptor: chunks must be Uint8Array");
      this.#pending.push(chunk);
      const out: Uint8Array[] = [];
      if (!this.#cipher) {
        if (this.#pending.bytes < HEADER_BYTES) return out;
        this.#openHeader(this.#pending.takeContiguous(HEADER_BYTES));
      }
      const stride = this.#segmentSize + SEGMENT_TAG_BYTES;
      // A segment is known not to be the last once more bytes follow it.
      while (this.#pending.bytes > stride) this.#openSegment(false, stride, out);
      return out;
    });
  }

  final(): Uint8Array[] {
    return this.#guard(() => {
      if (!this.#cipher)
        throw new StoreIntegrityError("Segmented ciphertext is truncated (incomplete header)");
      const rest = this.#pending.bytes;
      if (rest < SEGMENT_TAG_BYTES)
        throw new StoreIntegrityError("Segmented ciphertext is truncated (no final segment)");
      const out: Uint8Array[] = [];
      this.#openSegment(true, rest, out);
      this.#state = "done";
      return out;
    });
  }

  #guard(step: () => Uint8Array[]): Uint8Array[] {
    if (this.#state === "failed")
      throw new StoreIntegrityError("StreamingDecryptor: an earlier chunk failed");
    if (this.#state === "done")
      throw new InvalidArgumentError("StreamingDecryptor: the object is already complete");
    try {
      return step();
    } catch (error) {
      this.#state = "failed";
      throw error;
    }
  }

  #openHeader(bytes: Uint8Array): void {
    const header = readHeader(bytes);
    checkMasterKey(this.#key, header.spec, "StreamingDecryptor", true);
    const derived = deriveObjectKey(this.#key, header, this.#aad);
    checkCommitment(derived.commitment, header.commitment);
    this.#segmentSize = header.segmentSize;
    this.#cipher = new SegmentCipher(header.spec, derived.key, header.noncePrefix);
  }

  #openSegment(last: boolean, bytes: number, out: Uint8Array[]): void {
    const pieces = this.#pending.take(bytes - SEGMENT_TAG_BYTES);
    const tag = this.#pending.takeContiguous(SEGMENT_TAG_BYTES);
    for (const plain of (this.#cipher as SegmentCipher).open(this.#index, last, pieces, tag)) out.push(plain);
    this.#index++;
  }

  async *decrypt(source: ByteSource): AsyncGenerator<Uint8Array> {
    for await (const chunk of source as AsyncIterable<Uint8Array>) yield* this.update(chunk);
    yield* this.final();
  }

  async decryptToBytes(source: ByteSource): Promise<Uint8Array> {
    return collect(this.decrypt(source));
  }

  toTransformStream(): TransformStream<Uint8Array, Uint8Array> {
    return toTransformStream(this);
  }

  toNodeTransform(): import("node:stream").Transform {
    return toNodeTransform(this);
  }
}
