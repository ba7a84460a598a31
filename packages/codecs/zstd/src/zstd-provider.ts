import { createRequire } from "node:module";
import type { Transform } from "node:stream";
import { type CompressionProvider, DecompressionLimitError } from "@truthound/codec-compression";
import { CompressStream, DecompressStream } from "zstd-napi";

// The binding is CommonJS assigned to module.exports, which ESM named imports cannot see.
type Binding = typeof import("zstd-napi/binding.js");
const binding = createRequire(import.meta.url)("zstd-napi/binding.js") as Binding;

// One context each, reused across calls as zstd recommends (creating one costs more than a small compression).
const cctx = new binding.CCtx();
const dctx = new binding.DCtx();
const STREAM_OUT_BYTES = binding.dStreamOutSize();

/** Window log of zstd's level tables for large inputs (zstd_compress.c, ZSTD_defaultCParameters[0]). */
function windowLog(level: number): number {
  if (level <= 1) return 19;
  if (level <= 2) return 20;
  if (level <= 5) return 21;
  if (level <= 8) return 22;
  if (level <= 16) return 22;
  return 23;
}

/** zstd frames read incrementally, counting output so a hostile frame cannot exceed `maxOutputBytes`. */
function decompressUnsized(payload: Uint8Array, maxOutputBytes: number): Uint8Array {
  const session = new binding.DCtx();
  const parts: Buffer[] = [];
  let total = 0;
  let input = payload;
  let pending = 1;
  while (input.length > 0 || pending !== 0) {
    const out = Buffer.allocUnsafe(STREAM_OUT_BYTES);
    const [hint, produced, consumed] = session.decompressStream(out, input);
    if (produced === 0 && consumed === 0) throw new Error("zstd stream is truncated");
    total += produced;
    if (total > maxOutputBytes) throw new DecompressionLimitError("zstd", maxOutputBytes);
    if (produced > 0) parts.push(out.subarray(0, produced));
    input = input.subarray(consumed);
    pending = hint;
    if (input.length === 0 && hint !== 0 && produced < out.length)
      throw new Error("zstd stream is truncated");
  }
  return Buffer.concat(parts, total);
}

/** Zstandard through zstd-napi (bundled libzstd). Levels -7 to 22; balanced is zstd's default, 3. */
export const zstdProvider: CompressionProvider = {
  name: "zstd",
  code: 5,
  levels: { min: -7, max: 22, presets: { fastest: 1, fast: 2, balanced: 3, high: 9, maximum: 19 } },
  // Window plus hash and chain tables of about the same size each.
  workingMemoryBytes: (level) => 3 * 2 ** windowLog(level),
  compressBound: (length) => binding.compressBound(length),
  compressInto: (data, level, target) => cctx.compress(target, data, level),
  compress: (data, level) => {
    const target = Buffer.allocUnsafe(binding.compressBound(data.length));
    return target.subarray(0, cctx.compress(target, data, level));
  },
  decompress: (payload, originalSize) => {
    const out = Buffer.allocUnsafe(originalSize);
    // libzstd stops with "Destination buffer is too small" rather than write past originalSize.
    const written = dctx.decompress(out, payload);
    return written === originalSize ? out : out.subarray(0, written);
  },
  decompressUnsized,
  createCompressStream: (level) => new CompressStream({ compressionLevel: level }) as Transform,
  createDecompressStream: () => new DecompressStream() as Transform,
};
