import { StoreConfigurationError } from "@truthound/store-core";

/** The AEAD algorithms this package implements. */
export const AEAD_ALGORITHMS = [
  "aes-128-gcm",
  "aes-256-gcm",
  "chacha20-poly1305",
  "xchacha20-poly1305",
] as const;

export type AeadAlgorithm = (typeof AEAD_ALGORITHMS)[number];

export interface AeadAlgorithmSpec {
  readonly name: AeadAlgorithm;
  /** Stable one-byte id written into binary headers. Never renumbered. */
  readonly wireId: number;
  readonly keySize: number;
  readonly nonceSize: number;
  readonly tagSize: number;
  /**
   * Messages one key may encrypt with random nonces before the collision probability of the nonces passes
   * 2^-32 (NIST SP 800-38D §8.3 for 96-bit nonces). 192-bit nonces make it unreachable in practice.
   */
  readonly maxMessagesPerKey: number;
}

const RANDOM_96_BIT_LIMIT = 2 ** 32;

export const AEAD_SPECS: Readonly<Record<AeadAlgorithm, AeadAlgorithmSpec>> = {
  "aes-128-gcm": {
    name: "aes-128-gcm",
    wireId: 1,
    keySize: 16,
    nonceSize: 12,
    tagSize: 16,
    maxMessagesPerKey: RANDOM_96_BIT_LIMIT,
  },
  "aes-256-gcm": {
    name: "aes-256-gcm",
    wireId: 2,
    keySize: 32,
    nonceSize: 12,
    tagSize: 16,
    maxMessagesPerKey: RANDOM_96_BIT_LIMIT,
  },
  "chacha20-poly1305": {
    name: "chacha20-poly1305",
    wireId: 3,
    keySize: 32,
    nonceSize: 12,
    tagSize: 16,
    maxMessagesPerKey: RANDOM_96_BIT_LIMIT,
  },
  "xchacha20-poly1305": {
    name: "xchacha20-poly1305",
    wireId: 4,
    keySize: 32,
    nonceSize: 24,
    tagSize: 16,
    maxMessagesPerKey: Number.MAX_SAFE_INTEGER,
  },
};

export function isAeadAlgorithm(name: unknown): name is AeadAlgorithm {
  return typeof name === "string" && (AEAD_ALGORITHMS as readonly string[]).includes(name);
}

/** Resolves an algorithm name (case-insensitive, `_` accepted for `-`); anything else is a CONFIGURATION error. */
export function resolveAeadAlgorithm(name: unknown): AeadAlgorithmSpec {
  const normalized = typeof name === "string" ? name.trim().toLowerCase().replaceAll("_", "-") : name;
  if (isAeadAlgorithm(normalized)) return AEAD_SPECS[normalized];
  if (normalized === "fernet") {
    throw new StoreConfigurationError(
      `Fernet is not supported: it cannot authenticate associated data, which every codec here binds (the chain header, key id and version). Use one of: ${AEAD_ALGORITHMS.join(", ")}`,
      { details: { algorithm: name, supported: [...AEAD_ALGORITHMS] } },
    );
  }
  throw new StoreConfigurationError(
    `Unknown encryption algorithm ${JSON.stringify(name)}; supported: ${AEAD_ALGORITHMS.join(", ")}`,
    { details: { algorithm: name, supported: [...AEAD_ALGORITHMS] } },
  );
}

export function specByWireId(wireId: number): AeadAlgorithmSpec | undefined {
  return Object.values(AEAD_SPECS).find((spec) => spec.wireId === wireId);
}
