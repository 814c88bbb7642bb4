#!/bin/sh
# service_store.sh: the store around the dialogue: the schema version check, the outbox
# (unsent rows claimed, marked sent), delivery reports recorded in a batch, and a
# PostgreSQL outage (RETRY, never a reply, then a reconnect without a restart of the
# service).
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/integration/service_helpers"

# schema version: a newer one is refused, a database without the schema too
service_db svc_store
q "INSERT INTO schema_version (version, name) VALUES (99, 'future')"
err=$(echo "x $A 7757 HELP" | drive 2>&1 >/dev/null)
check_eq "a newer schema is refused" "$err" \
	"service_drive: database schema version 99 is newer than this parkbox knows (10..10): upgrade parkbox"
dropdb --if-exists svc_store_empty >/dev/null 2>&1
createdb svc_store_empty
err=$(echo "x $A 7757 HELP" | PGDATABASE=svc_store_empty drive 2>&1 >/dev/null)
check_match "a database without the schema is refused" "$err" \
	"^service_drive: cannot read the schema version .*apply the migrations with scripts/migrate$"
dropdb svc_store_empty
q "DELETE FROM schema_version WHERE version IN (10, 99)"
err=$(echo "x $A 7757 HELP" | drive 2>&1 >/dev/null)
check_eq "an older schema (without the names of 0010) is refused" "$err" \
	"service_drive: database schema version 9 is older than this parkbox needs (10): apply the migrations with scripts/migrate"
q "INSERT INTO schema_version (version, name) VALUES (10, 'names')"
check_eq "the known versions are accepted" "$(q "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version WHERE version < 99")" "1,2,3,4,5,6,7,8,9,10"

# the outbox: replies stay unsent until marked, and are handed out again until then
service_db svc_store
run $T0 "u1 $A 7757 HELP" "u2 $A 7757 I" >/dev/null
out=$(printf '@unsent 0\n@sent\n' | drive)
check_out "unsent replies are handed out again" "$out" \
	"7757 -> $A: help
7757 -> $A: status_none balance=0"
out=$(printf '@unsent 0\n' | drive)
check_eq "marked sent: not handed out again" "$out" ""
check_eq "sent_at recorded" "$(q "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL")" 2
out=$(run $T0 "u3 $A 7757 HELP" "@sent" "@unsent 0")
check_eq "a reply marked sent at once is not unsent" "$out" "7757 -> $A: help"

# marking sent is one statement for the batch; a row marked before keeps its time
before=$(q "SELECT sent_at FROM outbox WHERE mo_id = 'u3'")
run $T0 "u3 $A 7757 HELP" "u4 $A 7757 HELP" "u5 $A 7757 HELP" "@sent" >/dev/null
check_eq "a batch marks every row" "$(q "SELECT count(*) FROM outbox WHERE sent_at IS NULL")" 0
check_eq "a row marked before keeps its sent_at" "$(q "SELECT sent_at FROM outbox WHERE mo_id = 'u3'")" "$before"

