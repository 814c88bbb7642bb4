#!/bin/sh
# box_payments.sh: paying through the phone account (Diameter, the test OCS) and the card
# (the stand-in gateway), end to end through bearerbox, the fake SMSC and parkbox with
# payment = diameter:
#  - the phone account pays by default: the confirmation names it, "1" charges the OCS
#    once and starts with a receipt; the parking account pays first, then all;
#  - insufficient funds, service denied, unknown user: their replies, nothing starts;
#  - an answer later than charge-timeout: "being checked", then the scheduler asks again
#    (T flag) and parking starts, one debit at the OCS;
#  - the OCS down while confirming: "unavailable", nothing charged;
#  - kill -9 of parkbox between the request and the answer: reconciled after the
#    restart, one debit, the driver told;
#  - a registered card pays by card; a card declined; the method switched between the
#    request and the "1";
#  - after each part: the OCS's journal and the gateway's equal the ledger's provider
#    legs, every receipt is one external debit, money_invariants() is empty.
# Ports (127.0.0.1): from 38720 + 3 x (the test cluster's port mod 40): the OCS (Diameter),
# its control port, the gateway; so that runs on other clusters do not collide.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/integration/box/lib.sh"

BUILD=${PARK_BUILD:-$ROOT/build}
OCS=$BUILD/tests/ocs/ocs
GW=${PARK_GATEWAY:-$BUILD/tests/gateway/gateway}
DPORT=$((38720 + 3 * (${PGPORT:-55433} % 40))) CPORT=$((DPORT + 1)) GPORT=$((DPORT + 2))
API_KEY=sk_test_box
OCS_PID= GW_PID=

box_setup park_box_payments
cat >"$BOX_DIR/ocs.conf" <<EOF
Identity = "ocs.test.local";
Realm = "test.local";
Port = $DPORT;
SecPort = 0;
No_SCTP;
No_IPv6;
LoadExtension = "dict_nasreq.fdx";
LoadExtension = "dict_dcca.fdx";
EOF
cat >"$BOX_DIR/box-fd.conf" <<EOF
Identity = "parkbox.test.local";
Realm = "test.local";
Port = 0;
SecPort = 0;
No_SCTP;
No_IPv6;
TcTimer = 2;
LoadExtension = "dict_nasreq.fdx";
LoadExtension = "dict_dcca.fdx";
ConnectPeer = "ocs.test.local" { ConnectTo = "127.0.0.1"; Port = $DPORT; No_TLS; No_SCTP; };
EOF

ctl() { "$OCS" ctl $CPORT "$@"; }
ocs_start() {
	"$OCS" serve "$BOX_DIR/ocs.conf" $CPORT "$BOX_DIR/ocs.journal" 2>>"$BOX_DIR/ocs.log" &
	OCS_PID=$!
	wait_for 5 sh -c "[ \"\$('$OCS' ctl $CPORT ping 2>/dev/null)\" = pong ]" ||
		{ echo "the OCS did not start (see $BOX_DIR/ocs.log)" >&2; exit 1; }
}
ocs_stop() { [ -z "$OCS_PID" ] || stop_pid "$OCS_PID" 5; OCS_PID=; }
gw_control() { curl -s -o /dev/null -w '%{http_code}' -X POST --data "$1" "http://127.0.0.1:$GPORT/control"; }
cleanup_all() { box_cleanup; ocs_stop; [ -z "$GW_PID" ] || stop_pid "$GW_PID" 5; }
trap cleanup_all EXIT

