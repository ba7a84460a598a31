import { hash } from "node:crypto";
import { type OptionsSpec, StoreIntegrityError, validateOptions } from "@truthound/store-core";
import { contentDefinedCuts, fixedCuts } from "./chunking.js";
import { DecompressionLimitError } from "./errors.js";
import { readVarint, varintLength, writeVarint } from "./varint.js";

/**
 * Deduplication body: version (1 B) | mode (1 B) | mode 0: the input | mode 1: original length, unique chunk
 * count, reference count (varints), then each unique chunk (varint length + bytes), then the references (varint
 * chunk index each). Chunks are matched by SHA-1 and then compared byte for byte, so a hash collision can never
 * merge different chunks: the transform is exactly reversible.
 */
const DEDUP_VERSION = 1;
const MODE_PASSTHROUGH = 0;
const MODE_DEDUPLICATED = 1;

export type ChunkingMode = "content-defined" | "fixed";

export interface DeduplicationOptions {
  /** Default `content-defined`. */
  chunking?: ChunkingMode;
  /** Average chunk size (content-defined) or block size (fixed): a power of two from 64 to 1 MiB. Default 4096. */
  chunkBytes?: number;
}

const spec: OptionsSpec<DeduplicationOptions> = {
  chunking: { type: "string" as const, oneOf: ["content-defined", "fixed"] },
  chunkBytes: {
    type: "number" as const,
    integer: true,
    min: 64,
    max: 1 << 20,
    check: (v: unknown) => (Number.isInteger(Math.log2(v as number)) ? undefined : "must be a power of two"),
  },
};

export interface DeduplicationStats {
  chunks: number;
  uniqueChunks: number;
  /** False when deduplication did not pay and the input was kept as it is. */
  deduplicated: boolean;
}

/** Replaces repeated chunks by references. Reversing needs no configuration: the body describes itself. */
export class DeduplicationTransform {
  readonly name = "deduplication";
  readonly chunking: ChunkingMode;
  readonly chunkBytes: number;
  #lastStats: DeduplicationStats = { chunks: 0, uniqueChunks: 0, deduplicated: false };

  constructor(options?: DeduplicationOptions) {
    const o = validateOptions<DeduplicationOptions>("DeduplicationTransform", options, spec);
    this.chunking = o.chunking ?? "content-defined";
    this.chunkBytes = o.chunkBytes ?? 4096;
  }

  /** Figures of the last `apply`. */
  get lastStats(): DeduplicationStats {
    return this.#lastStats;
  }

  apply(data: Uint8Array): Uint8Array {
    const cuts =
      this.chunking === "fixed"
        ? fixedCuts(data.length, this.chunkBytes)
        : contentDefinedCuts(data, {
            min: this.chunkBytes / 4,
            average: this.chunkBytes,
            max: this.chunkBytes * 4,
          });
    const unique: Uint8Array[] = [];
    const refs: number[] = [];
    const byDigest = new Map<string, number[]>();
    let start = 0;
    for (const end of cuts) {
      const chunk = data.subarray(start, end);
      start = end;
      const digest = hash("sha1", chunk, "base64");
      const candidates = byDigest.get(digest);
      let index = candidates?.find((i) => Buffer.compare(unique[i] as Uint8Array, chunk) === 0);
      if (index === undefined) {
        index = unique.length;
        unique.push(chunk);
        if (candidates) candidates.push(index);
        else byDigest.set(digest, [index]);
      }
      refs.push(index);
    }
    let size = 2 + varintLength(data.length) + varintLength(unique.length) + varintLength(refs.length);
    for (const chunk of unique) size += varintLength(chunk.length) + chunk.length;
    for (const ref of refs) size += varintLength(ref);
    if (unique.length === refs.length || size >= data.length + 2) {
      this.#lastStats = { chunks: refs.length, uniqueChunks: unique.length, deduplicated: false };
      const out = Buffer.allocUnsafe(2 + data.length);
      out[0] = DEDUP_VERSION;
      out[1] = MODE_PASSTHROUGH;
      out.set(data, 2);
      return out;
    }
    const out = Buffer.allocUnsafe(size);
    out[0] = DEDUP_VERSION;
    out[1] = MODE_DEDUPLICATED;
    let at = writeVarint(out, 2, data.length);
    at = writeVarint(out, at, unique.length);
    at = writeVarint(out, at, refs.length);
    for (const chunk of unique) {
      at = writeVarint(out, at, chunk.length);
      out.set(chunk, at);
      at += chunk.length;
    }
    for (const ref of refs) at = writeVarint(out, at, ref);
    this.#lastStats = { chunks: refs.length, uniqueChunks: unique.length, deduplicated: true };
    return out;
  }

  reverse(body: Uint8Array, maxOutputBytes: number): Uint8Array {
    return reverseDeduplication(body, maxOutputBytes);
  }
}

function bad(why: string): StoreIntegrityError {
  return new StoreIntegrityError(`Deduplicated data is corrupt: ${why}`);
}

/** Rebuilds the input of `DeduplicationTransform.apply`. Every count and index is checked before use. */
export function reverseDeduplication(body: Uint8Array, maxOutputBytes: number): Uint8Array {
  if (body.length < 2) throw bad("truncated header");
  if (body[0] !== DEDUP_VERSION) throw bad(`unknown version ${body[0]}`);
  if (body[1] === MODE_PASSTHROUGH) {
    if (body.length - 2 > maxOutputBytes) {
      throw new DecompressionLimitError("deduplication", maxOutputBytes, body.length - 2);
    }
    return body.slice(2);
  }
  if (body[1] !== MODE_DEDUPLICATED) throw bad(`unknown mode ${body[1]}`);
  const original = readVarint(body, 2, "Deduplicated length");
  if (original.value > maxOutputBytes) {
    throw new DecompressionLimitError("deduplication", maxOutputBytes, original.value);
  }
  const uniqueCount = readVarint(body, original.next, "Unique chunk count");
  const refCount = readVarint(body, uniqueCount.next, "Reference count");
  // Each chunk takes at least 2 bytes and each reference at least 1: bounds both counts by the body size.
  if (uniqueCount.value * 2 + refCount.value > body.length - refCount.next)
    throw bad("counts exceed the data");
  const chunks: Uint8Array[] = [];
  let at = refCount.next;
  for (let i = 0; i < uniqueCount.value; i++) {
    const length = readVarint(body, at, "Chunk length");
    if (length.value === 0) throw bad("empty chunk");
    const end = length.next + length.value;
    if (end > body.length) throw bad("chunk runs past the end");
    chunks.push(body.subarray(length.next, end));
    at = end;
  }
  const refs = new Array<number>(refCount.value);
  let total = 0;
  for (let i = 0; i < refCount.value; i++) {
    const ref = readVarint(body, at, "Chunk reference");
    if (ref.value >= chunks.length) throw bad(`reference ${ref.value} to a missing chunk`);
    refs[i] = ref.value;
    total += (chunks[ref.value] as Uint8Array).length;
    if (total > original.value) throw bad("references exceed the declared length");
    at = ref.next;
  }
  if (at !== body.length) throw bad("trailing bytes");
  if (total !== original.value) throw bad("references do not add up to the declared length");
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const ref of refs) {
    const chunk = chunks[ref] as Uint8Array;
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
