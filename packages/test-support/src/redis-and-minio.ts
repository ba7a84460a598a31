import { minioFromEnvironment, minioTestHelpers } from "./minio.js";
import { serviceVariable, testServiceEnvironment } from "./service-environment.js";

/** Redis and MinIO for tests over both: each undefined (the tests skip) when unset, except under CI=true. */
export async function redisAndMinioServices() {
  const env = await testServiceEnvironment();
  const redisUrl = serviceVariable(env, "TRUTHOUND_TEST_REDIS_URL", "redis");
  const minio = minioTestHelpers(minioFromEnvironment(env));
  return {
    redisUrl,
    s3Endpoint: minio.endpoint,
    s3Options: minio.storeOptions,
    createBucket: minio.createBucket,
  };
}
