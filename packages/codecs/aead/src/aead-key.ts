import { createHmac, createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import { InvalidArgumentError } from "@truthound/store-core";
import { type AeadAlgorithm, type AeadAlgorithmSpec, resolveAeadAlgorithm } from "./algorithms.js";
import { KeyUsageLimitError } from "./errors.js";

export interface AeadKeyOptions {
  /** Lower the per-key message limit (e.g. for a stricter policy or in tests). Cannot exceed the algorithm's limit. */
  maxMessages?: number;
}

const COMMIT_KEY_LABEL = Buffer.from("truthound/aead/commit-key/v1");

/**
 * A key bound to one algorithm. It copies the key bytes (later changes to the caller's array have no effect),
 * keeps the `KeyObject` node:crypto needs, and counts the messages it encrypts: random 96-bit nonces are safe
 * for 2^32 messages per key, so encrypting beyond that throws `KeyUsageLimitError`.
 */
export class AeadKey {
  readonly spec: AeadAlgorithmSpec;
  readonly maxMessages: number;
  /** The key as node:crypto takes it (AES-GCM, ChaCha20-Poly1305). */
  readonly keyObject: KeyObject;
  /** The raw bytes (a private copy), needed by HChaCha20. */
  readonly bytes: Buffer;
  #messages = 0;
  #commitKey: Buffer | undefined;

  constructor(algorithm: AeadAlgorithm | string, key: Uint8Array, options: AeadKeyOptions = {}) {
    this.spec = resolveAeadAlgorithm(algorithm);
    if (!(key instanceof Uint8Array) || key.length !== this.spec.keySize) {
      throw new InvalidArgumentError(
        `A ${this.spec.name} key must be ${this.spec.keySize} bytes, got ${key instanceof Uint8Array ? key.length : typeof key}`,
        { details: { algorithm: this.spec.name, expected: this.spec.keySize } },
      );
    }
    const limit = options.maxMessages ?? this.spec.maxMessagesPerKey;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > this.spec.maxMessagesPerKey) {
      throw new InvalidArgumentError(
        `maxMessages must be an integer from 1 to ${this.spec.maxMessagesPerKey} for ${this.spec.name}`,
        { details: { field: "maxMessages" } },
      );
    }
    this.maxMessages = limit;
    this.bytes = Buffer.from(key);
    this.keyObject = createSecretKey(this.bytes);
  }

  get algorithm(): AeadAlgorithm {
    return this.spec.name;
  }

  /** Messages encrypted so far under this key object. */
  get messagesEncrypted(): number {
    return this.#messages;
  }

  /** Counts one message; throws once the limit is reached. */
  reserveMessage(): void {
    if (this.#messages >= this.maxMessages) throw new KeyUsageLimitError(this.spec.name, this.maxMessages);
    this.#messages++;
  }

  /** True when `key` holds exactly this key's bytes. */
  matches(key: Uint8Array): boolean {
    return key.length === this.bytes.length && this.bytes.equals(key);
  }

  /** HMAC-SHA256(key, label): the key for commitment tags, derived once per key object. */
  get commitKey(): Buffer {
    this.#commitKey ??= createHmac("sha256", this.bytes).update(COMMIT_KEY_LABEL).digest();
    return this.#commitKey;
  }
}

const byArray = new WeakMap<Uint8Array, AeadKey>();

/**
 * The `AeadKey` for raw key bytes. Cached per array object (and re-checked against its contents), so passing
 * the same `Uint8Array` again reuses its `KeyObject` and its message counter.
 */
export function toAeadKey(algorithm: AeadAlgorithm, key: Uint8Array | AeadKey): AeadKey {
  if (key instanceof AeadKey) {
    if (key.algorithm !== algorithm) {
      throw new InvalidArgumentError(`This key is for ${key.algorithm}, not ${algorithm}`, {
        details: { algorithm, keyAlgorithm: key.algorithm },
      });
    }
    return key;
  }
  const cached = key instanceof Uint8Array ? byArray.get(key) : undefined;
  if (cached && cached.algorithm === algorithm && cached.matches(key)) return cached;
  const created = new AeadKey(algorithm, key);
  byArray.set(key, created);
  return created;
}

/** Fresh random key bytes for an algorithm (from the CSPRNG). */
export function generateKey(algorithm: AeadAlgorithm | string): Uint8Array {
  const spec = resolveAeadAlgorithm(algorithm);
  return new Uint8Array(randomBytes(spec.keySize));
}

/** An `AeadKey` for key bytes (copied), optionally with a lower message limit. */
export function importKey(
  algorithm: AeadAlgorithm | string,
  key: Uint8Array,
  options: AeadKeyOptions = {},
): AeadKey {
  return new AeadKey(algorithm, key, options);
}