# delivery reports in one batch leave each row as outbox_record_dlr() one by one would
o() { q "INSERT INTO outbox (kind, sender, receiver, text, ucs2) VALUES ('test', '7757', '$A', 'x', false) RETURNING id"; }
r1=$(o) r2=$(o) r3=$(o) r4=$(o) r5=$(o) r6=$(o)
q "SELECT outbox_record_dlr($r5, 'failed'), outbox_record_dlr($r6, 'buffered')" >/dev/null
f5=$(q "SELECT dlr_at FROM outbox WHERE id = $r5")
out=$(echo "@dlrs $r1 buffered $r1 delivered $r2 delivered $r2 buffered $r3 failed $r3 delivered $r4 buffered $r4 smsc_accepted $r5 delivered $r6 buffered -1 delivered $r1 lost" | drive 2>/dev/null)
check_eq "a batch: rows changed" "$out" "changed 4"
check_eq "buffered then delivered: delivered" "$(q "SELECT dlr_status, delivered_at IS NOT NULL FROM outbox WHERE id = $r1")" "delivered|t"
check_eq "delivered then buffered: delivered" "$(q "SELECT dlr_status FROM outbox WHERE id = $r2")" delivered
check_eq "failed then delivered: the first final status" "$(q "SELECT dlr_status, delivered_at IS NULL FROM outbox WHERE id = $r3")" "failed|t"
check_eq "two passing statuses: the last" "$(q "SELECT dlr_status, delivered_at IS NULL FROM outbox WHERE id = $r4")" "smsc_accepted|t"
check_eq "after a final status nothing changes" "$(q "SELECT dlr_status, dlr_at FROM outbox WHERE id = $r5")" "failed|$f5"
check_eq "the same status again changes nothing" "$(q "SELECT dlr_status FROM outbox WHERE id = $r6")" buffered
out=$(echo "@dlrs $r1 delivered" | drive 2>/dev/null)
check_eq "a duplicate batch changes nothing" "$out" "changed 0"
check_eq "a report marks its row sent" \
	"$(q "SELECT count(*) FROM outbox WHERE id IN ($r1, $r2, $r3, $r4) AND sent_at IS NOT NULL")" 4

# a reply with a delivery report counts as sent (its "sent" mark may have been lost in a
# crash): never resent, and a redelivered MO gets only its replies bearerbox has not taken
q "UPDATE outbox SET sent_at = NULL WHERE id IN ($r1, $r2)" >/dev/null   # reports, no marks
run $T0 "d1 $A 7757 HELP" "d2 $A 7757 HELP" "d3 $A 7757 HELP" >/dev/null
echo "@dlrs $(q "SELECT id FROM outbox WHERE mo_id = 'd1'") delivered" | drive >/dev/null 2>&1
q "UPDATE outbox SET sent_at = now() WHERE mo_id = 'd2'" >/dev/null
out=$(run $T0 "d1 $A 7757 HELP" "d2 $A 7757 HELP" "d3 $A 7757 HELP")
check_out "redelivered MOs: only the reply neither marked sent nor reported" "$out" "7757 -> $A: help"
out=$(printf '@unsent 0\n' | drive)
check_out "resent: only the reply without a mark or a report" "$out" "7757 -> $A: help"
check_eq "that one is d3's" "$(q "SELECT mo_id FROM outbox WHERE claimed_at IS NOT NULL AND sent_at IS NULL AND dlr_status IS NULL")" d3

# PostgreSQL goes away under a running service and comes back
fifo=$TPL.fifo
mkfifo "$fifo"
restart_pg() { "$ROOT/scripts/pg" start >/dev/null 3>&-; }   # the server must not inherit the fifo
trap 'restart_pg; rm -f "$TPL" "$fifo" "$TPL.out"' EXIT
: >"$TPL.out"             # made now: the driver's shell opens it only once the fifo has a writer
drive <"$fifo" >>"$TPL.out" 2>/dev/null &
dpid=$!
exec 3>"$fifo"
# wait_lines N: until the driver has printed N lines (at most 10 s)
wait_lines() {
	i=0
	while [ "$(wc -l <"$TPL.out")" -lt "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}
echo "@time $T0" >&3
echo "o1 $A 7757 HELP" >&3
wait_lines 1
"$ROOT/scripts/pg" stop >/dev/null
echo "o2 $A 7757 I" >&3
echo "@due" >&3
wait_lines 3
restart_pg
echo "o2 $A 7757 I" >&3
wait_lines 4
exec 3>&-
wait $dpid
check_out "outage: RETRY instead of a reply, then carries on" "$(cat "$TPL.out")" \
	"7757 -> $A: help
RETRY o2
RETRY due
7757 -> $A: status_none balance=0"
check_eq "the retried MO was handled once" "$(q "SELECT count(*) FROM outbox WHERE mo_id = 'o2'")" 1
check_invariants "after the outage"
done_testing
