# Bookkeeping for the test servers started by scripts/services/start.sh and stopped by stop.sh.
#
# State, all under .cache/ in the repository:
#   services.pids          one line per process we started: "<service> <pid> <start-time>"
#                          (the start time from /proc guards against killing a recycled PID)
#   services.dirs          one line per temporary directory a service owns: "<service> <path>"
#   services/<name>.env    the TRUTHOUND_TEST_* variables one service exports
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

# Runs a server in the background in its own session, output to the service log, and records its PID.
# Usage: service_spawn <name> <command> [args...]
service_spawn() {
  local name="$1"
  shift
  setsid "$@" >>"$(service_log_file "$name")" 2>&1 </dev/null &
  local pid=$!
  service_record_pid "$name" "$pid"
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

# Stops the recorded processes of a service (TERM, then KILL after a grace period), removes its
# directories and forgets it.
service_stop_recorded() {
  local name="$1" pid start_time waited
  while read -r pid start_time; do
    [[ -n "$pid" ]] || continue
    if process_is_recorded_one "$pid" "$start_time"; then
      kill -TERM "$pid" 2>/dev/null || true
      waited=0
      while process_is_recorded_one "$pid" "$start_time" && ((waited < 100)); do
        sleep 0.1
        waited=$((waited + 1))
      done
      if process_is_recorded_one "$pid" "$start_time"; then
        log_warn "service ${name}: PID ${pid} ignored SIGTERM for 10s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
  done < <(service_recorded_processes "$name")
  local dir
  while read -r dir; do
    [[ -n "$dir" && -d "$dir" ]] && rm -rf -- "$dir"
  done < <(awk -v name="$name" '$1 == name { print $2 }' "$SERVICES_DIRS_FILE" 2>/dev/null)
  services_forget_lines "$name" "$SERVICES_PIDS_FILE"
  services_forget_lines "$name" "$SERVICES_DIRS_FILE"
  rm -f "${SERVICES_PER_SERVICE_DIR}/${name}.env"
}

# Names of every service that has state recorded.
services_recorded_names() {
  {
    cat "$SERVICES_PIDS_FILE" "$SERVICES_DIRS_FILE" 2>/dev/null | awk '{ print $1 }'
    local file
    for file in "$SERVICES_PER_SERVICE_DIR"/*.env; do
      [[ -f "$file" ]] && basename "$file" .env
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
