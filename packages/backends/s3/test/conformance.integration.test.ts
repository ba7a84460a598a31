import { describeStoreConformance } from "@truthound/store-testkit";
import { afterAll, beforeAll, describe } from "vitest";
import { S3Store } from "../src/index.js";
import { createBucket, minio, minioOptions, requireMinio } from "./helpers/minio.js";

const capabilities = {
  conditionalWrites: true,
  serverSideQuery: true,
  persistent: true,
  multiProcess: true,
  nativeTtl: false,
  nativeVersions: false,
  streaming: true,
};

describe.skipIf(minio === undefined)("S3Store on MinIO", () => {
  let bucket = "";
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createBucket(requireMinio(), "conformance");
    bucket = created.name;
    drop = created.drop;
  });
  afterAll(async () => drop?.());

  for (const compatibility of ["native", "python"] as const) {
    describeStoreConformance(
      `S3Store (${compatibility})`,
      ({ namespace }) => new S3Store({ ...minioOptions(requireMinio()), bucket, namespace, compatibility }),
      { capabilities, largeDocumentBytes: 20 * 1024 * 1024 },
    );
  }
});
