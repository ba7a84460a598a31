import { StoreConfigurationError, StoreIntegrityError } from "@truthound/store-core";
import { AEAD_SPECS, type AeadAlgorithmSpec } from "../algorithms.js";

/**
 * The one segmented format behind streaming and random-access encryption (STREAM, as in Tink's
 * AES-GCM-HKDF streaming and age):
 *
 *   header  = "TSG" ‖ version (1) ‖ algorithm id (1) ‖ log2(segment size) (1) ‖ salt (16) ‖ nonce prefix (7)
 *             ‖ key commitment (32)                                                         = 61 bytes
 *   segment = AEAD(derived key, nonce = prefix ‖ BE32(index) ‖ last-flag, plaintext segment) = size + 16 bytes
 *
 * Every segment holds `segmentSize` plaintext bytes except the last, which holds 0..segmentSize (0 only when the
 * whole plaintext is empty) and is the only one encrypted with last-flag 1. The per-object key and the key
 * commitment come from one HKDF-SHA256 over the header and the associated data, so header fields, the object
 * (salt) and the associated data are all authenticated; the segment index and last flag in the nonce make
 * reordering, duplication, truncation and extension fail.
 */
export const SEGMENTED_MAGIC = Uint8Array.of(0x54, 0x53, 0x47);
export const SEGMENTED_VERSION = 1;
export const SALT_BYTES = 16;
export const NONCE_PREFIX_BYTES = 7;
export const COMMIT_BYTES = 32;
/** Header bytes fed to the key derivation (everything before the commitment). */
export const HEADER_PREFIX_BYTES = 3 + 1 + 1 + 1 + SALT_BYTES + NONCE_PREFIX_BYTES;
export const HEADER_BYTES = HEADER_PREFIX_BYTES + COMMIT_BYTES;
export const SEGMENT_TAG_BYTES = 16;
export const MIN_SEGMENT_LOG2 = 12;
export const MAX_SEGMENT_LOG2 = 24;
export const DEFAULT_SEGMENT_SIZE = 64 * 1024;
/** Segment indexes are 32-bit. */
export const MAX_SEGMENTS = 2 ** 32;

/** The AEADs a segmented object may use (XChaCha20 adds nothing here: nonces are derived, not random). */
export const SEGMENTED_ALGORITHMS = ["aes-128-gcm", "aes-256-gcm", "chacha20-poly1305"] as const;
export type SegmentedAlgorithm = (typeof SEGMENTED_ALGORITHMS)[number];

export interface SegmentedHeader {
  spec: AeadAlgorithmSpec;
  segmentSize: number;
  salt: Uint8Array;
  noncePrefix: Uint8Array;
  commitment: Uint8Array;
  /** The first HEADER_PREFIX_BYTES bytes, as the key derivation takes them. */
  prefixBytes: Uint8Array;
}

export function resolveSegmentedAlgorithm(name: unknown): AeadAlgorithmSpec {
  if (typeof name === "string" && (SEGMENTED_ALGORITHMS as readonly string[]).includes(name)) {
    return AEAD_SPECS[name as SegmentedAlgorithm];
  }
  throw new StoreConfigurationError(
    `Segmented encryption supports ${SEGMENTED_ALGORITHMS.join(", ")}; got ${JSON.stringify(name)}`,
    { details: { field: "algorithm", supported: [...SEGMENTED_ALGORITHMS] } },
  );
}

export function resolveSegmentSize(size: unknown): number {
  const log2 = typeof size === "number" ? Math.log2(size) : Number.NaN;
  if (!Number.isInteger(log2) || log2 < MIN_SEGMENT_LOG2 || log2 > MAX_SEGMENT_LOG2) {
    throw new StoreConfigurationError(
      `segmentSize must be a power of two from ${2 ** MIN_SEGMENT_LOG2} to ${2 ** MAX_SEGMENT_LOG2} bytes; got ${String(size)}`,
      { details: { field: "segmentSize" } },
    );
  }
  return size as number;
}

/** Header prefix (without the commitment), for a new object. */
export function writeHeaderPrefix(
  spec: AeadAlgorithmSpec,
  segmentSize: number,
  salt: Uint8Array,
  noncePrefix: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(HEADER_PREFIX_BYTES);
  out.set(SEGMENTED_MAGIC, 0);
  out[3] = SEGMENTED_VERSION;
  out[4] = spec.wireId;
  out[5] = Math.log2(segmentSize);
  out.set(salt, 6);
  out.set(noncePrefix, 6 + SALT_BYTES);
  return out;
}

/** Parses the fixed-size header; any inconsistency is INTEGRITY. */
export function readHeader(bytes: Uint8Array): SegmentedHeader {
  if (bytes.length < HEADER_BYTES) throw new StoreIntegrityError("Segmented ciphertext: header is truncated");
  if (bytes[0] !== 0x54 || bytes[1] !== 0x53 || bytes[2] !== 0x47) {
    throw new StoreIntegrityError("Segmented ciphertext: not this format (bad magic)");
  }
  if (bytes[3] !== SEGMENTED_VERSION) {
    throw new StoreIntegrityError(`Segmented ciphertext: unknown format version ${bytes[3]}`);
  }
  const spec = Object.values(AEAD_SPECS).find(
    (s) => s.wireId === bytes[4] && (SEGMENTED_ALGORITHMS as readonly string[]).includes(s.name),
  );
  if (!spec) throw new StoreIntegrityError(`Segmented ciphertext: unknown algorithm id ${bytes[4]}`);
  const log2 = bytes[5] as number;
  if (log2 < MIN_SEGMENT_LOG2 || log2 > MAX_SEGMENT_LOG2) {
    throw new StoreIntegrityError(`Segmented ciphertext: invalid segment size 2^${log2}`);
  }
  return {
    spec,
    segmentSize: 2 ** log2,
    salt: bytes.subarray(6, 6 + SALT_BYTES),
    noncePrefix: bytes.subarray(6 + SALT_BYTES, HEADER_PREFIX_BYTES),
    commitment: bytes.subarray(HEADER_PREFIX_BYTES, HEADER_BYTES),
    prefixBytes: bytes.subarray(0, HEADER_PREFIX_BYTES),
  };
}

export interface SegmentLayout {
  segmentCount: number;
  plaintextSize: number;
  /** Ciphertext bytes of the last segment (tag included). */
  lastSegmentBytes: number;
}

/** Segment count and plaintext size of an object of `totalBytes`; impossible sizes are INTEGRITY. */
export function layoutOf(totalBytes: number, segmentSize: number): SegmentLayout {
  const body = totalBytes - HEADER_BYTES;
  const stride = segmentSize + SEGMENT_TAG_BYTES;
  if (body < SEGMENT_TAG_BYTES)
    throw new StoreIntegrityError("Segmented ciphertext is truncated (no final segment)");
  const segmentCount = Math.ceil(body / stride);
  const lastSegmentBytes = body - (segmentCount - 1) * stride;
  if (lastSegmentBytes < SEGMENT_TAG_BYTES || segmentCount > MAX_SEGMENTS) {
    throw new StoreIntegrityError("Segmented ciphertext has an impossible length (truncated or extended)");
  }
  return { segmentCount, plaintextSize: body - segmentCount * SEGMENT_TAG_BYTES, lastSegmentBytes };
}

export function segmentOffset(index: number, segmentSize: number): number {
  return HEADER_BYTES + index * (segmentSize + SEGMENT_TAG_BYTES);
}
