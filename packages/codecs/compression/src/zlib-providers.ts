import * as zlib from "node:zlib";
import { DecompressionLimitError } from "./errors.js";
import type { CompressionProvider } from "./provider.js";

type SyncCodec = (data: Uint8Array, options: zlib.ZlibOptions | zlib.BrotliOptions) => Buffer;

// One output chunk the size of the result: node:zlib then returns it without concatenating chunks.
function sizedOptions(originalSize: number): zlib.ZlibOptions {
  return { maxOutputLength: originalSize, chunkSize: Math.max(64, originalSize + 1) };
}

function unsized(name: string, inflate: SyncCodec) {
  return (payload: Uint8Array, maxOutputBytes: number): Uint8Array => {
    try {
      return inflate(payload, { maxOutputLength: Math.max(1, maxOutputBytes), chunkSize: 1 << 20 });
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
        throw new DecompressionLimitError(name, maxOutputBytes);
      }
      throw error;
    }
  };
}

// deflate (RFC 1951) keeps a 32 KiB window and, at the default memLevel 8, 2 x 128 KiB of tables.
const DEFLATE_MEMORY_BYTES = (1 << 17) + (1 << 17);
const DEFLATE_LEVELS = { min: 1, max: 9, presets: { fastest: 1, fast: 3, balanced: 6, high: 8, maximum: 9 } };

function deflateFamily(
  name: string,
  code: number,
  deflate: SyncCodec,
  inflate: SyncCodec,
  createCompress: (options: zlib.ZlibOptions) => zlib.Gzip | zlib.DeflateRaw | zlib.Deflate,
  createDecompress: (options: zlib.ZlibOptions) => zlib.Gunzip | zlib.InflateRaw | zlib.Inflate,
): CompressionProvider {
  return {
    name,
    code,
    levels: DEFLATE_LEVELS,
    workingMemoryBytes: () => DEFLATE_MEMORY_BYTES,
    compress: (data, level) => deflate(data, { level }),
    decompress: (payload, originalSize) => inflate(payload, sizedOptions(originalSize)),
    decompressUnsized: unsized(name, inflate),
    createCompressStream: (level) => createCompress({ level }),
    createDecompressStream: () => createDecompress({ chunkSize: 1 << 16 }),
  };
}

/** gzip (RFC 1952): interoperable with `gzip`, Python's `gzip` module and every HTTP stack. */
export const gzipProvider = deflateFamily(
  "gzip",
  1,
  zlib.gzipSync,
  zlib.gunzipSync,
  zlib.createGzip,
  zlib.createGunzip,
);

/** Raw deflate (RFC 1951): no header and no checksum, the smallest deflate form. */
export const deflateRawProvider = deflateFamily(
  "deflate-raw",
  2,
  zlib.deflateRawSync,
  zlib.inflateRawSync,
  zlib.createDeflateRaw,
  zlib.createInflateRaw,
);

/** zlib (RFC 1950): deflate with a 2-byte header and an Adler-32 checksum; what Python's "deflate" writes. */
export const zlibProvider = deflateFamily(
  "zlib",
  3,
  zlib.deflateSync,
  zlib.inflateSync,
  zlib.createDeflate,
  zlib.createInflate,
);

const { BROTLI_PARAM_QUALITY, BROTLI_PARAM_SIZE_HINT } = zlib.constants;

function brotliOptions(level: number, sizeHint: number): zlib.BrotliOptions {
  return { params: { [BROTLI_PARAM_QUALITY]: level, [BROTLI_PARAM_SIZE_HINT]: sizeHint } };
}

/** Brotli (RFC 7932) at the default 4 MiB window (lgwin 22). */
export const brotliProvider: CompressionProvider = {
  name: "brotli",
  code: 4,
  levels: { min: 0, max: 11, presets: { fastest: 1, fast: 3, balanced: 5, high: 9, maximum: 11 } },
  // The ring buffer is the 4 MiB window; qualities 10-11 add the Zopfli-style model (~4x the window).
  workingMemoryBytes: (level) => (level <= 1 ? 1 << 20 : level <= 9 ? 6 << 20 : 20 << 20),
  compress: (data, level) => zlib.brotliCompressSync(data, brotliOptions(level, data.length)),
  decompress: (payload, originalSize) => zlib.brotliDecompressSync(payload, sizedOptions(originalSize)),
  decompressUnsized: unsized("brotli", zlib.brotliDecompressSync),
  createCompressStream: (level) => zlib.createBrotliCompress(brotliOptions(level, 0)),
  createDecompressStream: () => zlib.createBrotliDecompress({ chunkSize: 1 << 16 }),
};

export const ZLIB_PROVIDERS: readonly CompressionProvider[] = [
  gzipProvider,
  deflateRawProvider,
  zlibProvider,
  brotliProvider,
];
