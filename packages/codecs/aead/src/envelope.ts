import { createHash, randomBytes } from "node:crypto";
import {
  InvalidArgumentError,
  type KeyMaterial,
  StoreIntegrityError,
  validateOptions,
} from "@truthound/store-core";
import { AeadKey, toAeadKey } from "./aead-key.js";
import {
  type AeadAlgorithm,
  type AeadAlgorithmSpec,
  resolveAeadAlgorithm,
  specByWireId,
} from "./algorithms.js";
import { COMMITMENT_BYTES, openCommitted, sealCommitted } from "./commitment.js";
import { checkKeyBytes, KeySource, type KeySourceOptions } from "./key-source.js";

export interface EnvelopeOptions extends KeySourceOptions {
  /** AEAD for the data and for wrapping the data key. Default "aes-256-gcm". */
  algorithm?: AeadAlgorithm;
}

export interface EnvelopeCallOptions {
  /** Encryption context (like AWS KMS's): bound to both the wrapped key and the data; decryption must repeat it. */
  context?: Readonly<Record<string, string>>;
  /** Extra associated data for the data ciphertext only. */
  aad?: Uint8Array;
}

export interface EnvelopeEncryptedData {
  ciphertext: Uint8Array;
  /** The data key wrapped under the KEK: self-describing (KEK id and version, algorithms). Store it beside the data. */
  wrappedKey: Uint8Array;
}

export interface WrappedKeyInfo {
  kekId: string;
  kekVersion: number;
  algorithm: AeadAlgorithm;
}

const WRAP_MAGIC = [0x54, 0x45, 0x4b]; // "TEK"
const WRAP_VERSION = 1;
const DATA_LABEL = Buffer.from("truthound/envelope/data/v1");
const COMBINED_MAGIC = [0x54, 0x45, 0x4e, 0x56]; // "TENV"

function encodeContext(context: Readonly<Record<string, string>> | undefined): Buffer {
  if (context === undefined) return Buffer.alloc(4);
  if (typeof context !== "object" || context === null || Array.isArray(context)) {
    throw new InvalidArgumentError("Envelope context must be an object of string values");
  }
  const entries = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, value] of entries) {
    if (typeof value !== "string")
      throw new InvalidArgumentError(`Envelope context value '${name}' must be a string`);
  }
  const json = Buffer.from(JSON.stringify(entries));
  const out = Buffer.allocUnsafe(4 + json.length);
  out.writeUInt32BE(json.length, 0);
  json.copy(out, 4);
  return out;
}

interface ParsedWrappedKey extends WrappedKeyInfo {
  spec: AeadAlgorithmSpec;
  headerBytes: Uint8Array;
  sealed: Uint8Array;
}

