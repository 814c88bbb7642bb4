#!/bin/sh
# box_timing.sh: time-driven messages through bearerbox, with hour-seconds = 36
# (one tariff hour lasts 36 s, so reminder-minutes = 10 means 6 s before the end
# and confirm-timeout = 600 means 6 s): the reminder and the end of parking
# arrive on time and once, also across a parkbox restart; an unconfirmed debit
# expires with a reply, and a late "1" then finds nothing to confirm.
. "$ROOT/tests/lib.sh"
BOX_HOUR_SECONDS=36
. "$ROOT/tests/integration/box/lib.sh"

box_setup park_box_timing
A=77010000031 B=77010000032
q "SELECT wallet_topup('$A', 100000)" >/dev/null
q "SELECT wallet_topup('$B', 100000)" >/dev/null
bb_start
box_write_parkbox_conf "reminder-minutes = 10" "confirm-timeout = 600"
pb_start
phone_start

sms $A 7757 '1001*A111AAA*1'
expect_sms "A: confirmation request" 7701 $A '^Зона 1001'
sms $A 7701 1
expect_sms "A: started" 7757 $A '^Оплачено [0-9.: ]+–[0-9.: ]+: (зона 1001|1001 Зелёный базар), A111AAA,'
t_start=$(date +%s)

sms $B 7757 '1002*123ABC02*1'
expect_sms "B: confirmation request" 7701 $B '^Зона 1002'
t_req=$(date +%s)
expect_sms "B: the unconfirmed debit expires with a reply" 7757 $B \
	'^Время на подтверждение вышло, деньги не списаны: зона 1002 Акимат, 123ABC02, 100 тг\.$' 15
t_exp=$(date +%s)
check_match "B: expired 6 s after the request (±2)" "$((t_exp - t_req))" '^[4-9]$'
check_eq "B: the debit is marked expired" "$(q "SELECT state FROM pending_debits WHERE msisdn = '$B'")" expired
sms $B 7701 1
expect_sms "B: a late 1 finds nothing to confirm" 7757 $B '^Нет платежа, ожидающего подтверждения\.'
check_eq "B: nothing charged" "$(q "SELECT wallet_tiyn FROM subscribers WHERE msisdn = '$B'")" 100000

expect_sms "A: the reminder" 7757 $A \
	'^В [0-9:]+ закончится парковка: зона 1001, A111AAA\. Продлить на N ч: X\*N$' 45
t_rem=$(date +%s)
check_match "A: reminder 30 s after the start (±3)" "$((t_rem - t_start))" '^(2[7-9]|3[0-3])$'
check_eq "A: reminder recorded" "$(q "SELECT reminder_sent_at IS NOT NULL FROM sessions WHERE msisdn = '$A'")" t

pb_stop "$PB_PID"          # a restart between the reminder and the end
pb_start

expect_sms "A: parking ends" 7757 $A '^Парковка закончилась в [0-9:]+: зона 1001 Зелёный базар, A111AAA\.$' 20
t_end=$(date +%s)
check_match "A: ended 36 s after the start (±3)" "$((t_end - t_start))" '^(3[3-9])$'
check_eq "A: the session expired, fully paid" \
	"$(q "SELECT end_reason, cost_tiyn, to_account_tiyn FROM sessions WHERE msisdn = '$A'")" "expired|15000|0"
no_sms "A: no second reminder or end after the restart" 7757 $A 3
check_eq "A: one reminder and one end in the outbox" \
	"$(q "SELECT string_agg(kind, ',' ORDER BY id) FROM outbox WHERE receiver = '$A' AND mo_id IS NULL")" "reminder,ended"
check_invariants "money invariants hold"

pb_stop "$PB_PID"
check_eq "SIGTERM: exit status 0" $? 0
PB_PIDS=
phone_stop
bb_stop
check_logs_clean "no ERROR or PANIC in the logs"
done_testing
