import type { Readable } from "node:stream";

/**
 * The raw blob I/O an object-store backend (S3, GCS, Azure Blob) provides. Everything above it (document layout,
 * index, conditional-write loops, Python compatibility) lives in `ObjectStore`.
 *
 * Errors are `StoreError`s: a missing object on `get` is `NOT_FOUND`, a failed precondition is `CONFLICT`, a
 * network failure is a retryable `CONNECTION`, a denied request `PERMISSION`.
 */
export interface BlobStorage {
  /** Backend name used in errors, e.g. "s3". */
  readonly backend: string;
  /** `delete` honours `ifMatch` on the server (otherwise the condition is refused with `UNSUPPORTED`). */
  readonly conditionalDelete: boolean;
  /** Checks the bucket or container exists and is reachable; a missing one is `CONNECTION` naming it. */
  ensureReady(signal: AbortSignal | undefined): Promise<void>;
  /** Writes a whole object atomically. A failed `ifMatch`/`ifNoneMatch` is `CONFLICT`. Returns the new etag. */
  put(key: string, bytes: Uint8Array, options: BlobPutOptions): Promise<BlobWritten>;
  /** Reads a whole object; `NOT_FOUND` when absent. */
  get(key: string, signal: AbortSignal | undefined): Promise<BlobBody>;
  /** Metadata of an object, or undefined when absent. */
  head(key: string, signal: AbortSignal | undefined): Promise<BlobHead | undefined>;
  /** Deletes an object; deleting an absent object is not an error. A failed `ifMatch` is `CONFLICT`. */
  delete(key: string, options: BlobDeleteOptions): Promise<void>;
  /** One page of keys under a prefix, in ascending UTF-8 byte order of keys. */
  list(request: BlobListRequest): Promise<BlobListPage>;
  /** Releases clients the storage created (not caller-supplied ones). */
  close(): Promise<void>;
  /**
   * Writes an object of unknown length from a stream with bounded memory (multipart, resumable or block upload).
   * Atomic like `put`: the object (or its new version) appears only once the whole body is stored; when the
   * body or the upload fails, nothing is visible and any previous version stays. Optional: a storage without
   * it gives a store without streaming.
   */
  putStream?(key: string, body: Readable, options: BlobPutOptions): Promise<BlobWritten>;
  /**
   * Opens an object for reading as a stream: resolves once the object is known to exist (`NOT_FOUND` when
   * absent); errors while reading are `StoreError`s emitted by `body`. Etag, metadata and bytes belong to one
   * version.
   */
  getStream?(key: string, signal: AbortSignal | undefined): Promise<BlobStream>;
}

export interface BlobStream extends BlobHead {
  body: Readable;
}

/** What an object is: backends apply per-kind settings (storage class, tags) to documents only. */
export type BlobKind = "document" | "index";

export interface BlobPutOptions {
  kind: BlobKind;
  ifMatch?: string | undefined;
  ifNoneMatch?: "*" | undefined;
  /** User metadata: keys are lower-case `[a-z0-9_]`, values ASCII. */
  metadata?: Record<string, string> | undefined;
  contentType: string;
  contentEncoding?: string | undefined;
  signal: AbortSignal | undefined;
}

export interface BlobWritten {
  etag: string;
}

export interface BlobHead {
  etag: string;
  size: number;
  metadata: Record<string, string>;
}

export interface BlobBody extends BlobHead {
  bytes: Uint8Array;
}

export interface BlobDeleteOptions {
  ifMatch?: string | undefined;
  signal: AbortSignal | undefined;
}

export interface BlobListRequest {
  prefix: string;
  /** Only keys strictly after this one (S3 `StartAfter`; emulated by the backend where not native). */
  startAfter?: string | undefined;
  /** Groups keys by the next `delimiter` after the prefix into `prefixes`. */
  delimiter?: string | undefined;
  /** From a previous page's `next`. */
  continuation?: string | undefined;
  signal: AbortSignal | undefined;
}

export interface BlobListItem {
  key: string;
  etag: string | undefined;
}

export interface BlobListPage {
  items: BlobListItem[];
  /** With a delimiter: the distinct key prefixes up to and including the delimiter. */
  prefixes: string[];
  /** Continuation for the next page; undefined on the last page. */
  next: string | undefined;
}

/** Lists every page under a request, yielding items and prefixes as they come. */
export async function* listAll(
  storage: BlobStorage,
  request: Omit<BlobListRequest, "continuation">,
): AsyncGenerator<BlobListPage> {
  let continuation: string | undefined;
  do {
    const page = await storage.list({ ...request, continuation });
    yield page;
    continuation = page.next;
  } while (continuation !== undefined);
}
