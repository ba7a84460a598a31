#!/usr/bin/env bash
# Installs what is missing, builds, and runs the demo (apps/demo). Without arguments it needs no server.
#
#   ./scripts/demo.sh                 # filesystem, memory and embedded SQL (PGlite) stores only
#   ./scripts/demo.sh --services      # also S3 (MinIO), GCS (fake-gcs-server), Azure Blob (Azurite),
#                                     # PostgreSQL and Redis:
#                                     # starts the servers it needs, and stops again those it started
#
# Other arguments are passed to the demo (--help lists them).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
source "${REPO_ROOT}/scripts/lib/log.sh"
source "${REPO_ROOT}/scripts/lib/toolchain.sh"

DEMO_SERVICES=(redis postgres minio fake_gcs azurite)

with_services=0
for arg in "$@"; do
  [[ "$arg" == "--services" ]] && with_services=1
done

log_step "pnpm"
ensure_pnpm
log_step "install dependencies"
install_dependencies
log_step "build"
build_all

started=()
stop_started_services() {
  if ((${#started[@]} > 0)); then
    "${REPO_ROOT}/scripts/services/stop.sh" "${started[@]}" >&2 || log_warn "stopping ${started[*]} failed"
  fi
}
if ((with_services)); then
  log_step "test servers: ${DEMO_SERVICES[*]}"
  source "${REPO_ROOT}/scripts/lib/services.sh"
  services_init_state
  for name in "${DEMO_SERVICES[@]}"; do
    service_load_definition "$name"
    service_is_running "$name" || started+=("$name")
  done
  trap stop_started_services EXIT
  "${REPO_ROOT}/scripts/services/start.sh" "${DEMO_SERVICES[@]}" >&2
  set -a
  # shellcheck source=/dev/null
  source "${REPO_ROOT}/.cache/services.env"
  set +a
fi

log_step "demo"
pnpm --filter demo start "$@"
