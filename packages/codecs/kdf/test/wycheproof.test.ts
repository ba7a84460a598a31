import { describe, expect, it } from "vitest";
import { deriveKey, KDF_LIMITS, type KdfName } from "../src/index.js";
import { maxKeyLength } from "../src/limits.js";
import { checkParams } from "../src/params.js";
import { runKdf } from "../src/primitives.js";
import { expectStoreError, hex, toHex } from "./helpers.js";
import { loadWycheproof } from "./wycheproof.js";

interface HkdfVector {
  tcId: number;
  ikm: string;
  salt: string;
  info: string;
  size: number;
  okm: string;
  result: "valid" | "invalid" | "acceptable";
}
interface PbkdfVector {
  tcId: number;
  password: string;
  salt: string;
  iterationCount: number;
  dkLen: number;
  dk: string;
  result: "valid" | "invalid" | "acceptable";
}

const unchecked = (message: string): never => {
  throw new Error(message);
};

// Every vector runs the checked primitive under deriveKey. HKDF vectors whose output is key-sized (>= 16 bytes)
// also run through deriveKey itself; PBKDF2 vectors use 4-byte salts, below deriveKey's 16-byte minimum.
// Invalid output sizes must be refused by the same length limit deriveKey and rederiveKey apply.
describe.each([
  ["hkdf_sha256_test.json", "hkdf-sha256"],
  ["hkdf_sha512_test.json", "hkdf-sha512"],
] as const)("Wycheproof %s", (file, kdf: KdfName) => {
  const suite = loadWycheproof<HkdfVector>(file);
  const vectors = suite.testGroups.flatMap((g) => g.tests);

  it("has every test of the file", () => {
    expect(vectors.length).toBe(suite.numberOfTests);
    expect(vectors.some((v) => v.result === "invalid")).toBe(true);
  });

  for (const v of vectors) {
    it(`tcId ${v.tcId} (${v.result})`, async () => {
      const info = hex(v.info).toString("base64");
      const checked = checkParams(kdf, { info }, unchecked);
      const viaApi = () =>
        deriveKey(hex(v.ikm), { kdf, salt: hex(v.salt), params: { info }, length: v.size });
      if (v.result === "valid") {
        expect(toHex(await runKdf(checked, hex(v.ikm), hex(v.salt), v.size))).toBe(v.okm);
        if (v.size >= KDF_LIMITS.minKeyLength && v.ikm.length > 0)
          expect(toHex((await viaApi()).key)).toBe(v.okm);
      } else {
        expect(v.size).toBeGreaterThan(maxKeyLength(kdf));
        expect(() => runKdf(checked, hex(v.ikm), hex(v.salt), v.size)).toThrow();
        await expectStoreError(viaApi(), "CONFIGURATION");
      }
    });
  }
});

describe.each([
  ["pbkdf2_hmacsha256_test.json", "pbkdf2-sha256"],
  ["pbkdf2_hmacsha512_test.json", "pbkdf2-sha512"],
] as const)("Wycheproof %s", (file, kdf: KdfName) => {
  const suite = loadWycheproof<PbkdfVector>(file);
  const vectors = suite.testGroups.flatMap((g) => g.tests);

  it("has every test of the file", () => {
    expect(vectors.length).toBe(suite.numberOfTests);
  });

  for (const v of vectors) {
    it(`tcId ${v.tcId} (${v.result})`, { timeout: 60_000 }, async () => {
      const checked = checkParams(kdf, { iterations: v.iterationCount }, unchecked);
      const run = Promise.resolve().then(() => runKdf(checked, hex(v.password), hex(v.salt), v.dkLen));
      if (v.result === "invalid") await expect(run).rejects.toThrow();
      else expect(toHex(await run)).toBe(v.dk);
    });
  }
});
