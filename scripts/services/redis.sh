# Redis 7 from Debian's redis-server package, without persistence except on shutdown: SIGTERM saves a
# snapshot into its temporary directory, so restart.sh brings it back with its data.

start_redis() {
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    service_apt_install redis-server redis-tools || return 1
  fi
  local dir port
  dir="$(service_make_workdir redis)"
  port="$(service_free_port)"
  service_state_set redis REDIS_PORT "$port"
  service_spawn redis "$(command -v redis-server)" \
    --bind 127.0.0.1 --port "$port" --daemonize no --dir "$dir" --dbfilename dump.rdb \
    --save '' --appendonly no --shutdown-on-sigterm save || return 1
  ready_redis || return 1
  service_export redis TRUTHOUND_TEST_REDIS_URL "redis://127.0.0.1:${port}"
}

redis_answers_ping() {
  [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ]]
}

ready_redis() {
  service_wait_until redis 30 "redis-cli ping" redis_answers_ping
}
