import { randomBytes } from "node:crypto";
import {
  isPlainObject,
  type OptionsSpec,
  StoreConfigurationError,
  validateOptions,
} from "@truthound/store-core";
import { toBase64 } from "./base64.js";
import {
  DEFAULT_HKDF_SALT_LENGTH,
  DEFAULT_KDF_PARAMS,
  DEFAULT_KEY_LENGTH,
  DEFAULT_PASSWORD_SALT_LENGTH,
} from "./defaults.js";
import { checkDescriptor } from "./descriptor.js";
import { configurationFailure, primitiveFailure } from "./errors.js";
import {
  type DerivedKey,
  type DeriveKeyOptions,
  isKdfName,
  isPasswordKdf,
  KDF_NAMES,
  type KdfDescriptor,
  type KdfName,
  type KdfParams,
} from "./kdf-types.js";
import { KDF_LIMITS, maxKeyLength, minSaltLength } from "./limits.js";
import { type CheckedParams, checkParams } from "./params.js";
import { passwordBytes } from "./password.js";
import { runKdf } from "./primitives.js";

function run(
  checked: CheckedParams,
  password: Uint8Array,
  salt: Uint8Array,
  length: number,
): Uint8Array | Promise<Uint8Array> {
  let result: Uint8Array | Promise<Uint8Array>;
  try {
    result = runKdf(checked, password, salt, length);
  } catch (error) {
    throw primitiveFailure(checked.kdf, error);
  }
  if (!(result instanceof Promise)) return result;
  return result.catch((error: unknown) => {
    throw primitiveFailure(checked.kdf, error);
  });
}

function resolveParams(kdf: KdfName, given: unknown): KdfParams {
  if (given === undefined) return { ...DEFAULT_KDF_PARAMS[kdf] };
  if (!isPlainObject(given)) {
    throw new StoreConfigurationError("deriveKey: option 'params' must be an object", {
      details: { field: "params" },
    });
  }
  const params: KdfParams = { ...DEFAULT_KDF_PARAMS[kdf] };
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined) continue;
    params[name] = value as number | string;
  }
  return params;
}

function checkSalt(kdf: KdfName, salt: Uint8Array | undefined): Uint8Array {
  if (salt === undefined) {
    return randomBytes(isPasswordKdf(kdf) ? DEFAULT_PASSWORD_SALT_LENGTH : DEFAULT_HKDF_SALT_LENGTH);
  }
  const min = minSaltLength(kdf);
  if (salt.length < min || salt.length > KDF_LIMITS.maxSaltBytes) {
    throw new StoreConfigurationError(
      `deriveKey: salt for ${kdf} must be ${min} to ${KDF_LIMITS.maxSaltBytes} bytes, got ${salt.length}`,
      { details: { field: "salt" } },
    );
  }
  return new Uint8Array(salt);
}

const DERIVE_KEY_OPTIONS: OptionsSpec<DeriveKeyOptions> = {
  kdf: { type: "string", required: true, oneOf: KDF_NAMES },
  salt: { type: "any", check: (v) => (v instanceof Uint8Array ? undefined : "must be a Uint8Array") },
  params: { type: "object" },
  length: { type: "number", integer: true },
};

/**
 * Derives a key from a password (Argon2id, scrypt, PBKDF2) or from high-entropy key material (HKDF).
 * Returns the key with the salt and the full parameters, so `describeDerivation` can record them in a header
 * and `rederiveKey` needs only the password later.
 */
export function deriveKey(password: string | Uint8Array, options: DeriveKeyOptions): Promise<DerivedKey> {
  // Not an async function: HKDF completes synchronously, and skipping the extra awaits is most of its overhead.
  try {
    return deriveChecked(password, options);
  } catch (error) {
    return Promise.reject(error);
  }
}

function deriveChecked(password: string | Uint8Array, options: DeriveKeyOptions): Promise<DerivedKey> {
  const checkedOptions = validateOptions<DeriveKeyOptions>("deriveKey", options, DERIVE_KEY_OPTIONS);
  const kdf = checkedOptions.kdf;
  const secret = passwordBytes("deriveKey", password);
  const params = resolveParams(kdf, checkedOptions.params);
  const checked = checkParams(kdf, params, configurationFailure("deriveKey"));
  const length = checkedOptions.length ?? DEFAULT_KEY_LENGTH;
  const max = maxKeyLength(kdf);
  if (length < KDF_LIMITS.minKeyLength || length > max) {
    throw new StoreConfigurationError(
      `deriveKey: option 'length' must be from ${KDF_LIMITS.minKeyLength} to ${max} for ${kdf}, got ${length}`,
      { details: { field: "length" } },
    );
  }
  const salt = checkSalt(kdf, checkedOptions.salt);
  const key = run(checked, secret, salt, length);
  if (key instanceof Promise) return key.then((bytes) => ({ key: bytes, salt, kdf, params, length }));
  return Promise.resolve({ key, salt, kdf, params, length });
}

/** The header record of a derivation: KDF name, parameters, base64 salt and key length. */
export function describeDerivation(derived: DerivedKey): KdfDescriptor {
  if (!isPlainObject(derived) || !isKdfName(derived.kdf) || !(derived.salt instanceof Uint8Array)) {
    throw new StoreConfigurationError("describeDerivation: expected the result of deriveKey", {
      details: { field: "derived" },
    });
  }
  const descriptor: KdfDescriptor = {
    kdf: derived.kdf,
    params: { ...derived.params },
    salt: toBase64(derived.salt),
    length: derived.length,
  };
  try {
    checkDescriptor(descriptor);
  } catch (error) {
    throw new StoreConfigurationError(`describeDerivation: ${(error as Error).message}`, { cause: error });
  }
  return descriptor;
}

/**
 * Derives the key a descriptor describes. The descriptor is untrusted header data: it is validated strictly
 * (INTEGRITY error on any deviation, including costs beyond `KDF_LIMITS`) before any work is done.
 */
export function rederiveKey(password: string | Uint8Array, descriptor: KdfDescriptor): Promise<Uint8Array> {
  try {
    const { checked, salt, length } = checkDescriptor(descriptor);
    const secret = passwordBytes("rederiveKey", password);
    return Promise.resolve(run(checked, secret, salt, length));
  } catch (error) {
    return Promise.reject(error);
  }
}
