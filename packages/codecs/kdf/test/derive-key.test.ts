import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_KDF_PARAMS,
  deriveKey,
  describeDerivation,
  KDF_LIMITS,
  KDF_NAMES,
  type KdfName,
  type KdfParams,
  rederiveKey,
} from "../src/index.js";
import { expectStoreError, expectThrowsStoreError, toHex } from "./helpers.js";

/** Parameters small enough for property runs; the defaults are exercised separately. */
const CHEAP: Record<KdfName, KdfParams> = {
  argon2id: { memoryKiB: 64, iterations: 1, parallelism: 1 },
  scrypt: { N: 16, r: 1, p: 1 },
  "pbkdf2-sha256": { iterations: 2 },
  "pbkdf2-sha512": { iterations: 2 },
  "hkdf-sha256": { info: "" },
  "hkdf-sha512": { info: "" },
};

describe("defaults", () => {
  it("follow the OWASP baselines", () => {
    expect(DEFAULT_KDF_PARAMS.argon2id).toEqual({ memoryKiB: 19_456, iterations: 2, parallelism: 1 });
    expect(DEFAULT_KDF_PARAMS.scrypt).toEqual({ N: 131_072, r: 8, p: 1 });
    expect(DEFAULT_KDF_PARAMS["pbkdf2-sha256"]).toEqual({ iterations: 600_000 });
    expect(DEFAULT_KDF_PARAMS["pbkdf2-sha512"]).toEqual({ iterations: 210_000 });
    expect(Object.isFrozen(DEFAULT_KDF_PARAMS.argon2id)).toBe(true);
  });

  it.each(KDF_NAMES)(
    "%s with default parameters derives a 32-byte key, a fresh salt and full params",
    async (kdf) => {
      const derived = await deriveKey("hunter2", { kdf });
      expect(derived.key).toHaveLength(32);
      expect(derived.length).toBe(32);
      expect(derived.kdf).toBe(kdf);
      expect(derived.params).toEqual(DEFAULT_KDF_PARAMS[kdf]);
      expect(derived.salt.length).toBe(kdf.startsWith("hkdf") ? 32 : 16);
      const again = await deriveKey("hunter2", { kdf });
      expect(toHex(again.salt)).not.toBe(toHex(derived.salt));
      expect(toHex(again.key)).not.toBe(toHex(derived.key));
    },
  );

  it("merges partial params over the defaults", async () => {
    const derived = await deriveKey("pw", { kdf: "argon2id", params: { memoryKiB: 1024 } });
    expect(derived.params).toEqual({ memoryKiB: 1024, iterations: 2, parallelism: 1 });
  });
});

