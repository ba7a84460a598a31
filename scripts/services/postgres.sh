# PostgreSQL from Debian's postgresql package: a throwaway cluster in the service's temporary directory,
# run as the postgres user (initdb refuses root), reachable over TCP on 127.0.0.1 with a password user
# that owns the test database. Durability is off (fsync, full-page writes): the data only has to outlive
# a clean restart.sh.

POSTGRES_TEST_USER="truthound"
POSTGRES_TEST_PASSWORD="truthound-password"
POSTGRES_TEST_DATABASE="truthound"

# Prints the directory of the server binaries; Debian keeps them out of PATH.
postgres_bin_dir() {
  local dir
  for dir in /usr/lib/postgresql/15/bin $(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V -r); do
    if [[ -x "${dir}/initdb" && -x "${dir}/postgres" && -x "${dir}/pg_isready" ]]; then
      printf '%s\n' "$dir"
      return 0
    fi
  done
  return 1
}

start_postgres() {
  local bin_dir
  if ! bin_dir="$(postgres_bin_dir)"; then
    service_apt_install postgresql postgresql-client || return 1
    bin_dir="$(postgres_bin_dir)" || {
      log_error "postgres: no PostgreSQL server binaries under /usr/lib/postgresql after installing"
      return 1
    }
  fi
  local dir port
  dir="$(service_make_workdir postgres)"
  port="$(service_free_port)"
  mkdir -p "${dir}/run"
  chown -R postgres:postgres "$dir"
  if ! runuser -u postgres -- test -w "$dir"; then
    log_error "postgres: the postgres user cannot reach ${dir}; set TMPDIR to a directory every user can traverse"
    return 1
  fi
  service_state_set postgres POSTGRES_BIN_DIR "$bin_dir"
  service_state_set postgres POSTGRES_PORT "$port"
  service_state_set postgres POSTGRES_SOCKET_DIR "${dir}/run"
  service_state_set postgres POSTGRES_URL \
    "postgres://${POSTGRES_TEST_USER}:${POSTGRES_TEST_PASSWORD}@127.0.0.1:${port}/${POSTGRES_TEST_DATABASE}"

  (cd "$dir" && runuser -u postgres -- "${bin_dir}/initdb" --pgdata="${dir}/data" --username=postgres \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C --no-sync) \
    >>"$(service_log_file postgres)" 2>&1 || {
    log_error "postgres: initdb failed; see $(service_log_file postgres)"
    return 1
  }
  # setpriv execs the server (runuser would stay as a parent), so the recorded PID is the postmaster's.
  service_spawn postgres env -C "$dir" setpriv --reuid=postgres --regid=postgres --init-groups -- \
    "${bin_dir}/postgres" -D "${dir}/data" -p "$port" -k "${dir}/run" \
    -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    -c max_connections=200 || return 1
  service_wait_until postgres 30 "pg_isready" postgres_is_ready || return 1
  "${bin_dir}/psql" -X -q -h "${dir}/run" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE ${POSTGRES_TEST_USER} LOGIN CREATEDB PASSWORD '${POSTGRES_TEST_PASSWORD}'" \
    -c "CREATE DATABASE ${POSTGRES_TEST_DATABASE} OWNER ${POSTGRES_TEST_USER}" \
    >>"$(service_log_file postgres)" 2>&1 || {
    log_error "postgres: creating the test role and database failed; see $(service_log_file postgres)"
    return 1
  }
  ready_postgres || return 1
  service_export postgres TRUTHOUND_TEST_POSTGRES_URL "$POSTGRES_URL"
}

postgres_is_ready() {
  "${POSTGRES_BIN_DIR}/pg_isready" -q -h 127.0.0.1 -p "$POSTGRES_PORT" -d postgres
}

postgres_answers_query() {
  [[ "$("${POSTGRES_BIN_DIR}/psql" -X -A -t "$POSTGRES_URL" -c 'select 1' 2>/dev/null)" == "1" ]]
}

ready_postgres() {
  service_wait_until postgres 30 "pg_isready" postgres_is_ready &&
    service_wait_until postgres 30 "psql -c 'select 1' as ${POSTGRES_TEST_USER}" postgres_answers_query
}

# SIGTERM is PostgreSQL's "smart" shutdown, which waits for every client to disconnect; SIGINT is the
# "fast" one: clients are disconnected, the cluster is shut down cleanly.
stop_postgres() {
  service_kill_processes postgres INT
}
