import { createHash } from "node:crypto";

export const CHECKSUM_ALGORITHMS = ["sha256", "sha384", "sha512", "sha1", "md5"] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export function digestHex(algorithm: ChecksumAlgorithm, text: string): string {
  return createHash(algorithm).update(text, "utf8").digest("hex");
}

/**
 * Content address of a document: SHA-256 of its JSON text as the item adapter produces it (key order included),
 * whatever the checksum algorithm.
 */
export function contentHashOf(text: string): string {
  return digestHex("sha256", text);
}