# books WHEN: what the OCS and the gateway journaled equals the ledger's provider legs,
# one receipt per external debit, and the money invariants hold.
books() {
	_ocs=$(awk '{ s += $3 } END { print s + 0 }' "$BOX_DIR/ocs.journal" 2>/dev/null || echo 0)
	_gw=$(awk '{ s += $4 } END { print s + 0 }' "$BOX_DIR/gw.journal" 2>/dev/null || echo 0)
	check_eq "$1: the OCS's debits = the ledger's payment:phone" \
		"$_ocs" "$(q "SELECT -coalesce(sum(amount), 0) FROM ledger_legs WHERE account = 'payment:phone'")"
	check_eq "$1: the gateway's debits = the ledger's payment:card" \
		"$_gw" "$(q "SELECT -coalesce(sum(amount), 0) FROM ledger_legs WHERE account = 'payment:card'")"
	check_eq "$1: one external debit per charged charge" \
		"$(($(wc -l <"$BOX_DIR/ocs.journal" 2>/dev/null || echo 0) + $(wc -l <"$BOX_DIR/gw.journal" 2>/dev/null || echo 0)))" \
		"$(q "SELECT count(*) FROM charges WHERE state = 'charged'")"
	check_invariants "$1: money invariants hold"
}

ocs_start
"$GW" -p $GPORT -j "$BOX_DIR/gw.journal" -k $API_KEY 2>"$BOX_DIR/gw.log" &
GW_PID=$!
wait_for 5 grep -q listening "$BOX_DIR/gw.log" || { echo "the gateway did not start" >&2; exit 1; }
touch "$BOX_DIR/gw.journal"

A=77010000401 B=77010000402 C=77010000403 D=77010000404 E=77010000405 F=77010000406 G=77010000407
ctl balance $A 1000000 >/dev/null
ctl balance $B 100 >/dev/null
ctl balance $C 100000 >/dev/null
ctl balance $E 100000 >/dev/null
ctl balance $F 100000 >/dev/null
ctl balance $G 100000 >/dev/null
gw_control '{"card":"tok_g","balance":100000}' >/dev/null

bb_start
box_write_parkbox_conf "payment = diameter" "diameter-config = $BOX_DIR/box-fd.conf" \
	"diameter-realm = test.local" "charge-timeout = 1500" "charge-retry = 300" \
	"card-gateway-url = http://127.0.0.1:$GPORT/v1" "card-gateway-api-key = $API_KEY"
pb_start
phone_start

# --- the phone account pays by default --------------------------------------------
sms $A 7757 '1001*A401AAA*2'
expect_sms "phone: the confirmation names the phone account" 7701 $A \
	'^Зона 1001 Зелёный базар, A401AAA, 2 ч: 300 тг, счёт телефона\. Оплатить: ответьте 1 до [0-9:]+, отменить: 0\.$'
sms $A 7701 1
expect_sms "phone: charged and started, with the receipt" 7757 $A \
	'^Оплачено [0-9:]+–[0-9:]+: зона 1001, A401AAA, 300 тг, чек №[0-9]+\.$'
receipt=$(echo "$LAST_SMS" | sed -n 's/.*чек №\([0-9]*\)\..*/\1/p')
check_eq "phone: one debit of 300 tenge at the OCS, under the charge's Session-Id" \
	"$(awk -v a=$A '$2 == a { print $3 }' "$BOX_DIR/ocs.journal")|$(cut -d' ' -f1 "$BOX_DIR/ocs.journal")" \
	"30000|$(q "SELECT key FROM charges WHERE msisdn = '$A'")"
check_eq "phone: the receipt is the charged debit's" \
	"$(q "SELECT c.state || ' ' || p.state FROM charges c JOIN pending_debits p ON p.id = c.pending_id WHERE p.id = ${receipt:-0}")" \
	"charged confirmed"
check_eq "phone: the OCS balance" "$(ctl balance $A)" 970000
sms $A 7757 S
expect_sms "phone: stopped, the rest on the parking account" 7757 $A '^Парковка завершена: '
sms $A 7757 '1002*A401AAA*1'
expect_sms "phone: the parking account covers it all: no confirmation" 7757 $A \
	'^Оплачено [0-9:]+–[0-9:]+: 1002 Акимат, A401AAA, 100 тг, со счёта парковки, ост\. [0-9.]+ тг\.'
