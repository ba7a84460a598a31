# Bookkeeping for the test servers started by scripts/services/start.sh and stopped by stop.sh.
#
# State, all under .cache/ in the repository:
#   services.pids          one line per process we started: "<service> <pid> <start-time>"
#                          (the start time from /proc guards against killing a recycled PID)
#   services.dirs          one line per temporary directory a service owns: "<service> <path>"
#   services/<name>.env    the TRUTHOUND_TEST_* variables one service exports
#   services/<name>.state  the values a service needs to be restarted and probed (port, directories)
#   services/<name>.cmd    the command lines of its processes, so restart.sh can run them again
#   services/<name>.log    the service's output
#   services.env           all services' variables, concatenated; tests source it
#
# Expects REPO_ROOT to be set and scripts/lib/log.sh to be sourced.

SERVICES_STATE_DIR="${REPO_ROOT}/.cache"
SERVICES_PIDS_FILE="${SERVICES_STATE_DIR}/services.pids"
SERVICES_DIRS_FILE="${SERVICES_STATE_DIR}/services.dirs"
SERVICES_ENV_FILE="${SERVICES_STATE_DIR}/services.env"
SERVICES_PER_SERVICE_DIR="${SERVICES_STATE_DIR}/services"

services_init_state() {
  mkdir -p "$SERVICES_PER_SERVICE_DIR"
  touch "$SERVICES_PIDS_FILE" "$SERVICES_DIRS_FILE"
}

# Prints the start time (in clock ticks since boot) of a live process; fails for a missing or zombie one.
process_start_time() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  # Field 2 (comm) may contain spaces; everything after the last ')' is space-separated from field 3 on.
  stat="${stat##*) }"
  local fields
  read -r -a fields <<<"$stat"
  [[ "${fields[0]}" != "Z" && "${fields[0]}" != "X" ]] || return 1
  printf '%s\n' "${fields[19]}"
}

# True when the process is alive and is the one we recorded (not a recycled PID).
process_is_recorded_one() {
  local pid="$1" start_time="$2" actual
  actual="$(process_start_time "$pid")" || return 1
  [[ "$actual" == "$start_time" ]]
}

# Prints "<pid> <start-time>" for every recorded process of a service.
service_recorded_processes() {
  awk -v name="$1" '$1 == name { print $2, $3 }' "$SERVICES_PIDS_FILE" 2>/dev/null
}

# True when the service has recorded processes and all of them are still running.
service_is_running() {
  local name="$1" pid start_time found=1
  while read -r pid start_time; do
    [[ -n "$pid" ]] || continue
    found=0
    process_is_recorded_one "$pid" "$start_time" || return 1
  done < <(service_recorded_processes "$name")
  return "$found"
}

service_record_pid() {
  local name="$1" pid="$2" start_time
  start_time="$(process_start_time "$pid")" || {
    log_error "service ${name}: process ${pid} exited right after starting; see $(service_log_file "$name")"
    return 1
  }
  printf '%s %s %s\n' "$name" "$pid" "$start_time" >>"$SERVICES_PIDS_FILE"
}

service_log_file() {
  printf '%s/%s.log\n' "$SERVICES_PER_SERVICE_DIR" "$1"
}

# Creates a temporary directory owned by the service; stop.sh removes it.
service_make_workdir() {
  local name="$1" dir
  dir="$(mktemp -d "${TMPDIR:-/tmp}/truthound-${name}.XXXXXX")"
  printf '%s %s\n' "$name" "$dir" >>"$SERVICES_DIRS_FILE"
  printf '%s\n' "$dir"
}

# Runs a server in the background in its own session, output to the service log, records its PID and
# remembers the command line for restart.sh. The command must stay in the foreground (no daemonizing) and
# must exec rather than fork, so the recorded PID is the server's; use `env VAR=value ...` and `env -C DIR`
# for environment and working directory. Usage: service_spawn <name> <command> [args...]
service_spawn() {
  local name="$1"
  shift
  local line
  printf -v line '%q ' "$@"
  printf '%s\n' "$line" >>"$(service_cmd_file "$name")"
  service_launch "$name" "$@"
}

