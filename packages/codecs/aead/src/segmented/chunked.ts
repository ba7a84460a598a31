import type { FileHandle } from "node:fs/promises";
import {
  InvalidArgumentError,
  isStoreError,
  StoreIntegrityError,
  StoreReadError,
} from "@truthound/store-core";
import { HEADER_BYTES, layoutOf, readHeader, SEGMENT_TAG_BYTES, segmentOffset } from "./format.js";
import { checkCommitment, checkMasterKey, deriveObjectKey, SegmentCipher } from "./segment-cipher.js";
import { concatPieces } from "./stream-adapters.js";
import { type SegmentedDecryptOptions, validateDecryptOptions } from "./streaming-decryptor.js";
import { type SegmentedEncryptOptions, StreamingEncryptor } from "./streaming-encryptor.js";

/** Random access to stored bytes: a file, an object store range GET, a buffer. */
export interface ByteRangeReader {
  /** Total size of the stored object in bytes. */
  size(): Promise<number> | number;
  /** Exactly `length` bytes from `offset` (fewer only at the end of the object). */
  read(offset: number, length: number): Promise<Uint8Array> | Uint8Array;
}

/** A reader over bytes in memory. */
export function bytesReader(data: Uint8Array): ByteRangeReader {
  return { size: () => data.length, read: (offset, length) => data.subarray(offset, offset + length) };
}

/** A reader over an open file. */
export function fileReader(handle: FileHandle): ByteRangeReader {
  return {
    size: async () => (await handle.stat()).size,
    read: async (offset, length) => {
      const buffer = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
  };
}

/** Encrypts a whole buffer into the segmented format (the same bytes a `StreamingEncryptor` writes). */
export class ChunkedEncryptor {
  readonly #key: Uint8Array;
  readonly #options: SegmentedEncryptOptions;

  constructor(key: Uint8Array, options: SegmentedEncryptOptions = {}) {
    // Validates now, so a bad option fails at construction rather than at the first encrypt.
    new StreamingEncryptor(key, options);
    this.#key = key;
    this.#options = options;
  }

  /** Ciphertext pieces (header, then each segment's ciphertext and tag): write them without joining. */
  encryptToPieces(data: Uint8Array): Uint8Array[] {
    const encryptor = new StreamingEncryptor(this.#key, this.#options);
    const pieces = encryptor.update(data);
    for (const piece of encryptor.final()) pieces.push(piece);
    return pieces;
  }

  encrypt(data: Uint8Array): Uint8Array {
    const pieces = this.encryptToPieces(data);
    return concatPieces(pieces);
  }
}

async function readExactly(reader: ByteRangeReader, offset: number, length: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await reader.read(offset, length);
  } catch (cause) {
    if (isStoreError(cause)) throw cause;
    throw new StoreReadError(`Could not read bytes ${offset}..${offset + length} of the encrypted object`, {
      cause,
    });
  }
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new StoreIntegrityError(
      "Segmented ciphertext is shorter than its size says (truncated while reading)",
    );
  }
  return bytes;
}

/**
 * Random access to a segmented object: `open` reads the header and the size only; `decryptSegment(i)` reads and
 * decrypts one segment. The key is derived once per open object. The last segment is recognised from the
 * object size, so a truncated or extended object fails on the segment that moved to the end.
 */
export class ChunkedDecryptor {
  readonly segmentSize: number;
  readonly segmentCount: number;
  readonly plaintextSize: number;
  readonly #reader: ByteRangeReader;
  readonly #cipher: SegmentCipher;
  readonly #lastSegmentBytes: number;

  private constructor(
    reader: ByteRangeReader,
    cipher: SegmentCipher,
    segmentSize: number,
    layout: ReturnType<typeof layoutOf>,
  ) {
    this.#reader = reader;
    this.#cipher = cipher;
    this.segmentSize = segmentSize;
    this.segmentCount = layout.segmentCount;
    this.plaintextSize = layout.plaintextSize;
    this.#lastSegmentBytes = layout.lastSegmentBytes;
  }

  static async open(
    source: ByteRangeReader | Uint8Array,
    key: Uint8Array,
    options: SegmentedDecryptOptions = {},
  ): Promise<ChunkedDecryptor> {
    const aad = validateDecryptOptions("ChunkedDecryptor", options);
    const reader = source instanceof Uint8Array ? bytesReader(source) : source;
    if (!reader || typeof reader.read !== "function" || typeof reader.size !== "function") {
      throw new InvalidArgumentError("ChunkedDecryptor.open: expected a Uint8Array or a ByteRangeReader");
    }
    const size = await reader.size();
    if (!Number.isSafeInteger(size) || size < 0)
      throw new InvalidArgumentError("ByteRangeReader.size() is not a byte count");
    if (size < HEADER_BYTES) throw new StoreIntegrityError("Segmented ciphertext: header is truncated");
    const header = readHeader(await readExactly(reader, 0, HEADER_BYTES));
    checkMasterKey(key, header.spec, "ChunkedDecryptor", true);
    const derived = deriveObjectKey(key, header, aad);
    checkCommitment(derived.commitment, header.commitment);
    const cipher = new SegmentCipher(header.spec, derived.key, header.noncePrefix);
    return new ChunkedDecryptor(reader, cipher, header.segmentSize, layoutOf(size, header.segmentSize));
  }

  /** Plaintext of segment `index` (0-based), reading only that segment. */
  async decryptSegment(index: number): Promise<Uint8Array> {
    if (!Number.isInteger(index) || index < 0 || index >= this.segmentCount) {
      throw new InvalidArgumentError(`Segment ${index} does not exist (the object has ${this.segmentCount})`);
    }
    const last = index === this.segmentCount - 1;
    const length = last ? this.#lastSegmentBytes : this.segmentSize + SEGMENT_TAG_BYTES;
    const bytes = await readExactly(this.#reader, segmentOffset(index, this.segmentSize), length);
    const body = bytes.subarray(0, length - SEGMENT_TAG_BYTES);
    const pieces = this.#cipher.open(index, last, [body], bytes.subarray(length - SEGMENT_TAG_BYTES));
    return concatPieces(pieces);
  }

  /** Plaintext bytes [start, end), reading only the segments that hold them. */
  async decryptRange(start: number, end: number): Promise<Uint8Array> {
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < 0 ||
      end < start ||
      end > this.plaintextSize
    ) {
      throw new InvalidArgumentError(
        `Range [${start}, ${end}) is outside the plaintext (0..${this.plaintextSize})`,
      );
    }
    if (start === end) return new Uint8Array(0);
    const first = Math.floor(start / this.segmentSize);
    const lastIndex = Math.floor((end - 1) / this.segmentSize);
    const parts: Uint8Array[] = [];
    for (let i = first; i <= lastIndex; i++) {
      const plain = await this.decryptSegment(i);
      const from = i === first ? start - i * this.segmentSize : 0;
      const to = i === lastIndex ? end - i * this.segmentSize : plain.length;
      parts.push(plain.subarray(from, to));
    }
    return concatPieces(parts);
  }

  /** Every segment, in order (the whole object is authenticated, including its end). */
  async decryptAll(): Promise<Uint8Array> {
    if (this.plaintextSize === 0) {
      await this.decryptSegment(0);
      return new Uint8Array(0);
    }
    return this.decryptRange(0, this.plaintextSize);
  }
}
