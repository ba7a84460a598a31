#!/usr/bin/env bash
# Installs what is missing, builds, and runs the demo (apps/demo) on its embedded defaults, with no server.
# Arguments are passed to the demo.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
source "${REPO_ROOT}/scripts/lib/log.sh"
source "${REPO_ROOT}/scripts/lib/toolchain.sh"

log_step "pnpm"
ensure_pnpm
log_step "install dependencies"
install_dependencies
log_step "build"
build_all
log_step "demo"
exec pnpm --filter demo start "$@"
