import type { Transform } from "node:stream";
import type { CompressionLevelRange } from "./levels.js";

/**
 * One compression algorithm, as a package registers it with `registerCompressor`. `compress`/`decompress` see
 * only the payload; framing, incompressible detection and size limits are done once, around every provider.
 */
export interface CompressionProvider {
  /** Name used by `getCompressor`, e.g. "gzip". */
  readonly name: string;
  /** Stable byte written into frames: 1-63 are this project's algorithms, 128-255 are free for applications. */
  readonly code: number;
  readonly levels: CompressionLevelRange;
  /** Working memory of one compression at `level`, from the library's documented window and table sizes. */
  workingMemoryBytes(level: number): number;
  compress(data: Uint8Array, level: number): Uint8Array;
  /**
   * Optional zero-copy form: compress into `target` (at least `compressBound(data.length)` bytes) and return the
   * bytes written. Lets the frame header and payload share one buffer.
   */
  compressInto?(data: Uint8Array, level: number, target: Uint8Array): number;
  compressBound?(length: number): number;
  /** Must return exactly `originalSize` bytes, or throw. Never allocates more than `originalSize`. */
  decompress(payload: Uint8Array, originalSize: number): Uint8Array;
  /** For frames of unknown size (streamed): must throw `DecompressionLimitError` past `maxOutputBytes`. */
  decompressUnsized?(payload: Uint8Array, maxOutputBytes: number): Uint8Array;
  /** Streaming forms (node:stream Transforms) over the algorithm's standard stream format. */
  createCompressStream?(level: number): Transform;
  createDecompressStream?(): Transform;
}
