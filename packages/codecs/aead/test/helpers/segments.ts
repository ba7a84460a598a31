import { SEGMENTED_HEADER_BYTES } from "../../src/index.js";

/** Splits a segmented ciphertext into its header and segments (ciphertext + tag each). */
export function splitSegments(
  data: Uint8Array,
  segmentSize: number,
): { header: Uint8Array; segments: Uint8Array[] } {
  const stride = segmentSize + 16;
  const segments: Uint8Array[] = [];
  for (let at = SEGMENTED_HEADER_BYTES; at < data.length; at += stride)
    segments.push(data.subarray(at, at + stride));
  return { header: data.subarray(0, SEGMENTED_HEADER_BYTES), segments };
}

export function join(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export function pattern(bytes: number, seed = 1): Uint8Array {
  const out = new Uint8Array(bytes);
  let x = seed;
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
