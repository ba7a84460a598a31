/** The AEAD algorithms a managed key can be for, with the key size each needs. */
export type KeyAlgorithm = "aes-128-gcm" | "aes-256-gcm" | "chacha20-poly1305" | "xchacha20-poly1305";

export const KEY_SIZES: Readonly<Record<KeyAlgorithm, number>> = Object.freeze({
  "aes-128-gcm": 16,
  "aes-256-gcm": 32,
  "chacha20-poly1305": 32,
  "xchacha20-poly1305": 32,
});

export const KEY_ALGORITHMS = Object.keys(KEY_SIZES) as readonly KeyAlgorithm[];

export function isKeyAlgorithm(value: unknown): value is KeyAlgorithm {
  return typeof value === "string" && Object.hasOwn(KEY_SIZES, value);
}
