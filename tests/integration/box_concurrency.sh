#!/bin/sh
# box_concurrency.sh: two parkbox processes connected with the same smsbox-id
# (bearerbox spreads the MOs between them) and several workers each:
#  - two "1" sent at once for one pending debit: charged once, one session;
#  - 40 drivers starting and confirming at once: 40 sessions, each charged once,
#    every MO handled once, both boxes did work, the books balance;
#  - bearerbox's shutdown (cmd_shutdown) makes both boxes leave cleanly.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/integration/box/lib.sh"

box_setup park_box_concurrency
A=77010000041
q "SELECT wallet_topup('$A', 100000)" >/dev/null
bb_start
box_write_parkbox_conf
pb_start
PB1=$PB_PID
pb_start
PB2=$PB_PID
phone_start

# --- two confirmations at once ----------------------------------------------------
sms $A 7757 '1001*A111AAA*1'
expect_sms "start: confirmation request" 7701 $A '^Зона 1001'
printf '%s 7701 1\n%s 7701 1\n' $A $A >&3
wait_for 10 sh -c "[ \$(grep -c '^< 7757 $A ' '$BOX_DIR/phone.out') -ge 2 ]"
check_eq "two confirmations: one started" "$(count_sms 7757 $A '^Оплачено')" 1
check_eq "two confirmations: the other finds nothing pending" "$(count_sms 7757 $A '^Нет платежа')" 1
check_eq "two confirmations: one session, charged once" \
	"$(q "SELECT count(*), sum(prepaid_tiyn) FROM sessions WHERE msisdn = '$A'")" "1|15000"
check_eq "two confirmations: wallet charged once" "$(q "SELECT wallet_tiyn FROM subscribers WHERE msisdn = '$A'")" 85000

# --- 40 drivers at once ---------------------------------------------------------------
q "SELECT wallet_topup('7704' || lpad(n::text, 7, '0'), 50000) FROM generate_series(0, 39) n" >/dev/null
n=0
while [ $n -lt 40 ]; do
	sms 7704$(printf '%07d' $n) 7757 "1002*$(printf '%03d' $((n + 100)))ABC02*2"
	n=$((n + 1))
done
wait_for 30 sh -c "[ \$(grep -c '^< 7701 7704' '$BOX_DIR/phone.out') -ge 40 ]"
check_eq "40 drivers: 40 confirmation requests" "$(grep -c '^< 7701 7704' "$BOX_DIR/phone.out")" 40
n=0
while [ $n -lt 40 ]; do
	sms 7704$(printf '%07d' $n) 7701 1
	n=$((n + 1))
done
wait_for 30 sh -c "[ \$(grep -c '^< 7757 7704' '$BOX_DIR/phone.out') -ge 40 ]"
check_eq "40 drivers: 40 started" "$(count_sms 7757 7704 '^Оплачено [0-9.: ]+–[0-9.: ]+: (зона )?1002')" 40
check_eq "40 drivers: 40 sessions of 200 tenge" \
	"$(q "SELECT count(*), sum(prepaid_tiyn) FROM sessions WHERE msisdn LIKE '7704%'")" "40|800000"
check_eq "40 drivers: every MO handled once" "$(q "SELECT count(*) FROM processed_mo WHERE msisdn LIKE '7704%'")" 80
check_eq "both boxes handled MOs" \
	"$(grep 'INFO: MO .* acked' "$BOX_DIR/parkbox.log" | sed 's/^[^[]*\[\([0-9]*\)\].*/\1/' | sort -u | wc -l)" 2
check_invariants "money invariants hold"

# --- bearerbox shuts down: it tells the boxes (cmd_shutdown) and waits for them ----
phone_stop
bb_stop
wait_for 15 sh -c "! kill -0 $PB1 && ! kill -0 $PB2"
wait "$PB1"; st1=$?
wait "$PB2"; st2=$?
PB_PIDS=
check_eq "bearerbox shutdown: both boxes left with status 0" "$st1 $st2" "0 0"
check_eq "bearerbox shutdown: both were asked" "$(grep -c 'bearerbox asks us to shut down' "$BOX_DIR/parkbox.log")" 2
check_match "bearerbox shutdown: bearerbox finished" "$(tail -5 "$BOX_DIR/bearerbox.log")" 'All flow threads have died'
check_logs_clean "no ERROR or PANIC in the logs"
done_testing
