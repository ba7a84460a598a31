import { minioFromEnvironment, minioTestHelpers } from "@truthound/test-support";

/** MinIO from `scripts/services/start.sh`; missing, the S3 tests skip locally and fail under CI=true. */
export const {
  endpoint: minioEndpoint,
  storeOptions: minioOptions,
  createBucket,
} = minioTestHelpers(minioFromEnvironment());