function parseWrappedKey(bytes: Uint8Array): ParsedWrappedKey {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError("A wrapped key must be a Uint8Array");
  const fail = (why: string): never => {
    throw new StoreIntegrityError(`Wrapped data key is corrupt: ${why}`);
  };
  if (
    bytes.length < 11 ||
    bytes[0] !== WRAP_MAGIC[0] ||
    bytes[1] !== WRAP_MAGIC[1] ||
    bytes[2] !== WRAP_MAGIC[2]
  ) {
    fail("bad magic");
  }
  if (bytes[3] !== WRAP_VERSION) fail(`unknown version ${bytes[3]}`);
  const spec = specByWireId(bytes[4] as number) ?? fail(`unknown algorithm id ${bytes[4]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kekVersion = view.getUint32(5);
  const idLength = view.getUint16(9);
  const headerLength = 11 + idLength;
  if (kekVersion < 1) fail("KEK version 0");
  if (idLength === 0 || bytes.length < headerLength) fail("truncated KEK id");
  let kekId = "";
  try {
    kekId = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(11, headerLength));
  } catch {
    fail("KEK id is not UTF-8");
  }
  const sealed = bytes.subarray(headerLength);
  // Exact size, as age requires of its stanzas: anything else is rejected before any key is used.
  if (sealed.length !== COMMITMENT_BYTES + spec.nonceSize + spec.keySize + spec.tagSize) fail("wrong length");
  return {
    kekId,
    kekVersion,
    algorithm: spec.name,
    spec,
    headerBytes: bytes.subarray(0, headerLength),
    sealed,
  };
}

/** The KEK id, version and algorithm a wrapped key names, without unwrapping it. */
export function describeWrappedKey(wrappedKey: Uint8Array): WrappedKeyInfo {
  const { kekId, kekVersion, algorithm } = parseWrappedKey(wrappedKey);
  return { kekId, kekVersion, algorithm };
}

/**
 * Envelope encryption: a random data key (DEK) per object encrypts the data; the DEK is wrapped under a key
 * encryption key (KEK) from a `KeyProvider` (or a raw key). The wrap binds the KEK id and version, the
 * algorithm and the caller's context as associated data; the data ciphertext binds the algorithm, the context
 * and the caller's AAD. Both carry key commitment. `rewrap` moves a DEK to the KEK's current version without
 * touching the data.
 */
export class EnvelopeEncryption {
  readonly spec: AeadAlgorithmSpec;
  readonly #kek: KeySource;

  constructor(options: EnvelopeOptions) {
    const o = validateOptions<EnvelopeOptions>("EnvelopeEncryption", options, {
      algorithm: { type: "string" },
      key: { type: "any", check: (v) => (v instanceof Uint8Array ? undefined : "must be a Uint8Array") },
      keyId: { type: "string" },
      keyVersion: { type: "number", integer: true, min: 1 },
      keyProvider: { type: "object" },
    });
    this.spec = resolveAeadAlgorithm(o.algorithm ?? "aes-256-gcm");
    this.#kek = new KeySource("EnvelopeEncryption", o, this.spec.name);
    if (o.key !== undefined)
      checkKeyBytes(
        { keyId: "", version: 1, algorithm: "", key: o.key },
        this.spec.keySize,
        "EnvelopeEncryption",
      );
  }

  async encrypt(plaintext: Uint8Array, options: EnvelopeCallOptions = {}): Promise<EnvelopeEncryptedData> {
    const context = encodeContext(options.context);
    const kek = await this.#kek.current();
    const raw = randomBytes(this.spec.keySize);
    const dek = new AeadKey(this.spec.name, raw);
    raw.fill(0);
    const ciphertext = sealCommitted(dek, plaintext, this.#dataAad(context, options.aad));
    const wrappedKey = this.#wrap(dek.bytes, kek, context);
    dek.bytes.fill(0);
    return { ciphertext, wrappedKey };
  }

  async decrypt(
    ciphertext: Uint8Array,
    wrappedKey: Uint8Array,
    options: EnvelopeCallOptions = {},
  ): Promise<Uint8Array> {
    const context = encodeContext(options.context);
    const dek = await this.#unwrap(wrappedKey, context);
    try {
      return openCommitted(dek, ciphertext, this.#dataAad(context, options.aad), "Envelope data");
    } finally {
      dek.bytes.fill(0);
    }
  }

  /** Re-wraps a DEK under the KEK's current version (after a KEK rotation); the data stays as it is. */
  async rewrap(
    wrappedKey: Uint8Array,
    options: Pick<EnvelopeCallOptions, "context"> = {},
  ): Promise<Uint8Array> {
    const context = encodeContext(options.context);
    const dek = await this.#unwrap(wrappedKey, context);
    try {
      return this.#wrap(dek.bytes, await this.#kek.current(), context);
    } finally {
      dek.bytes.fill(0);
    }
  }

  /** One blob: "TENV" ‖ BE16(wrapped key length) ‖ wrapped key ‖ data ciphertext. */
  async encryptToBytes(plaintext: Uint8Array, options: EnvelopeCallOptions = {}): Promise<Uint8Array> {
    const { ciphertext, wrappedKey } = await this.encrypt(plaintext, options);
    const out = new Uint8Array(6 + wrappedKey.length + ciphertext.length);
    out.set(COMBINED_MAGIC, 0);
    out[4] = wrappedKey.length >>> 8;
    out[5] = wrappedKey.length & 0xff;
    out.set(wrappedKey, 6);
    out.set(ciphertext, 6 + wrappedKey.length);
    return out;
  }

  async decryptBytes(blob: Uint8Array, options: EnvelopeCallOptions = {}): Promise<Uint8Array> {
    const { wrappedKey, ciphertext } = splitEnvelope(blob);
    return this.decrypt(ciphertext, wrappedKey, options);
  }

  /** Re-wraps the key inside a blob from `encryptToBytes`; the data bytes are copied unchanged. */
  async rewrapBytes(
    blob: Uint8Array,
    options: Pick<EnvelopeCallOptions, "context"> = {},
  ): Promise<Uint8Array> {
    const { wrappedKey, ciphertext } = splitEnvelope(blob);
    const rewrapped = await this.rewrap(wrappedKey, options);
    const out = new Uint8Array(6 + rewrapped.length + ciphertext.length);
    out.set(COMBINED_MAGIC, 0);
    out[4] = rewrapped.length >>> 8;
    out[5] = rewrapped.length & 0xff;
    out.set(rewrapped, 6);
    out.set(ciphertext, 6 + rewrapped.length);
    return out;
  }

  #dataAad(context: Buffer, aad: Uint8Array | undefined): Buffer {
    if (aad !== undefined && !(aad instanceof Uint8Array))
      throw new InvalidArgumentError("aad must be a Uint8Array");
    const aadDigest = createHash("sha256")
      .update(aad ?? new Uint8Array(0))
      .digest();
    return Buffer.concat([DATA_LABEL, Uint8Array.of(this.spec.wireId), context, aadDigest]);
  }

  #wrap(dek: Uint8Array, kek: KeyMaterial, context: Buffer): Uint8Array {
    const kekKey = toAeadKey(this.spec.name, checkKeyBytes(kek, this.spec.keySize, "EnvelopeEncryption"));
    const id = Buffer.from(kek.keyId);
    if (id.length === 0 || id.length > 0xffff)
      throw new InvalidArgumentError("KEK id must be 1 to 65535 bytes");
    const header = Buffer.allocUnsafe(11 + id.length);
    header.set(WRAP_MAGIC, 0);
    header[3] = WRAP_VERSION;
    header[4] = this.spec.wireId;
    header.writeUInt32BE(kek.version, 5);
    header.writeUInt16BE(id.length, 9);
    id.copy(header, 11);
    const sealed = sealCommitted(kekKey, dek, Buffer.concat([header, context]));
    return Buffer.concat([header, sealed]);
  }

  async #unwrap(wrappedKey: Uint8Array, context: Buffer): Promise<AeadKey> {
    const parsed = parseWrappedKey(wrappedKey);
    if (parsed.spec.name !== this.spec.name) {
      throw new StoreIntegrityError(
        `Wrapped key is for ${parsed.algorithm}, this envelope uses ${this.spec.name}`,
      );
    }
    if (parsed.kekId !== this.#kek.keyId) {
      throw new StoreIntegrityError(
        `Wrapped key names KEK '${parsed.kekId}', this envelope uses '${this.#kek.keyId}'`,
      );
    }
    const kek = await this.#kek.forDecode({ kid: parsed.kekId, kv: parsed.kekVersion });
    const kekKey = toAeadKey(this.spec.name, checkKeyBytes(kek, this.spec.keySize, "EnvelopeEncryption"));
    const dek = openCommitted(
      kekKey,
      parsed.sealed,
      Buffer.concat([parsed.headerBytes, context]),
      "Wrapped data key",
    );
    const key = new AeadKey(this.spec.name, dek);
    dek.fill(0);
    return key;
  }
}

function splitEnvelope(blob: Uint8Array): EnvelopeEncryptedData {
  if (
    !(blob instanceof Uint8Array) ||
    blob.length < 6 ||
    COMBINED_MAGIC.some((byte, i) => blob[i] !== byte)
  ) {
    throw new StoreIntegrityError("Not an envelope blob (bad magic or truncated)");
  }
  const length = ((blob[4] as number) << 8) | (blob[5] as number);
  if (blob.length < 6 + length) throw new StoreIntegrityError("Envelope blob is truncated");
  return { wrappedKey: blob.subarray(6, 6 + length), ciphertext: blob.subarray(6 + length) };
}
