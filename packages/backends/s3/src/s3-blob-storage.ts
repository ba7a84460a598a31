import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
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
import { BACKEND, mapS3Error } from "./s3-errors.js";

export interface S3BlobSettings {
  bucket: string;
  /** Applied to documents only. */
  storageClass: string | undefined;
  /** Applied to every object. */
  serverSideEncryption: "AES256" | "aws:kms" | undefined;
  kmsKeyId: string | undefined;
  /** Object tags of documents. */
  tags: Record<string, string> | undefined;
  multipartThresholdBytes: number;
  partSizeBytes: number;
  uploadConcurrency: number;
  conditionalDelete: boolean;
  /** Destroy the client on close (false for caller-supplied clients). */
  ownsClient: boolean;
}

/** `k=v&...`, each part URL-encoded, as the `x-amz-tagging` header wants. */
export function encodeTagging(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
}

/** Raw object I/O on one S3 bucket. */
export class S3BlobStorage implements BlobStorage {
  readonly backend = BACKEND;
  readonly conditionalDelete: boolean;

  constructor(
    readonly client: S3Client,
    private readonly settings: S3BlobSettings,
  ) {
    this.conditionalDelete = settings.conditionalDelete;
  }

  async #send<R>(operation: string, key: string | undefined, call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      throw mapS3Error(error, { operation, bucket: this.settings.bucket, key });
    }
  }

  async ensureReady(signal: AbortSignal | undefined): Promise<void> {
    await this.#send("ensureReady", undefined, () =>
      this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }), { abortSignal: signal }),
    );
  }

  #putInput(
    key: string,
    body: PutObjectCommandInput["Body"],
    options: BlobPutOptions,
  ): PutObjectCommandInput {
    const s = this.settings;
    const input: PutObjectCommandInput = {
      Bucket: s.bucket,
      Key: key,
      Body: body,
      ContentType: options.contentType,
      ContentEncoding: options.contentEncoding,
      Metadata: options.metadata,
      IfMatch: options.ifMatch,
      IfNoneMatch: options.ifNoneMatch,
      ServerSideEncryption: s.serverSideEncryption,
      SSEKMSKeyId: s.kmsKeyId,
    };
    if (options.kind === "document") {
      input.StorageClass = s.storageClass as PutObjectCommandInput["StorageClass"];
      if (s.tags !== undefined && Object.keys(s.tags).length > 0) input.Tagging = encodeTagging(s.tags);
    }
    return input;
  }

  async put(key: string, bytes: Uint8Array, options: BlobPutOptions): Promise<BlobWritten> {
    const s = this.settings;
    const input = this.#putInput(key, bytes, options);
    if (bytes.byteLength <= s.multipartThresholdBytes) {
      const out = await this.#send("put", key, () =>
        this.client.send(new PutObjectCommand({ ...input, ContentLength: bytes.byteLength }), {
          abortSignal: options.signal,
        }),
      );
      return { etag: out.ETag ?? "" };
    }
    return this.#upload("put", input, options.signal);
  }

  /**
   * lib-storage's `Upload`: a body up to one part is a single PutObject, a longer one a multipart upload holding
   * at most `uploadConcurrency` parts in memory, completed (with the `IfMatch`/`IfNoneMatch` conditions) only
   * after every part is stored, and aborted on any failure, so nothing partial is ever visible.
   */
  async #upload(
    operation: string,
    input: PutObjectCommandInput,
    signal: AbortSignal | undefined,
  ): Promise<BlobWritten> {
    const s = this.settings;
    return this.#send(operation, input.Key, async () => {
      const upload = new Upload({
        client: this.client,
        params: input,
        partSize: s.partSizeBytes,
        queueSize: s.uploadConcurrency,
        leavePartsOnError: false,
        ...(signal === undefined ? {} : { abortController: abortControllerFor(signal) }),
      });
      const out = await upload.done();
      return { etag: out.ETag ?? "" };
    });
  }

  async putStream(key: string, body: Readable, options: BlobPutOptions): Promise<BlobWritten> {
    return this.#upload("putStream", this.#putInput(key, body, options), options.signal);
  }

  async get(key: string, signal: AbortSignal | undefined): Promise<BlobBody> {
    return this.#send("get", key, async () => {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }), {
        abortSignal: signal,
      });
      const bytes = out.Body === undefined ? new Uint8Array(0) : await out.Body.transformToByteArray();
      return { bytes, etag: out.ETag ?? "", size: bytes.byteLength, metadata: { ...(out.Metadata ?? {}) } };
    });
  }

  async getStream(key: string, signal: AbortSignal | undefined): Promise<BlobStream> {
    const out = await this.#send("getStream", key, () =>
      this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }), {
        abortSignal: signal,
      }),
    );
    const source = out.Body as (Readable & AsyncIterable<Uint8Array>) | undefined;
    if (source === undefined)
      throw mapS3Error(new Error("GetObject returned no body"), {
        operation: "getStream",
        bucket: this.settings.bucket,
        key,
      });
    return {
      body: mapStreamErrors(source, (error) =>
        mapS3Error(error, { operation: "getStream", bucket: this.settings.bucket, key }),
      ),
      etag: out.ETag ?? "",
      size: out.ContentLength ?? 0,
      metadata: { ...(out.Metadata ?? {}) },
    };
  }

  async head(key: string, signal: AbortSignal | undefined): Promise<BlobHead | undefined> {
    try {
      const out = await this.#send("head", key, () =>
        this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: key }), {
          abortSignal: signal,
        }),
      );
      return { etag: out.ETag ?? "", size: out.ContentLength ?? 0, metadata: { ...(out.Metadata ?? {}) } };
    } catch (error) {
      if ((error as { code?: unknown }).code === "NOT_FOUND") return undefined;
      throw error;
    }
  }

  async delete(key: string, options: BlobDeleteOptions): Promise<void> {
    await this.#send("delete", key, () =>
      this.client.send(
        new DeleteObjectCommand({
          Bucket: this.settings.bucket,
          Key: key,
          ...(options.ifMatch !== undefined && this.conditionalDelete ? { IfMatch: options.ifMatch } : {}),
        }),
        { abortSignal: options.signal },
      ),
    ).catch((error: { code?: unknown }) => {
      // A conditional delete of an object that is already gone: the goal is reached.
      if (error.code !== "NOT_FOUND") throw error;
    });
  }

  async list(request: BlobListRequest): Promise<BlobListPage> {
    const out = await this.#send("list", request.prefix, () =>
      this.client.send(
        new ListObjectsV2Command({
          Bucket: this.settings.bucket,
          Prefix: request.prefix,
          StartAfter: request.startAfter,
          Delimiter: request.delimiter,
          ContinuationToken: request.continuation,
        }),
        { abortSignal: request.signal },
      ),
    );
    return {
      items: (out.Contents ?? []).flatMap((c) => (c.Key === undefined ? [] : [{ key: c.Key, etag: c.ETag }])),
      prefixes: (out.CommonPrefixes ?? []).flatMap((p) => (p.Prefix === undefined ? [] : [p.Prefix])),
      next: out.IsTruncated ? out.NextContinuationToken : undefined,
    };
  }

  async close(): Promise<void> {
    if (this.settings.ownsClient) this.client.destroy();
  }
}

function abortControllerFor(signal: AbortSignal): AbortController {
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  return controller;
}