sms $A 7757 S
expect_sms "phone: stopped again" 7757 $A '^Парковка завершена: '
sms $A 7757 '1001*A401AAA*24'
expect_sms "phone: the parking account pays first, the phone the rest" 7701 $A \
	'^Зона 1001 Зелёный базар, A401AAA, 24 ч: 3600 тг: [0-9.]+ со счёта парковки, [0-9.]+ — счёт телефона\.'
part=$(q "SELECT payment_part FROM pending_debits WHERE msisdn = '$A' AND state = 'open'")
sms $A 7701 1
expect_sms "phone: started with both parts" 7757 $A '^Оплачено [0-9.: ]+–[0-9.: ]+: (зона 1001|1001 Зелёный базар), A401AAA, .*3600 тг, чек №'
check_eq "phone: the OCS was charged only the phone's part" "$(ctl balance $A)" "$((970000 - part))"
check_eq "phone: the parking account is spent" "$(q "SELECT account_tiyn FROM subscribers WHERE msisdn = '$A'")" 0
books "the phone account"

# --- refusals -----------------------------------------------------------------------
sms $B 7757 '1001*B402BBB'
expect_sms "no funds: confirmation" 7701 $B '^Зона 1001'
sms $B 7701 1
expect_sms "no funds: the reply says so, with the amount that failed" 7757 $B \
	'^Недостаточно средств \(счёт телефона\), 150 тг не списаны\. Зона 1001 Зелёный базар, B402BBB\.$'
ctl decline 1 4010 >/dev/null
sms $C 7757 '1001*C403CCC'
expect_sms "denied: confirmation" 7701 $C '^Зона 1001'
sms $C 7701 1
expect_sms "denied: its own reply" 7757 $C '^Оплата отклонена \(счёт телефона\), 150 тг не списаны\.'
sms $D 7757 '1001*D404DDD'
expect_sms "unknown user: confirmation" 7701 $D '^Зона 1001'
sms $D 7701 1
expect_sms "unknown user: its own reply" 7757 $D '^Способ оплаты не найден \(счёт телефона\), 150 тг не списаны\.'
check_eq "refusals: nothing started, the debits failed" \
	"$(q "SELECT count(*) FROM sessions WHERE msisdn IN ('$B', '$C', '$D')") $(q "SELECT string_agg(state, ',' ORDER BY msisdn) FROM pending_debits WHERE msisdn IN ('$B', '$C', '$D')")" \
	"0 failed,failed,failed"
books "after refusals"

# --- no answer in time: checked, asked again, one debit --------------------------------
ctl delay 4000 1 >/dev/null
sms $E 7757 '1003*E405EEE'
expect_sms "late: confirmation" 7701 $E '^Зона 1003'
sms $E 7701 1
expect_sms "late: the driver is told the payment is being checked" 7757 $E \
	'^Проверяем оплату 100 тг \(счёт телефона\): зона 1003 Площадь Республики, E405EEE\.'
check_eq "late: nothing started while unknown" "$(q "SELECT count(*) FROM sessions WHERE msisdn = '$E'")" 0
expect_sms "late: asked again, charged once, started" 7757 $E \
	'^Оплачено [0-9.: ]+–[0-9.: ]+: (зона 1003|1003 Площадь Республики), E405EEE, .*100 тг, чек №' 20
check_eq "late: one debit at the OCS for it" "$(grep -c " $E " "$BOX_DIR/ocs.journal")" 1
check_eq "late: the OCS saw the resend as a duplicate" \
	"$(ctl stats | sed -n 's/.*duplicates \([0-9]*\).*/\1/p')" 1
books "after a late answer"

# --- the OCS down while confirming -------------------------------------------------------
sms $F 7757 '1001*F406FFF'
expect_sms "OCS down: confirmation" 7701 $F '^Зона 1001'
ocs_stop
sms $F 7701 1
expect_sms "OCS down: unavailable, nothing charged" 7757 $F \
	'^Платёжная система недоступна, 150 тг не списаны \(счёт телефона\)\. Повторите позже\.'
