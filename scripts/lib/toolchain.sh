# Installing the Node toolchain and the workspace's dependencies, and building every package.
# Expects REPO_ROOT to be set and scripts/lib/log.sh to be sourced.

PNPM_VERSION="10.34.9"

is_ci() {
  [[ -n "${CI:-}" && "${CI}" != "false" ]]
}

# pnpm 11 refuses Node 20, so anything other than the pinned 10.x is replaced by the pin.
ensure_pnpm() {
  local current=""
  if command -v pnpm >/dev/null 2>&1; then
    current="$(pnpm --version 2>/dev/null || true)"
  fi
  if [[ "$current" == "$PNPM_VERSION" ]]; then
    return 0
  fi
  log_info "installing pnpm ${PNPM_VERSION} (found: ${current:-none})"
  npm install --global --no-fund --no-audit "pnpm@${PNPM_VERSION}" >&2
  hash -r
  current="$(pnpm --version)"
  if [[ "$current" != "$PNPM_VERSION" ]]; then
    log_error "pnpm ${PNPM_VERSION} was installed but '$(command -v pnpm)' reports ${current}"
    return 1
  fi
}

# CI installs exactly the committed lockfile. Locally a missing or outdated lockfile is regenerated,
# with a warning, so a developer who just added a dependency is not blocked.
install_dependencies() {
  local pnpm_flags=(--config.confirmModulesPurge=false)
  if is_ci; then
    if [[ ! -f "${REPO_ROOT}/pnpm-lock.yaml" ]]; then
      log_error "pnpm-lock.yaml is missing; CI installs only from the committed lockfile"
      return 1
    fi
    pnpm install --frozen-lockfile "${pnpm_flags[@]}" >&2
    return
  fi
  if [[ ! -f "${REPO_ROOT}/pnpm-lock.yaml" ]]; then
    log_warn "pnpm-lock.yaml is missing; running a plain install that creates it"
    pnpm install "${pnpm_flags[@]}" >&2
    return
  fi
  if ! pnpm install --frozen-lockfile "${pnpm_flags[@]}" >&2; then
    log_warn "pnpm-lock.yaml is out of date with the package manifests; updating it (commit the result)"
    pnpm install --no-frozen-lockfile "${pnpm_flags[@]}" >&2
  fi
}

build_all() {
  (cd "$REPO_ROOT" && pnpm exec tsc -b tsconfig.build.json) >&2
}
