#!/usr/bin/env bash
# Stops the servers started by scripts/services/start.sh: only the PIDs it recorded, never anything
# found by name. Removes their temporary directories and endpoints.
#
# Usage: scripts/services/stop.sh [service...]   (default: every service with recorded state)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "${REPO_ROOT}/scripts/lib/log.sh"
source "${REPO_ROOT}/scripts/lib/services.sh"

services_init_state
names=("$@")
if ((${#names[@]} == 0)); then
  mapfile -t names < <(services_recorded_names)
fi

for name in "${names[@]}"; do
  if service_load_definition "$name" 2>/dev/null && declare -F "stop_${name}" >/dev/null; then
    "stop_${name}" || log_warn "${name}: stop_${name} failed; killing its recorded processes"
  fi
  service_stop_recorded "$name"
  log_info "${name}: stopped"
done
services_write_env_file
