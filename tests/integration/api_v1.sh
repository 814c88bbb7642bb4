#!/bin/sh
# api_v1.sh: the /v1/ API over real HTTP on loopback: each endpoint and each role; bad,
# missing and revoked keys; the rate limit; malformed JSON and oversized bodies; unknown
# zones; plates in every format; the 15-minute rule at its boundaries; sightings that are
# idempotent by device; violations with their evidence, as CSV, handed over by the fines
# system; sessions and accounts; adjustments that keep money_invariants() empty; the
# portal's payment method, balance and history; parkctl's answers and exit codes.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/integration/box/lib.sh"
. "$ROOT/tests/integration/api/lib.sh"

API_PORT=38741
box_setup park_api_v1
A=77010000041
q "SELECT wallet_topup('$A', 100000)" >/dev/null
bb_start
box_write_parkbox_conf "admin-port = $API_PORT" "api-rate-limit = 1000"
pb_start
phone_start

INSP=$(new_key inspector "tablet 7")
OPER=$(new_key operator "operator anna")
FINE=$(new_key fines "fines system")
PORT=$(new_key portal "portal")
check_match "parkctl key add prints a key" "$INSP" '^pk_[0-9a-f]{64}$'
check_eq "keys are stored hashed, never in clear" \
	"$(q "SELECT count(*) FROM api_keys WHERE key_sha256 = encode(sha256('$INSP'), 'hex')")|$(q "SELECT count(*) FROM api_keys WHERE key_sha256 LIKE 'pk_%'")" "1|0"

# --- keys and roles ------------------------------------------------------------
http GET "/v1/check?plate=123ABC02"
expect_http "no key" 401 .error "an API key is required: Authorization: Bearer KEY"
http GET "/v1/check?plate=123ABC02" "pk_0000"
expect_http "an unknown key" 401 .error "unknown or revoked API key"
http GET "/v1/check?plate=123ABC02" "$PORT"
expect_http "the portal's key may not check plates" 403
http GET "/v1/violations" "$INSP"
expect_http "an inspector may not list violations" 403
http POST "/v1/sightings" "$FINE" '{}'
expect_http "the fines system may not record sightings" 403
http GET "/v1/zones" "$FINE"
expect_http "every role but the portal reads zones" 200 '.zones | length' 3
http DELETE "/v1/zones" "$OPER"
expect_http "a method the path does not take" 405

