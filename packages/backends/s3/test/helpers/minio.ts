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

function readEnv(): MinioEnv | undefined {
  const e = process.env;
  const endpoint = e.TRUTHOUND_TEST_S3_ENDPOINT;
  if (!endpoint || !e.TRUTHOUND_TEST_S3_ACCESS_KEY || !e.TRUTHOUND_TEST_S3_SECRET_KEY) return undefined;
  return {
    endpoint,
    accessKeyId: e.TRUTHOUND_TEST_S3_ACCESS_KEY,
    secretAccessKey: e.TRUTHOUND_TEST_S3_SECRET_KEY,
    region: e.TRUTHOUND_TEST_S3_REGION || "us-east-1",
    kmsKeyId: e.TRUTHOUND_TEST_S3_KMS_KEY_ID || undefined,
  };
}

/** The MinIO from `scripts/services/start.sh minio`; a missing one skips locally and fails under CI=true. */
export const minio = readEnv();
if (minio === undefined && process.env.CI === "true") {
  throw new Error(
    "TRUTHOUND_TEST_S3_ENDPOINT is not set under CI=true: run scripts/services/start.sh minio and source .cache/services.env",
  );
}
process.env.AWS_EC2_METADATA_DISABLED = "true";

export function minioOptions(env: MinioEnv) {
  return {
    endpointUrl: env.endpoint,
    region: env.region,
    forcePathStyle: true,
    credentials: { accessKeyId: env.accessKeyId, secretAccessKey: env.secretAccessKey },
  };
}

export function adminClient(env: MinioEnv): S3Client {
  return new S3Client({
    endpoint: env.endpoint,
    region: env.region,
    forcePathStyle: true,
    credentials: { accessKeyId: env.accessKeyId, secretAccessKey: env.secretAccessKey },
  });
}

/** A new bucket for one test file; `drop()` empties and removes it. */
export async function createBucket(
  env: MinioEnv,
  label: string,
): Promise<{ name: string; drop(): Promise<void> }> {
  const client = adminClient(env);
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

/** The MinIO environment inside tests that only run when it is set. */
export function requireMinio(): MinioEnv {
  if (minio === undefined) throw new Error("TRUTHOUND_TEST_S3_ENDPOINT is not set");
  return minio;
}
