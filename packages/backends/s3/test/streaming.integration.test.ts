import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { describeStreamingStore, MIB } from "@truthound/test-support";
import { S3Store } from "../src/index.js";
import { adminClient, createBucket, minio, minioOptions, requireMinio } from "./helpers/minio.js";

describeStreamingStore("S3Store streaming on MinIO", {
  available: minio !== undefined,
  foreignEtag: '"not-the-etag"',
  failedBodyTitle:
    "a body failing mid-stream (after several parts) leaves no document, marker or upload behind",
  uploadKind: "multipart",
  async server() {
    const { name: bucket, drop } = await createBucket(requireMinio(), "stream");
    const admin = adminClient(requireMinio());
    return {
      open: (namespace, variant) =>
        new S3Store({
          ...minioOptions(requireMinio()),
          bucket,
          namespace,
          partSizeBytes: 8 * MIB,
          ...variant,
        }),
      keysUnder: async (prefix) =>
        ((await admin.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map(
          (c) => c.Key as string,
        ),
      async truncateObject(key) {
        const stored = await (
          await admin.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
        ).Body?.transformToByteArray();
        await admin.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: (stored as Uint8Array).subarray(0, Math.floor((stored as Uint8Array).byteLength / 2)),
            Metadata: {},
          }),
        );
      },
      async dispose() {
        admin.destroy();
        await drop();
      },
    };
  },
});
