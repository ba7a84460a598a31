import { createHash, createSecretKey, hkdfSync, type KeyObject, timingSafeEqual } from "node:crypto";
import { InvalidArgumentError, StoreIntegrityError } from "@truthound/store-core";
import type { AeadAlgorithmSpec } from "../algorithms.js";
import { authenticationFailed } from "../errors.js";
import { createAeadCipher, createAeadDecipher } from "../primitives.js";
import { COMMIT_BYTES, MAX_SEGMENTS, NONCE_PREFIX_BYTES, type SegmentedHeader } from "./format.js";

const INFO_LABEL = Buffer.from("truthound/segmented/v1");
/** Raw key bytes are only needed by XChaCha20, which segments do not use. */
const NO_RAW_KEY = new Uint8Array(0);
const NO_AAD_DIGEST = createHash("sha256").digest();

/**
 * Master keys may be longer than the derived key (it is HKDF input), never shorter. When decrypting, the
 * algorithm comes from the stored header, so a mismatch means a wrong key or a changed header: INTEGRITY.
 */
export function checkMasterKey(
  key: Uint8Array,
  spec: AeadAlgorithmSpec,
  owner: string,
  decrypting = false,
): void {
  if (!(key instanceof Uint8Array) || key.length < spec.keySize || key.length > 64) {
    const ErrorType = decrypting ? StoreIntegrityError : InvalidArgumentError;
    throw new ErrorType(
      `${owner}: the key must be ${spec.keySize} to 64 bytes for ${spec.name}, got ${key instanceof Uint8Array ? key.length : typeof key}`,
    );
  }
}

/**
 * HKDF-SHA256(ikm = master key, salt = header salt, info = label ‖ header prefix ‖ SHA-256(aad)) gives the
 * object's AEAD key followed by its 32-byte key commitment. One derivation per object binds the header and
 * the associated data (a changed byte gives a different key) and commits to the master key.
 */
export function deriveObjectKey(
  master: Uint8Array,
  header: Pick<SegmentedHeader, "spec" | "salt" | "prefixBytes">,
  aad: Uint8Array | undefined,
): { key: KeyObject; commitment: Buffer } {
  const aadDigest = aad && aad.length > 0 ? createHash("sha256").update(aad).digest() : NO_AAD_DIGEST;
  const info = Buffer.concat([INFO_LABEL, header.prefixBytes, aadDigest]);
  const okm = Buffer.from(hkdfSync("sha256", master, header.salt, info, header.spec.keySize + COMMIT_BYTES));
  return {
    key: createSecretKey(okm.subarray(0, header.spec.keySize)),
    commitment: okm.subarray(header.spec.keySize),
  };
}

/** Seals and opens the segments of one object. */
export class SegmentCipher {
  readonly spec: AeadAlgorithmSpec;
  readonly #key: KeyObject;
  readonly #nonce = Buffer.alloc(12);

  constructor(spec: AeadAlgorithmSpec, key: KeyObject, noncePrefix: Uint8Array) {
    this.spec = spec;
    this.#key = key;
    this.#nonce.set(noncePrefix.subarray(0, NONCE_PREFIX_BYTES), 0);
  }

  #nonceFor(index: number, last: boolean): Buffer {
    if (!Number.isInteger(index) || index < 0 || index >= MAX_SEGMENTS) {
      throw new InvalidArgumentError(`Segment index ${index} is out of range (at most 2^32 segments)`);
    }
    this.#nonce.writeUInt32BE(index, NONCE_PREFIX_BYTES);
    this.#nonce[11] = last ? 1 : 0;
    return this.#nonce;
  }

  /** Encrypts one segment given as pieces; appends ciphertext pieces and the tag to `out`. */
  seal(index: number, last: boolean, pieces: readonly Uint8Array[], out: Uint8Array[]): void {
    const cipher = createAeadCipher(this.spec, this.#key, NO_RAW_KEY, this.#nonceFor(index, last));
    for (const piece of pieces) {
      const ct = cipher.update(piece);
      if (ct.length > 0) out.push(ct);
    }
    const rest = cipher.final();
    if (rest.length > 0) out.push(rest);
    out.push(cipher.getAuthTag());
  }

  /** Decrypts one segment given as ciphertext pieces and its tag; returns plaintext pieces only once verified. */
  open(index: number, last: boolean, pieces: readonly Uint8Array[], tag: Uint8Array): Buffer[] {
    const decipher = createAeadDecipher(this.spec, this.#key, NO_RAW_KEY, this.#nonceFor(index, last));
    const plain: Buffer[] = [];
    try {
      decipher.setAuthTag(tag);
      for (const piece of pieces) {
        const pt = decipher.update(piece);
        if (pt.length > 0) plain.push(pt);
      }
      const rest = decipher.final();
      if (rest.length > 0) plain.push(rest);
    } catch (cause) {
      throw authenticationFailed(
        `Segment ${index}${last ? " (final)" : ""} of a segmented ciphertext (truncated, reordered, spliced or changed)`,
        cause,
      );
    }
    return plain;
  }
}

export function checkCommitment(expected: Uint8Array, actual: Uint8Array): void {
  if (!timingSafeEqual(expected, actual)) {
    throw authenticationFailed("Segmented ciphertext: key commitment does not match");
  }
}
