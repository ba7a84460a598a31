import { InvalidArgumentError, isStoreError } from "@truthound/store-core";
import { AeadKey, toAeadKey } from "./aead-key.js";
import { type AeadAlgorithm, type AeadAlgorithmSpec, resolveAeadAlgorithm } from "./algorithms.js";
import { authenticationFailed } from "./errors.js";
import { randomPool } from "./nonce-pool.js";
import { openDetached, sealInto, sealPieces } from "./primitives.js";

export interface AeadOptions {
  /** Associated data: authenticated, not encrypted; decryption must pass the same bytes. */
  aad?: Uint8Array;
}

/**
 * One AEAD algorithm. `encrypt` returns nonce ‖ ciphertext ‖ tag with a fresh random nonce from a pooled
 * CSPRNG buffer; there is no way to pass a nonce, so nonces cannot be reused by mistake. Each key object counts
 * its messages and refuses to exceed the algorithm's limit (2^32 for 96-bit nonces).
 */
export class Encryptor {
  readonly spec: AeadAlgorithmSpec;

  constructor(algorithm: AeadAlgorithm | string) {
    this.spec = resolveAeadAlgorithm(algorithm);
  }

  get algorithm(): AeadAlgorithm {
    return this.spec.name;
  }
  get keySize(): number {
    return this.spec.keySize;
  }
  get nonceSize(): number {
    return this.spec.nonceSize;
  }
  get tagSize(): number {
    return this.spec.tagSize;
  }
  /** Bytes `encrypt` adds to the plaintext. */
  get overhead(): number {
    return this.spec.nonceSize + this.spec.tagSize;
  }

  /** An `AeadKey` for this algorithm: reuse it across calls to skip key setup and to count messages. */
  importKey(key: Uint8Array, options?: { maxMessages?: number }): AeadKey {
    return new AeadKey(this.spec.name, key, options);
  }

  encrypt(plaintext: Uint8Array, key: Uint8Array | AeadKey, options: AeadOptions = {}): Uint8Array {
    if (!(plaintext instanceof Uint8Array)) throw new InvalidArgumentError("Plaintext must be a Uint8Array");
    const out = Buffer.allocUnsafe(this.overhead + plaintext.length);
    this.encryptInto(plaintext, key, out, 0, options.aad);
    return out;
  }

  /**
   * The same bytes as `encrypt`, as pieces [nonce, ciphertext..., tag] (the ciphertext is not copied; one piece per 256 KiB above 512 KiB): for writing
   * large payloads to a file or socket (`writev`) without building one contiguous buffer.
   */
  encryptToPieces(plaintext: Uint8Array, key: Uint8Array | AeadKey, options: AeadOptions = {}): Uint8Array[] {
    if (!(plaintext instanceof Uint8Array)) throw new InvalidArgumentError("Plaintext must be a Uint8Array");
    const k = toAeadKey(this.spec.name, key);
    k.reserveMessage();
    const nonce = Buffer.from(randomPool.take(this.spec.nonceSize));
    return [nonce, ...sealPieces(this.spec, k.keyObject, k.bytes, nonce, plaintext, options.aad)];
  }

  /** Writes nonce ‖ ciphertext ‖ tag into `out` at `offset` (plaintext.length + overhead bytes). */
  encryptInto(
    plaintext: Uint8Array,
    key: Uint8Array | AeadKey,
    out: Uint8Array,
    offset: number,
    aad?: Uint8Array,
  ): void {
    const k = toAeadKey(this.spec.name, key);
    k.reserveMessage();
    const nonce = randomPool.take(this.spec.nonceSize);
    out.set(nonce, offset);
    sealInto(this.spec, k.keyObject, k.bytes, nonce, plaintext, aad, out, offset + this.spec.nonceSize);
  }

  decrypt(ciphertext: Uint8Array, key: Uint8Array | AeadKey, options: AeadOptions = {}): Uint8Array {
    if (!(ciphertext instanceof Uint8Array)) {
      throw new InvalidArgumentError("Ciphertext must be a Uint8Array");
    }
    const k = toAeadKey(this.spec.name, key);
    const { nonceSize, tagSize } = this.spec;
    if (ciphertext.length < nonceSize + tagSize) {
      throw authenticationFailed(`${this.spec.name} ciphertext is too short (${ciphertext.length} bytes)`);
    }
    const nonce = ciphertext.subarray(0, nonceSize);
    const body = ciphertext.subarray(nonceSize, ciphertext.length - tagSize);
    const tag = ciphertext.subarray(ciphertext.length - tagSize);
    try {
      return openDetached(this.spec, k.keyObject, k.bytes, nonce, body, tag, options.aad);
    } catch (cause) {
      if (isStoreError(cause)) throw cause;
      throw authenticationFailed(`${this.spec.name} decryption`, cause);
    }
  }
}

const encryptors = new Map<AeadAlgorithm, Encryptor>();

/** The encryptor for an algorithm name; an unknown name (or "fernet") is a CONFIGURATION error listing the supported ones. */
export function getEncryptor(algorithm: AeadAlgorithm | string): Encryptor {
  const spec = resolveAeadAlgorithm(algorithm);
  let encryptor = encryptors.get(spec.name);
  if (!encryptor) {
    encryptor = new Encryptor(spec.name);
    encryptors.set(spec.name, encryptor);
  }
  return encryptor;
}
