import { randomBytes } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
// @ts-expect-error: a plain .mjs module without type declarations
import { serviceEnvironment } from "../../../../../scripts/lib/services.mjs";

const env = (await serviceEnvironment()) as Record<string, string | undefined>;
const ci = process.env.CI === "true";

function required(name: string, service: string): string | undefined {
  const value = env[name] || undefined;
  if (value === undefined && ci) {
    throw new Error(`${name} is not set under CI=true: run scripts/services/start.sh ${service}`);
  }
  return value;
}

export const redisUrl = required("TRUTHOUND_TEST_REDIS_URL", "redis");
export const s3Endpoint = required("TRUTHOUND_TEST_S3_ENDPOINT", "minio");
process.env.AWS_EC2_METADATA_DISABLED = "true";

export function s3Options() {
  return {
    endpointUrl: s3Endpoint as string,
    region: env.TRUTHOUND_TEST_S3_REGION || "us-east-1",
    forcePathStyle: true,
    credentials: {
      accessKeyId: env.TRUTHOUND_TEST_S3_ACCESS_KEY ?? "",
      secretAccessKey: env.TRUTHOUND_TEST_S3_SECRET_KEY ?? "",
    },
  };
}

/** A new bucket for one test file; `drop()` empties and removes it. */
export async function createBucket(label: string): Promise<{ name: string; drop(): Promise<void> }> {
  const o = s3Options();
  const client = new S3Client({
    endpoint: o.endpointUrl,
    region: o.region,
    forcePathStyle: true,
    credentials: o.credentials,
  });
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

/** A key prefix no other test (or helper) uses. */
export function uniquePrefix(label: string): string {
  return `tt:observability:${label}:${randomBytes(4).toString("hex")}:`;
}
