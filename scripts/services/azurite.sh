# Azurite 3.35.0 (the newest that runs on Node 20) from npm, installed once outside the repository, blob
# service only, data in the service's temporary directory so restart.sh keeps it.

AZURITE_VERSION="3.35.0"
# The emulator's well-known development account; it is public, not a secret.
AZURITE_ACCOUNT="devstoreaccount1"
AZURITE_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

start_azurite() {
  local package_dir dir port
  package_dir="$(service_npm_package azurite "$AZURITE_VERSION")" || return 1
  dir="$(service_make_workdir azurite)"
  port="$(service_free_port)"
  service_state_set azurite AZURITE_BLOB_ENDPOINT "http://127.0.0.1:${port}/${AZURITE_ACCOUNT}"
  service_spawn azurite env -C "$dir" "$(command -v node)" "${package_dir}/dist/src/blob/main.js" \
    --blobHost 127.0.0.1 --blobPort "$port" --location "${dir}/data" \
    --skipApiVersionCheck --disableTelemetry --loose --silent || return 1
  ready_azurite || return 1
  service_export azurite TRUTHOUND_TEST_AZURE_BLOB_ENDPOINT "$AZURITE_BLOB_ENDPOINT"
  service_export azurite TRUTHOUND_TEST_AZURE_ACCOUNT "$AZURITE_ACCOUNT"
  service_export azurite TRUTHOUND_TEST_AZURE_KEY "$AZURITE_KEY"
  service_export azurite TRUTHOUND_TEST_AZURE_CONNECTION_STRING \
    "DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${AZURITE_BLOB_ENDPOINT};"
}

ready_azurite() {
  service_wait_until azurite 60 "List Containers" \
    service_probe azure-blob "$AZURITE_BLOB_ENDPOINT" "$AZURITE_ACCOUNT" "$AZURITE_KEY"
}
