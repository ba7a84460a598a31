import { describeServerRestart } from "@truthound/test-support";
import { S3Store } from "../src/index.js";
import { createBucket, minio, minioOptions, requireMinio } from "./helpers/minio.js";

// Stops the shared MinIO: the root run takes *.faults.test.ts files last, one at a time.
describeServerRestart("S3Store when MinIO goes away", {
  available: minio !== undefined,
  service: "minio",
  async server() {
    const { name: bucket, drop } = await createBucket(requireMinio(), "faults");
    return {
      open: (deadlineMs) =>
        new S3Store({
          ...minioOptions(requireMinio()),
          bucket,
          namespace: "faults",
          operationTimeoutMs: deadlineMs,
        }),
      dispose: drop,
    };
  },
});
