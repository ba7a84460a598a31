import { decodeCanonicalBase64 } from "./base64.js";
import type { KdfName, KdfParams } from "./kdf-types.js";
import { KDF_LIMITS } from "./limits.js";

/** Raised by parameter checks; the caller turns it into CONFIGURATION or INTEGRITY. */
export type ParamFailure = (message: string, field: string) => never;

export interface Argon2Params {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}
export interface Pbkdf2Params {
  iterations: number;
}
export interface HkdfParams {
  info: Uint8Array;
}

export type CheckedParams =
  | { kdf: "argon2id"; values: Argon2Params }
  | { kdf: "scrypt"; values: ScryptParams }
  | { kdf: "pbkdf2-sha256" | "pbkdf2-sha512"; values: Pbkdf2Params }
  | { kdf: "hkdf-sha256" | "hkdf-sha512"; values: HkdfParams };

const PARAM_NAMES: Record<KdfName, readonly string[]> = {
  argon2id: ["memoryKiB", "iterations", "parallelism"],
  scrypt: ["N", "r", "p"],
  "pbkdf2-sha256": ["iterations"],
  "pbkdf2-sha512": ["iterations"],
  "hkdf-sha256": ["info"],
  "hkdf-sha512": ["info"],
};

export function paramNames(kdf: KdfName): readonly string[] {
  return PARAM_NAMES[kdf];
}

function integerIn(params: KdfParams, name: string, min: number, max: number, fail: ParamFailure): number {
  const value = params[name];
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    return fail(`params.${name} must be an integer`, `params.${name}`);
  }
  if (value < min || value > max) {
    return fail(`params.${name} must be between ${min} and ${max}, got ${value}`, `params.${name}`);
  }
  return value;
}

function checkArgon2(params: KdfParams, fail: ParamFailure): Argon2Params {
  const parallelism = integerIn(params, "parallelism", 1, KDF_LIMITS.argon2MaxParallelism, fail);
  // Argon2 needs at least 8 KiB of memory per lane.
  const memoryKiB = integerIn(params, "memoryKiB", 8 * parallelism, KDF_LIMITS.argon2MaxMemoryKiB, fail);
  const iterations = integerIn(params, "iterations", 1, KDF_LIMITS.argon2MaxIterations, fail);
  if (memoryKiB * iterations > KDF_LIMITS.argon2MaxWorkKiB) {
    fail(
      `params.memoryKiB × params.iterations must not exceed ${KDF_LIMITS.argon2MaxWorkKiB}, got ${memoryKiB * iterations}`,
      "params.memoryKiB",
    );
  }
  return { memoryKiB, iterations, parallelism };
}

function checkScrypt(params: KdfParams, fail: ParamFailure): ScryptParams {
  const N = integerIn(params, "N", 2, 2 ** KDF_LIMITS.scryptMaxLog2N, fail);
  if ((N & (N - 1)) !== 0) fail(`params.N must be a power of two, got ${N}`, "params.N");
  const r = integerIn(params, "r", 1, KDF_LIMITS.scryptMaxR, fail);
  const p = integerIn(params, "p", 1, KDF_LIMITS.scryptMaxP, fail);
  if (128 * N * r > KDF_LIMITS.scryptMaxMemoryBytes) {
    fail(`scrypt memory 128·N·r must not exceed ${KDF_LIMITS.scryptMaxMemoryBytes} bytes`, "params.N");
  }
  if (128 * N * r * p > KDF_LIMITS.scryptMaxWorkBytes) {
    fail(`scrypt work 128·N·r·p must not exceed ${KDF_LIMITS.scryptMaxWorkBytes} bytes`, "params.p");
  }
  return { N, r, p };
}

function checkHkdf(params: KdfParams, fail: ParamFailure): HkdfParams {
  const text = params.info;
  if (typeof text !== "string") return fail("params.info must be a base64 string", "params.info");
  const info = decodeCanonicalBase64(text);
  if (info === undefined) return fail("params.info is not canonical padded base64", "params.info");
  if (info.length > KDF_LIMITS.hkdfMaxInfoBytes) {
    fail(`params.info must decode to at most ${KDF_LIMITS.hkdfMaxInfoBytes} bytes`, "params.info");
  }
  return { info };
}

/** Checks that `params` has exactly the names `kdf` takes, each well typed and within `KDF_LIMITS`. */
export function checkParams(kdf: KdfName, params: KdfParams, fail: ParamFailure): CheckedParams {
  const allowed = PARAM_NAMES[kdf];
  for (const name of Object.keys(params)) {
    if (!allowed.includes(name)) fail(`${kdf} takes no parameter "${name}"`, `params.${name}`);
  }
  for (const name of allowed) {
    if (!Object.hasOwn(params, name)) fail(`${kdf} needs params.${name}`, `params.${name}`);
  }
  switch (kdf) {
    case "argon2id":
      return { kdf, values: checkArgon2(params, fail) };
    case "scrypt":
      return { kdf, values: checkScrypt(params, fail) };
    case "pbkdf2-sha256":
    case "pbkdf2-sha512":
      return {
        kdf,
        values: { iterations: integerIn(params, "iterations", 1, KDF_LIMITS.pbkdf2MaxIterations, fail) },
      };
    case "hkdf-sha256":
    case "hkdf-sha512":
      return { kdf, values: checkHkdf(params, fail) };
  }
}
