import { randomBytes } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";

export interface MinioEnv {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** A KMS key MinIO was started with (`MINIO_KMS_SECRET_KEY`), for the encryption tests. */
  kmsKeyId: string | undefined;
}

/**
 * The MinIO from `scripts/services/start.sh minio`, read from `env` (process.env unless a test passes
 * `serviceEnvironment()`): undefined when not configured, which skips locally and throws under CI=true.
 */
export function minioFromEnvironment(
  env: Record<string, string | undefined> = process.env,
): MinioEnv | undefined {
  // The SDK would otherwise probe the EC2 metadata endpoint for credentials it never needs here.
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  const endpoint = env.TRUTHOUND_TEST_S3_ENDPOINT;
  if (!endpoint || !env.TRUTHOUND_TEST_S3_ACCESS_KEY || !env.TRUTHOUND_TEST_S3_SECRET_KEY) {
    if (process.env.CI === "true") {
      throw new Error(
        "TRUTHOUND_TEST_S3_ENDPOINT (with its access and secret key) is not set under CI=true: run scripts/services/start.sh minio and source .cache/services.env",
      );
    }
    return undefined;
  }
  return {
    endpoint,
    accessKeyId: env.TRUTHOUND_TEST_S3_ACCESS_KEY,
    secretAccessKey: env.TRUTHOUND_TEST_S3_SECRET_KEY,
    region: env.TRUTHOUND_TEST_S3_REGION || "us-east-1",
    kmsKeyId: env.TRUTHOUND_TEST_S3_KMS_KEY_ID || undefined,
  };
}

/** The MinIO environment inside tests that only run when it is set. */
export function requireMinioEnv(minio: MinioEnv | undefined): MinioEnv {
  if (minio === undefined) throw new Error("TRUTHOUND_TEST_S3_ENDPOINT is not set");
  return minio;
}

/** The S3Store connection options for this MinIO. */
export function minioStoreOptions(env: MinioEnv) {
  return {
    endpointUrl: env.endpoint,
    region: env.region,
    forcePathStyle: true,
    credentials: { accessKeyId: env.accessKeyId, secretAccessKey: env.secretAccessKey },
  };
}

export function minioAdminClient(env: MinioEnv): S3Client {
  return new S3Client({
    endpoint: env.endpoint,
    region: env.region,
    forcePathStyle: true,
    credentials: { accessKeyId: env.accessKeyId, secretAccessKey: env.secretAccessKey },
  });
}

/** A new bucket for one test file; `drop()` empties and removes it. */
export async function createMinioBucket(
  env: MinioEnv,
  label: string,
): Promise<{ name: string; drop(): Promise<void> }> {
  const client = minioAdminClient(env);
  const name = `tt-${label}-${randomBytes(4).toString("hex")}`;
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return {
    name,
    async drop() {
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: name, ContinuationToken: token }));
        const keys = (page.Contents ?? []).map((c) => ({ Key: c.Key as string }));
        if (keys.length > 0)
          await client.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: keys } }));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      await client.send(new DeleteBucketCommand({ Bucket: name }));
      client.destroy();
    },
  };
}

/** The helpers a test file needs from an optional MinIO: its endpoint (undefined: skip), store options, buckets. */
export function minioTestHelpers(minio: MinioEnv | undefined) {
  return {
    endpoint: minio?.endpoint,
    storeOptions: () => minioStoreOptions(requireMinioEnv(minio)),
    /** A new bucket for one test file; `drop()` empties and removes it. */
    createBucket: (label: string) => createMinioBucket(requireMinioEnv(minio), label),
  };
}
