import { describe, expect, it } from "vitest";
import { AEAD_SPECS, type AeadAlgorithmSpec, getEncryptor } from "../src/index.js";
import { openDetached, sealDetached } from "../src/primitives.js";
import { type AeadGroup, hex, loadAeadGroups, vectorsAvailable } from "./helpers/vectors.js";

const available = vectorsAvailable();

interface Tally {
  valid: number;
  invalid: number;
  skipped: string[];
}

function specFor(base: AeadAlgorithmSpec, keyBytes: number): AeadAlgorithmSpec {
  // AES-192 is not offered by the package, but the primitive is the same code path; run those vectors too.
  return base.name.startsWith("aes-") ? { ...base, keySize: keyBytes } : base;
}

/** Runs every vector of a file through the raw primitive (explicit nonce) and, for the package's own nonce size, through the public decrypt. */
function runFile(file: string, base: AeadAlgorithmSpec, publicNames: Record<number, string>): Tally {
  const tally: Tally = { valid: 0, invalid: 0, skipped: [] };
  for (const group of loadAeadGroups(file) as AeadGroup[]) {
    for (const t of group.tests) {
      const spec = specFor(base, group.keySize / 8);
      const key = hex(t.key);
      const iv = hex(t.iv);
      const aad = hex(t.aad);
      const msg = hex(t.msg);
      const ct = hex(t.ct);
      const tag = hex(t.tag);
      const label = `tcId ${t.tcId} (${t.comment || t.flags.join(",")})`;
      if (t.result === "invalid") {
        expect(() => openDetached(spec, key, key, iv, ct, tag, aad), `${label} must be rejected`).toThrow();
        const publicName = publicNames[group.keySize];
        if (publicName && iv.length === AEAD_SPECS[publicName as keyof typeof AEAD_SPECS].nonceSize) {
          expect(() =>
            getEncryptor(publicName).decrypt(Buffer.concat([iv, ct, tag]), key, { aad }),
          ).toThrow();
        }
        tally.invalid++;
        continue;
      }
      let sealed: { ciphertext: Buffer; tag: Buffer };
      try {
        sealed = sealDetached(spec, key, iv, msg, aad);
      } catch (error) {
        if (/initialization vector|iv/i.test(String(error))) {
          tally.skipped.push(`${file} tcId ${t.tcId}: ${group.ivSize}-bit IV not accepted by node:crypto`);
          continue;
        }
        throw error;
      }
      expect(sealed.ciphertext.toString("hex"), `${label} ciphertext`).toBe(t.ct);
      expect(sealed.tag.toString("hex"), `${label} tag`).toBe(t.tag);
      expect(openDetached(spec, key, key, iv, ct, tag, aad).toString("hex"), `${label} plaintext`).toBe(
        t.msg,
      );
      const publicName = publicNames[group.keySize];
      if (publicName && iv.length === AEAD_SPECS[publicName as keyof typeof AEAD_SPECS].nonceSize) {
        const opened = getEncryptor(publicName).decrypt(Buffer.concat([iv, ct, tag]), key, { aad });
        expect(Buffer.from(opened).toString("hex"), `${label} via getEncryptor`).toBe(t.msg);
      }
      tally.valid++;
    }
  }
  return tally;
}

describe.skipIf(!available)("Wycheproof AEAD vectors", () => {
  it("AES-GCM (128/192/256-bit keys): every valid vector accepted byte for byte, every invalid one rejected", () => {
    const tally = runFile("aes_gcm_test.json", AEAD_SPECS["aes-128-gcm"], {
      128: "aes-128-gcm",
      256: "aes-256-gcm",
    });
    console.info(
      `aes_gcm_test.json: ${tally.valid} valid, ${tally.invalid} invalid, ${tally.skipped.length} skipped`,
      tally.skipped,
    );
    expect(tally.valid + tally.invalid + tally.skipped.length).toBe(316);
    // node:crypto caps GCM IVs below 2056 bits; only those three vectors are skipped.
    expect(tally.skipped).toHaveLength(3);
    for (const skipped of tally.skipped) expect(skipped).toContain("2056-bit IV");
    expect(tally.invalid).toBeGreaterThan(0);
  });

  it("ChaCha20-Poly1305: every valid vector accepted, every invalid one rejected", () => {
    const tally = runFile("chacha20_poly1305_test.json", AEAD_SPECS["chacha20-poly1305"], {
      256: "chacha20-poly1305",
    });
    expect(tally.skipped).toEqual([]);
    expect(tally.valid + tally.invalid).toBe(325);
  });

  it("XChaCha20-Poly1305 (HChaCha20 + node's ChaCha20-Poly1305): every valid vector accepted, every invalid one rejected", () => {
    const tally = runFile("xchacha20_poly1305_test.json", AEAD_SPECS["xchacha20-poly1305"], {
      256: "xchacha20-poly1305",
    });
    expect(tally.skipped).toEqual([]);
    expect(tally.valid + tally.invalid).toBe(315);
  });
});
