import {
  type AeadAlgorithm,
  type AeadAlgorithmSpec,
  type AeadKey,
  openCommitted,
  resolveAeadAlgorithm,
  sealCommitted,
  toAeadKey,
} from "@truthound/codec-aead";
import {
  deriveKey,
  describeDerivation,
  type KdfDescriptor,
  type KdfName,
  type KdfParams,
  parseKdfDescriptor,
  rederiveKey,
} from "@truthound/codec-kdf";
import {
  type Codec,
  type CodecContext,
  registerCodec,
  StoreConfigurationError,
  StoreIntegrityError,
} from "@truthound/store-core";

export const PASSWORD_CODEC_VERSION = 1;

export interface PasswordCodecOptions {
  /** Default "aes-256-gcm". */
  algorithm?: AeadAlgorithm;
  /** A password KDF. Default "argon2id" (OWASP baseline parameters unless `kdfParams` says otherwise). */
  kdf?: Exclude<KdfName, "hkdf-sha256" | "hkdf-sha512">;
  kdfParams?: Partial<KdfParams>;
}

export function passwordCodecId(algorithm: AeadAlgorithm): string {
  return `password-${algorithm}`;
}

/** Derived keys per descriptor, so a reader derives once per (password, salt, parameters), not per document. */
const MAX_CACHED_KEYS = 64;

/**
 * AEAD under a password-derived key. The KDF, its parameters and the salt go into the chain header (so
 * decryption needs only the password, and the header that names them is authenticated as AAD); the key is
 * derived once per codec. Output carries key commitment, which matters most here: password-derived keys are
 * exactly the case where one ciphertext could otherwise be tested against many keys (partitioning oracles).
 */
export class PasswordCodec implements Codec {
  readonly id: string;
  readonly version = PASSWORD_CODEC_VERSION;
  readonly authenticated = true;
  readonly spec: AeadAlgorithmSpec;
  readonly #password: string | Uint8Array | undefined;
  readonly #descriptor: KdfDescriptor | undefined;
  readonly #derived = new Map<string, AeadKey>();

  constructor(
    spec: AeadAlgorithmSpec,
    password: string | Uint8Array | undefined,
    encodeWith?: { descriptor: KdfDescriptor; key: AeadKey },
  ) {
    this.spec = spec;
    this.id = passwordCodecId(spec.name);
    this.#password = password;
    this.#descriptor = encodeWith?.descriptor;
    if (encodeWith) this.#derived.set(JSON.stringify(encodeWith.descriptor), encodeWith.key);
  }

  headerParams(): Record<string, unknown> {
    if (!this.#descriptor) throw this.#noPassword();
    return { kdf: this.#descriptor };
  }

  async encode(data: Uint8Array, context: CodecContext): Promise<Uint8Array> {
    if (!this.#descriptor) throw this.#noPassword();
    return sealCommitted(await this.#key(context.params), data, context.aad);
  }

  async decode(data: Uint8Array, context: CodecContext): Promise<Uint8Array> {
    return openCommitted(await this.#key(context.params), data, context.aad, `${this.id} codec`);
  }

  async #key(params: Readonly<Record<string, unknown>>): Promise<AeadKey> {
    if (this.#password === undefined) throw this.#noPassword();
    let descriptor: KdfDescriptor;
    try {
      descriptor = parseKdfDescriptor(params.kdf);
    } catch (cause) {
      throw new StoreIntegrityError(`${this.id} codec: the header's KDF record is invalid`, { cause });
    }
    if (descriptor.length !== this.spec.keySize) {
      throw new StoreIntegrityError(
        `${this.id} codec: the header's KDF length does not fit ${this.spec.name}`,
      );
    }
    const slot = JSON.stringify(descriptor);
    const cached = this.#derived.get(slot);
    if (cached) return cached;
    const key = toAeadKey(this.spec.name, await rederiveKey(this.#password, descriptor));
    if (this.#derived.size >= MAX_CACHED_KEYS)
      this.#derived.delete(this.#derived.keys().next().value as string);
    this.#derived.set(slot, key);
    return key;
  }

  #noPassword(): StoreConfigurationError {
    return new StoreConfigurationError(
      `${this.id} codec: data is password-encrypted; decode it with a password pipeline (createPasswordPipeline) or passwordCodec({ password })`,
    );
  }
}

/**
 * Derives a key from `password` with a fresh random salt and builds the codec. Decoding reads the KDF record
 * from each header, so the same codec (or any built from the same password) reads data written under other
 * salts or parameters.
 */
export async function createPasswordCodec(
  password: string | Uint8Array,
  options: PasswordCodecOptions = {},
): Promise<PasswordCodec> {
  if (typeof password !== "string" && !(password instanceof Uint8Array)) {
    throw new StoreConfigurationError("createPasswordCodec: the password must be a string or Uint8Array", {
      details: { field: "password" },
    });
  }
  if (password.length === 0) {
    throw new StoreConfigurationError("createPasswordCodec: the password is empty", {
      details: { field: "password" },
    });
  }
  const spec = resolveAeadAlgorithm(options.algorithm ?? "aes-256-gcm");
  const kdf = options.kdf ?? "argon2id";
  if (kdf.startsWith("hkdf-")) {
    throw new StoreConfigurationError(
      `createPasswordCodec: ${kdf} is not a password KDF; use argon2id, scrypt or pbkdf2-*`,
      {
        details: { field: "kdf" },
      },
    );
  }
  const derived = await deriveKey(password, {
    kdf,
    length: spec.keySize,
    ...(options.kdfParams === undefined ? {} : { params: options.kdfParams }),
  });
  const descriptor = describeDerivation(derived);
  return new PasswordCodec(spec, password, { descriptor, key: toAeadKey(spec.name, derived.key) });
}

for (const name of ["aes-128-gcm", "aes-256-gcm", "chacha20-poly1305", "xchacha20-poly1305"] as const) {
  registerCodec(passwordCodecId(name), () => new PasswordCodec(resolveAeadAlgorithm(name), undefined));
}
