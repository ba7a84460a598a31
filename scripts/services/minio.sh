# MinIO, built from its Go module (a pseudo-version: MinIO publishes no semver tags), single drive in the
# service's temporary directory, fixed root credentials, web console off.

MINIO_PACKAGE="github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c"
MINIO_TEST_ACCESS_KEY="truthound"
MINIO_TEST_SECRET_KEY="truthound-secret-key"
MINIO_TEST_REGION="us-east-1"
# A fixed test-only KMS key, so SSE-S3 and SSE-KMS work and objects stay readable across restarts.
MINIO_TEST_KMS_KEY_ID="truthound-key"
MINIO_TEST_KMS_SECRET="swcT/ZTleGhwoH4D1TKyS8JXTvV4LAMs67EsXvh1k1o="

start_minio() {
  local binary dir port console_port
  binary="$(service_go_binary minio "$MINIO_PACKAGE" minio)" || return 1
  dir="$(service_make_workdir minio)"
  port="$(service_free_port)"
  console_port="$(service_free_port)"
  while [[ "$console_port" == "$port" ]]; do
    console_port="$(service_free_port)"
  done
  service_state_set minio MINIO_PORT "$port"
  service_spawn minio env \
    MINIO_ROOT_USER="$MINIO_TEST_ACCESS_KEY" MINIO_ROOT_PASSWORD="$MINIO_TEST_SECRET_KEY" \
    MINIO_SITE_REGION="$MINIO_TEST_REGION" MINIO_BROWSER=off MINIO_UPDATE=off \
    MINIO_KMS_SECRET_KEY="${MINIO_TEST_KMS_KEY_ID}:${MINIO_TEST_KMS_SECRET}" \
    "$binary" server "${dir}/data" --quiet --anonymous \
    --address "127.0.0.1:${port}" --console-address "127.0.0.1:${console_port}" || return 1
  ready_minio || return 1
  service_export minio TRUTHOUND_TEST_S3_ENDPOINT "http://127.0.0.1:${port}"
  service_export minio TRUTHOUND_TEST_S3_ACCESS_KEY "$MINIO_TEST_ACCESS_KEY"
  service_export minio TRUTHOUND_TEST_S3_SECRET_KEY "$MINIO_TEST_SECRET_KEY"
  service_export minio TRUTHOUND_TEST_S3_REGION "$MINIO_TEST_REGION"
  service_export minio TRUTHOUND_TEST_S3_KMS_KEY_ID "$MINIO_TEST_KMS_KEY_ID"
}

ready_minio() {
  service_wait_until minio 60 "GET /minio/health/ready" \
    service_probe http "http://127.0.0.1:${MINIO_PORT}/minio/health/ready"
}
