import { Agent } from "node:http";
import { S3Client } from "@aws-sdk/client-s3";
import { describeNetworkFaults, hostPortOf, toxiproxyUrl } from "@truthound/test-support";
import { afterAll, beforeAll, describe } from "vitest";
import { S3Store } from "../src/index.js";
import { createBucket, minio, requireMinio } from "./helpers/minio.js";

describe.skipIf(minio === undefined || toxiproxyUrl === undefined)("S3Store on MinIO", () => {
  let bucket = "";
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createBucket(requireMinio(), "netfaults");
    bucket = created.name;
    drop = created.drop;
  });
  afterAll(async () => {
    await drop?.();
  });

  describeNetworkFaults("S3Store", {
    toxiproxyUrl: toxiproxyUrl as string,
    upstream: hostPortOf(requireMinio().endpoint),
    async makeStore(listen, namespace) {
      const env = requireMinio();
      // The SDK's standard retry strategy does the retrying; more attempts than its default 3 because a
      // quarter of all connections fail here.
      const client = new S3Client({
        endpoint: `http://${listen}`,
        region: env.region,
        forcePathStyle: true,
        credentials: { accessKeyId: env.accessKeyId, secretAccessKey: env.secretAccessKey },
        maxAttempts: 6,
        requestHandler: { httpAgent: new Agent({ keepAlive: false }) },
      });
      return new S3Store({ client, bucket, namespace, operationTimeoutMs: 60_000 });
    },
  });
});
