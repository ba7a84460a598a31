import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import type { S3StoreOptions } from "./options.js";

/** The client the options describe. Explicit settings win; unset ones come from the SDK's environment chain. */
export function createS3Client(options: S3StoreOptions<unknown>): S3Client {
  const config: S3ClientConfig = {
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
    forcePathStyle: options.forcePathStyle ?? options.endpointUrl !== undefined,
  };
  if (options.endpointUrl !== undefined) config.endpoint = options.endpointUrl;
  if (options.credentials !== undefined) config.credentials = { ...options.credentials };
  if (options.checksumMode !== undefined) {
    const mode = options.checksumMode === "whenRequired" ? "WHEN_REQUIRED" : "WHEN_SUPPORTED";
    config.requestChecksumCalculation = mode;
    config.responseChecksumValidation = mode;
  }
  return new S3Client(config);
}
