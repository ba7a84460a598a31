import { describe, expect, it } from "vitest";
import { decodeCanonicalBase64 } from "../src/base64.js";

describe("decodeCanonicalBase64", () => {
  it("decodes what Buffer writes", () => {
    expect(decodeCanonicalBase64("AQID")).toEqual(Buffer.from([1, 2, 3]));
    expect(decodeCanonicalBase64("RvgA")).toEqual(Buffer.from("RvgA", "base64"));
    expect(decodeCanonicalBase64("gA==")).toEqual(Buffer.from([0x80]));
  });

  it("refuses texts that decode to the same bytes as another (non-zero bits before the padding)", () => {
    // Found by the keystore.json fuzz test: "…B==" and "…A==" both decode to the same byte.
    expect(decodeCanonicalBase64("gB==")).toBeUndefined();
    expect(decodeCanonicalBase64("gAB=")).toBeUndefined();
  });

  it("refuses unpadded, url-safe and whitespace forms", () => {
    for (const text of ["gA", "-_8=", "gA ==", "g A==", "gA==\n"])
      expect(decodeCanonicalBase64(text)).toBeUndefined();
  });
});
