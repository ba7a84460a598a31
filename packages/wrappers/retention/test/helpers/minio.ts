import { randomBytes } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";

/** MinIO from `scripts/services/start.sh`; missing, the S3 tests skip locally and fail under CI=true. */
const env = process.env;
export const minioEndpoint: string | undefined = env.TRUTHOUND_TEST_S3_ENDPOINT || undefined;
if (minioEndpoint === undefined && env.CI === "true") {
  throw new Error(
    "TRUTHOUND_TEST_S3_ENDPOINT is not set under CI=true: start MinIO and source .cache/services.env",
  );
}
process.env.AWS_EC2_METADATA_DISABLED = "true";

export function minioOptions() {
  if (minioEndpoint === undefined) throw new Error("TRUTHOUND_TEST_S3_ENDPOINT is not set");
  return {
    endpointUrl: minioEndpoint,
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
  const o = minioOptions();
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
