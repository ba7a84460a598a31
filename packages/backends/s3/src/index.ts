import { registerStore } from "@truthound/store-core";
import type { S3StoreOptions } from "./options.js";
import { S3Store } from "./s3-store.js";

export type { RebuildReport } from "@truthound/store-object-kit";
export type { ChecksumMode, S3Credentials, S3StoreOptions, ServerSideEncryption } from "./options.js";
export { mapS3Error } from "./s3-errors.js";
export { S3Store } from "./s3-store.js";

registerStore("s3", (options) => new S3Store(options as unknown as S3StoreOptions), {
  packageName: "@truthound/store-s3",
  description:
    "Amazon S3 and S3-compatible servers (MinIO): conditional writes, a concurrent-safe index, Truthound-py layout",
});
