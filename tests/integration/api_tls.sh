#!/bin/sh
# api_tls.sh: the HTTP API over TLS with Kannel's key names (ssl-server-cert-file,
# ssl-server-key-file), plain HTTP refused on that port, and bad TLS or HTTP settings
# stopping parkbox at start with the key named.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/integration/box/lib.sh"
. "$ROOT/tests/integration/api/lib.sh"

API_PORT=38742
box_setup park_api_tls
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-keyout "$BOX_DIR/api.key" -out "$BOX_DIR/api.crt" >/dev/null 2>&1 ||
	{ fail "openssl cannot make a certificate"; done_testing; exit 1; }
bb_start
box_write_parkbox_conf "admin-port = $API_PORT" "ssl-server-cert-file = $BOX_DIR/api.crt" \
	"ssl-server-key-file = $BOX_DIR/api.key"
pb_start

out=$(curl -s --cacert "$BOX_DIR/api.crt" "https://127.0.0.1:$API_PORT/health")
check_eq "HTTPS with the configured certificate" "$(printf '%s' "$out" | jq -r .status)" ok
check_eq "plain HTTP on the TLS port gets no answer" \
	"$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$API_PORT/health")" 000
check_match "the log says https" "$(cat "$BOX_DIR/parkbox.log")" "HTTP API listening on https://127.0.0.1:$API_PORT"
pb_stop "$PB_PID"

# try NAME REGEX CONFIG-LINES...: parkbox must exit 1 and say REGEX
try() {
	_name=$1 _re=$2; shift 2
	box_write_parkbox_conf "$@"
	out=$(timeout 15 "$BOX_PARKBOX" "$BOX_DIR/parkbox.conf" 2>&1)
	check_eq "$_name: exit status 1" "$?" 1
	check_match "$_name: says why" "$out" "$_re"
}
try "certificate without key" "keys 'ssl-server-cert-file' and 'ssl-server-key-file' go together" \
	"admin-port = $API_PORT" "ssl-server-cert-file = $BOX_DIR/api.crt"
try "unreadable certificate" "key 'ssl-server-cert-file': cannot read '/nonexistent.crt'" \
	"admin-port = $API_PORT" "ssl-server-cert-file = /nonexistent.crt" "ssl-server-key-file = $BOX_DIR/api.key"
try "a key that is not one" "key 'admin-port': cannot listen on 127.0.0.1:$API_PORT with TLS" \
	"admin-port = $API_PORT" "ssl-server-cert-file = $BOX_DIR/api.crt" "ssl-server-key-file = $BOX_DIR/api.crt"
try "bad interface" "key 'admin-interface': 'localhost' is not an IPv4 address" \
	"admin-port = $API_PORT" "admin-interface = localhost"
try "port out of range" "key 'admin-port': '70000' is not a whole number from 0 to 65535" "admin-port = 70000"
# a port in use
python3 -c "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', $API_PORT)); s.listen(); time.sleep(20)" &
HOLD=$!
sleep 0.5
try "port in use" "key 'admin-port': cannot listen on 127.0.0.1:$API_PORT \\(in use\\?\\)" "admin-port = $API_PORT"
stop_pid "$HOLD" 2
done_testing
