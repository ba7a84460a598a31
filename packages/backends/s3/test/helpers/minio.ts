import {
  createMinioBucket,
  type MinioEnv,
  minioAdminClient,
  minioFromEnvironment,
  minioStoreOptions,
  requireMinioEnv,
} from "@truthound/test-support";

export type { MinioEnv };

/** The MinIO from `scripts/services/start.sh minio`; a missing one skips locally and fails under CI=true. */
export const minio = minioFromEnvironment();
export const minioOptions = minioStoreOptions;
export const adminClient = minioAdminClient;
export const createBucket = createMinioBucket;
export const requireMinio = (): MinioEnv => requireMinioEnv(minio);
