import { createCipheriv, createDecipheriv, type KeyObject } from "node:crypto";
import type { AeadAlgorithmSpec } from "./algorithms.js";
import { hchacha20 } from "./hchacha20.js";

/** The common shape of node:crypto's GCM and ChaCha20-Poly1305 ciphers. */
interface AeadCipher {
  setAAD(aad: Uint8Array, options?: { plaintextLength: number }): unknown;
  update(data: Uint8Array): Buffer;
  final(): Buffer;
  getAuthTag(): Buffer;
}
interface AeadDecipher {
  setAAD(aad: Uint8Array, options?: { plaintextLength: number }): unknown;
  setAuthTag(tag: Uint8Array): unknown;
  update(data: Uint8Array): Buffer;
  final(): Buffer;
}

const TAG = { authTagLength: 16 };
// The typings of this @types/node version lack the chacha20-poly1305 overloads; the runtime has them.
const createCipher = createCipheriv as unknown as (
  name: string,
  key: KeyInput,
  iv: Uint8Array,
  options: typeof TAG,
) => AeadCipher;
const createDecipher = createDecipheriv as unknown as (
  name: string,
  key: KeyInput,
  iv: Uint8Array,
  options: typeof TAG,
) => AeadDecipher;
/**
 * Above this size, encryption writes into the output in slices: each slice's ciphertext is copied while still
 * in cache, and no full-size intermediate buffer is allocated (first touch of fresh memory is costly).
 */
const SLICE_THRESHOLD = 512 * 1024;
const SLICE_BYTES = 256 * 1024;

export type KeyInput = KeyObject | Uint8Array;

function cipherName(spec: AeadAlgorithmSpec): string {
  return spec.name.startsWith("aes-") ? `aes-${spec.keySize * 8}-gcm` : "chacha20-poly1305";
}

/** XChaCha20: the HChaCha20 subkey and the 12-byte ChaCha20 nonce 0x00000000 ‖ nonce[16..24]. */
function xchachaParts(rawKey: Uint8Array, nonce: Uint8Array): { subkey: Buffer; iv: Buffer } {
  const subkey = Buffer.allocUnsafe(32);
  hchacha20(rawKey, nonce.subarray(0, 16), subkey);
  const iv = Buffer.alloc(12);
  iv.set(nonce.subarray(16, 24), 4);
  return { subkey, iv };
}

/**
 * A cipher for one message. `key` is a KeyObject or raw bytes for AES-GCM and ChaCha20-Poly1305; XChaCha20
 * needs the raw bytes (`rawKey`, ignored by the others), since HChaCha20 runs in JavaScript.
 */
export function createAeadCipher(
  spec: AeadAlgorithmSpec,
  key: KeyInput,
  rawKey: Uint8Array,
  nonce: Uint8Array,
): AeadCipher {
  if (spec.name === "xchacha20-poly1305") {
    const { subkey, iv } = xchachaParts(rawKey, nonce);
    return createCipher("chacha20-poly1305", subkey, iv, TAG);
  }
  return createCipher(cipherName(spec), key, nonce, TAG);
}

export function createAeadDecipher(
  spec: AeadAlgorithmSpec,
  key: KeyInput,
  rawKey: Uint8Array,
  nonce: Uint8Array,
): AeadDecipher {
  if (spec.name === "xchacha20-poly1305") {
    const { subkey, iv } = xchachaParts(rawKey, nonce);
    return createDecipher("chacha20-poly1305", subkey, iv, TAG);
  }
  return createDecipher(cipherName(spec), key, nonce, TAG);
}

/**
 * Encrypts `plaintext` into `out` at `offset` as ciphertext ‖ tag (out must have plaintext.length + 16 bytes
 * free there). Large inputs go through in 64 KiB slices, so no full-size intermediate buffer is made.
 */
export function sealInto(
  spec: AeadAlgorithmSpec,
  key: KeyInput,
  rawKey: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array | undefined,
  out: Uint8Array,
  offset: number,
): void {
  const cipher = createAeadCipher(spec, key, rawKey, nonce);
  if (aad && aad.length > 0) cipher.setAAD(aad);
  let at = offset;
  if (plaintext.length <= SLICE_THRESHOLD) {
    const ct = cipher.update(plaintext);
    out.set(ct, at);
    at += ct.length;
  } else {
    for (let i = 0; i < plaintext.length; i += SLICE_BYTES) {
      const ct = cipher.update(plaintext.subarray(i, i + SLICE_BYTES));
      out.set(ct, at);
      at += ct.length;
    }
  }
  const rest = cipher.final();
  if (rest.length > 0) {
    out.set(rest, at);
    at += rest.length;
  }
  out.set(cipher.getAuthTag(), at);
}

/**
 * Encrypts into pieces [ciphertext..., tag] without copying the ciphertext; large inputs give one piece per
 * 256 KiB slice, so no full-size buffer is allocated.
 */
export function sealPieces(
  spec: AeadAlgorithmSpec,
  key: KeyInput,
  rawKey: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array | undefined,
): Buffer[] {
  const cipher = createAeadCipher(spec, key, rawKey, nonce);
  if (aad && aad.length > 0) cipher.setAAD(aad);
  const pieces: Buffer[] = [];
  if (plaintext.length <= SLICE_THRESHOLD) {
    pieces.push(cipher.update(plaintext));
  } else {
    for (let i = 0; i < plaintext.length; i += SLICE_BYTES)
      pieces.push(cipher.update(plaintext.subarray(i, i + SLICE_BYTES)));
  }
  const rest = cipher.final();
  if (rest.length > 0) pieces.push(rest);
  pieces.push(cipher.getAuthTag());
  return pieces;
}

/** Encrypts with an explicit nonce: for known-answer tests and formats whose nonces are derived, never random. */
export function sealDetached(
  spec: AeadAlgorithmSpec,
  rawKey: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad?: Uint8Array,
): { ciphertext: Buffer; tag: Buffer } {
  const cipher = createAeadCipher(spec, rawKey, rawKey, nonce);
  if (aad && aad.length > 0) cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/**
 * Decrypts and verifies; throws (a node:crypto error) when the tag does not verify. The plaintext is returned
 * only after `final()` has checked the tag.
 */
export function openDetached(
  spec: AeadAlgorithmSpec,
  key: KeyInput,
  rawKey: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad?: Uint8Array,
): Buffer {
  const decipher = createAeadDecipher(spec, key, rawKey, nonce);
  decipher.setAuthTag(tag);
  if (aad && aad.length > 0) decipher.setAAD(aad);
  const plaintext = decipher.update(ciphertext);
  const rest = decipher.final();
  return rest.length === 0 ? plaintext : Buffer.concat([plaintext, rest]);
}
