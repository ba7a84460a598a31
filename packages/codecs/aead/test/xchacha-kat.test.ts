import { describe, expect, it } from "vitest";
import { AEAD_SPECS, getEncryptor, hchacha20 } from "../src/index.js";
import { sealDetached } from "../src/primitives.js";

const hex = (value: string): Buffer => Buffer.from(value.replace(/[\s:]/g, ""), "hex");

// draft-irtf-cfrg-xchacha-03, typed in from the draft.
describe("XChaCha20-Poly1305 known answers (draft-irtf-cfrg-xchacha)", () => {
  it("§2.2.1: HChaCha20 test vector", () => {
    const key = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    const nonce = hex("000000090000004a0000000031415927");
    expect(Buffer.from(hchacha20(key, nonce)).toString("hex")).toBe(
      "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc",
    );
  });

  it("§A.3.1: AEAD_XChaCha20_Poly1305 test vector", () => {
    const plaintext = Buffer.from(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
    );
    const aad = hex("50515253c0c1c2c3c4c5c6c7");
    const key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    const iv = hex("404142434445464748494a4b4c4d4e4f5051525354555657");
    const expected =
      "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e";
    const tag = "c0875924c1c7987947deafd8780acf49";
    const sealed = sealDetached(AEAD_SPECS["xchacha20-poly1305"], key, iv, plaintext, aad);
    expect(sealed.ciphertext.toString("hex")).toBe(expected);
    expect(sealed.tag.toString("hex")).toBe(tag);
    const opened = getEncryptor("xchacha20-poly1305").decrypt(
      Buffer.concat([iv, hex(expected), hex(tag)]),
      key,
      { aad },
    );
    expect(Buffer.from(opened).equals(plaintext)).toBe(true);
  });
});
