import type { Readable } from "node:stream";
import type { BlobItem, BlockBlobUploadOptions, ContainerClient } from "@azure/storage-blob";
import { isStoreError, StoreError } from "@truthound/store-core";
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
import { BACKEND, mapAzureError } from "./azure-errors.js";
import type { AccessTier } from "./options.js";
import { indexFromPython, indexToPython } from "./python-index-dialect.js";

/** Metadata names the object kit writes (`truthound_token`, `truthound_marker`): reserved for it. */
export const META_PREFIX = "truthound_";

export interface AzureBlobSettings {
  container: string;
  /** Content type of documents (index objects keep the kit's). */
  contentType: string | undefined;
  /** Set on documents at upload. */
  accessTier: AccessTier | undefined;
  /** Added to the metadata of documents. */
  metadata: Record<string, string> | undefined;
  blockUploadThresholdBytes: number;
  blockSizeBytes: number;
  uploadConcurrency: number;
  /** Truthound-py's `_index.json`, whose entries are translated between `blob_name` (Python) and `key` (kit). */
  pythonIndexKey: string;
}

/** Key order the kit expects: UTF-8 bytes (JS `<` compares UTF-16 units, which differs above U+FFFF). */
function utf8After(key: string, bound: string): boolean {
  return Buffer.compare(Buffer.from(key), Buffer.from(bound)) > 0;
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<Uint8Array> {
  if (stream === undefined) return new Uint8Array(0);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

/**
 * Raw blob I/O on one Azure container. The container client is resolved lazily, because the
 * DefaultAzureCredential method imports `@azure/identity` asynchronously.
 */
export class AzureBlobStorage implements BlobStorage {
  readonly backend = BACKEND;
  readonly conditionalDelete = true;
  #client: Promise<ContainerClient> | undefined;

  constructor(
    private readonly resolveClient: () => Promise<ContainerClient>,
    private readonly settings: AzureBlobSettings,
  ) {}

  /** The container client, created on first use. */
  containerClient(): Promise<ContainerClient> {
    this.#client ??= this.resolveClient().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    return this.#client;
  }

  async #call<R>(
    operation: string,
    key: string | undefined,
    work: (client: ContainerClient) => Promise<R>,
  ): Promise<R> {
    const client = await this.containerClient();
    try {
      return await work(client);
    } catch (error) {
      throw mapAzureError(error, { operation, container: this.settings.container, key });
    }
  }

  /** Lists one blob rather than reading container properties, which a container SAS may not do. */
  async ensureReady(signal: AbortSignal | undefined): Promise<void> {
    await this.#call("ensureReady", undefined, (c) =>
      c.listBlobsFlat({ abortSignal: signal }).byPage({ maxPageSize: 1 }).next(),
    );
  }

  /** Upload settings shared by `put` and `putStream`: conditions, metadata, headers and tier of documents. */
  #uploadOptions(options: BlobPutOptions): BlockBlobUploadOptions {
    const s = this.settings;
    const document = options.kind === "document";
    const metadata =
      document && s.metadata !== undefined ? { ...s.metadata, ...options.metadata } : options.metadata;
    return {
      abortSignal: options.signal,
      conditions: { ifMatch: options.ifMatch, ifNoneMatch: options.ifNoneMatch },
      metadata,
      blobHTTPHeaders: {
        blobContentType: (document ? s.contentType : undefined) ?? options.contentType,
        blobContentEncoding: options.contentEncoding,
      },
      tier: document ? s.accessTier : undefined,
    };
  }

  async put(key: string, data: Uint8Array, options: BlobPutOptions): Promise<BlobWritten> {
    const s = this.settings;
    const bytes = key === s.pythonIndexKey ? indexToPython(data) : data;
    const upload = this.#uploadOptions(options);
    return this.#call("put", key, async (c) => {
      const blob = c.getBlockBlobClient(key);
      const out =
        bytes.byteLength <= s.blockUploadThresholdBytes
          ? await blob.upload(bytes, bytes.byteLength, upload)
          : await blob.uploadData(bytes, {
              ...upload,
              maxSingleShotSize: s.blockUploadThresholdBytes,
              blockSize: s.blockSizeBytes,
              concurrency: s.uploadConcurrency,
            });
      return { etag: out.etag ?? "" };
    });
  }

  /**
   * `uploadStream`: blocks of `blockSizeBytes`, at most `uploadConcurrency` in memory and in flight, committed
   * (with the etag conditions) only after the stream ended; a failing stream commits nothing, so the blob (or its
   * previous version) is unchanged.
   */
  async putStream(key: string, body: Readable, options: BlobPutOptions): Promise<BlobWritten> {
    const s = this.settings;
    const upload = this.#uploadOptions(options);
    return this.#call("putStream", key, async (c) => {
      const out = await c
        .getBlockBlobClient(key)
        .uploadStream(body, s.blockSizeBytes, s.uploadConcurrency, upload);
      return { etag: out.etag ?? "" };
    });
  }

  /** A download of one version (the SDK resumes an interrupted body with `ifMatch` on that etag). */
  async getStream(key: string, signal: AbortSignal | undefined): Promise<BlobStream> {
    try {
      return await this.#call("getStream", key, async (c) => {
        const out = await c.getBlobClient(key).download(0, undefined, { abortSignal: signal });
        const source = out.readableStreamBody as (Readable & AsyncIterable<Uint8Array>) | undefined;
        if (source === undefined) throw new Error("download returned no body stream");
        return {
          body: mapStreamErrors(source, (error) =>
            mapAzureError(error, { operation: "getStream", container: this.settings.container, key }),
          ),
          etag: out.etag ?? "",
          size: out.contentLength ?? 0,
          metadata: { ...(out.metadata ?? {}) },
        };
      });
    } catch (error) {
      if (isStoreError(error, "READ") && error.details.accessTier === "Archive") {
        throw await this.#withArchiveStatus(key, error, signal);
      }
      throw error;
    }
  }

  async get(key: string, signal: AbortSignal | undefined): Promise<BlobBody> {
    try {
      return await this.#call("get", key, async (c) => {
        const out = await c.getBlobClient(key).download(0, undefined, { abortSignal: signal });
        const raw = await readAll(out.readableStreamBody);
        const bytes = key === this.settings.pythonIndexKey ? indexFromPython(raw) : raw;
        return { bytes, etag: out.etag ?? "", size: bytes.byteLength, metadata: { ...(out.metadata ?? {}) } };
      });
    } catch (error) {
      if (isStoreError(error, "READ") && error.details.accessTier === "Archive") {
        throw await this.#withArchiveStatus(key, error, signal);
      }
      throw error;
    }
  }

  /** Adds the rehydration state (e.g. `rehydrate-pending-to-hot`) to an archived-blob error, when readable. */
  async #withArchiveStatus(
    key: string,
    error: StoreError,
    signal: AbortSignal | undefined,
  ): Promise<StoreError> {
    const status = await this.#call("head", key, (c) =>
      c.getBlobClient(key).getProperties({ abortSignal: signal }),
    ).then(
      (p) => p.archiveStatus,
      () => undefined,
    );
    if (status === undefined) return error;
    return new StoreError(`${error.message}; archive status: ${status}`, {
      code: error.code,
      backend: error.backend,
      cause: error.cause,
      details: { ...error.details, archiveStatus: status },
    });
  }

  async head(key: string, signal: AbortSignal | undefined): Promise<BlobHead | undefined> {
    try {
      return await this.#call("head", key, async (c) => {
        const out = await c.getBlobClient(key).getProperties({ abortSignal: signal });
        return { etag: out.etag ?? "", size: out.contentLength ?? 0, metadata: { ...(out.metadata ?? {}) } };
      });
    } catch (error) {
      if (isStoreError(error, "NOT_FOUND")) return undefined;
      throw error;
    }
  }

  async delete(key: string, options: BlobDeleteOptions): Promise<void> {
    try {
      await this.#call("delete", key, (c) =>
        c.getBlobClient(key).delete({
          abortSignal: options.signal,
          deleteSnapshots: "include",
          ...(options.ifMatch === undefined ? {} : { conditions: { ifMatch: options.ifMatch } }),
        }),
      );
    } catch (error) {
      // Already gone (also under a condition): the goal is reached.
      if (!isStoreError(error, "NOT_FOUND")) throw error;
    }
  }

  /**
   * One page in ascending key order. Azure has no `StartAfter`: keys up to `startAfter` are listed and dropped
   * here, continuing through pages that hold nothing after it, so the cost is one listing request per 5,000
   * keys before `startAfter` under the prefix (keys only, no bodies).
   */
  async list(request: BlobListRequest): Promise<BlobListPage> {
    const { startAfter } = request;
    const after = (name: string) => startAfter === undefined || utf8After(name, startAfter);
    // A common prefix may hold keys after `startAfter` when `startAfter` lies inside it.
    const prefixAfter = (name: string) => after(name) || (startAfter?.startsWith(name) ?? false);
    let continuation = request.continuation;
    for (;;) {
      const page = await this.#listPage(request, continuation);
      const items = page.items.filter((item) => after(item.name));
      const prefixes = page.prefixes.filter(prefixAfter);
      if (items.length > 0 || prefixes.length > 0 || page.next === undefined) {
        return {
          items: items.map((item) => ({ key: item.name, etag: item.properties.etag })),
          prefixes,
          next: page.next,
        };
      }
      continuation = page.next;
    }
  }

  async #listPage(
    request: BlobListRequest,
    continuation: string | undefined,
  ): Promise<{ items: BlobItem[]; prefixes: string[]; next: string | undefined }> {
    return this.#call("list", request.prefix, async (c) => {
      const byPage = { continuationToken: continuation };
      if (request.delimiter === undefined) {
        const { value } = await c
          .listBlobsFlat({ prefix: request.prefix, abortSignal: request.signal })
          .byPage(byPage)
          .next();
        return {
          items: value?.segment.blobItems ?? [],
          prefixes: [],
          next: value?.continuationToken || undefined,
        };
      }
      const { value } = await c
        .listBlobsByHierarchy(request.delimiter, { prefix: request.prefix, abortSignal: request.signal })
        .byPage(byPage)
        .next();
      return {
        items: value?.segment.blobItems ?? [],
        prefixes: (value?.segment.blobPrefixes ?? []).map((prefix: { name: string }) => prefix.name),
        next: value?.continuationToken || undefined,
      };
    });
  }

  /** Sets the access tier of one blob (Archive makes it unreadable until rehydrated to Hot, Cool or Cold). */
  async setTier(key: string, tier: AccessTier, signal: AbortSignal | undefined): Promise<void> {
    await this.#call("setAccessTier", key, (c) =>
      c.getBlobClient(key).setAccessTier(tier, { abortSignal: signal }),
    );
  }

  /** Azure clients hold no resources beyond pooled sockets: nothing to release. */
  async close(): Promise<void> {}
}
