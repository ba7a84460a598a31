import { pipeline, Readable } from "node:stream";
import * as zlib from "node:zlib";
import {
  type ChainHeaderEntry,
  type Codec,
  hasChainMagic,
  type IndexEntry,
  InvalidArgumentError,
  isPlainObject,
  isStoreError,
  readChainHeader,
  resolveCodec,
  type SaveOptions,
  StoreIntegrityError,
  StoreWriteError,
  UnsupportedOperationError,
  validateId,
  type WriteConditions,
  writeChainHeader,
} from "@truthound/store-core";
import type { DocumentFormat } from "./key-layout.js";

/** A document's JSON bytes as a stream: a Node `Readable`, a web `ReadableStream`, or any async iterable. */
export type DocumentSource = AsyncIterable<Uint8Array>;

/** Bytes a document must start with before its format can be told (magic, version, header length). */
const SNIFF_BYTES = 7;

const ignore = () => undefined;

/** Throws `INVALID_ARGUMENT` unless `body` can be iterated asynchronously. */
export function checkDocumentSource(body: unknown): asserts body is DocumentSource {
  if (typeof (body as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] !== "function") {
    throw new InvalidArgumentError(
      "The document body must be an AsyncIterable<Uint8Array> (a Node Readable or a web ReadableStream)",
    );
  }
}

/** Throws `UNSUPPORTED` when a codec of the chain has no streaming form for this direction. */
export function requireStreamingCodecs(codecs: readonly Codec[], direction: "encode" | "decode"): void {
  const method = direction === "encode" ? "encodeStream" : "decodeStream";
  const missing = codecs.filter((codec) => typeof codec[method] !== "function").map((codec) => codec.id);
  if (missing.length > 0) {
    throw new UnsupportedOperationError(
      `Codec${missing.length > 1 ? "s" : ""} ${missing.map((id) => `'${id}'`).join(", ")} cannot ${direction} a stream (no ${method}); use save/get or a chain of streaming codecs`,
      { details: { codecs: missing } },
    );
  }
}

