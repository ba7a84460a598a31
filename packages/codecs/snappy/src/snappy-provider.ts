import type { CompressionProvider } from "@truthound/codec-compression";
import { compressSync, uncompressSync } from "snappy";

/** Snappy's raw format starts with the decompressed length as a varint (at most 5 bytes, 32 bits). */
function declaredSize(payload: Uint8Array): number {
  let value = 0;
  for (let i = 0; i < 5 && i < payload.length; i++) {
    const byte = payload[i] as number;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return value;
  }
  throw new Error("snappy length preamble is corrupt or truncated");
}

// napi-rs external buffers make snappy erratic and up to 10x slower; copied output is fast and stable.
const ENCODE = { copyOutputData: true };
const DECODE = { asBuffer: true, copyOutputData: true };

/** Snappy raw format through the `snappy` package (napi-rs, Rust snap). One level: every preset maps to it. */
export const snappyProvider: CompressionProvider = {
  name: "snappy",
  code: 7,
  levels: { min: 1, max: 1, presets: { fastest: 1, fast: 1, balanced: 1, high: 1, maximum: 1 } },
  // snap's encoder hash table: up to 2^14 entries of 2 bytes.
  workingMemoryBytes: () => 32 * 1024,
  compress: (data) => compressSync(data, ENCODE),
  decompress: (payload, originalSize) => {
    // Checked before decoding, so a corrupt preamble can never make the library allocate more.
    const declared = declaredSize(payload);
    if (declared !== originalSize) {
      throw new Error(`snappy data declares ${declared} bytes, frame declares ${originalSize}`);
    }
    return uncompressSync(payload, DECODE) as Buffer;
  },
};
