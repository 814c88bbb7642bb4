# api/lib.sh: helpers for the HTTP API tests (sourced after tests/lib.sh and box/lib.sh).
# HTTP ports 38740-38749 (one per test file), Prometheus 38750.

PARKCTL=${PARKCTL:-$ROOT/build/parkctl}

# http METHOD PATH [KEY] [BODY]: sets HTTP_STATUS and HTTP_BODY (the port is $API_PORT).
http() {
	_m=$1 _p=$2 _k=${3:-} _b=${4:-}
	set -- -s -o "$BOX_DIR/http.body" -w '%{http_code}' -X "$_m"
	[ -n "$_k" ] && set -- "$@" -H "Authorization: Bearer $_k"
	[ -n "$_b" ] && set -- "$@" -H 'Content-Type: application/json' --data-binary "$_b"
	HTTP_STATUS=$(curl "$@" "http://127.0.0.1:$API_PORT$_p")
	HTTP_BODY=$(cat "$BOX_DIR/http.body")
}

# jget FILTER: jq on the last body.
jget() { printf '%s' "$HTTP_BODY" | jq -r "$1"; }

# expect_http WHAT STATUS [JQ-FILTER WANT]: the last answer's status (and one value).
expect_http() {
	check_eq "$1: status" "$HTTP_STATUS" "$2"
	[ $# -ge 4 ] && check_eq "$1: $3" "$(jget "$3")" "$4"
	return 0
}

# new_key ROLE NAME: a key made with parkctl (printed once on stdout).
new_key() { "$PARKCTL" --db "dbname=$PGDATABASE" key add "$1" "$2" 2>/dev/null; }
