import { createHmac, timingSafeEqual } from "node:crypto";
import type { AeadKey } from "./aead-key.js";
import { authenticationFailed } from "./errors.js";
import { randomPool } from "./nonce-pool.js";
import { openDetached, sealInto } from "./primitives.js";

export const COMMITMENT_BYTES = 32;

/**
 * Key commitment: HMAC-SHA256(commitKey, algorithmId ‖ nonce ‖ aad), where commitKey = HMAC-SHA256(key,
 * "truthound/aead/commit-key/v1"). GCM and Poly1305 tags are not key-committing: someone who chooses two keys
 * can build one ciphertext that opens under both. The tag below can only match under one key (two keys giving
 * the same HMAC means a SHA-256 collision), and it is checked, in constant time, before anything is decrypted.
 * That closes "invisible salamander" and partitioning-oracle attacks where a ciphertext may meet several keys:
 * password-derived keys, trial decryption across rotated versions, substituted wrapped keys.
 */
export function commitmentTag(key: AeadKey, nonce: Uint8Array, aad: Uint8Array | undefined): Buffer {
  const hmac = createHmac("sha256", key.commitKey);
  hmac.update(Uint8Array.of(key.spec.wireId));
  hmac.update(nonce);
  if (aad && aad.length > 0) hmac.update(aad);
  return hmac.digest();
}

/** Bytes a committed message adds to its plaintext. */
export function committedOverhead(key: AeadKey): number {
  return COMMITMENT_BYTES + key.spec.nonceSize + key.spec.tagSize;
}

/** commitment (32) ‖ nonce ‖ ciphertext ‖ tag, with a fresh random nonce. */
export function sealCommitted(key: AeadKey, plaintext: Uint8Array, aad: Uint8Array | undefined): Uint8Array {
  key.reserveMessage();
  const { nonceSize } = key.spec;
  const out = Buffer.allocUnsafe(committedOverhead(key) + plaintext.length);
  const nonce = randomPool.take(nonceSize);
  out.set(nonce, COMMITMENT_BYTES);
  out.set(commitmentTag(key, nonce, aad), 0);
  sealInto(key.spec, key.keyObject, key.bytes, nonce, plaintext, aad, out, COMMITMENT_BYTES + nonceSize);
  return out;
}

/** Checks the commitment, then decrypts; every failure is an INTEGRITY error. */
export function openCommitted(
  key: AeadKey,
  data: Uint8Array,
  aad: Uint8Array | undefined,
  what: string,
): Uint8Array {
  const { nonceSize, tagSize } = key.spec;
  if (data.length < COMMITMENT_BYTES + nonceSize + tagSize) {
    throw authenticationFailed(`${what}: ciphertext is too short (${data.length} bytes)`);
  }
  const nonce = data.subarray(COMMITMENT_BYTES, COMMITMENT_BYTES + nonceSize);
  const expected = commitmentTag(key, nonce, aad);
  if (!timingSafeEqual(expected, data.subarray(0, COMMITMENT_BYTES))) {
    throw authenticationFailed(`${what}: key commitment does not match`);
  }
  try {
    return openDetached(
      key.spec,
      key.keyObject,
      key.bytes,
      nonce,
      data.subarray(COMMITMENT_BYTES + nonceSize, data.length - tagSize),
      data.subarray(data.length - tagSize),
      aad,
    );
  } catch (cause) {
    throw authenticationFailed(what, cause);
  }
}