service_launch() {
  local name="$1"
  shift
  setsid "$@" >>"$(service_log_file "$name")" 2>&1 </dev/null &
  local pid=$!
  service_record_pid "$name" "$pid"
}

# Runs again every command service_spawn remembered for the service (after restart.sh stopped it).
service_respawn() {
  local name="$1" line
  local -a command
  while IFS= read -r line; do
    [[ -n "$line" ]] || continue
    eval "command=(${line})"
    service_launch "$name" "${command[@]}" || return 1
  done <"$(service_cmd_file "$name")"
}

service_cmd_file() {
  printf '%s/%s.cmd\n' "$SERVICES_PER_SERVICE_DIR" "$1"
}

service_state_file() {
  printf '%s/%s.state\n' "$SERVICES_PER_SERVICE_DIR" "$1"
}

# Records a value the service needs again on restart and sets it as a shell variable now.
# Usage: service_state_set <name> VARIABLE value
service_state_set() {
  local name="$1" key="$2" value="$3"
  printf '%s=%q\n' "$key" "$value" >>"$(service_state_file "$name")"
  printf -v "$key" '%s' "$value"
}

# Sets the recorded values of a service as shell variables.
service_state_load() {
  local file
  file="$(service_state_file "$1")"
  if [[ ! -f "$file" ]]; then
    log_error "service $1 has no recorded state (was it started by scripts/services/start.sh?)"
    return 1
  fi
  # shellcheck source=/dev/null
  source "$file"
}

# Retries a readiness check (a real request to the server) until it succeeds, failing early when the
# service's process has exited. Usage: service_wait_until <name> <seconds> <what> <command> [args...]
service_wait_until() {
  local name="$1" seconds="$2" what="$3" deadline
  shift 3
  deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    if ! service_is_running "$name"; then
      log_error "service ${name} exited while starting; last lines of its log:"
      tail -n 40 "$(service_log_file "$name")" >&2 || true
      return 1
    fi
    sleep 0.2
  done
  log_error "service ${name}: ${what} did not succeed within ${seconds}s; last lines of its log:"
  tail -n 40 "$(service_log_file "$name")" >&2 || true
  # One more run with its output visible says why.
  "$@" >&2 || true
  return 1
}

# One HTTP request with a real server answer; see scripts/lib/service-probe.mjs.
service_probe() {
  node "${REPO_ROOT}/scripts/lib/service-probe.mjs" "$@"
}

