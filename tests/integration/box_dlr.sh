#!/bin/sh
# box_dlr.sh: delivery reports end to end. parkbox asks for reports on every
# message it sends (dlr-mask delivered|failed|buffered, the outbox id in
# dlr-url); bearerbox's fake SMSC answers each MT handed to the phone with a
# "delivered" report, which parkbox records on the outbox row (dlr_status,
# dlr_at, delivered_at) and acks. Then the store's rule, in SQL: a duplicate
# report or one after a final status changes nothing; buffered -> delivered does.
# Last, a report arriving while PostgreSQL is down is held unacked by the
# marker (it records reports in batches) and recorded once the database is back.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/integration/box/lib.sh"

box_setup park_box_dlr
A=77010000031
q "SELECT wallet_topup('$A', 100000)" >/dev/null
bb_start
box_write_parkbox_conf
pb_start
phone_start

sms $A 7757 '1001*A111AAA*1'
expect_sms "confirmation request" 7701 $A '^Зона 1001 Зелёный базар, A111AAA, 1 ч: 150 тг'
sms $A 7701 1
expect_sms "parking started" 7757 $A '^Оплачено [0-9.: ]+–[0-9.: ]+: (зона 1001|1001 Зелёный базар), A111AAA,'
sms $A 7757 I
expect_sms "status: the car and the balance" 7757 $A '^A111AAA: зона 1001 Зелёный базар до [0-9:]+\. На счёте парковки'

rows=$(q "SELECT count(*) FROM outbox")
check_eq "three replies in the outbox" "$rows" 3
wait_for 15 sh -c "[ \$(psql -X -qAt -c \"SELECT count(*) FROM outbox WHERE dlr_status = 'delivered'\") -eq $rows ]"
check_eq "every reply has its delivery report: delivered, with both times" \
	"$(q "SELECT count(*) FROM outbox WHERE dlr_status = 'delivered' AND dlr_at IS NOT NULL AND delivered_at = dlr_at AND sent_at IS NOT NULL")" "$rows"
check_eq "bearerbox asked for no other report type" "$(q "SELECT count(*) FROM outbox WHERE dlr_status IS DISTINCT FROM 'delivered'")" 0
sleep 1
check_eq "no report dropped as foreign" "$(grep -c 'delivery report without' "$BOX_DIR/parkbox.log")" 0
check_eq "the report was routed to parkbox, not lost" \
	"$(grep -c 'got DLR but could not find message' "$BOX_DIR/bearerbox.log")" 0
check_eq "reports do not count as MOs" "$(grep -c 'INFO: MO .* acked' "$BOX_DIR/parkbox.log")" 3

# --- the store's rule, in SQL ---------------------------------------------------
id=$(q "SELECT min(id) FROM outbox")
before=$(q "SELECT dlr_at, delivered_at FROM outbox WHERE id = $id")
check_eq "a duplicate delivered report changes nothing" "$(q "SELECT outbox_record_dlr($id, 'delivered')")" f
check_eq "failed after delivered changes nothing" "$(q "SELECT outbox_record_dlr($id, 'failed')")" f
check_eq "buffered after delivered changes nothing" "$(q "SELECT outbox_record_dlr($id, 'buffered')")" f
check_eq "the row is as it was" "$(q "SELECT dlr_at, delivered_at FROM outbox WHERE id = $id")" "$before"
check_eq "an unknown outbox id changes nothing" "$(q "SELECT outbox_record_dlr(-1, 'delivered')")" f
n=$(q "INSERT INTO outbox (kind, sender, receiver, text, ucs2) VALUES ('test', '7757', '$A', 'x', false) RETURNING id")
check_eq "buffered is recorded" "$(q "SELECT outbox_record_dlr($n, 'buffered')")" t
check_eq "buffered again changes nothing" "$(q "SELECT outbox_record_dlr($n, 'buffered')")" f
check_eq "buffered: no delivered_at" "$(q "SELECT dlr_status, dlr_at IS NOT NULL, delivered_at IS NULL FROM outbox WHERE id = $n")" "buffered|t|t"
check_eq "then failed is recorded" "$(q "SELECT outbox_record_dlr($n, 'failed')")" t
check_eq "delivered after failed changes nothing" "$(q "SELECT outbox_record_dlr($n, 'delivered')")" f
check_eq "failed: no delivered_at" "$(q "SELECT dlr_status, delivered_at IS NULL FROM outbox WHERE id = $n")" "failed|t"
check_match "an unknown status is refused" "$(q "SELECT outbox_record_dlr(id, 'lost') FROM outbox WHERE dlr_status IS NULL AND id = $n" 2>&1; n2=$(q "INSERT INTO outbox (kind, sender, receiver, text, ucs2) VALUES ('test', '7757', '$A', 'y', false) RETURNING id"); q "SELECT outbox_record_dlr($n2, 'lost')" 2>&1)" 'outbox_dlr_status_known'

# --- a report that arrives while PostgreSQL is down is held, then recorded -----
# The phone goes away; a reply left unsent is resent by the scheduler (rows
# older than 60 s, every 10 s) and waits in bearerbox for the fake SMSC's client.
phone_stop
m=$(q "INSERT INTO outbox (kind, sender, receiver, text, ucs2, created_at) VALUES ('test', '7757', '$A', 'late reply', false, now() - interval '2 minutes') RETURNING id")
wait_for 25 sh -c "[ \"\$(psql -X -qAt -c 'SELECT sent_at IS NOT NULL FROM outbox WHERE id = $m')\" = t ]"
check_eq "the resent reply went to bearerbox" "$(q "SELECT sent_at IS NOT NULL, dlr_status IS NULL FROM outbox WHERE id = $m")" "t|t"
"$ROOT/scripts/pg" stop >/dev/null
phone_start
expect_sms "the phone gets the reply while the database is down" 7757 $A '^late reply$' 15
wait_for 10 grep -q "holding 0 sent marks and 1 delivery reports" "$BOX_DIR/parkbox.log"
check_match "database down: the report is held, unacked" \
	"$(grep -c "WARNING: database unavailable: holding 0 sent marks and 1 delivery reports, retrying" "$BOX_DIR/parkbox.log")" '^1$'
"$ROOT/scripts/pg" start >/dev/null
wait_for 30 sh -c "[ \"\$(psql -X -qAt -c 'SELECT dlr_status FROM outbox WHERE id = $m' 2>/dev/null)\" = delivered ]"
check_eq "database back: the held report is recorded" \
	"$(q "SELECT dlr_status, delivered_at IS NOT NULL FROM outbox WHERE id = $m")" "delivered|t"

pb_stop "$PB_PID"
check_eq "SIGTERM: exit status 0" $? 0
PB_PIDS=
phone_stop
bb_stop
check_logs_clean "no ERROR or PANIC in bearerbox and parkbox logs"
done_testing
