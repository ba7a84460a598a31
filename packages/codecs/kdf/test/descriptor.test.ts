import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  deriveKey,
  describeDerivation,
  type KdfDescriptor,
  parseKdfDescriptor,
  rederiveKey,
} from "../src/index.js";
import { expectStoreError } from "./helpers.js";

const valid: KdfDescriptor = {
  kdf: "argon2id",
  params: { memoryKiB: 64, iterations: 1, parallelism: 1 },
  salt: Buffer.alloc(16, 1).toString("base64"),
  length: 32,
};

const mutate = (patch: Record<string, unknown>) => ({ ...valid, ...patch }) as unknown as KdfDescriptor;

describe("hostile descriptors are refused with INTEGRITY before any work", () => {
  const cases: [string, unknown][] = [
    ["null", null],
    ["an array", [valid]],
    ["a string", JSON.stringify(valid)],
    ["an extra field", mutate({ extra: 1 })],
    ["a missing salt", { kdf: valid.kdf, params: valid.params, length: 32 }],
    ["an unknown kdf", mutate({ kdf: "argon2i" })],
    ["params as an array", mutate({ params: [] })],
    ["a missing param", mutate({ params: { memoryKiB: 64, iterations: 1 } })],
    ["an extra param", mutate({ params: { ...valid.params, secret: "x" } })],
    [
      "a __proto__ param from JSON",
      JSON.parse(
        `{"kdf":"pbkdf2-sha256","params":{"iterations":1,"__proto__":{"x":1}},"salt":"${valid.salt}","length":32}`,
      ),
    ],
    ["4 TiB of argon2 memory", mutate({ params: { memoryKiB: 2 ** 32, iterations: 1, parallelism: 1 } })],
    ["2^32 argon2 passes", mutate({ params: { memoryKiB: 64, iterations: 2 ** 32, parallelism: 1 } })],
    ["255 argon2 lanes", mutate({ params: { memoryKiB: 8192, iterations: 1, parallelism: 255 } })],
    ["scrypt N=2^30", { ...valid, kdf: "scrypt", params: { N: 2 ** 30, r: 8, p: 1 } }],
    ["scrypt p=2^20", { ...valid, kdf: "scrypt", params: { N: 16, r: 1, p: 2 ** 20 } }],
    ["a billion PBKDF2 iterations", { ...valid, kdf: "pbkdf2-sha512", params: { iterations: 1e9 } }],
    ["NaN iterations", { ...valid, kdf: "pbkdf2-sha512", params: { iterations: Number.NaN } }],
    [
      "Infinity iterations",
      { ...valid, kdf: "pbkdf2-sha512", params: { iterations: Number.POSITIVE_INFINITY } },
    ],
    ["negative iterations", { ...valid, kdf: "pbkdf2-sha512", params: { iterations: -1 } }],
    ["a numeric-string param", { ...valid, kdf: "pbkdf2-sha512", params: { iterations: "1" } }],
    ["a short salt", mutate({ salt: Buffer.alloc(8).toString("base64") })],
    ["a huge salt", mutate({ salt: Buffer.alloc(4096).toString("base64") })],
    ["an unpadded salt", mutate({ salt: Buffer.alloc(16, 1).toString("base64").replace(/=+$/, "") })],
    ["a base64url salt", mutate({ salt: Buffer.alloc(18, 0xff).toString("base64url") })],
    ["a salt with whitespace", mutate({ salt: ` ${valid.salt}` })],
    ["a non-canonical salt", mutate({ salt: "AQEBAQEBAQEBAQEBAQEBAR==" })],
    ["a numeric salt", mutate({ salt: 16 })],
    ["a 2 GiB key length", mutate({ length: 2 ** 31 })],
    ["a fractional key length", mutate({ length: 32.5 })],
    ["a string key length", mutate({ length: "32" })],
    ["a zero key length", mutate({ length: 0 })],
    [
      "an HKDF info of 2 KiB",
      { ...valid, kdf: "hkdf-sha256", params: { info: Buffer.alloc(2048).toString("base64") } },
    ],
  ];
  it.each(cases)("%s", async (_name, descriptor) => {
    await expectStoreError(rederiveKey("pw", descriptor as KdfDescriptor), "INTEGRITY");
    expect(() => parseKdfDescriptor(descriptor)).toThrow();
  });

  it("a valid descriptor parses to a clean copy", () => {
    const parsed = parseKdfDescriptor(JSON.parse(JSON.stringify(valid)));
    expect(parsed).toEqual(valid);
    expect(parsed.params).not.toBe(valid.params);
  });
});

describe("fuzz: the descriptor parser never crashes or hangs", () => {
  const outcome = (value: unknown): "ok" | "INTEGRITY" => {
    try {
      parseKdfDescriptor(value);
      return "ok";
    } catch (error) {
      expect((error as { code?: string }).code, String(error)).toBe("INTEGRITY");
      return "INTEGRITY";
    }
  };

  it("random JSON values are refused with INTEGRITY", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(outcome(value)).toBe("INTEGRITY");
      }),
      { numRuns: 2000 },
    );
  });

  it("random descriptor-shaped objects give INTEGRITY or a descriptor within the limits", () => {
    const arb = fc.record(
      {
        kdf: fc.constantFrom(
          "argon2id",
          "scrypt",
          "pbkdf2-sha256",
          "pbkdf2-sha512",
          "hkdf-sha256",
          "hkdf-sha512",
          "x",
        ),
        params: fc.dictionary(
          fc.constantFrom("memoryKiB", "iterations", "parallelism", "N", "r", "p", "info", "other"),
          fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null), fc.base64String()),
        ),
        salt: fc.oneof(fc.base64String(), fc.string(), fc.integer()),
        length: fc.oneof(fc.integer(), fc.double(), fc.string()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(arb, (value) => {
        if (outcome(value) === "ok") {
          const parsed = parseKdfDescriptor(value);
          expect(parsed.length).toBeGreaterThanOrEqual(16);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("mutated descriptor JSON text is refused with a typed error or still describes a bounded derivation", async () => {
    const derived = await deriveKey("pw", { kdf: "scrypt", params: { N: 16, r: 1, p: 1 } });
    const text = JSON.stringify(describeDerivation(derived));
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.integer({ min: 32, max: 126 }), (at, code) => {
        const mutated = text.slice(0, at) + String.fromCharCode(code) + text.slice(at + 1);
        let value: unknown;
        try {
          value = JSON.parse(mutated);
        } catch {
          return;
        }
        outcome(value);
      }),
      { numRuns: 3000 },
    );
  });

  it("a tampered salt or parameter derives a different key, never the original", async () => {
    const derived = await deriveKey("pw", { kdf: "pbkdf2-sha256", params: { iterations: 3 } });
    const descriptor = describeDerivation(derived);
    const salt = Buffer.from(descriptor.salt, "base64");
    salt[0] = (salt[0] ?? 0) ^ 1;
    const otherSalt = await rederiveKey("pw", { ...descriptor, salt: salt.toString("base64") });
    const otherCost = await rederiveKey("pw", { ...descriptor, params: { iterations: 4 } });
    expect(Buffer.from(otherSalt).equals(Buffer.from(derived.key))).toBe(false);
    expect(Buffer.from(otherCost).equals(Buffer.from(derived.key))).toBe(false);
  });
});