# Prints a free TCP port on 127.0.0.1 (the kernel picks it; a small race with other programs remains).
service_free_port() {
  node -e 'const s = require("node:net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# Waits until 127.0.0.1:<port> accepts connections. Usage: service_wait_for_port <name> <port> [seconds]
service_wait_for_port() {
  local name="$1" port="$2" seconds="${3:-30}" deadline
  deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
      return 0
    fi
    if ! service_is_running "$name"; then
      log_error "service ${name} exited while starting; last lines of its log:"
      tail -n 40 "$(service_log_file "$name")" >&2 || true
      return 1
    fi
    sleep 0.2
  done
  log_error "service ${name} did not listen on 127.0.0.1:${port} within ${seconds}s; last lines of its log:"
  tail -n 40 "$(service_log_file "$name")" >&2 || true
  return 1
}

# Records one variable the tests read. Usage: service_export <name> TRUTHOUND_TEST_X value
service_export() {
  local name="$1" key="$2" value="$3"
  if [[ "$key" != TRUTHOUND_TEST_* ]]; then
    log_error "service ${name}: exported variable ${key} must start with TRUTHOUND_TEST_"
    return 1
  fi
  printf 'export %s=%q\n' "$key" "$value" >>"${SERVICES_PER_SERVICE_DIR}/${name}.env"
}

services_write_env_file() {
  local tmp="${SERVICES_ENV_FILE}.tmp"
  : >"$tmp"
  local file
  for file in "$SERVICES_PER_SERVICE_DIR"/*.env; do
    [[ -f "$file" ]] && cat "$file" >>"$tmp"
  done
  mv "$tmp" "$SERVICES_ENV_FILE"
}

# Removes a service's lines from a "<service> ..." state file.
services_forget_lines() {
  local name="$1" file="$2"
  [[ -f "$file" ]] || return 0
  awk -v name="$name" '$1 != name' "$file" >"${file}.tmp"
  mv "${file}.tmp" "$file"
}

# Sends a signal to every live recorded process of a service. Usage: service_signal <name> <SIGNAL>
service_signal() {
  local name="$1" signal="$2" pid start_time
  while read -r pid start_time; do
    [[ -n "$pid" ]] || continue
    if process_is_recorded_one "$pid" "$start_time"; then
      kill "-${signal}" "$pid" 2>/dev/null || true
    fi
  done < <(service_recorded_processes "$name")
}

# Stops the recorded processes of a service (the given signal, TERM by default, then KILL after a grace
# period) and forgets their PIDs; directories, endpoints and the remembered commands stay.
# Usage: service_kill_processes <name> [SIGNAL]
service_kill_processes() {
  local name="$1" signal="${2:-TERM}" pid start_time waited
  while read -r pid start_time; do
    [[ -n "$pid" ]] || continue
    if process_is_recorded_one "$pid" "$start_time"; then
      kill "-${signal}" "$pid" 2>/dev/null || true
      waited=0
      while process_is_recorded_one "$pid" "$start_time" && ((waited < 150)); do
        sleep 0.1
        waited=$((waited + 1))
      done
      if process_is_recorded_one "$pid" "$start_time"; then
        log_warn "service ${name}: PID ${pid} ignored SIG${signal} for 15s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
  done < <(service_recorded_processes "$name")
  services_forget_lines "$name" "$SERVICES_PIDS_FILE"
}

# Stops the recorded processes of a service, removes its directories and forgets it.
service_stop_recorded() {
  local name="$1"
  service_kill_processes "$name"
  local dir
  while read -r dir; do
    [[ -n "$dir" && -d "$dir" ]] && rm -rf -- "$dir"
  done < <(awk -v name="$name" '$1 == name { print $2 }' "$SERVICES_DIRS_FILE" 2>/dev/null)
  services_forget_lines "$name" "$SERVICES_DIRS_FILE"
  rm -f "${SERVICES_PER_SERVICE_DIR}/${name}.env" "$(service_state_file "$name")" "$(service_cmd_file "$name")"
}

# Names of every service that has state recorded.
services_recorded_names() {
  {
    cat "$SERVICES_PIDS_FILE" "$SERVICES_DIRS_FILE" 2>/dev/null | awk '{ print $1 }'
    local file
    for file in "$SERVICES_PER_SERVICE_DIR"/*.env "$SERVICES_PER_SERVICE_DIR"/*.state; do
      [[ -f "$file" ]] && basename "${file%.*}"
    done
  } | sort -u
}

# Loads scripts/services/<name>.sh, which defines start_<name> and optionally stop_<name>.
service_load_definition() {
  local name="$1"
  if [[ ! "$name" =~ ^[a-z][a-z0-9_]*$ ]]; then
    log_error "invalid service name '${name}' (lowercase letters, digits and _)"
    return 1
  fi
  local file="${REPO_ROOT}/scripts/services/${name}.sh"
  if [[ ! -f "$file" ]]; then
    log_error "unknown service '${name}': ${file} does not exist"
    return 1
  fi
  # shellcheck source=/dev/null
  source "$file"
  if ! declare -F "start_${name}" >/dev/null; then
    log_error "${file} does not define start_${name}"
    return 1
  fi
}

# ---- Installing the servers -----------------------------------------------------------------------------
# Built binaries and npm installs live outside the repository, so every clone on the machine shares them.

services_cache_dir() {
  printf '%s\n' "${TRUTHOUND_CACHE_DIR:-${HOME}/.cache/truthound-stores}"
}

SERVICES_APT_UPDATED=0

# Runs an install or build step with its (long) output in a log file, shown only when the step fails.
# Usage: services_run_logged <log-file> <command> [args...]
services_run_logged() {
  local log_file="$1"
  shift
  if "$@" >"$log_file" 2>&1; then
    return 0
  fi
  log_error "'$*' failed; last lines of ${log_file}:"
  tail -n 40 "$log_file" >&2 || true
  return 1
}

# Installs Debian packages; apt-get update runs once per start.sh. Usage: service_apt_install <package...>
service_apt_install() {
  log_info "installing Debian packages: $*"
  local log_file="${SERVICES_STATE_DIR}/apt-install.log"
  if ((!SERVICES_APT_UPDATED)); then
    services_run_logged "$log_file" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    SERVICES_APT_UPDATED=1
  fi
  services_run_logged "$log_file" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "$@"
}

services_go_command() {
  if command -v go >/dev/null 2>&1; then
    command -v go
  elif [[ -x /usr/local/go/bin/go ]]; then
    printf '%s\n' /usr/local/go/bin/go
  else
    log_error "the Go toolchain is needed to build the test servers and was not found"
    return 1
  fi
}

# Prints the path of a Go-built server binary, building it with `go install` into the cache first when
# missing. Usage: service_go_binary <cache-name> <package>@<version> <name go install gives the binary>
service_go_binary() {
  local cache_name="$1" package_at_version="$2" built_name="$3"
  local bin_dir
  bin_dir="$(services_cache_dir)/bin"
  local target="${bin_dir}/${cache_name}-${package_at_version##*@}"
  if [[ -x "$target" ]]; then
    printf '%s\n' "$target"
    return 0
  fi
  mkdir -p "$bin_dir"
  local go_command
  go_command="$(services_go_command)" || return 1
  (
    # Two clones starting at once build once: the second waits, then finds the binary.
    exec 9>"${target}.lock"
    flock 9
    if [[ -x "$target" ]]; then
      exit 0
    fi
    local build_dir
    build_dir="$(mktemp -d "${bin_dir}/.build.XXXXXX")"
    trap 'rm -rf -- "$build_dir" "${build_dir}.log"' EXIT
    log_info "building ${package_at_version} with $("$go_command" version) (once; cached in ${bin_dir})"
    local started=$SECONDS
    services_run_logged "${build_dir}.log" \
      env GOBIN="$build_dir" GOFLAGS=-mod=mod "$go_command" install "$package_at_version" || exit 1
    rm -f "${build_dir}.log"
    mv -f "${build_dir}/${built_name}" "$target"
    log_info "built ${target##*/} in $((SECONDS - started))s"
  ) || {
    log_error "go install ${package_at_version} failed"
    return 1
  }
  printf '%s\n' "$target"
}

