import { isPlainObject } from "@truthound/store-core";
import { decodeCanonicalBase64 } from "./base64.js";
import { descriptorFailure } from "./errors.js";
import { isKdfName, type KdfDescriptor, type KdfName, type KdfParams } from "./kdf-types.js";
import { KDF_LIMITS, maxKeyLength, minSaltLength } from "./limits.js";
import { type CheckedParams, checkParams } from "./params.js";

const DESCRIPTOR_FIELDS = ["kdf", "params", "salt", "length"];

export interface CheckedDescriptor {
  kdf: KdfName;
  checked: CheckedParams;
  salt: Uint8Array;
  length: number;
}

/**
 * Validates a descriptor read from a header: exactly the four fields, a known KDF, exactly its parameters
 * within `KDF_LIMITS`, canonical base64 salt of an allowed length. Anything else is an INTEGRITY error.
 */
export function checkDescriptor(value: unknown): CheckedDescriptor {
  const fail = descriptorFailure;
  if (!isPlainObject(value)) return fail("must be an object", "descriptor");
  for (const key of Object.keys(value)) {
    if (!DESCRIPTOR_FIELDS.includes(key)) fail(`unknown field "${key}"`, key);
  }
  const { kdf, params, salt, length } = value;
  if (!isKdfName(kdf)) return fail(`unknown kdf ${JSON.stringify(kdf)}`, "kdf");
  if (!isPlainObject(params)) return fail("params must be an object", "params");
  const checked = checkParams(kdf, params as KdfParams, fail);
  if (typeof salt !== "string") return fail("salt must be a base64 string", "salt");
  const saltBytes = decodeCanonicalBase64(salt);
  if (saltBytes === undefined) return fail("salt is not canonical padded base64", "salt");
  if (saltBytes.length < minSaltLength(kdf) || saltBytes.length > KDF_LIMITS.maxSaltBytes) {
    fail(
      `salt must be ${minSaltLength(kdf)} to ${KDF_LIMITS.maxSaltBytes} bytes, got ${saltBytes.length}`,
      "salt",
    );
  }
  const max = maxKeyLength(kdf);
  if (
    typeof length !== "number" ||
    !Number.isSafeInteger(length) ||
    length < KDF_LIMITS.minKeyLength ||
    length > max
  ) {
    fail(`length must be an integer from ${KDF_LIMITS.minKeyLength} to ${max}`, "length");
  }
  return { kdf, checked, salt: saltBytes, length: length as number };
}

/** Validates an untrusted value (e.g. parsed header JSON) as a descriptor and returns a clean copy. */
export function parseKdfDescriptor(value: unknown): KdfDescriptor {
  const { kdf } = checkDescriptor(value);
  const source = value as KdfDescriptor;
  return { kdf, params: { ...source.params }, salt: source.salt, length: source.length };
}
