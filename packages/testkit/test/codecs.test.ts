import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { type Codec, gzipCodec, StoreIntegrityError } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import {
  checkEveryBitFlipDetected,
  checkHeaderChangeDetected,
  checkLargeRoundTrip,
  checkRandomRoundTrip,
} from "../src/codec/codec-checks.js";
import { describeCodecConformance } from "../src/index.js";

const KEY = Buffer.alloc(32, 7);

/** AES-256-GCM with a fixed test key, binding the header as AAD: `nonce(12) | ciphertext | tag(16)`. */
function aesGcm(options: { bindAad?: boolean; checkTag?: boolean } = {}): Codec {
  const bindAad = options.bindAad ?? true;
  const checkTag = options.checkTag ?? true;
  return {
    id: "test-aes-256-gcm",
    version: 1,
    authenticated: true,
    headerParams: () => ({ kid: "test" }),
    async encode(data, { aad }) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", KEY, nonce);
      if (bindAad) cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(data), cipher.final()]);
      return new Uint8Array(Buffer.concat([nonce, body, cipher.getAuthTag()]));
    },
    async decode(data, { aad }) {
      if (data.length < 28) throw new StoreIntegrityError("ciphertext too short");
      const decipher = createDecipheriv("aes-256-gcm", KEY, data.subarray(0, 12));
      if (bindAad) decipher.setAAD(aad);
      const body = data.subarray(12, data.length - 16);
      if (!checkTag) return new Uint8Array(decipher.update(body));
      decipher.setAuthTag(data.subarray(data.length - 16));
      try {
        return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
      } catch (cause) {
        throw new StoreIntegrityError("authentication failed", { cause });
      }
    },
  };
}

/** Drops the last byte of every input: a codec that loses data. */
const lossy: Codec = {
  id: "lossy",
  version: 1,
  authenticated: false,
  headerParams: () => ({}),
  encode: async (data) => data.subarray(0, Math.max(0, data.length - 1)),
  decode: async (data) => data,
};

describeCodecConformance("gzipCodec", () => gzipCodec(), { authenticated: false });
describeCodecConformance("gzipCodec level 1", () => gzipCodec({ level: 1 }), {
  authenticated: false,
  propertyRuns: 20,
});
describeCodecConformance("AES-256-GCM test codec", () => aesGcm(), { authenticated: true, propertyRuns: 30 });

describe("the codec conformance suite fails flawed codecs", () => {
  it("catches a codec that loses data", async () => {
    await expect(checkRandomRoundTrip(() => lossy, 20, 1)).rejects.toThrow();
    await expect(checkLargeRoundTrip(() => lossy, 1024)).rejects.toThrow();
  });

  it("catches an 'authenticated' codec that does not check its tag", async () => {
    await expect(checkEveryBitFlipDetected(() => aesGcm({ checkTag: false }))).rejects.toThrow();
  });

  it("catches an authenticated codec that does not bind the header", async () => {
    await expect(checkHeaderChangeDetected(() => aesGcm({ bindAad: false }))).rejects.toThrow();
  });

  it("requires options.authenticated", () => {
    expect(() => describeCodecConformance("x", () => lossy, {} as never)).toThrow(/authenticated/);
  });
});
