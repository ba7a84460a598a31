/** The key derivation functions this package runs. Argon2id, scrypt and PBKDF2 stretch passwords; HKDF only expands high-entropy keys. */
export type KdfName =
  | "argon2id"
  | "scrypt"
  | "pbkdf2-sha256"
  | "pbkdf2-sha512"
  | "hkdf-sha256"
  | "hkdf-sha512";

/**
 * Cost and context parameters of one derivation, by KDF:
 * argon2id `{memoryKiB, iterations, parallelism}`, scrypt `{N, r, p}`, pbkdf2-* `{iterations}`,
 * hkdf-* `{info}` (base64 of the context bytes).
 */
export interface KdfParams {
  [name: string]: number | string;
}

/** A derived key together with everything needed to derive it again from the same password. */
export interface DerivedKey {
  key: Uint8Array;
  salt: Uint8Array;
  kdf: KdfName;
  params: KdfParams;
  length: number;
}

/** The JSON-safe record of a derivation that goes into the header of whatever the key encrypts. */
export interface KdfDescriptor {
  kdf: KdfName;
  params: KdfParams;
  /** Standard base64 with padding. */
  salt: string;
  length: number;
}

export interface DeriveKeyOptions {
  kdf: KdfName;
  /** Random when omitted: 16 bytes for password KDFs, 32 bytes for HKDF. */
  salt?: Uint8Array;
  /** Merged over `DEFAULT_KDF_PARAMS[kdf]`; a name the KDF does not take is a CONFIGURATION error. */
  params?: Partial<KdfParams>;
  /** Key length in bytes; 32 when omitted. */
  length?: number;
}

export const KDF_NAMES: readonly KdfName[] = [
  "argon2id",
  "scrypt",
  "pbkdf2-sha256",
  "pbkdf2-sha512",
  "hkdf-sha256",
  "hkdf-sha512",
];

export function isKdfName(value: unknown): value is KdfName {
  return typeof value === "string" && (KDF_NAMES as readonly string[]).includes(value);
}

export function isPasswordKdf(kdf: KdfName): boolean {
  return !kdf.startsWith("hkdf-");
}
