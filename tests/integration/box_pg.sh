#!/bin/sh
# box_pg.sh: PostgreSQL stops while drivers keep sending. parkbox must hold the
# MOs unacked (never ack_failed_tmp: bearerbox would redeliver in a tight loop),
# answer nothing it cannot record, and once the database is back handle every
# MO exactly once: nothing lost, nothing doubled. The log says so without
# flooding: one warning when the outage starts (per part: service, workers,
# scheduler), not one per retry, and one info line when the database is back.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/integration/box/lib.sh"

box_setup park_box_pg
A=77010000021
q "SELECT wallet_topup('$A', 100000)" >/dev/null
bb_start
box_write_parkbox_conf
pb_start
phone_start

sms $A 7757 '1001*A111AAA*1'
expect_sms "before the outage: confirmation request" 7701 $A '^Зона 1001 Зелёный базар, A111AAA, 1 ч: 150 тг'

acked_before=$(grep -c ': acked' "$BOX_DIR/parkbox.log")
"$ROOT/scripts/pg" stop >/dev/null
sms $A 7701 1
n=0
while [ $n -lt 20 ]; do
	sms 7703$(printf '%07d' $n) 7757 I
	n=$((n + 1))
done
no_sms "database down: no reply" 7757 $A 4
check_match "database down: parkbox says it holds MOs" \
	"$(grep -c 'database unavailable: holding MO' "$BOX_DIR/parkbox.log")" '^[1-9]'
check_eq "database down: no MO acked" "$(grep -c ': acked' "$BOX_DIR/parkbox.log")" "$acked_before"
check_eq "database down: parkbox keeps running" "$(alive "$PB_PID" && echo yes)" yes

"$ROOT/scripts/pg" start >/dev/null
expect_sms "database back: the held 1 starts the parking" 7757 $A '^Оплачено [0-9.: ]+–[0-9.: ]+: (зона 1001|1001 Зелёный базар), A111AAA,' 40
wait_for 40 sh -c "[ \$(grep -c '^< 7757 7703' '$BOX_DIR/phone.out') -ge 20 ]"
check_eq "database back: all 20 held MOs answered" "$(grep -c '^< 7757 7703' "$BOX_DIR/phone.out")" 20
check_eq "each answered once" "$(grep '^< 7757 7703' "$BOX_DIR/phone.out" | awk '{print $3}' | sort -u | wc -l)" 20
check_eq "every MO recorded once" "$(q "SELECT count(*) FROM processed_mo")" 22
check_eq "one session, charged once" \
	"$(q "SELECT count(*), sum(prepaid_tiyn) FROM sessions WHERE msisdn = '$A'")" "1|15000"
check_eq "wallet charged once" "$(q "SELECT wallet_tiyn FROM subscribers WHERE msisdn = '$A'")" 85000
sleep 1
check_eq "every reply marked sent" "$(q "SELECT count(*) FROM outbox WHERE sent_at IS NULL")" 0
check_eq "each held MO was delivered to parkbox once (no redelivery loop)" \
	"$(grep -o 'MO [0-9a-f-]* from [^ ]* to [^ ]*: acked' "$BOX_DIR/parkbox.log" | awk '{print $2}' | sort | uniq -d | wc -l)" 0
warnings=$(grep -c 'WARNING:' "$BOX_DIR/parkbox.log")
check_match "outage: at most 5 warning lines, not one per retry (got $warnings)" "$warnings" '^[1-5]$'
check_eq "outage: the held MOs are noted in one warning" \
	"$(grep -c 'WARNING: database unavailable: holding MO' "$BOX_DIR/parkbox.log")" 1
check_eq "outage: no 'still unavailable' line within 30 s" \
	"$(grep -c 'database still unavailable' "$BOX_DIR/parkbox.log")" 0
check_match "outage: one info line when the database is back (two if it flapped while starting)" \
	"$(grep -c 'INFO: database back after' "$BOX_DIR/parkbox.log")" '^[12]$'
check_invariants "money invariants hold"

pb_stop "$PB_PID"
check_eq "SIGTERM: exit status 0" $? 0
PB_PIDS=
phone_stop
bb_stop
done_testing
