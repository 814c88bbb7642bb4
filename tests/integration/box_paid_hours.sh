#!/bin/sh
# box_paid_hours.sh: the sample's paid hours (Monday to Saturday 08:00-20:00) through
# bearerbox, on a fast clock that starts on Saturday 21 June 2025 at 19:50 in Almaty and
# runs a minute a second (hour-seconds = 60): an hour bought at 19:5x ends on Monday at
# 08:5x (the end walks over Sunday), S after 20:00 bills only the paid minutes before 20:00,
# and a start after 20:00 takes nothing and says until when parking is free.
. "$ROOT/tests/lib.sh"
BOX_HOUR_SECONDS=60
START=1750517400                     # 2025-06-21 19:50 +05:00, a Saturday
BOX_PAID_HOURS=real
. "$ROOT/tests/integration/box/lib.sh"
EIGHT_PM=1750518000                  # 2025-06-21 20:00 +05:00

box_setup park_box_paid_hours
A=77010000041 B=77010000042
q "SELECT wallet_topup('$A', 100000)" >/dev/null
q "SELECT wallet_topup('$B', 100000)" >/dev/null
bb_start
# The fast clock reads origin + (now - origin) * 60: the origin that makes it read START now.
BOX_CLOCK_ORIGIN=$(( (60 * $(date +%s) - START) / 59 ))
box_write_parkbox_conf "reminder-minutes = 10" "confirm-timeout = 600"
pb_start
phone_start

sms $A 7757 '1001*A111AAA*1'
expect_sms "Saturday 19:5x: confirmation request" 7701 $A '^Зона 1001 Зелёный базар, A111AAA, 1 ч: 150 тг'
sms $A 7701 1
expect_sms "started: the hour ends on Monday, over the free Sunday" 7757 $A \
	'^Оплачено 19:5[0-9]–23\.06 08:5[0-9]: (зона 1001|1001 Зелёный базар), A111AAA, 150 тг'
check_eq "the session's paid end is Monday 08:5x" \
	"$(q "SELECT to_char(paid_until AT TIME ZONE 'Asia/Almaty', 'Dy HH24:MI') ~ '^Mon 08:5[0-9]\$' FROM sessions WHERE msisdn = '$A'")" t
# wait until the box's clock is past 20:05 (a minute a second)
i=0
while [ $((BOX_CLOCK_ORIGIN + ($(date +%s) - BOX_CLOCK_ORIGIN) * 60)) -le $((EIGHT_PM + 300)) ] && [ $i -lt 60 ]; do
	sleep 1
	i=$((i + 1))
done
sms $A 7757 S
expect_sms "S after 20:00: stopped" 7757 $A '^Парковка завершена: зона 1001 Зелёный базар, A111AAA, [0-9]+ мин'
check_eq "stopped after 20:00" \
	"$(q "SELECT stopped_at > to_timestamp($EIGHT_PM) FROM sessions WHERE msisdn = '$A'")" t
check_eq "billed: the started paid minutes before 20:00 only, at 150 tenge/h" \
	"$(q "SELECT cost_tiyn = ceil(15000 * ceil(extract(epoch FROM to_timestamp($EIGHT_PM) - started_at) / 60) / 60.0)::bigint, cost_tiyn < 15000, to_account_tiyn = 15000 - cost_tiyn FROM sessions WHERE msisdn = '$A'")" "t|t|t"

sms $B 7757 '1002*B222BBB*2'
expect_sms "a start after 20:00: free until Monday 08:00, nothing taken" 7757 $B \
	'^Бесплатно до 23\.06 08:00: зона 1002 Акимат, B222BBB\. Платно пн–сб 08:00–20:00'
check_eq "no pending debit, no session, wallet untouched" \
	"$(q "SELECT (SELECT count(*) FROM pending_debits WHERE msisdn = '$B') + (SELECT count(*) FROM sessions WHERE msisdn = '$B'), (SELECT wallet_tiyn FROM subscribers WHERE msisdn = '$B')")" "0|100000"
check_eq "no reminder and no end in free time" "$(count_sms 7757 $A '^(В [0-9:]+ закончится|Парковка закончилась)')" 0
check_invariants "money invariants hold"
check_logs_clean "no ERROR or PANIC in the logs"
done_testing
