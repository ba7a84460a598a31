import { StoreIntegrityError } from "@truthound/store-core";
import { readVarint, varintLength, writeVarint } from "./varint.js";

/**
 * Compressed frame, the one format every compressor, codec and the adaptive compressor write:
 *
 *   "Tz" (2 B) | format version (1 B) | algorithm code (1 B) | flags (1 B) | original size (varint, absent when
 *   STREAMED) | payload
 *
 * The payload is the algorithm's own standard format (a gzip member, a zstd frame, ...) or, with STORED, the
 * input itself. The header is 6 B at 1 KiB and at most 13 B.
 */
export const FRAME_MAGIC_0 = 0x54;
export const FRAME_MAGIC_1 = 0x7a;
export const FRAME_VERSION = 1;
export const FLAG_STORED = 0x01;
export const FLAG_STREAMED = 0x02;
const KNOWN_FLAGS = FLAG_STORED | FLAG_STREAMED;
const FIXED_HEADER_BYTES = 5;

export interface FrameInfo {
  /** Stable algorithm code (see `CompressionProvider.code`). */
  code: number;
  /** The input was kept as it is (incompressible or empty). */
  stored: boolean;
  /** Written by a streaming encoder: the original size is not in the header. */
  streamed: boolean;
  /** Size of the original data, when not streamed. */
  originalSize: number | undefined;
  headerBytes: number;
  payload: Uint8Array;
}

export function hasFrameMagic(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === FRAME_MAGIC_0 && data[1] === FRAME_MAGIC_1;
}

export function frameHeaderLength(originalSize: number | undefined): number {
  return FIXED_HEADER_BYTES + (originalSize === undefined ? 0 : varintLength(originalSize));
}

/** Writes the header into `target` at 0; returns its length. `originalSize` undefined marks a streamed frame. */
export function writeFrameHeader(
  target: Uint8Array,
  code: number,
  stored: boolean,
  originalSize: number | undefined,
): number {
  target[0] = FRAME_MAGIC_0;
  target[1] = FRAME_MAGIC_1;
  target[2] = FRAME_VERSION;
  target[3] = code;
  target[4] = (stored ? FLAG_STORED : 0) | (originalSize === undefined ? FLAG_STREAMED : 0);
  return originalSize === undefined
    ? FIXED_HEADER_BYTES
    : writeVarint(target, FIXED_HEADER_BYTES, originalSize);
}

export interface FrameHeader {
  code: number;
  stored: boolean;
  streamed: boolean;
  originalSize: number | undefined;
  headerBytes: number;
}

/**
 * Parses the header at the start of `data`; `undefined` when more bytes are needed (streaming). Anything
 * malformed is an INTEGRITY error.
 */
export function parseFrameHeader(data: Uint8Array): FrameHeader | undefined {
  if (data.length >= 1 && data[0] !== FRAME_MAGIC_0) throw badMagic();
  if (data.length >= 2 && data[1] !== FRAME_MAGIC_1) throw badMagic();
  if (data.length < FIXED_HEADER_BYTES) return undefined;
  if (data[2] !== FRAME_VERSION) throw new StoreIntegrityError(`Unknown compressed frame version ${data[2]}`);
  const code = data[3] as number;
  const flags = data[4] as number;
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new StoreIntegrityError(`Unknown compressed frame flags ${flags}`);
  const stored = (flags & FLAG_STORED) !== 0;
  const streamed = (flags & FLAG_STREAMED) !== 0;
  if (streamed) return { code, stored, streamed, originalSize: undefined, headerBytes: FIXED_HEADER_BYTES };
  let end = FIXED_HEADER_BYTES;
  while (end < data.length && ((data[end] as number) & 0x80) !== 0) end++;
  if (end >= data.length) {
    if (end - FIXED_HEADER_BYTES >= 8) throw new StoreIntegrityError("Compressed frame size is too long");
    return undefined;
  }
  const size = readVarint(data, FIXED_HEADER_BYTES, "Compressed frame size");
  return { code, stored, streamed, originalSize: size.value, headerBytes: size.next };
}

function badMagic(): StoreIntegrityError {
  return new StoreIntegrityError("Not a compressed frame (bad magic)");
}

/** Parses a whole frame. Anything malformed is an INTEGRITY error; nothing is decompressed here. */
export function readFrame(data: Uint8Array): FrameInfo {
  if (!(data instanceof Uint8Array)) throw new StoreIntegrityError("Compressed data must be a Uint8Array");
  const header = parseFrameHeader(data);
  if (!header) throw new StoreIntegrityError("Compressed frame is truncated");
  const { stored, originalSize } = header;
  const payload = data.subarray(header.headerBytes);
  if (stored && originalSize !== undefined && payload.length !== originalSize) {
    throw new StoreIntegrityError(
      `Stored frame holds ${payload.length} bytes but declares ${originalSize} (truncated or corrupt)`,
    );
  }
  if (!stored && originalSize !== undefined && originalSize > 0 && payload.length === 0) {
    throw new StoreIntegrityError("Compressed frame has no payload (truncated)");
  }
  return { ...header, payload };
}
