import { hkdfSync, pbkdf2, scrypt } from "node:crypto";
import { type Options as Argon2Options, hashRaw } from "@node-rs/argon2";
import type { CheckedParams } from "./params.js";

// The binding's Algorithm and Version are `const enum`s that are empty objects at run time.
const ARGON2ID = 2 as Argon2Options["algorithm"];
const ARGON2_VERSION_0X13 = 1 as Argon2Options["version"];

/** Options for @node-rs/argon2's `hashRaw` that reproduce a checked Argon2id derivation. */
export function argon2Options(
  values: { memoryKiB: number; iterations: number; parallelism: number },
  salt: Uint8Array,
  length: number,
): Argon2Options {
  return {
    algorithm: ARGON2ID,
    version: ARGON2_VERSION_0X13,
    memoryCost: values.memoryKiB,
    timeCost: values.iterations,
    parallelism: values.parallelism,
    outputLen: length,
    salt,
  };
}

/** node:crypto rejects scrypt above `maxmem`; this is what a checked N, r, p needs, with room for p blocks. */
export function scryptMaxmem(N: number, r: number, p: number): number {
  return 128 * r * (N + p + 2) + 1_048_576;
}

/**
 * Runs one KDF on already checked parameters. Only algorithm limits apply here; the salt and key length
 * policy of `deriveKey` is enforced by its caller. HKDF returns (or throws) synchronously; the others settle
 * a promise.
 */
export function runKdf(
  checked: CheckedParams,
  password: Uint8Array,
  salt: Uint8Array,
  length: number,
): Uint8Array | Promise<Uint8Array> {
  switch (checked.kdf) {
    case "argon2id":
      return hashRaw(password, argon2Options(checked.values, salt, length));
    case "scrypt": {
      const { N, r, p } = checked.values;
      return new Promise((resolve, reject) => {
        scrypt(password, salt, length, { N, r, p, maxmem: scryptMaxmem(N, r, p) }, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      });
    }
    case "pbkdf2-sha256":
    case "pbkdf2-sha512": {
      const digest = checked.kdf === "pbkdf2-sha256" ? "sha256" : "sha512";
      return new Promise((resolve, reject) => {
        pbkdf2(password, salt, checked.values.iterations, length, digest, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      });
    }
    case "hkdf-sha256":
    case "hkdf-sha512": {
      // HKDF is a few HMAC calls (microseconds); the async form's thread-pool hop costs more than the work.
      const digest = checked.kdf === "hkdf-sha256" ? "sha256" : "sha512";
      return new Uint8Array(hkdfSync(digest, password, salt, checked.values.info, length));
    }
  }
}