# --- zones, validate -------------------------------------------------------------
http GET "/v1/zones/1001" "$INSP"
expect_http "one zone" 200 .name "Green Market"
http GET "/v1/zones/9999" "$INSP"
expect_http "an unknown zone" 404 .error "zone 9999 does not exist"
for p in "123AAA02:123AAA02:KZ 2012 private" "123 aaa 02:123AAA02:KZ 2012 private" \
         "001KZ01:001KZ01:KZ 2012 organisation" "А111ААА:A111AAA:KZ 1993 private" \
         "Z001AB:Z001AB:KZ 1993 organisation"; do
	text=${p%%:*} rest=${p#*:}
	http GET "/v1/validate?zone=1001&plate=$(printf '%s' "$text" | jq -sRr @uri)" "$INSP"
	check_eq "validate '$text'" "$(jget '[.valid, .plate] | @csv')" "true,\"${rest%%:*}\""
done
http GET "/v1/validate?zone=1001&plate=123ABC99" "$INSP"
expect_http "validate: a bad region" 200 '.problems[0]' "bad plate '123ABC99': unknown region code (at byte 6)"
http GET "/v1/validate?zone=9999&plate=123ABC02" "$INSP"
expect_http "validate: an unknown zone" 200 '[.valid, .problems[0]] | @csv' 'false,"zone 9999 does not exist"'

# --- the 15-minute rule at its boundaries ----------------------------------------
T0=2026-06-16T10:00:00+05:00
sight() {   # sight REF PLATE ZONE TIME
	http POST /v1/sightings "$INSP" "{\"plate\":\"$2\",\"zone\":$3,\"seen_at\":\"$4\",\"device\":\"tab7\",\"device_ref\":\"$1\"}"
}
sight s1 222BBB02 1001 "$T0"
expect_http "first sighting" 201 .stay.verdict short
http GET "/v1/check?plate=222BBB02&zone=1001&at=2026-06-16T10:15:00%2B05:00" "$INSP"
expect_http "check at first seen + 15:00: in grace" 200 .status grace
check_eq "check: grace ends 15 minutes after first seen" "$(jget .grace_until)" "2026-06-16T10:15:00+05:00"
http GET "/v1/check?plate=222BBB02&zone=1001&at=2026-06-16T10:15:01%2B05:00" "$INSP"
expect_http "check at first seen + 15:01: unpaid" 200 .status unpaid
sight s2 222BBB02 1001 2026-06-16T10:15:00+05:00
expect_http "seen again exactly 15 minutes later: no violation yet" 201 '[.stay.verdict, .violation] | @csv' '"short",'
sight s3 222BBB02 1001 2026-06-16T10:15:01+05:00
expect_http "seen 15:01 later: a violation" 201 .stay.verdict violation
V=$(jget .violation)
sight s3 222BBB02 1001 2026-06-16T10:15:01+05:00
expect_http "the same device and id again: the first sighting" 200 '[.created, .violation] | @csv' "false,$V"
check_eq "one row for the repeated sighting" "$(q "SELECT count(*) FROM sightings WHERE plate = '222BBB02'")" 3
sight s4 222BBB02 1001 2026-06-16T10:40:00+05:00
check_eq "a later sighting extends the same violation" "$(jget .violation)" "$V"
check_eq "one violation per stay" "$(q "SELECT count(*) FROM violations WHERE plate = '222BBB02'")" 1
sight s5 333CCC02 9999 "$T0"
expect_http "a sighting in an unknown zone" 404 .error "zone 9999 does not exist"
sight s6 333CCC99 1001 "$T0"
expect_http "a sighting with a bad plate" 400
http POST /v1/sightings "$INSP" '{"plate":"333CCC02","zone":1001,"seen_at":"yesterday","device":"t","device_ref":"x"}'
expect_http "a sighting with a bad time" 400
http POST /v1/sightings "$INSP" '{"plate":"333CCC02","zone":1001}'
expect_http "a sighting without its device id" 400
http POST /v1/sightings "$INSP" '{"plate": "333CCC02",'
expect_http "malformed JSON" 400
check_match "malformed JSON: jansson's reason" "$(jget .error)" '^malformed JSON: '
http POST /v1/sightings "$INSP" '[1,2]'
expect_http "a body that is not an object" 400 .error "the body must be a JSON object"
head -c 20000 /dev/zero | tr '\0' 'x' > "$BOX_DIR/big.json"
HTTP_STATUS=$(curl -s -o "$BOX_DIR/http.body" -w '%{http_code}' -H "Authorization: Bearer $INSP" \
	--data-binary @"$BOX_DIR/big.json" "http://127.0.0.1:$API_PORT/v1/sightings")
check_eq "a body above 16 KiB" "$HTTP_STATUS" 413

# --- a paid car: check and the evidence of parkctl --------------------------------
sms $A 7757 '1001*444DDD02*1'
expect_sms "SMS start" 7701 $A 'ответьте 1 до'
sms $A 7701 1
expect_sms "SMS confirm" 7757 $A '^Оплачено '
http GET "/v1/check?plate=444DDD02&zone=1001" "$INSP"
expect_http "check a paid car (box clock)" 200 .status paid
check_eq "check: by which session" "$(jget .session)" "$(q "SELECT id FROM sessions WHERE plate = '444DDD02'")"
http GET "/v1/check?plate=444ddd02&zone=1002" "$INSP"
expect_http "paid in another zone is not paid here" 200 '[.status, .paid_elsewhere.session_zone] | @csv' '"unpaid",1001'
http GET "/v1/check?plate=444DDD02" "$OPER"
expect_http "any zone" 200 .status paid

# --- violations for the fines system ------------------------------------------------
http GET "/v1/violations?status=open" "$FINE"
expect_http "open violations" 200 '.violations | length' 1
check_eq "the violation's evidence: both sightings" \
	"$(jget '[.violations[0].evidence.first.device_ref, .violations[0].evidence.last.device_ref, .violations[0].unpaid_from] | @csv')" \
	'"s1","s4","2026-06-16T10:15:00+05:00"'
http GET "/v1/violations?format=csv" "$FINE"
check_match "violations as CSV" "$HTTP_BODY" "^id,plate,zone,first_seen"
check_match "violations as CSV: the row" "$HTTP_BODY" "$V,222BBB02,1001,2026-06-16T10:00:00\+05:00"
http POST "/v1/violations/$V/handover" "$FINE" '{"fine_ref":"F-2026-1"}'
expect_http "handed over" 200 .status sent
http POST "/v1/violations/$V/handover" "$FINE" '{"fine_ref":"F-2026-1"}'
expect_http "handed over again with the same reference: harmless" 200
http POST "/v1/violations/$V/handover" "$FINE" '{"fine_ref":"F-OTHER"}'
expect_http "another reference" 409
http POST "/v1/violations/999999/handover" "$FINE" '{"fine_ref":"F-1"}'
expect_http "an unknown violation" 404
check_eq "the row records who took it" "$(q "SELECT status, handed_over_by, fine_ref FROM violations WHERE id = $V")" "sent|fines system|F-2026-1"
http GET "/v1/violations?status=open" "$FINE"
expect_http "no open violation left" 200 '.violations | length' 0

# --- sessions, accounts, adjustments --------------------------------------------------
http GET "/v1/sessions?plate=444DDD02" "$OPER"
expect_http "sessions by plate" 200 '.sessions[0].msisdn' "$A"
http GET "/v1/sessions?msisdn=$A" "$OPER"
expect_http "sessions by MSISDN" 200 '.sessions | length' 1
http GET "/v1/sessions" "$OPER"
expect_http "sessions without plate or MSISDN" 400
http POST "/v1/accounts/$A/adjustments" "$OPER" '{"kind":"goodwill","amount_tiyn":500,"reason":"meter broken at 1001","key":"ticket-17"}'
expect_http "a goodwill credit" 201 .parking_account_tiyn 500
http POST "/v1/accounts/$A/adjustments" "$OPER" '{"kind":"goodwill","amount_tiyn":500,"reason":"meter broken at 1001","key":"ticket-17"}'
expect_http "the same key again: nothing new" 200 '[.created, .parking_account_tiyn] | @csv' "false,500"
http POST "/v1/accounts/$A/adjustments" "$OPER" '{"kind":"correction","amount_tiyn":-900,"reason":"too much","key":"ticket-18"}'
expect_http "a correction below zero" 409
http POST "/v1/accounts/$A/adjustments" "$OPER" '{"kind":"goodwill","amount_tiyn":-5,"reason":"x","key":"ticket-19"}'
expect_http "a negative goodwill credit" 400
http POST "/v1/accounts/$A/adjustments" "$OPER" '{"kind":"correction","amount_tiyn":-200,"reason":"double credit","key":"ticket-20"}'
expect_http "a correction" 201 .parking_account_tiyn 300
http POST "/v1/accounts/77019999999/adjustments" "$OPER" '{"kind":"goodwill","amount_tiyn":5,"reason":"x","key":"k"}'
expect_http "an unknown subscriber" 404
http GET "/v1/accounts?plate=444ddd02" "$OPER"
expect_http "accounts by plate" 200 '[.plate, .accounts[0].msisdn] | @csv' "\"444DDD02\",\"$A\""
http GET "/v1/accounts/$A" "$OPER"
expect_http "the account" 200 .parking_account_tiyn 300
check_eq "the account's movements name reason and operator" "$(jget '[.movements[1].adjustment.reason, .movements[1].adjustment.operator] | @csv')" '"meter broken at 1001","operator anna"'
check_eq "adjustments are ledger entries: money_invariants() is empty" "$(q "SELECT count(*) FROM money_invariants()")" 0
check_eq "the invariant notices an adjustment changed behind the ledger's back" \
	"$(q "BEGIN; UPDATE adjustments SET amount = amount + 1 WHERE reason = 'double credit'; SELECT invariant FROM money_invariants(); ROLLBACK")" \
	"adjustment_booked"
check_eq "the stored balance equals the ledger" "$(q "SELECT account_tiyn = ledger_balance('parking:$A') FROM subscribers WHERE msisdn = '$A'")" t

# --- the portal -------------------------------------------------------------------------
http PUT "/v1/portal/subscribers/$A/payment-method" "$PORT" '{"method":"card","token":"tok_abc","last4":"4242"}'
expect_http "register a card" 200 .card_last4 4242
check_eq "the card is stored" "$(q "SELECT payment_method, card_token, card_last4 FROM subscribers WHERE msisdn = '$A'")" "card|tok_abc|4242"
http PUT "/v1/portal/subscribers/$A/payment-method" "$PORT" '{"method":"card","token":"tok_abc","last4":"42"}'
expect_http "a card without four digits" 400
http PUT "/v1/portal/subscribers/$A/payment-method" "$PORT" '{"method":"phone"}'
expect_http "back to the phone account" 200 .payment_method phone
http GET "/v1/portal/subscribers/$A/balance" "$PORT"
expect_http "the parking-account balance" 200 .parking_account_tiyn 300
http GET "/v1/portal/subscribers/$A/history/payments" "$PORT"
expect_http "payments with receipt numbers" 200 '.payments[0].receipt' "$(q "SELECT id FROM pending_debits WHERE msisdn = '$A' AND state = 'confirmed'")"
http GET "/v1/portal/subscribers/$A/history/movements?limit=1&offset=1" "$PORT"
expect_http "movements, paged" 200 '[(.movements | length), .movements[0].amount_tiyn] | @csv' "1,500"
http GET "/v1/portal/subscribers/$A/history/sessions" "$PORT"
expect_http "sessions" 200 '.sessions[0].plate' 444DDD02
http GET "/v1/portal/subscribers/$A/history/everything" "$PORT"
expect_http "an unknown history" 404
http GET "/v1/portal/subscribers/$A/history/sessions?limit=0" "$PORT"
expect_http "a bad page size" 400

# --- parkctl ------------------------------------------------------------------------------
ctl() { "$PARKCTL" -c "$BOX_DIR/parkbox.conf" "$@"; }
out=$(ctl check 222BBB02 1001 --at 2026-06-16T10:20); st=$?
check_eq "parkctl check: unpaid exits 1" "$st" 1
check_match "parkctl check: says when it was first seen" "$out" "unpaid, first seen 2026-06-16T10:00:00\+05:00"
out=$(ctl --json check 222BBB02 1001 --at 2026-06-16T10:05); st=$?
check_eq "parkctl check: in grace exits 0" "$st|$(printf '%s' "$out" | jq -r .status)" "0|grace"
ctl check 123ABC99 >/dev/null 2>&1
check_eq "parkctl check: a bad plate exits 3" "$?" 3
ctl validate 1001 123ABC02 >/dev/null
check_eq "parkctl validate: valid exits 0" "$?" 0
out=$(ctl violations --plate 222BBB02)
check_match "parkctl violations: why was I fined" "$out" "violation $V  222BBB02  zone 1001  seen 2026-06-16T10:00:00\+05:00 .. 2026-06-16T10:40:00\+05:00  unpaid from 2026-06-16T10:15:00\+05:00  4 sightings  sent"
out=$(ctl account $A)
check_match "parkctl account" "$out" "parking account 300 tiyn"
out=$(ctl account 444DDD02)
check_match "parkctl account by plate" "$out" "^$A: parking account 300 tiyn"
out=$(ctl adjust $A goodwill 100 "parkctl test" --operator ops-1 --key t-1)
check_match "parkctl adjust" "$out" "parking account now 400 tiyn"
ctl adjust $A goodwill 100 "x" >/dev/null 2>&1
check_eq "parkctl adjust without --operator: usage, exit 2" "$?" 2
check_eq "money_invariants() still empty" "$(q "SELECT count(*) FROM money_invariants()")" 0

# --- revoked keys and the rate limit ---------------------------------------------------
ID=$(q "SELECT id FROM api_keys WHERE name = 'tablet 7'")
"$PARKCTL" --db "dbname=$PGDATABASE" key revoke "$ID" >/dev/null
sleep 5.2    # the key cache lives 5 s
http GET "/v1/zones" "$INSP"
expect_http "a revoked key" 401
pb_stop "$PB_PID"
box_write_parkbox_conf "admin-port = $API_PORT" "api-rate-limit = 5"
pb_start
codes=$(for i in 1 2 3 4 5 6 7 8; do curl -s -o /dev/null -w '%{http_code} ' -H "Authorization: Bearer $OPER" "http://127.0.0.1:$API_PORT/v1/zones"; done)
check_match "rate limit: 5 per second, then 429" "$codes" '^200 200 200 200 200 (429 )+$'
sleep 1.1
http GET "/v1/zones" "$OPER"
expect_http "rate limit: a second later" 200

http GET /metrics
check_match "metrics: the server time of /v1 requests" "$HTTP_BODY" 'parkbox_http_request_duration_seconds_count [1-9]'
pb_stop "$PB_PID"
check_eq "no key in the log" "$(grep -c 'pk_' "$BOX_DIR/parkbox.log")" 0
done_testing