describe("round trips", () => {
  const kdfArb = fc.constantFrom(...KDF_NAMES);
  const passwordArb = fc.oneof(
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
    fc.uint8Array({ minLength: 1, maxLength: 64 }),
  );

  it("rederiveKey(describeDerivation(deriveKey(p))) returns the same key, through JSON", async () => {
    await fc.assert(
      fc.asyncProperty(
        kdfArb,
        passwordArb,
        fc.integer({ min: 16, max: 64 }),
        async (kdf, password, length) => {
          const derived = await deriveKey(password, { kdf, params: CHEAP[kdf], length });
          expect(derived.key).toHaveLength(length);
          const descriptor = JSON.parse(JSON.stringify(describeDerivation(derived)));
          expect(toHex(await rederiveKey(password, descriptor))).toBe(toHex(derived.key));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a different password gives a different key", async () => {
    await fc.assert(
      fc.asyncProperty(kdfArb, fc.string({ minLength: 1, maxLength: 20 }), async (kdf, password) => {
        const derived = await deriveKey(password, { kdf, params: CHEAP[kdf] });
        const other = await rederiveKey(`${password}!`, describeDerivation(derived));
        expect(toHex(other)).not.toBe(toHex(derived.key));
      }),
      { numRuns: 30 },
    );
  });

  it("strings are UTF-8 without normalization: NFC and NFD forms derive different keys", async () => {
    const salt = new Uint8Array(16);
    const nfc = await deriveKey("caf\u00e9", { kdf: "pbkdf2-sha256", salt, params: { iterations: 1 } });
    const nfd = await deriveKey("cafe\u0301", { kdf: "pbkdf2-sha256", salt, params: { iterations: 1 } });
    const bytes = await deriveKey(Buffer.from("caf\u00e9", "utf8"), {
      kdf: "pbkdf2-sha256",
      salt,
      params: { iterations: 1 },
    });
    expect(toHex(nfc.key)).toBe(toHex(bytes.key));
    expect(toHex(nfc.key)).not.toBe(toHex(nfd.key));
  });

  it("the returned salt is a copy the caller cannot change afterwards", async () => {
    const salt = new Uint8Array(16).fill(7);
    const derived = await deriveKey("pw", { kdf: "pbkdf2-sha256", salt, params: { iterations: 1 } });
    salt.fill(0);
    expect(toHex(derived.salt)).toBe("07".repeat(16));
  });
});

describe("configuration errors", () => {
  const cases: [string, () => Promise<unknown>][] = [
    ["unknown kdf", () => deriveKey("pw", { kdf: "bcrypt" as KdfName })],
    ["missing kdf", () => deriveKey("pw", {} as { kdf: KdfName })],
    ["unknown option", () => deriveKey("pw", { kdf: "scrypt", iterations: 3 } as never)],
    ["empty password", () => deriveKey("", { kdf: "argon2id" })],
    ["empty byte password", () => deriveKey(new Uint8Array(0), { kdf: "hkdf-sha256" })],
    ["non-string password", () => deriveKey(42 as never, { kdf: "argon2id" })],
    ["salt shorter than 16 bytes", () => deriveKey("pw", { kdf: "argon2id", salt: new Uint8Array(15) })],
    [
      "salt longer than the limit",
      () => deriveKey("pw", { kdf: "pbkdf2-sha256", salt: new Uint8Array(1025) }),
    ],
    ["salt not bytes", () => deriveKey("pw", { kdf: "pbkdf2-sha256", salt: "abc" as never })],
    ["key shorter than 16 bytes", () => deriveKey("pw", { kdf: "pbkdf2-sha256", length: 15 })],
    ["key longer than HKDF can expand", () => deriveKey("pw", { kdf: "hkdf-sha256", length: 255 * 32 + 1 })],
    ["fractional length", () => deriveKey("pw", { kdf: "hkdf-sha256", length: 31.5 })],
    ["foreign param", () => deriveKey("pw", { kdf: "argon2id", params: { N: 1024 } })],
    ["string cost", () => deriveKey("pw", { kdf: "pbkdf2-sha256", params: { iterations: "1000" } })],
    ["zero iterations", () => deriveKey("pw", { kdf: "pbkdf2-sha256", params: { iterations: 0 } })],
    [
      "too many iterations",
      () => deriveKey("pw", { kdf: "pbkdf2-sha256", params: { iterations: 10_000_001 } }),
    ],
    [
      "argon2 memory below 8 KiB per lane",
      () => deriveKey("pw", { kdf: "argon2id", params: { memoryKiB: 15, parallelism: 2 } }),
    ],
    [
      "argon2 memory above 1 GiB",
      () => deriveKey("pw", { kdf: "argon2id", params: { memoryKiB: KDF_LIMITS.argon2MaxMemoryKiB + 1 } }),
    ],
    [
      "argon2 work above the limit",
      () => deriveKey("pw", { kdf: "argon2id", params: { memoryKiB: 1_048_576, iterations: 5 } }),
    ],
    ["scrypt N not a power of two", () => deriveKey("pw", { kdf: "scrypt", params: { N: 1000 } })],
    ["scrypt memory above 1 GiB", () => deriveKey("pw", { kdf: "scrypt", params: { N: 1_048_576, r: 9 } })],
    [
      "scrypt work above the limit",
      () => deriveKey("pw", { kdf: "scrypt", params: { N: 1_048_576, r: 8, p: 5 } }),
    ],
    ["hkdf info not base64", () => deriveKey("pw", { kdf: "hkdf-sha256", params: { info: "not base64!" } })],
    ["hkdf info not canonical", () => deriveKey("pw", { kdf: "hkdf-sha256", params: { info: "QQ" } })],
    [
      "hkdf info too long",
      () => deriveKey("pw", { kdf: "hkdf-sha256", params: { info: Buffer.alloc(1025).toString("base64") } }),
    ],
    ["params not an object", () => deriveKey("pw", { kdf: "hkdf-sha256", params: "x" as never })],
  ];
  it.each(cases)("%s → CONFIGURATION", async (_name, call) => {
    const error = await expectStoreError(call(), "CONFIGURATION");
    expect(error.message.length).toBeGreaterThan(10);
  });

  it("names the offending field", async () => {
    const error = await expectStoreError(
      deriveKey("pw", { kdf: "scrypt", params: { r: 0 } }),
      "CONFIGURATION",
    );
    expect((error as unknown as { details: { field: string } }).details.field).toBe("params.r");
  });

  it("describeDerivation refuses something that is not a derivation with CONFIGURATION", async () => {
    expectThrowsStoreError(() => describeDerivation({} as never), "CONFIGURATION");
    const derived = await deriveKey("pw", { kdf: "hkdf-sha256" });
    expectThrowsStoreError(() => describeDerivation({ ...derived, params: { info: "%%" } }), "CONFIGURATION");
  });

  it("rederiveKey refuses an empty password with CONFIGURATION, not INTEGRITY", async () => {
    const derived = await deriveKey("pw", { kdf: "hkdf-sha256" });
    await expectStoreError(rederiveKey("", describeDerivation(derived)), "CONFIGURATION");
  });
});
