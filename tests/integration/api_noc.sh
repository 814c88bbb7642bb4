#!/bin/sh
# api_noc.sh: the NOC's view of a running parkbox over real HTTP on loopback: /health
# (200, then 503 with the reason when the database or bearerbox goes), /status and /status.json after
# real MOs, /metrics checked by `promtool check metrics`, and a real Prometheus that
# scrapes parkbox and answers a query for a parkbox_* series.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/integration/box/lib.sh"
. "$ROOT/tests/integration/api/lib.sh"

API_PORT=38740
PROM_PORT=38750
PROM_PID=
box_setup park_api_noc
trap 'stop_pid "$PROM_PID" 5; box_cleanup' EXIT
A=77010000031
q "SELECT wallet_topup('$A', 100000)" >/dev/null
bb_start
box_write_parkbox_conf "admin-port = $API_PORT"
pb_start
phone_start

http GET /health
expect_http "health with bearerbox and the database" 200 .status ok
check_eq "health: both named" "$(jget '[.database, .bearerbox] | @csv')" "true,true"

sms $A 7757 '1001*123ABC02*1'
expect_sms "a start is answered" 7701 $A 'ответьте 1 до'
sms $A 7701 1
expect_sms "the confirmation starts the session" 7757 $A '^Оплачено '
sms $A 7757 'HELLO'
expect_sms "an unknown command is answered" 7757 $A '.'

http GET /status.json
expect_http "status.json" 200 .mo.acked 3
check_eq "status.json: bearerbox connected" "$(jget .bearerbox.connected)" true
check_eq "status.json: one active session" "$(jget .database.active_sessions)" 1
check_eq "status.json: three replies sent" "$(jget .mt.sent)" 3
check_eq "status.json: the wallet paid 150 tenge" "$(jget .debits_tiyn.wallet)" 15000
check_match "status.json: uptime" "$(jget .uptime_seconds)" '^[0-9]+$'
check_eq "status.json: outbox backlog is a number" "$(jget '.outbox_backlog | type')" number
check_eq "status.json: the API's database pool" "$(jget '[.database.api_pool.size, .database.api_pool.in_use] | @csv')" "8,0"

http GET /status
check_eq "status: text" "$HTTP_STATUS" 200
check_match "status: text lines" "$HTTP_BODY" 'mo\.acked: 3'

http GET /metrics
check_eq "metrics: 200" "$HTTP_STATUS" 200
printf '%s\n' "$HTTP_BODY" > "$BOX_DIR/metrics.txt"
if promtool check metrics < "$BOX_DIR/metrics.txt" > "$BOX_DIR/promtool.out" 2>&1; then
	ok "promtool check metrics accepts /metrics"
else
	fail "promtool check metrics: $(cat "$BOX_DIR/promtool.out")"
fi
check_match "metrics: the start was counted" "$HTTP_BODY" \
	'parkbox_mo_total\{command="start",outcome="acked"\} 1'
check_match "metrics: the confirmation was counted" "$HTTP_BODY" \
	'parkbox_mo_total\{command="confirm",outcome="acked"\} 1'
check_match "metrics: the unknown command" "$HTTP_BODY" 'parkbox_mo_total\{command="invalid",outcome="acked"\} 1'
check_match "metrics: latency histogram count" "$HTTP_BODY" 'parkbox_mo_duration_seconds_count 3'
check_match "metrics: the +Inf bucket" "$HTTP_BODY" 'parkbox_mo_duration_seconds_bucket\{le="\+Inf"\} 3'
check_match "metrics: active sessions" "$HTTP_BODY" 'parkbox_active_sessions 1'
check_match "metrics: debits by method" "$HTTP_BODY" 'parkbox_debit_tiyn_total\{method="wallet"\} 15000'
check_match "metrics: bearerbox up" "$HTTP_BODY" 'parkbox_bearerbox_up 1'
check_match "metrics: database up" "$HTTP_BODY" 'parkbox_database_up 1'

# --- a real Prometheus scrapes parkbox ---------------------------------------
mkdir -p "$BOX_DIR/prom"
cat > "$BOX_DIR/prom/prometheus.yml" <<CONF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: parkbox
    static_configs:
      - targets: ['127.0.0.1:$API_PORT']
CONF
prometheus --config.file="$BOX_DIR/prom/prometheus.yml" --storage.tsdb.path="$BOX_DIR/prom/data" \
	--web.listen-address="127.0.0.1:$PROM_PORT" > "$BOX_DIR/prom/out" 2>&1 &
PROM_PID=$!
# prom_query EXPR: the first result's value.
prom_query() {
	curl -s -G "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" |
		jq -r '.data.result[0].value[1]'
}
prom_has() { [ "$(prom_query parkbox_bearerbox_up)" = 1 ]; }
if wait_for 30 prom_has; then ok "Prometheus scraped parkbox_bearerbox_up = 1"
else fail "Prometheus has no parkbox_bearerbox_up: $(tail -3 "$BOX_DIR/prom/out")"; fi
check_eq "Prometheus: the target is up" "$(prom_query 'up{job="parkbox"}')" 1
check_eq "Prometheus: the start counter" "$(prom_query 'parkbox_mo_total{command="start",outcome="acked"}')" 1
check_eq "Prometheus: the histogram" "$(prom_query 'parkbox_mo_duration_seconds_count')" 3
stop_pid "$PROM_PID" 5
PROM_PID=

# --- the database goes: not ready, MOs held, then back ------------------------
"$ROOT/scripts/pg" stop >/dev/null
sms $A 7757 I
wait_for 10 sh -c "curl -s http://127.0.0.1:$API_PORT/status.json | jq -e '.mo.held_now == 1' >/dev/null"
http GET /health
expect_http "health without the database" 503 '.reasons[0]' "database: database unreachable"
check_eq "health without the database: bearerbox still fine" "$(jget .bearerbox)" true
http GET /metrics
check_match "metrics without the database: down" "$HTTP_BODY" 'parkbox_database_up 0'
check_match "metrics without the database: the held MO" "$HTTP_BODY" 'parkbox_mo_held 1'
http GET /status.json
expect_http "status.json without the database" 200 '[.database.reachable, .mo.held_now, .mo.held_total] | @csv' "false,1,1"
"$ROOT/scripts/pg" start >/dev/null
expect_sms "database back: the held MO is answered" 7757 $A '.' 40
wait_for 20 sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$API_PORT/health) = 200 ]"
http GET /health
expect_http "health with the database back" 200 .status ok
http GET /metrics
check_match "metrics: no MO held any more" "$HTTP_BODY" 'parkbox_mo_held 0'
check_match "metrics: the status command, acked after waiting" "$HTTP_BODY" 'parkbox_mo_total\{command="status",outcome="acked"\} 1'

# --- bearerbox dies: not ready, with the reason ------------------------------
phone_stop
bb_kill9
wait_for 10 sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$API_PORT/health) = 503 ]"
http GET /health
expect_http "health without bearerbox" 503 '.reasons[0]' "bearerbox: not connected"
check_eq "health without bearerbox: the database is still fine" "$(jget .database)" true
http GET /metrics
check_match "metrics: bearerbox down" "$HTTP_BODY" 'parkbox_bearerbox_up 0'
http POST /health
check_eq "health takes GET only" "$HTTP_STATUS" 405
http GET /nothing
expect_http "an unknown path" 404 .error "no such endpoint: /nothing"

pb_stop "$PB_PID"
check_eq "parkbox exits 0 with the API running" "$?" 0
check_eq "no key, error or panic in the log" "$(grep -c -E 'PANIC|pk_' "$BOX_DIR/parkbox.log")" 0
done_testing
