# fake-gcs-server, built from its Go module: the Cloud Storage JSON API over plain HTTP. The filesystem
# backend (in the service's temporary directory) keeps objects across restart.sh; upload and download
# URLs it hands out point back at 127.0.0.1:PORT.

FAKE_GCS_PACKAGE="github.com/fsouza/fake-gcs-server@v1.56.1"

start_fake_gcs() {
  local binary dir port
  binary="$(service_go_binary fake-gcs-server "$FAKE_GCS_PACKAGE" fake-gcs-server)" || return 1
  dir="$(service_make_workdir fake_gcs)"
  port="$(service_free_port)"
  service_state_set fake_gcs FAKE_GCS_PORT "$port"
  service_spawn fake_gcs "$binary" -scheme http -host 127.0.0.1 -port "$port" \
    -public-host "127.0.0.1:${port}" -external-url "http://127.0.0.1:${port}" \
    -backend filesystem -filesystem-root "${dir}/data" -log-level warn || return 1
  ready_fake_gcs || return 1
  service_export fake_gcs TRUTHOUND_TEST_GCS_ENDPOINT "http://127.0.0.1:${port}"
}

ready_fake_gcs() {
  service_wait_until fake_gcs 30 "GET /storage/v1/b" \
    service_probe http "http://127.0.0.1:${FAKE_GCS_PORT}/storage/v1/b"
}
