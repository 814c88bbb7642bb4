#!/bin/sh
# service_store.sh: the store around the dialogue: the schema version check, the outbox
# (unsent rows claimed, marked sent), and a PostgreSQL outage (RETRY, never a reply, then
# a reconnect without a restart of the service).
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/integration/service_helpers"

# schema version: a newer one is refused, a database without the schema too
service_db svc_store
q "INSERT INTO schema_version (version, name) VALUES (99, 'future')"
err=$(echo "x $A 7757 HELP" | drive 2>&1 >/dev/null)
check_eq "a newer schema is refused" "$err" \
	"service_drive: database schema version 99 is newer than this parkbox knows (5..5): upgrade parkbox"
dropdb --if-exists svc_store_empty >/dev/null 2>&1
createdb svc_store_empty
err=$(echo "x $A 7757 HELP" | PGDATABASE=svc_store_empty drive 2>&1 >/dev/null)
check_match "a database without the schema is refused" "$err" \
	"^service_drive: cannot read the schema version .*apply the migrations with scripts/migrate$"
dropdb svc_store_empty
check_eq "the known versions are accepted" "$(q "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version WHERE version < 99")" "1,2,3,4,5"

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

# PostgreSQL goes away under a running service and comes back
fifo=$TPL.fifo
mkfifo "$fifo"
restart_pg() { "$ROOT/scripts/pg" start >/dev/null 3>&-; }   # the server must not inherit the fifo
trap 'restart_pg; rm -f "$TPL" "$fifo" "$TPL.out"' EXIT
drive <"$fifo" >"$TPL.out" 2>/dev/null &
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
