#!/bin/sh
# box_late_reminders.sh: a late scheduler sends every reminder, then the end. With
# hour-seconds = 12 (one tariff hour lasts 12 s, reminder-minutes = 10 is 2 s before
# the end), three sessions start and parkbox stops before their reminders are due; it
# comes back after the sessions' paid end. Each session then gets its reminder (late,
# the session has not ended yet) before its end, one of each; the late reminders are
# counted and logged, and the database shows them sent after the paid end.
. "$ROOT/tests/lib.sh"
BOX_HOUR_SECONDS=12
. "$ROOT/tests/integration/box/lib.sh"

box_setup park_box_late_reminders
PHONES="77010000041 77010000042 77010000043"
for p in $PHONES; do q "SELECT wallet_topup('$p', 100000)" >/dev/null; done
bb_start
box_write_parkbox_conf "reminder-minutes = 10"
pb_start
phone_start

i=0
for p in $PHONES; do
	i=$((i + 1))
	sms $p 7757 "1001*A11${i}AAA*1"
	expect_sms "$p: confirmation request" 7701 $p '^Зона 1001'
	sms $p 7701 1
	expect_sms "$p: started" 7757 $p '^Оплачено '
done
check_eq "three sessions, no reminder yet" \
	"$(q "SELECT count(*) FROM sessions WHERE ended_at IS NULL AND reminder_sent_at IS NULL")" 3

pb_stop "$PB_PID"                  # the scheduler is away across the reminders and the ends
wait_for 20 sh -c "[ \$(psql -X -qAt -c \"SELECT count(*) FROM sessions WHERE paid_until > to_timestamp($BOX_CLOCK_ORIGIN + (extract(epoch FROM now())::bigint - $BOX_CLOCK_ORIGIN) * 300)\") -eq 0 ]"
sleep 1
pb_start

for p in $PHONES; do
	expect_sms "$p: the late reminder comes" 7757 $p '^В [0-9:]+ закончится парковка: зона 1001(,| Зелёный базар,) A11[0-9]AAA' 10
	expect_sms "$p: then the end" 7757 $p '^Парковка закончилась в [0-9:]+: зона 1001 Зелёный базар' 10
done
no_sms "no second reminder or end" 7757 77010000043 2
check_eq "each session: one reminder, then one end, in the outbox" \
	"$(q "SELECT string_agg(k, ' ') FROM (SELECT string_agg(kind, ',' ORDER BY id) AS k FROM outbox WHERE mo_id IS NULL GROUP BY receiver) x")" \
	"reminder,ended reminder,ended reminder,ended"
check_eq "the reminders went out after the paid end; the sessions then expired" \
	"$(q "SELECT count(*) FROM sessions WHERE reminder_sent_at >= paid_until AND ended_at = paid_until AND end_reason = 'expired'")" 3
check_match "the late reminders are counted and logged" \
	"$(grep -h 'reminders sent after their session.s paid end' "$BOX_DIR/parkbox.log" | tail -1)" \
	'WARNING: [0-9]+ reminders sent after .* 3 late reminders since start$'
check_invariants "money invariants hold"

pb_stop "$PB_PID"
check_eq "SIGTERM: exit status 0" $? 0
PB_PIDS=
phone_stop
bb_stop
check_logs_clean "no ERROR or PANIC in the logs"
done_testing
