import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Bucket, CreateWriteStreamOptions, File, FileMetadata, Storage } from "@google-cloud/storage";
import { isStoreError, StoreConflictError, withRetry } from "@truthound/store-core";
import type {
  BlobBody,
  BlobDeleteOptions,
  BlobHead,
  BlobListPage,
  BlobListRequest,
  BlobPutOptions,
  BlobStorage,
  BlobStream,
  BlobWritten,
} from "@truthound/store-object-kit";
import { mapStreamErrors } from "@truthound/store-object-kit";
import { BACKEND, mapGCSError } from "./gcs-errors.js";
import { fromGcsPythonIndex, toGcsPythonIndex } from "./python-index-dialect.js";

export interface GCSBlobSettings {
  bucket: string;
  /** Documents larger than this go through a resumable upload. */
  resumableThresholdBytes: number;
  /** Truthound-py's `_index.json` key, whose entries GCS writes with `blob_name` (see python-index-dialect). */
  pythonIndexKey: string;
  /** Retries of a read (metadata, download, listing) cut by the network. */
  readRetries: number;
}

const PAGE_SIZE = 1000;
/** A read retries when the object is replaced between its metadata and its bytes; this bounds the retries. */
const MAX_READ_ATTEMPTS = 10;

/** Generations are decimal integers; an etag that is not one cannot match any object. */
const GENERATION = /^[1-9]\d*$/;

function generationOf(metadata: FileMetadata): string {
  return String(metadata.generation ?? "");
}

function userMetadata(metadata: FileMetadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata.metadata ?? {})) {
    if (v !== null && v !== undefined) out[k] = String(v);
  }
  return out;
}

function headOf(metadata: FileMetadata): BlobHead {
  return { etag: generationOf(metadata), size: Number(metadata.size ?? 0), metadata: userMetadata(metadata) };
}

function conflict(key: string, why: string): StoreConflictError {
  return new StoreConflictError(`gcs.put gs://${key}: ${why}`, { backend: BACKEND });
}

/**
 * Raw object I/O on one GCS bucket. The etag is the object's generation, so `ifMatch`/`ifNoneMatch` become
 * `ifGenerationMatch` preconditions. Bytes are read with `decompress: false`: a document stored with
 * `Content-Encoding: gzip` (as Truthound-py stores them) comes back as the stored gzip bytes whatever
 * transcoding the server offers, and core's serializer recognises gzip.
 */
export class GCSBlobStorage implements BlobStorage {
  readonly backend = BACKEND;
  readonly conditionalDelete = true;
  readonly bucket: Bucket;

  constructor(
    readonly client: Storage,
    private readonly settings: GCSBlobSettings,
  ) {
    this.bucket = client.bucket(settings.bucket);
  }

