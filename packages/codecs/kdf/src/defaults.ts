import type { KdfName, KdfParams } from "./kdf-types.js";

/**
 * Defaults follow the OWASP Password Storage Cheat Sheet: Argon2id m=19 MiB t=2 p=1, scrypt N=2^17 r=8 p=1,
 * PBKDF2-HMAC-SHA256 600,000 and -SHA512 210,000 iterations. HKDF takes no cost; its default context is empty.
 */
export const DEFAULT_KDF_PARAMS: Record<KdfName, KdfParams> = Object.freeze({
  argon2id: Object.freeze({ memoryKiB: 19_456, iterations: 2, parallelism: 1 }),
  scrypt: Object.freeze({ N: 131_072, r: 8, p: 1 }),
  "pbkdf2-sha256": Object.freeze({ iterations: 600_000 }),
  "pbkdf2-sha512": Object.freeze({ iterations: 210_000 }),
  "hkdf-sha256": Object.freeze({ info: "" }),
  "hkdf-sha512": Object.freeze({ info: "" }),
}) as Record<KdfName, KdfParams>;

export const DEFAULT_KEY_LENGTH = 32;
export const DEFAULT_PASSWORD_SALT_LENGTH = 16;
export const DEFAULT_HKDF_SALT_LENGTH = 32;
