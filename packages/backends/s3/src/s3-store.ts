import type { S3Client } from "@aws-sdk/client-s3";
import type { ValidationResult } from "@truthound/store-core";
import { ObjectStore } from "@truthound/store-object-kit";
import { type S3StoreOptions, validateS3Options } from "./options.js";
import { S3BlobStorage } from "./s3-blob-storage.js";
import { createS3Client } from "./s3-client.js";

const MIB = 1024 * 1024;

/**
 * Validation results (or any item type) in an S3 bucket, in Truthound-py's layout. See the package README for
 * the index design, options and errors.
 */
export class S3Store<T = ValidationResult> extends ObjectStore<T> {
  readonly bucket: string;
  readonly client: S3Client;

  constructor(options: S3StoreOptions<T>) {
    const o = validateS3Options<T>(options);
    const client = o.client ?? createS3Client(o as S3StoreOptions<unknown>);
    const partSizeBytes = o.partSizeBytes ?? 8 * MIB;
    const storage = new S3BlobStorage(client, {
      bucket: o.bucket,
      storageClass: o.storageClass,
      serverSideEncryption: o.serverSideEncryption,
      kmsKeyId: o.kmsKeyId,
      tags: o.tags === undefined ? undefined : { ...o.tags },
      multipartThresholdBytes: Math.max(o.multipartThresholdBytes ?? 16 * MIB, partSizeBytes),
      partSizeBytes,
      uploadConcurrency: o.uploadConcurrency ?? 4,
      conditionalDelete: o.conditionalDeletes ?? true,
      ownsClient: o.client === undefined,
    });
    super({
      storage,
      prefix: o.prefix,
      namespace: o.namespace,
      useCompression: o.useCompression,
      compatibility: o.compatibility,
      codecs: o.codecs,
      prettyPrint: o.prettyPrint,
      adapter: o.adapter,
      clock: o.clock,
      operationTimeoutMs: o.operationTimeoutMs,
    });
    this.bucket = o.bucket;
    this.client = client;
  }
}