check_eq "OCS down: the debit failed, the charge unavailable" \
	"$(q "SELECT p.state || ' ' || c.outcome FROM pending_debits p JOIN charges c ON c.pending_id = p.id WHERE p.msisdn = '$F'")" \
	"failed unavailable"
ocs_start
ctl balance $F 100000 >/dev/null        # a new OCS: its balances again
ctl balance $G 100000 >/dev/null
sleep 6                 # freeDiameter reconnects within Tc (2 s) plus up to 4 s
books "after the OCS was down"

# --- kill -9 between the request and the answer: reconciled after the restart -------------
ctl delay 3000 1 >/dev/null
sms $F 7757 '1002*F406FFF'
expect_sms "crash: confirmation" 7701 $F '^Зона 1002'
sms $F 7701 1
wait_for 5 sh -c "[ \"\$(psql -X -qAt -c \"SELECT count(*) FROM charges WHERE msisdn = '$F' AND state = 'requested'\")\" = 1 ]"
kill -9 "$PB_PID"; wait "$PB_PID" 2>/dev/null
PB_PIDS=
check_eq "crash: the charge was requested before parkbox died" \
	"$(q "SELECT state FROM charges WHERE msisdn = '$F' ORDER BY id DESC LIMIT 1")" requested
sleep 4                 # the OCS applies the debit, its answer finds no one
pb_start
expect_sms "crash: after the restart the charge is reconciled and parking starts" 7757 $F \
	'^Оплачено [0-9.: ]+–[0-9.: ]+: (зона 1002|1002 Акимат), F406FFF, .*100 тг, чек №' 30
check_eq "crash: one debit at the OCS" "$(grep -c " $F " "$BOX_DIR/ocs.journal")" 1
books "after a crash"

# --- the card ---------------------------------------------------------------------------
q "SELECT payment_method_set('$G', 'card', 'tok_g', '4242')" >/dev/null
sms $G 7757 '1001*407GGG02'
expect_sms "card: the confirmation names the card" 7701 $G \
	'^Зона 1001 Зелёный базар, 407GGG02, 1 ч: 150 тг, карта •••• 4242\. Оплатить: ответьте 1 до [0-9:]+, отменить: 0\.$'
sms $G 7701 1
expect_sms "card: charged and started" 7757 $G '^Оплачено [0-9.: ]+–[0-9.: ]+: (зона 1001|1001 Зелёный базар), 407GGG02, .*150 тг, чек №'
check_eq "card: one approved charge at the gateway" "$(wc -l <"$BOX_DIR/gw.journal" | tr -d ' ')" 1
gw_control '{"decline_next":1,"status":"declined"}' >/dev/null
sms $G 7757 'X*1'
expect_sms "card declined: confirmation" 7701 $G '^Продлить: зона 1001'
sms $G 7701 1
expect_sms "card declined: its reply" 7757 $G '^Оплата отклонена \(карта •••• 4242\), 150 тг не списаны\.'
# the method switched between the request and the "1": the one in force at "1" pays
sms $G 7757 'X*1'
expect_sms "switched: confirmation names the card" 7701 $G 'карта •••• 4242'
q "SELECT payment_method_set('$G', 'phone')" >/dev/null
sms $G 7701 1
expect_sms "switched: the phone account paid" 7757 $G '^Продлено до [0-9:]+: 1001 Зелёный базар, 407GGG02, 150 тг, чек №'
check_eq "switched: the OCS was charged, not the card" "$(ctl balance $G) $(wc -l <"$BOX_DIR/gw.journal" | tr -d ' ')" "85000 1"
books "after the card"

pb_stop "$PB_PID"
check_eq "SIGTERM: exit status 0" $? 0
PB_PIDS=
phone_stop
bb_stop
done_testing
