# Toxiproxy, built from its Go module, for fault tests: tests create proxies through its HTTP API
# (listen on 127.0.0.1:0 to let the kernel pick the port; the API answers with the address it chose).
# Proxies live in memory: after a restart they are gone.

TOXIPROXY_PACKAGE="github.com/Shopify/toxiproxy/v2/cmd/server@v2.5.0"

start_toxiproxy() {
  local binary port
  binary="$(service_go_binary toxiproxy-server "$TOXIPROXY_PACKAGE" server)" || return 1
  port="$(service_free_port)"
  service_state_set toxiproxy TOXIPROXY_PORT "$port"
  service_spawn toxiproxy env LOG_LEVEL=info "$binary" -host 127.0.0.1 -port "$port" || return 1
  ready_toxiproxy || return 1
  service_export toxiproxy TRUTHOUND_TEST_TOXIPROXY_URL "http://127.0.0.1:${port}"
}

ready_toxiproxy() {
  service_wait_until toxiproxy 30 "GET /version" service_probe http "http://127.0.0.1:${TOXIPROXY_PORT}/version"
}
