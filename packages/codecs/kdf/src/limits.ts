import type { KdfName } from "./kdf-types.js";

/**
 * Upper bounds on every cost a derivation may ask for. They apply to `deriveKey` and to descriptors read back
 * from headers alike, so whatever this package derives it can derive again, and a hostile header cannot make
 * a reader allocate gigabytes or spin for minutes.
 */
export const KDF_LIMITS = Object.freeze({
  /** Argon2id memory per derivation: 1 GiB. */
  argon2MaxMemoryKiB: 1_048_576,
  argon2MaxIterations: 1_024,
  argon2MaxParallelism: 16,
  /** Argon2id memory × passes: 4 GiB·pass, about a second on a current core. */
  argon2MaxWorkKiB: 4_194_304,
  /** scrypt N is a power of two from 2 to 2^20. */
  scryptMaxLog2N: 20,
  scryptMaxR: 32,
  scryptMaxP: 16,
  /** scrypt memory, 128·N·r bytes: 1 GiB. */
  scryptMaxMemoryBytes: 1_073_741_824,
  /** scrypt work, 128·N·r·p bytes: 4 GiB. */
  scryptMaxWorkBytes: 4_294_967_296,
  pbkdf2MaxIterations: 10_000_000,
  /** node:crypto's HKDF refuses longer info. */
  hkdfMaxInfoBytes: 1_024,
  maxSaltBytes: 1_024,
  /** Argon2id, scrypt and PBKDF2 need a salt of at least this many bytes. */
  minPasswordSaltBytes: 16,
  minKeyLength: 16,
  maxPasswordKdfKeyLength: 1_024,
});

/** HKDF can expand to at most 255 hash blocks. */
export function maxKeyLength(kdf: KdfName): number {
  if (kdf === "hkdf-sha256") return 255 * 32;
  if (kdf === "hkdf-sha512") return 255 * 64;
  return KDF_LIMITS.maxPasswordKdfKeyLength;
}

export function minSaltLength(kdf: KdfName): number {
  return kdf.startsWith("hkdf-") ? 0 : KDF_LIMITS.minPasswordSaltBytes;
}
