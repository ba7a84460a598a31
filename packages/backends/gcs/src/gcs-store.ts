import type { Storage } from "@google-cloud/storage";
import type { ValidationResult } from "@truthound/store-core";
import { KeyLayout, ObjectStore } from "@truthound/store-object-kit";
import { GCSBlobStorage } from "./gcs-blob-storage.js";
import { createGCSClient } from "./gcs-client.js";
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_RESUMABLE_THRESHOLD,
  type GCSStoreOptions,
  validateGCSOptions,
} from "./options.js";

/**
 * Validation results (or any item type) in a Google Cloud Storage bucket, in Truthound-py's layout. See the
 * package README for the options, the index and errors.
 */
export class GCSStore<T = ValidationResult> extends ObjectStore<T> {
  readonly bucket: string;
  readonly client: Storage;

  constructor(options: GCSStoreOptions<T>) {
    const o = validateGCSOptions<T>(options);
    const client = o.client ?? createGCSClient(o as GCSStoreOptions<unknown>);
    const pythonIndexKey = new KeyLayout(o.prefix ?? "truthound/", o.namespace ?? "default", false)
      .pythonIndexKey;
    const storage = new GCSBlobStorage(client, {
      bucket: o.bucket,
      resumableThresholdBytes: o.resumableThresholdBytes ?? DEFAULT_RESUMABLE_THRESHOLD,
      pythonIndexKey,
      readRetries: o.maxRetries ?? DEFAULT_MAX_RETRIES,
    });
    super({
      storage,
      // Stored without Content-Encoding, so no server or client transcoding ever changes the bytes we read.
      gzipContentEncoding: false,
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
