#!/bin/sh
# inspect_paid.sh: `parkzones paid` against sessions made by the dialogue service
# (service_drive): paid at the start, at paid_until and not one second later; not before the
# start; after S only up to the stop time; the zone asked for; Cyrillic plates; JSON.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/integration/service_helpers"
PZ=${PARKZONES:-$ROOT/build/parkzones}

service_db insp_paid
topup $A 100000
topup $B 100000
# A: A111AAA in 1001 for 2 h, confirmed at T0+10 (10:00:10 local), paid until 12:00:10
run $T0 "p1 $A 7757 1001*А111ААА*2" >/dev/null
run $((T0 + 10)) "p2 $A 7701 1" >/dev/null
# B: 123AAA02 in 1003 for 1 h from T0+20, stopped at T0+630
run $((T0 + 15)) "p3 $B 7757 1003*123AAA02*1" >/dev/null
run $((T0 + 20)) "p4 $B 7701 1" >/dev/null
run $((T0 + 630)) "p5 $B 7757 S" >/dev/null
check_eq "two sessions, one stopped" "$(q "SELECT plate, zone, end_reason FROM sessions ORDER BY id")" \
	"A111AAA|1001|
123AAA02|1003|stopped"
check_invariants "after the sessions"

# paid PLATE ARGS...: output, then "rc=N"
paid() { out=$("$PZ" paid "$@" 2>&1); rc=$?; echo "$out"; echo "rc=$rc"; }
paidrc() { "$PZ" paid "$@" >/dev/null 2>&1; echo $?; }

check_eq "1 s before the start: NOT PAID, exit 1" "$(paidrc A111AAA --zone 1001 --at @$((T0 + 9)))" 1
check_eq "at the start: PAID" "$(paidrc A111AAA --zone 1001 --at @$((T0 + 10)))" 0
check_eq "at paid_until: PAID" "$(paidrc A111AAA --zone 1001 --at @$((T0 + 7210)))" 0
check_eq "1 s after paid_until: NOT PAID" "$(paidrc A111AAA --zone 1001 --at @$((T0 + 7211)))" 1
check_eq "local time without offset" "$(paidrc A111AAA --zone 1001 --at 2025-06-16T12:00:10)" 0
check_eq "local time 1 s later" "$(paidrc A111AAA --zone 1001 --at '2025-06-16 12:00:11')" 1
check_eq "UTC time with Z" "$(paidrc A111AAA --zone 1001 --at 2025-06-16T07:00:10Z)" 0
check_eq "UTC time with Z, 1 s later" "$(paidrc A111AAA --zone 1001 --at 2025-06-16T07:00:11Z)" 1
check_eq "offset +06:00" "$(paidrc A111AAA --zone 1001 --at 2025-06-16T13:00:10+06:00)" 0

check_out "PAID: zone, from and until in local time and UTC" \
	"$(paid 'а 111 ааа' --zone 1001 --at 2025-06-16T11:00)" \
	"PAID A111AAA zone 1001 Green Market
  from  2025-06-16 10:00:10 +05:00 (2025-06-16T05:00:10Z)
  until 2025-06-16 12:00:10 +05:00 (2025-06-16T07:00:10Z)
rc=0"
check_out "without --zone: any zone" "$(paid A111AAA --at 2025-06-16T11:00 | head -1)" \
	"PAID A111AAA zone 1001 Green Market"
check_out "another zone: NOT PAID, names where it is paid" \
	"$(paid A111AAA --zone 1002 --at 2025-06-16T11:00)" \
	"NOT PAID A111AAA zone 1002 City Administration at 2025-06-16 11:00:00 +05:00 (2025-06-16T06:00:00Z)
  paid in another zone: 1001 Green Market until 2025-06-16 12:00:10 +05:00
rc=1"

# after S: paid up to the stop time, not after
check_eq "stopped session: at the stop time" "$(paidrc 123AAA02 --zone 1003 --at @$((T0 + 630)))" 0
check_eq "stopped session: 1 s after the stop" "$(paidrc 123AAA02 --zone 1003 --at @$((T0 + 631)))" 1
check_eq "stopped session: before paid_until, after the stop" \
	"$(paidrc 123AAA02 --zone 1003 --at @$((T0 + 3000)))" 1
check_out "stopped session shown as stopped" "$(paid 123AAA02 --zone 1003 --at @$((T0 + 600)))" \
	"PAID 123AAA02 zone 1003 Republican Square
  from  2025-06-16 10:00:20 +05:00 (2025-06-16T05:00:20Z)
  until 2025-06-16 10:10:30 +05:00 (2025-06-16T05:10:30Z), stopped
rc=0"
check_eq "never parked" "$(paidrc B222BBB --zone 1001 --at @$T0)" 1

# JSON
json=$("$PZ" paid А111ААА --zone 1001 --at @$((T0 + 60)) --json)
check_eq "JSON: paid, zone, session interval" \
	"$(printf '%s' "$json" | jq -c '[.plate, .paid, .zone, .zone_name, .at, .at_local, .session.from, .session.from_local, .session.until, .session.running]')" \
	'["A111AAA",true,1001,"Green Market","2025-06-16T05:01:00Z","2025-06-16T10:01:00+05:00","2025-06-16T05:00:10Z","2025-06-16T10:00:10+05:00","2025-06-16T07:00:10Z",true]'
json=$("$PZ" paid A111AAA --zone 1003 --at @$((T0 + 60)) --json)
check_eq "JSON: not paid here, paid elsewhere" \
	"$(printf '%s' "$json" | jq -c '[.paid, .zone, .session, .paid_elsewhere.zone]')" '[false,1003,null,1001]'
done_testing
