#!/usr/bin/env bash
# Installs everything, builds, lints (Biome, publint), starts the real servers the tests need, runs every
# test of every package once, stops the servers, and prints as its last line
#   N passed, N failed, N skipped
# summed over all packages. Exits non-zero if a test failed, no test ran, or a check failed.
# Works on a fresh machine with only Node 20 (and python3 for the interoperability tests).
#
# Environment: CI=true makes missing servers/tools fail instead of skip and installs strictly from the
# committed lockfile. TRUTHOUND_KEEP_SERVICES=1 leaves the servers running afterwards.
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
source "${REPO_ROOT}/scripts/lib/log.sh"
source "${REPO_ROOT}/scripts/lib/toolchain.sh"

RESULTS_DIR="${REPO_ROOT}/.cache/test-results"
REPORT_FILE="${RESULTS_DIR}/vitest.json"
VITEST_TIME_LIMIT="${TRUTHOUND_TEST_TIME_LIMIT:-45m}"

failed_checks=()
services_started=0
vitest_exit_code=1
vitest_pid=""

stop_services() {
  if ((services_started)) && [[ "${TRUTHOUND_KEEP_SERVICES:-}" != "1" ]]; then
    services_started=0
    "${REPO_ROOT}/scripts/services/stop.sh" >&2 || log_warn "stopping the test servers failed"
  fi
}

on_exit() {
  stop_services
}

on_signal() {
  log_error "interrupted"
  if [[ -n "$vitest_pid" ]]; then
    kill -TERM "$vitest_pid" 2>/dev/null
    wait "$vitest_pid" 2>/dev/null
  fi
  stop_services
  exit 130
}

trap on_exit EXIT
trap on_signal INT TERM

finish() {
  stop_services
  if ((${#failed_checks[@]} > 0)); then
    log_error "failed checks: ${failed_checks[*]}"
  fi
  local count_exit=0
  node "${REPO_ROOT}/scripts/count-results.mjs" "$REPORT_FILE" "$vitest_exit_code" || count_exit=$?
  if ((count_exit != 0 || ${#failed_checks[@]} > 0)); then
    exit 1
  fi
  exit 0
}

mkdir -p "$RESULTS_DIR"
rm -f "$REPORT_FILE"
if [[ -n "${CI:-}" ]]; then
  export CI
fi
log_step "Truthound stores: test run (node $(node --version), CI=${CI:-unset})"

log_step "pnpm"
if ! ensure_pnpm; then
  failed_checks+=("pnpm")
  finish
fi

log_step "install dependencies"
if ! install_dependencies; then
  failed_checks+=("install")
  finish
fi

# A failed build is reported, and the tests still run: they show what the failure breaks.
log_step "build (tsc -b tsconfig.build.json)"
build_all || failed_checks+=("build")

log_step "lint (biome check)"
pnpm exec biome check . >&2 || failed_checks+=("biome")

log_step "package lint (publint)"
node "${REPO_ROOT}/scripts/publint-all.mjs" >&2 || failed_checks+=("publint")

if [[ -f "${REPO_ROOT}/scripts/setup-python.sh" ]]; then
  log_step "Python reference implementation (truthound in .venv)"
  if python_path="$(bash "${REPO_ROOT}/scripts/setup-python.sh")"; then
    export TRUTHOUND_PYTHON="$python_path"
    log_info "TRUTHOUND_PYTHON=${TRUTHOUND_PYTHON}"
  elif is_ci; then
    failed_checks+=("python-setup")
  else
    log_warn "Python setup failed; the Python interoperability tests will be skipped (they fail under CI=true)"
  fi
fi

log_step "start test servers"
services_started=1
if "${REPO_ROOT}/scripts/services/start.sh" >&2; then
  set -a
  # shellcheck source=/dev/null
  source "${REPO_ROOT}/.cache/services.env"
  set +a
else
  failed_checks+=("services")
fi

log_step "tests (vitest, every package, time limit ${VITEST_TIME_LIMIT})"
# In the background so that a signal to this script interrupts `wait` and reaches vitest through timeout,
# which signals its whole process group (vitest's workers and the processes the tests spawned).
timeout --signal=TERM --kill-after=30s "$VITEST_TIME_LIMIT" \
  pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$REPORT_FILE" >&2 &
vitest_pid=$!
wait "$vitest_pid"
vitest_exit_code=$?
vitest_pid=""
if ((vitest_exit_code == 124)); then
  log_error "vitest did not finish within ${VITEST_TIME_LIMIT}"
fi

finish
