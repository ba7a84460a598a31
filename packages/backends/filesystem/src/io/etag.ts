import { createHash } from "node:crypto";

/** The etag of a stored document: SHA-256 of its bytes. It changes whenever the stored content changes. */
export function etagOf(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("base64url");
}
