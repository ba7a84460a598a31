import { describeStoreConformance } from "@truthound/store-testkit";
import { afterAll, beforeAll, describe } from "vitest";
import { createBucket, minioEndpoint, minioOptions } from "./helpers/minio.js";
import { s3Versioned } from "./helpers/stores.js";

describe.skipIf(minioEndpoint === undefined)("VersionedStore over S3Store on MinIO", () => {
  let bucket = "";
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createBucket("versioning");
    bucket = created.name;
    drop = created.drop;
  });
  afterAll(async () => drop?.());

  describeStoreConformance(
    "VersionedStore over S3Store",
    ({ namespace }) => s3Versioned(minioOptions(), bucket, namespace),
    {
      capabilities: { conditionalWrites: true, nativeVersions: true, persistent: true, multiProcess: true },
      largeDocumentBytes: 6 * 1024 * 1024,
    },
  );
});
