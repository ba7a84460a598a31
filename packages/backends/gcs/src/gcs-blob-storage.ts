import type { Bucket, File, FileMetadata, Storage } from "@google-cloud/storage";
import { StoreConflictError } from "@truthound/store-core";
import type {
  BlobBody,
  BlobDeleteOptions,
  BlobHead,
  BlobListPage,
  BlobListRequest,
  BlobPutOptions,
  BlobStorage,
  BlobWritten,
} from "@truthound/store-object-kit";
import { BACKEND, mapGCSError } from "./gcs-errors.js";
import { fromGcsPythonIndex, toGcsPythonIndex } from "./python-index-dialect.js";

export interface GCSBlobSettings {
  bucket: string;
  /** Documents larger than this go through a resumable upload. */
  resumableThresholdBytes: number;
  /** Truthound-py's `_index.json` key, whose entries GCS writes with `blob_name` (see python-index-dialect). */
  pythonIndexKey: string;
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

  async ensureReady(signal: AbortSignal | undefined): Promise<void> {
    // Listing needs only object permissions (unlike reading the bucket's metadata), and 404s on a missing bucket.
    await this.#call("ensureReady", undefined, signal, () =>
      this.bucket.getFiles({ maxResults: 1, autoPaginate: false }),
    );
  }

  async put(key: string, bytes: Uint8Array, options: BlobPutOptions): Promise<BlobWritten> {
    let ifGenerationMatch: string | number | undefined;
    if (options.ifNoneMatch === "*") ifGenerationMatch = 0;
    else if (options.ifMatch !== undefined) {
      if (!GENERATION.test(options.ifMatch)) throw conflict(key, `etag ${options.ifMatch} is no generation`);
      ifGenerationMatch = options.ifMatch;
    }
    let body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (key === this.settings.pythonIndexKey) body = Buffer.from(toGcsPythonIndex(body));
    const file = this.bucket.file(key);
    await this.#call("put", key, options.signal, () =>
      file.save(body, {
        resumable: body.byteLength > this.settings.resumableThresholdBytes,
        gzip: false,
        contentType: options.contentType,
        metadata: {
          contentType: options.contentType,
          ...(options.contentEncoding === undefined ? {} : { contentEncoding: options.contentEncoding }),
          ...(options.metadata === undefined ? {} : { metadata: { ...options.metadata } }),
        },
        ...(ifGenerationMatch === undefined ? {} : { preconditionOpts: { ifGenerationMatch } }),
      }),
    );
    return { etag: generationOf(file.metadata) };
  }

  /** The metadata, then the bytes of exactly that generation, so etag, metadata and bytes always agree. */
  async get(key: string, signal: AbortSignal | undefined): Promise<BlobBody> {
    for (let attempt = 1; ; attempt++) {
      const [metadata] = await this.#call("get", key, signal, () => this.bucket.file(key).getMetadata());
      const generation = generationOf(metadata);
      const pinned: File = this.bucket.file(key, { generation });
      try {
        const [bytes] = await this.#call("get", key, signal, () => pinned.download({ decompress: false }));
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
      const [metadata] = await this.#call("head", key, signal, () => this.bucket.file(key).getMetadata());
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
    const [files, next, response] = await this.#call("list", undefined, request.signal, () =>
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
