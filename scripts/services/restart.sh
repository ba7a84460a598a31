#!/usr/bin/env bash
# Stops and starts one running test server by its recorded PID, keeping its port, credentials and data,
# for fault tests ("server stopped mid-run, then restarted"). The endpoints in .cache/services.env stay
# valid throughout. scripts/lib/services.mjs wraps this for tests.
#
# Usage: scripts/services/restart.sh <service> [stop|start|restart]   (default: restart)
#   stop     stops its processes gracefully (PostgreSQL: fast shutdown; Redis saves a snapshot first)
#   start    runs the same command lines again and waits until the server really answers
#   restart  stop, then start
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "${REPO_ROOT}/scripts/lib/log.sh"
source "${REPO_ROOT}/scripts/lib/services.sh"

if (($# < 1 || $# > 2)); then
  log_error "usage: scripts/services/restart.sh <service> [stop|start|restart]"
  exit 2
fi
name="$1"
action="${2:-restart}"

services_init_state
service_load_definition "$name"
service_state_load "$name"
if [[ ! -s "$(service_cmd_file "$name")" ]]; then
  log_error "${name}: no recorded command line; start it with scripts/services/start.sh ${name}"
  exit 1
fi

stop_service_processes() {
  if declare -F "stop_${name}" >/dev/null; then
    "stop_${name}"
  fi
  service_kill_processes "$name"
  log_info "${name}: stopped (port and data kept)"
}

start_service_processes() {
  if service_is_running "$name"; then
    log_info "${name}: already running"
    return 0
  fi
  # Some of its processes may have died on their own: stop the rest so every one starts afresh.
  service_kill_processes "$name"
  service_respawn "$name"
  "ready_${name}"
  log_info "${name}: running again"
}

case "$action" in
  stop) stop_service_processes ;;
  start) start_service_processes ;;
  restart)
    stop_service_processes
    start_service_processes
    ;;
  *)
    log_error "unknown action '${action}' (stop|start|restart)"
    exit 2
    ;;
esac
