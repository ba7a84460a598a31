#!/usr/bin/env bash
# Starts the real servers the tests need, on 127.0.0.1 with random free ports and temporary directories,
# and writes their endpoints as TRUTHOUND_TEST_* variables to .cache/services.env. Idempotent: a service
# whose recorded processes are still running is left alone.
#
# Usage: scripts/services/start.sh [service...]   (default: every service in TEST_SERVICES)
#
# Adding a service: write scripts/services/<name>.sh defining `start_<name>` and `ready_<name>` (use
# service_make_workdir, service_free_port, service_state_set, service_spawn, service_wait_until and
# service_export from scripts/lib/services.sh) and, when SIGTERM to its PIDs is not the right way to stop
# it, `stop_<name>`; then add <name> below. See scripts/services/README.md.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "${REPO_ROOT}/scripts/lib/log.sh"
source "${REPO_ROOT}/scripts/lib/services.sh"

# The servers the test suite needs, cheapest first.
TEST_SERVICES=(redis postgres toxiproxy fake_gcs azurite minio)

requested=("$@")
if ((${#requested[@]} == 0)); then
  requested=("${TEST_SERVICES[@]}")
fi

services_init_state
failed=0
for name in "${requested[@]}"; do
  service_load_definition "$name"
  if service_is_running "$name"; then
    log_info "${name}: already running"
    continue
  fi
  # Whatever is left of an earlier run of this service (dead processes, directories) goes first.
  service_stop_recorded "$name"
  : >"$(service_log_file "$name")"
  log_info "${name}: starting"
  if ! "start_${name}"; then
    log_error "${name}: failed to start; log: $(service_log_file "$name")"
    service_stop_recorded "$name"
    failed=1
    break
  fi
done
services_write_env_file

if ((failed)); then
  exit 1
fi
log_info "service endpoints: ${SERVICES_ENV_FILE}"
