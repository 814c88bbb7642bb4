#!/bin/sh
# pay_card.sh: the card driver (plugin/pay/card.c) against the stand-in gateway
# (tests/gateway), through pay_card_drive. Every outcome of pay.h; a timeout and a dropped
# answer are unknown, and the resend's lookup finds the one debit; the gateway down is
# unavailable; a wrong api key is unavailable and nothing is charged; 8 threads at once.
# After all, the gateway's journal equals what left the cards' balances.
# Ports (127.0.0.1 only, derived from the test cluster's like the box's): GW_PORT the
# gateway, +1 the same over https, +2 a gateway
# that is stopped.
. "$ROOT/tests/lib.sh"

DRIVE=${PAY_CARD_DRIVE:-$ROOT/build/tests/integration/pay_card_drive}
GW=${PARK_GATEWAY:-$ROOT/build/tests/gateway/gateway}
DIR=$ROOT/var/test-pay/card
GW_PORT=$((38600 + 3 * (${PGPORT:-55433} % 40))) TLS_PORT=$((GW_PORT + 1)) DOWN_PORT=$((GW_PORT + 2))
URL=http://127.0.0.1:$GW_PORT/v1
API_KEY=sk_test_9f3a61c2
J=$DIR/journal
GW_PID= GW_TLS_PID= GW_DOWN_PID=

[ -x "$DRIVE" ] && [ -x "$GW" ] || { echo "pay_card.sh: build first (make)" >&2; exit 1; }
rm -rf "$DIR"
mkdir -p "$DIR"

