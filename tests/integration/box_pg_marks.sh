#!/bin/sh
# box_pg_marks.sh: replies sent while PostgreSQL restarts at once (immediate stop, the
# way a crash or a failover cuts connections) are marked sent once it is back, so
# nothing is resent. A trigger holds the marker's UPDATE of sent_at while a row in
# test_stall exists; the replies reach the phone meanwhile. PostgreSQL is then stopped
# immediately (the held UPDATE dies with its connection) and started again: the marker
# keeps its batch, retries until the database is back, and writes every mark.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/integration/box/lib.sh"

box_setup park_box_pg_marks
bb_start
box_write_parkbox_conf
pb_start
phone_start

q "CREATE TABLE test_stall (x int);
   INSERT INTO test_stall VALUES (1);
   CREATE FUNCTION test_stall() RETURNS trigger LANGUAGE plpgsql AS
   \$\$ BEGIN WHILE EXISTS (SELECT 1 FROM test_stall) LOOP PERFORM pg_sleep(0.1); END LOOP;
   RETURN NULL; END \$\$;
   CREATE TRIGGER test_stall AFTER UPDATE OF sent_at ON outbox
   FOR EACH STATEMENT EXECUTE FUNCTION test_stall()" >/dev/null
N=20
n=0
while [ $n -lt $N ]; do sms 7703$(printf '%07d' $n) 7757 I; n=$((n + 1)); done
wait_for 20 sh -c "[ \$(grep -c '^< 7757 7703' '$BOX_DIR/phone.out') -ge $N ]"
check_eq "every driver got the answer" "$(count_sms 7757 7703 '.')" $N
wait_for 10 sh -c "[ \$(psql -X -qAt -c \"SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'\") -ge 1 ]"
check_eq "the sent marks are held up in the database" \
	"$(q "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL")" 0

"$ROOT/scripts/pg" crash >/dev/null
wait_for 10 grep -q 'database unavailable: holding [0-9]* sent marks' "$BOX_DIR/parkbox.log"
check_match "the marker holds its batch" \
	"$(grep -h 'database unavailable: holding' "$BOX_DIR/parkbox.log" | tail -1)" 'holding [1-9][0-9]* sent marks'
"$ROOT/scripts/pg" start >/dev/null
q "DELETE FROM test_stall" >/dev/null
wait_for 20 sh -c "[ \$(psql -X -qAt -c 'SELECT count(*) FROM outbox WHERE sent_at IS NULL') -eq 0 ]"
check_eq "database back: every reply is marked sent" \
	"$(q "SELECT count(*), count(sent_at) FROM outbox")" "$N|$N"
check_eq "the marker said so" "$(grep -c 'database back: held sent marks and delivery reports written' "$BOX_DIR/parkbox.log")" 1
no_sms "nothing is sent twice" 7757 7703 1
check_eq "each driver got one answer" "$(count_sms 7757 7703 '.')" $N
check_eq "no reply resent" "$(grep -c 'MT resent' "$BOX_DIR/parkbox.log")" 0

pb_stop "$PB_PID"
check_eq "SIGTERM: exit status 0" $? 0
PB_PIDS=
phone_stop
bb_stop
check_logs_clean "no ERROR or PANIC in the logs"
done_testing
