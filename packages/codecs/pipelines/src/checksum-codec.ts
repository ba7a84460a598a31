import { createHash, timingSafeEqual } from "node:crypto";
import { type Codec, registerCodec, StoreIntegrityError } from "@truthound/store-core";

export const CHECKSUM_CODEC_ID = "sha256-checksum";
const DIGEST_BYTES = 32;

/**
 * Appends SHA-256 of its input and checks it on decode (INTEGRITY on mismatch). It is not authentication: anyone
 * can recompute it. Useful for catching corruption of unencrypted pipelines; after an AEAD stage it adds nothing.
 */
export function checksumCodec(): Codec {
  return {
    id: CHECKSUM_CODEC_ID,
    version: 1,
    authenticated: false,
    headerParams: () => ({}),
    encode: async (data) => {
      const out = new Uint8Array(data.length + DIGEST_BYTES);
      out.set(data, 0);
      out.set(createHash("sha256").update(data).digest(), data.length);
      return out;
    },
    decode: async (data) => {
      if (data.length < DIGEST_BYTES) throw new StoreIntegrityError("Checksummed data is truncated");
      const body = data.subarray(0, data.length - DIGEST_BYTES);
      const digest = createHash("sha256").update(body).digest();
      if (!timingSafeEqual(digest, data.subarray(data.length - DIGEST_BYTES))) {
        throw new StoreIntegrityError("SHA-256 checksum does not match (corrupt data)");
      }
      return body;
    },
  };
}

registerCodec(CHECKSUM_CODEC_ID, () => checksumCodec());