# wait_for SECONDS COMMAND...: run COMMAND every 0.1 s until it succeeds.
wait_for() {
	_n=$(($1 * 10)); shift
	while [ "$_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}
# stop_pid PID: SIGTERM, SIGKILL after 5 s.
stop_pid() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
	kill "$1" 2>/dev/null
	wait_for 5 sh -c "! kill -0 $1" || kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}
cleanup() { stop_pid "$GW_PID"; stop_pid "$GW_TLS_PID"; stop_pid "$GW_DOWN_PID"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

# gw_start PORT NAME [OPTIONS...]: a gateway on PORT logging to $DIR/NAME.log; its pid in
# $GW_STARTED.
gw_start() {
	_port=$1 _name=$2; shift 2
	"$GW" -p "$_port" -j "$J" -k "$API_KEY" "$@" 2>"$DIR/$_name.log" &
	GW_STARTED=$!
	wait_for 5 grep -q listening "$DIR/$_name.log" || { echo "gateway $_name did not start" >&2; exit 1; }
}
# control JSON: a knob of the gateway on GW_PORT.
control() { curl -s -o /dev/null -w '%{http_code}' -X POST --data "$1" http://127.0.0.1:$GW_PORT/control; }
balance() { curl -s "http://127.0.0.1:$GW_PORT/control?card=$1" | jq -r .balance; }
# charge [OPTIONS] KEY TOKEN AMOUNT [resend]: the outcome line; the driver's log is
# appended to $DIR/drive.log.
charge() { "$DRIVE" -k "$API_KEY" "$@" 2>>"$DIR/drive.log"; }
debits() { grep -c " $1 " "$J"; }   # journal lines of key $1

gw_start $GW_PORT gw; GW_PID=$GW_STARTED
check_eq "cards set" "$(control '{"card":"tok_rich","balance":100000}') $(control '{"card":"tok_poor","balance":100}') $(control '{"card":"tok_eight","balance":5000}')" "200 200 200"

# --- the four definite answers ---------------------------------------------------------
out=$(charge $URL k_ok tok_rich 15000)
check_match "approved -> charged with the gateway's id" "$out" '^charged ch_[0-9]{6}$'
id_ok=${out#charged }
check_eq "approved: one journal line, id key token amount" "$(grep " k_ok " "$J")" "$id_ok k_ok tok_rich 15000"
check_eq "approved: the card debited" "$(balance tok_rich)" 85000
check_eq "the same key again: the same charge" "$(charge $URL k_ok tok_rich 15000)" "charged $id_ok"
check_eq "the same key again: no second debit" "$(debits k_ok) $(balance tok_rich)" "1 85000"
check_eq "insufficient_funds -> no_funds" "$(charge $URL k_poor tok_poor 15000)" no_funds
check_eq "no_funds: nothing taken" "$(balance tok_poor) $(debits k_poor)" "100 0"
check_eq "unknown_card -> unknown_user" "$(charge $URL k_nobody tok_nobody 100)" unknown_user
check_eq "knob: decline the next 1" "$(control '{"decline_next":1,"status":"declined"}')" 200
check_eq "declined -> denied" "$(charge $URL k_declined tok_rich 100)" denied
check_eq "the knob is spent: the next is approved" "$(charge $URL k_after tok_rich 100 | cut -d' ' -f1)" charged
check_eq "declined: resend finds the declined charge, no new one" \
	"$(charge $URL k_declined tok_rich 100 resend) $(debits k_declined)" "denied 0"
check_eq "knob: the next 1 insufficient_funds" "$(control '{"decline_next":1,"status":"insufficient_funds"}')" 200
check_eq "forced insufficient_funds -> no_funds" "$(charge $URL k_forced tok_rich 100)" no_funds
check_eq "the same key with another amount (HTTP 409) -> unknown, nothing taken" \
	"$(charge $URL k_ok tok_rich 999) $(debits k_ok) $(balance tok_rich)" "unknown 1 84900"

# --- refused before anything is charged: wrong api key, gateway down ------------------------
check_eq "wrong api key (401) -> unavailable" "$("$DRIVE" -k wrong $URL k_wrong tok_rich 100 2>"$DIR/wrong.log")" unavailable
check_match "wrong api key: the log says to check it" "$(cat "$DIR/wrong.log")" 'ERROR: .*refused the api key \(HTTP 401\)'
check_eq "wrong api key: nothing charged" "$(debits k_wrong) $(curl -s "$URL/charges?idempotency_key=k_wrong" -H "Authorization: Bearer $API_KEY" -o /dev/null -w '%{http_code}')" "0 404"
check_eq "wrong api key on a resend -> unknown (an earlier try may have charged)" \
	"$("$DRIVE" -k wrong $URL k_wrong tok_rich 100 resend 2>/dev/null)" unknown

gw_start $DOWN_PORT gw_down; GW_DOWN_PID=$GW_STARTED
stop_pid "$GW_DOWN_PID"
t0=$(date +%s%N)
check_eq "gateway down (connection refused) -> unavailable" "$(charge http://127.0.0.1:$DOWN_PORT/v1 k_down tok_rich 100)" unavailable
check_eq "refused at once, not after the timeout" "$(( ($(date +%s%N) - t0) / 1000000 < 1500 ))" 1
check_eq "gateway down on a resend -> unknown" "$(charge http://127.0.0.1:$DOWN_PORT/v1 k_down tok_rich 100 resend)" unknown
check_eq "host that does not resolve -> unavailable" "$(charge -t 1500 http://gateway.invalid:$GW_PORT/v1 k_dns tok_rich 100)" unavailable

# --- an answer too late, and no answer: unknown, then the resend's lookup ---------------------
check_eq "knob: delay the next 1 by 1.5 s" "$(control '{"delay_next":1,"ms":1500}')" 200
t0=$(date +%s%N)
check_eq "delayed past the 500 ms timeout -> unknown" "$(charge -t 500 $URL k_late tok_rich 1000)" unknown
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check_eq "charge() returned within its timeout (took $ms ms)" "$((ms < 1000))" 1
check_eq "the gateway applied it all the same" "$(debits k_late)" 1
out=$(charge $URL k_late tok_rich 1000 resend)
check_eq "resend -> the lookup finds it charged, with the journal's id" "$out" "charged $(grep " k_late " "$J" | cut -d' ' -f1)"
check_eq "late charge: one debit" "$(debits k_late)" 1
check_eq "the resend looked up and did not post again" "$(tail -n 1 "$DIR/gw.log")" "gateway: GET /v1/charges -> 200"

check_eq "knob: drop the next 1 answer" "$(control '{"drop_next":1}')" 200
check_eq "applied but no answer -> unknown" "$(charge $URL k_drop tok_rich 2000)" unknown
check_eq "dropped: the gateway applied it" "$(debits k_drop)" 1
out=$(charge $URL k_drop tok_rich 2000 resend)
check_eq "resend after the drop -> the same charge" "$out" "charged $(grep " k_drop " "$J" | cut -d' ' -f1)"
check_eq "dropped: one debit" "$(debits k_drop)" 1
out=$(charge $URL k_fresh tok_rich 500 resend)
check_match "resend of a charge never sent: lookup 404, then the POST -> charged" "$out" '^charged ch_'
check_eq "never sent, then resent: one debit" "$(debits k_fresh)" 1
check_eq "balance after all of it" "$(balance tok_rich)" $((100000 - 15000 - 100 - 1000 - 2000 - 500))

# --- 8 threads at once ------------------------------------------------------------------
out=$(charge -n 8 $URL k_par tok_eight 1000)
check_eq "8 threads, 8 keys, money for 5: 5 charged" "$(echo "$out" | grep -c ' charged ')" 5
check_eq "... and 3 no_funds" "$(echo "$out" | grep -c ' no_funds$')" 3
check_eq "... 5 journal lines, the card at 0" "$(grep -c ' tok_eight ' "$J") $(balance tok_eight)" "5 0"
check_eq "... 8 distinct charges" "$(echo "$out" | awk '{print $1}' | sort -u | wc -l | tr -d ' ')" 8
out=$(charge -n 8 -s $URL k_same tok_rich 700)
check_eq "8 threads with one key: all charged, one id" "$(echo "$out" | sort -u)" \
	"k_same charged $(grep " k_same " "$J" | cut -d' ' -f1)"
check_eq "8 threads with one key: one debit" "$(debits k_same)" 1

# --- https with the gateway's CA ---------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$DIR/key.pem" -out "$DIR/cert.pem" >/dev/null 2>&1 ||
	fail "openssl could not make a test certificate"
gw_start $TLS_PORT gw_tls -C "$DIR/cert.pem" -K "$DIR/key.pem"; GW_TLS_PID=$GW_STARTED
check_eq "https with ca_file (cards are per gateway: unknown here)" \
	"$(charge -a "$DIR/cert.pem" https://127.0.0.1:$TLS_PORT/v1 k_tls tok_rich 100)" unknown_user
check_eq "https without the CA: verification fails, nothing sent -> unavailable" \
	"$(charge https://127.0.0.1:$TLS_PORT/v1 k_tls2 tok_rich 100)" unavailable
check_eq "https without the CA: the gateway saw no request" "$(grep -c 'POST /v1/charges' "$DIR/gw_tls.log")" 1

# --- the stand-in's own checks --------------------------------------------------------------
post() { curl -s -o /dev/null -w '%{http_code}' -X POST "$@"; }
check_eq "stand-in: no api key -> 401" "$(post --data '{}' "$URL/charges")" 401
check_eq "stand-in: bad JSON -> 400" "$(post -H "Authorization: Bearer $API_KEY" --data '{"amount":' "$URL/charges")" 400
check_eq "stand-in: a field missing -> 400" "$(post -H "Authorization: Bearer $API_KEY" --data '{"amount":1,"currency":"KZT","card_token":"t"}' "$URL/charges")" 400
check_eq "stand-in: over 16 KiB -> 413" "$(head -c 20000 /dev/zero | tr '\0' x | post -H "Authorization: Bearer $API_KEY" --data-binary @- "$URL/charges")" 413
check_eq "stand-in: an unknown knob -> 400" "$(control '{"explode":1}')" 400

# --- the books ------------------------------------------------------------------------------
check_eq "journal: every approved charge once" "$(awk '{print $2}' "$J" | sort | uniq -d)" ""
check_eq "journal: its sum is what left the cards" "$(awk '{s += $4} END {print s}' "$J")" \
	$(( (100000 - $(balance tok_rich)) + (100 - $(balance tok_poor)) + (5000 - $(balance tok_eight)) ))
check_eq "the api key is in no log line" "$(cat "$DIR"/*.log | grep -c -F "$API_KEY")" 0

done_testing