  async #call<R>(
    operation: string,
    key: string | undefined,
    signal: AbortSignal | undefined,
    call: () => Promise<R>,
  ): Promise<R> {
    // The SDK takes no AbortSignal: an aborted operation sends no further requests.
    signal?.throwIfAborted();
    try {
      return await call();
    } catch (error) {
      throw mapGCSError(error, { operation, bucket: this.settings.bucket, key });
    }
  }

  /**
   * A read-only call, retried when the network cut it. The SDK's own retries miss a connection reset while
   * the response is read ("socket hang up") and media downloads, so reads retry here as well.
   */
  #read<R>(
    operation: string,
    key: string | undefined,
    signal: AbortSignal | undefined,
    call: () => Promise<R>,
  ): Promise<R> {
    return withRetry(() => this.#call(operation, key, signal, call), {
      retries: this.settings.readRetries,
      baseDelayMs: 50,
      maxDelayMs: 1_000,
      isRetryable: (e) => isStoreError(e, "CONNECTION") && e.retryable,
      ...(signal === undefined ? {} : { signal }),
    });
  }

  async ensureReady(signal: AbortSignal | undefined): Promise<void> {
    // Listing needs only object permissions (unlike reading the bucket's metadata), and 404s on a missing bucket.
    await this.#call("ensureReady", undefined, signal, () =>
      this.bucket.getFiles({ maxResults: 1, autoPaginate: false }),
    );
  }

  /** Upload settings shared by `put` and `putStream`: preconditions from the etag conditions, metadata. */
  #uploadOptions(key: string, options: BlobPutOptions): CreateWriteStreamOptions {
    let ifGenerationMatch: string | number | undefined;
    if (options.ifNoneMatch === "*") ifGenerationMatch = 0;
    else if (options.ifMatch !== undefined) {
      if (!GENERATION.test(options.ifMatch)) throw conflict(key, `etag ${options.ifMatch} is no generation`);
      ifGenerationMatch = options.ifMatch;
    }
    return {
      gzip: false,
      contentType: options.contentType,
      metadata: {
        contentType: options.contentType,
        ...(options.contentEncoding === undefined ? {} : { contentEncoding: options.contentEncoding }),
        ...(options.metadata === undefined ? {} : { metadata: { ...options.metadata } }),
      },
      ...(ifGenerationMatch === undefined ? {} : { preconditionOpts: { ifGenerationMatch } }),
    };
  }

  async put(key: string, bytes: Uint8Array, options: BlobPutOptions): Promise<BlobWritten> {
    const upload = this.#uploadOptions(key, options);
    let body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (key === this.settings.pythonIndexKey) body = Buffer.from(toGcsPythonIndex(body));
    const file = this.bucket.file(key);
    await this.#call("put", key, options.signal, () =>
      file.save(body, { ...upload, resumable: body.byteLength > this.settings.resumableThresholdBytes }),
    );
    return { etag: generationOf(file.metadata) };
  }

  /**
   * A resumable upload fed from the stream: the object is finalized (and its precondition checked) only when
   * the stream ends; a failing stream destroys the upload, so no object or generation appears.
   */
  async putStream(key: string, body: Readable, options: BlobPutOptions): Promise<BlobWritten> {
    const upload = this.#uploadOptions(key, options);
    const file = this.bucket.file(key);
    await this.#call("putStream", key, options.signal, () =>
      pipeline(body, file.createWriteStream({ ...upload, resumable: true }), {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      }),
    );
    return { etag: generationOf(file.metadata) };
  }

  /**
   * The metadata, then a read of exactly that generation; the first chunk is awaited here, so a version replaced
   * in between is retried like `get` and the stream returned always matches the etag and metadata.
   */
  async getStream(key: string, signal: AbortSignal | undefined): Promise<BlobStream> {
    for (let attempt = 1; ; attempt++) {
      const [metadata] = await this.#call("getStream", key, signal, () =>
        this.bucket.file(key).getMetadata(),
      );
      const pinned = this.bucket.file(key, { generation: generationOf(metadata) });
      const source = pinned.createReadStream({ decompress: false });
      const body = mapStreamErrors(source, (error) =>
        mapGCSError(error, { operation: "getStream", bucket: this.settings.bucket, key }),
      );
      const iterator = body[Symbol.asyncIterator]();
      try {
        const first = await iterator.next();
        return { ...headOf(metadata), body: Readable.from(resume(first, iterator), { objectMode: false }) };
      } catch (error) {
        body.destroy();
        if ((error as { code?: unknown }).code !== "NOT_FOUND" || attempt >= MAX_READ_ATTEMPTS) throw error;
      }
    }
  }

  /** The metadata, then the bytes of exactly that generation, so etag, metadata and bytes always agree. */
  async get(key: string, signal: AbortSignal | undefined): Promise<BlobBody> {
    for (let attempt = 1; ; attempt++) {
      const [metadata] = await this.#read("get", key, signal, () => this.bucket.file(key).getMetadata());
      const generation = generationOf(metadata);
      const pinned: File = this.bucket.file(key, { generation });
      try {
        const [bytes] = await this.#read("get", key, signal, () => pinned.download({ decompress: false }));
        const body = key === this.settings.pythonIndexKey ? fromGcsPythonIndex(bytes) : new Uint8Array(bytes);
        return { ...headOf(metadata), bytes: body, size: body.byteLength };
      } catch (error) {
        // Replaced (or deleted) between the two requests: read the current version.
        if ((error as { code?: unknown }).code !== "NOT_FOUND" || attempt >= MAX_READ_ATTEMPTS) throw error;
      }
    }
  }

  async head(key: string, signal: AbortSignal | undefined): Promise<BlobHead | undefined> {
    try {
      const [metadata] = await this.#read("head", key, signal, () => this.bucket.file(key).getMetadata());
      return headOf(metadata);
    } catch (error) {
      if ((error as { code?: unknown }).code === "NOT_FOUND") return undefined;
      throw error;
    }
  }

  async delete(key: string, options: BlobDeleteOptions): Promise<void> {
    if (options.ifMatch !== undefined && !GENERATION.test(options.ifMatch)) {
      throw conflict(key, `etag ${options.ifMatch} is no generation`);
    }
    await this.#call("delete", key, options.signal, () =>
      this.bucket.file(key).delete({
        ignoreNotFound: true,
        ...(options.ifMatch === undefined ? {} : { ifGenerationMatch: options.ifMatch }),
      }),
    );
  }

  async list(request: BlobListRequest): Promise<BlobListPage> {
    const [files, next, response] = await this.#read("list", undefined, request.signal, () =>
      this.bucket.getFiles({
        prefix: request.prefix,
        maxResults: PAGE_SIZE,
        autoPaginate: false,
        ...(request.delimiter === undefined ? {} : { delimiter: request.delimiter }),
        // GCS's startOffset is inclusive; the key equal to startAfter is dropped below.
        ...(request.startAfter === undefined ? {} : { startOffset: request.startAfter }),
        ...(request.continuation === undefined ? {} : { pageToken: request.continuation }),
      }),
    );
    const prefixes = (response as { prefixes?: unknown } | undefined)?.prefixes;
    return {
      items: files
        .filter((f) => f.name !== request.startAfter)
        .map((f) => ({ key: f.name, etag: generationOf(f.metadata) })),
      prefixes: Array.isArray(prefixes) ? prefixes.filter((p): p is string => typeof p === "string") : [],
      next: typeof next?.pageToken === "string" ? next.pageToken : undefined,
    };
  }

  /** `Storage` holds no sockets or timers of its own (requests use the shared HTTP agent): nothing to release. */
  async close(): Promise<void> {}
}

/** The chunk already read, then the rest of the iterator. */
async function* resume(
  first: IteratorResult<Uint8Array>,
  rest: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  if (first.done) return;
  yield first.value;
  try {
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  } finally {
    await rest.return?.();
  }
}