/** The caller's chunks, checked; a failure of the caller's stream becomes `WRITE` with it as the cause. */
async function* sourceChunks(body: DocumentSource): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) {
      if (!(chunk instanceof Uint8Array)) {
        throw new InvalidArgumentError(
          `The document body yielded a ${typeof chunk} chunk; only Uint8Array (Buffer) chunks are accepted`,
        );
      }
      yield chunk;
    }
  } catch (error) {
    if (isStoreError(error)) throw error;
    throw new StoreWriteError(
      `The document body stream failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

async function* prepend(first: Uint8Array, rest: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield first;
  yield* rest;
}

/**
 * The bytes to store for a document streamed in the given format: as given (`json`), gzip (`gzip`, as
 * `useCompression` stores), or framed by the codec chain's header and passed through each codec's
 * `encodeStream` (`codec`). Memory stays bounded by the streams' buffers.
 */
export function encodeDocumentStream(
  body: DocumentSource,
  format: DocumentFormat,
  codecs: readonly Codec[],
): Readable {
  const chunks = Readable.from(sourceChunks(body), { objectMode: false });
  if (format === "json") return chunks;
  if (format === "gzip") return pipeline(chunks, zlib.createGzip(), ignore);
  requireStreamingCodecs(codecs, "encode");
  const entries: ChainHeaderEntry[] = codecs.map((c) => ({ id: c.id, v: c.version, p: c.headerParams() }));
  const header = writeChainHeader(entries);
  let web = Readable.toWeb(chunks) as ReadableStream<Uint8Array>;
  for (const [i, codec] of codecs.entries()) {
    const transform = (codec.encodeStream as NonNullable<Codec["encodeStream"]>)({
      aad: header,
      params: (entries[i] as ChainHeaderEntry).p,
    });
    web = web.pipeThrough(transform);
  }
  return Readable.from(prepend(header, web as unknown as AsyncIterable<Uint8Array>), { objectMode: false });
}

/** Reads an async iterator chunk by chunk, keeping what was read until the format is known. */
class Sniffer {
  prefix: Buffer = Buffer.alloc(0);
  constructor(private readonly iterator: AsyncIterator<Uint8Array>) {}

  /** Reads until `length` bytes are buffered or the stream ends. */
  async fill(length: number): Promise<void> {
    while (this.prefix.length < length) {
      const next = await this.iterator.next();
      if (next.done) return;
      this.prefix = Buffer.concat([this.prefix, next.value]);
    }
  }

  /** The unread bytes after `offset` of the prefix, then the rest of the stream. */
  async *rest(offset: number): AsyncGenerator<Uint8Array> {
    if (offset < this.prefix.length) yield this.prefix.subarray(offset);
    for (;;) {
      const next = await this.iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
}

/**
 * A stored document's JSON bytes, from the stored bytes, whatever format they are in (told by their first bytes,
 * as `get` does): codec-framed (each codec's `decodeStream`, in reverse), gzip, or plain JSON. Corrupt or
 * truncated data is `INTEGRITY`; errors of the stored stream pass through.
 */
export async function* decodeDocumentStream(
  stored: AsyncIterable<Uint8Array>,
  codecs: readonly Codec[],
): AsyncGenerator<Uint8Array> {
  const iterator = stored[Symbol.asyncIterator]();
  try {
    const sniffer = new Sniffer(iterator);
    await sniffer.fill(SNIFF_BYTES);
    const head = sniffer.prefix;
    if (hasChainMagic(head)) {
      yield* decodeFramed(sniffer, codecs);
    } else if (head[0] === 0x1f && head[1] === 0x8b) {
      yield* gunzipStream(sniffer.rest(0));
    } else {
      yield* sniffer.rest(0);
    }
  } finally {
    await iterator.return?.();
  }
}

async function* gunzipStream(compressed: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const gunzip = pipeline(Readable.from(compressed, { objectMode: false }), zlib.createGunzip(), ignore);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    if (isStoreError(error)) throw error;
    throw new StoreIntegrityError("Stored gzip document is corrupt or truncated", { cause: error });
  } finally {
    gunzip.destroy();
  }
}

async function* decodeFramed(sniffer: Sniffer, codecs: readonly Codec[]): AsyncGenerator<Uint8Array> {
  const declared = SNIFF_BYTES + (((sniffer.prefix[5] ?? 0) << 8) | (sniffer.prefix[6] ?? 0));
  await sniffer.fill(declared);
  const { entries, headerBytes } = readChainHeader(sniffer.prefix);
  const chain = entries.map((entry) => {
    const codec = resolveCodec(entry.id, entry.p, codecs);
    if (entry.v > codec.version) {
      throw new StoreIntegrityError(
        `Codec '${entry.id}' version ${entry.v} is newer than this one (${codec.version})`,
      );
    }
    return { entry, codec };
  });
  requireStreamingCodecs(
    chain.map((c) => c.codec),
    "decode",
  );
  let current = Readable.toWeb(
    Readable.from(sniffer.rest(headerBytes.length), { objectMode: false }),
  ) as ReadableStream<Uint8Array>;
  for (const { entry, codec } of chain.reverse()) {
    const decode = codec.decodeStream as NonNullable<Codec["decodeStream"]>;
    current = current.pipeThrough(decode({ aad: headerBytes, params: entry.p }));
  }
  try {
    for await (const chunk of current as unknown as AsyncIterable<Uint8Array>) yield chunk;
  } catch (error) {
    if (isStoreError(error)) throw error;
    throw new StoreIntegrityError("The codec chain could not decode the stored document", { cause: error });
  }
}

/** The index fields of a streamed document, checked as `save` checks an item's: `INVALID_ARGUMENT` otherwise. */
export function checkStreamEntry(entry: unknown): IndexEntry {
  if (!isPlainObject(entry)) {
    throw new InvalidArgumentError("entry must be an object with id, dataAsset, runTimeMs, status and tags");
  }
  const id = validateId(entry.id);
  const fail = (field: string, why: string): never => {
    throw new InvalidArgumentError(`entry.${field} ${why}`, { id });
  };
  const { dataAsset, runTimeMs, status, tags } = entry;
  if (typeof dataAsset !== "string") fail("dataAsset", "must be a string");
  if (typeof runTimeMs !== "number" || !Number.isFinite(runTimeMs))
    fail("runTimeMs", "must be a finite number");
  if (typeof status !== "string" || status === "") fail("status", "must be a non-empty string");
  const copy: Record<string, string> = {};
  if (tags !== undefined) {
    if (!isPlainObject(tags)) fail("tags", "must be an object of strings");
    for (const [k, v] of Object.entries(tags as Record<string, unknown>)) {
      if (typeof v !== "string") fail(`tags.${k}`, "must be a string");
      copy[k] = v as string;
    }
  }
  return {
    id,
    dataAsset: dataAsset as string,
    runTimeMs: runTimeMs as number,
    status: status as string,
    tags: copy,
  };
}

/** `ifMatch` / `ifNoneMatch` checked as `save` checks them. */
export function writeConditionsOf(options: SaveOptions | undefined, id: string): WriteConditions {
  if (options?.ifMatch !== undefined && options.ifNoneMatch !== undefined) {
    throw new InvalidArgumentError("ifMatch and ifNoneMatch cannot be combined", { id });
  }
  if (options?.ifNoneMatch !== undefined && options.ifNoneMatch !== "*") {
    throw new InvalidArgumentError('ifNoneMatch only accepts "*"', { id });
  }
  if (options?.ifMatch !== undefined && (typeof options.ifMatch !== "string" || options.ifMatch === "")) {
    throw new InvalidArgumentError("ifMatch must be a non-empty etag string", { id });
  }
  return options?.ifMatch !== undefined || options?.ifNoneMatch !== undefined
    ? { ifMatch: options.ifMatch, ifNoneMatch: options.ifNoneMatch }
    : {};
}