# Prints the directory of an npm package installed (once) into the cache, outside any workspace.
# Usage: service_npm_package <package> <exact version>
service_npm_package() {
  local package="$1" version="$2"
  local npm_dir
  npm_dir="$(services_cache_dir)/npm"
  local prefix="${npm_dir}/${package}-${version}"
  local marker="${prefix}/node_modules/${package}/package.json"
  if [[ -f "${prefix}/.complete" ]]; then
    printf '%s\n' "${prefix}/node_modules/${package}"
    return 0
  fi
  mkdir -p "$npm_dir"
  (
    exec 9>"${prefix}.lock"
    flock 9
    if [[ -f "${prefix}/.complete" ]]; then
      exit 0
    fi
    local install_dir
    install_dir="$(mktemp -d "${npm_dir}/.install.XXXXXX")"
    trap 'rm -rf -- "$install_dir" "${install_dir}.log"' EXIT
    log_info "installing ${package}@${version} from npm (once; cached in ${npm_dir})"
    chmod 755 "$install_dir"
    printf '{ "private": true }\n' >"${install_dir}/package.json"
    services_run_logged "${install_dir}.log" npm install --prefix "$install_dir" --save-exact --omit=dev \
      --no-fund --no-audit --loglevel=error "${package}@${version}" || exit 1
    rm -f "${install_dir}.log"
    [[ -f "${install_dir}/node_modules/${package}/package.json" ]] || exit 1
    touch "${install_dir}/.complete"
    rm -rf -- "$prefix"
    mv "$install_dir" "$prefix"
  ) || {
    log_error "npm install ${package}@${version} failed"
    return 1
  }
  [[ -f "$marker" ]] || return 1
  printf '%s\n' "${prefix}/node_modules/${package}"
}
