#!/bin/sh
# enforce_rule.sh: the enforcement rules through parkctl (plugin/enforce), on sessions made
# by the dialogue service (service_drive): paid at the start, at paid_until and not one
# second later; after S only up to the stop time; the zone asked for; local times, Z and
# offsets; the 15-minute rule at its boundaries (14:59, 15:00, 15:01), a session started at
# minute 10 covering the stay, one stopped before the last sighting, one in another zone,
# Cyrillic plates, a growing stay, a sent violation left alone, a later stay fined anew, a
# deactivated zone, sightings by position, paid hours (free time never unpaid, the grace
# counted in paid time), bad input with exit statuses, and the old
# parkzones names pointing here.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/integration/service_helpers"
CTL=${PARKCTL:-$ROOT/build/parkctl}
PZ=${PARKZONES:-$ROOT/build/parkzones}

ctl() { "$CTL" --db "dbname=$PGDATABASE" "$@"; }
rc() { ctl "$@" >/dev/null 2>&1; echo $?; }
st() { out=$(ctl "$@" 2>&1); r=$?; printf '%s\nrc=%s' "$out" "$r"; }

service_db enforce_rule
topup $A 100000
topup $B 100000
topup $C 100000
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

# --- paid at time t ---------------------------------------------------------------
check_eq "1 s before the start: unpaid, exit 1" "$(rc check A111AAA 1001 --at @$((T0 + 9)))" 1
check_eq "at the start: paid" "$(rc check A111AAA 1001 --at @$((T0 + 10)))" 0
check_eq "at paid_until: paid" "$(rc check A111AAA 1001 --at @$((T0 + 7210)))" 0
check_eq "1 s after paid_until: unpaid" "$(rc check A111AAA 1001 --at @$((T0 + 7211)))" 1
check_eq "local time without offset" "$(rc check A111AAA 1001 --at 2025-06-16T12:00:10)" 0
check_eq "local time 1 s later" "$(rc check A111AAA 1001 --at '2025-06-16 12:00:11')" 1
check_eq "UTC with Z" "$(rc check A111AAA 1001 --at 2025-06-16T07:00:10Z)" 0
check_eq "UTC with Z, 1 s later" "$(rc check A111AAA 1001 --at 2025-06-16T07:00:11Z)" 1
check_eq "offset +06:00" "$(rc check A111AAA 1001 --at 2025-06-16T13:00:10+06:00)" 0
check_eq "paid: the text" "$(ctl check 'а 111 ааа' 1001 --at 2025-06-16T11:00)" \
	"A111AAA in its zone at 2025-06-16T11:00:00+05:00: paid until 2025-06-16T12:00:10+05:00 by session 1 (zone 1001)"
check_eq "any zone" "$(rc check A111AAA --at 2025-06-16T11:00)" 0
out=$(ctl --json check A111AAA 1002 --at 2025-06-16T11:00)
check_eq "another zone: unpaid here, paid there" \
	"$(printf '%s' "$out" | jq -c '[.status, .paid_elsewhere.session_zone, .paid_elsewhere.paid_until]')" \
	'["unpaid",1001,"2025-06-16T12:00:10+05:00"]'
check_eq "stopped: at the stop time" "$(rc check 123AAA02 1003 --at @$((T0 + 630)))" 0
check_eq "stopped: 1 s after the stop" "$(rc check 123AAA02 1003 --at @$((T0 + 631)))" 1
check_eq "stopped: before paid_until, after the stop" "$(rc check 123AAA02 1003 --at @$((T0 + 3000)))" 1
check_eq "never parked" "$(rc check B222BBB 1001 --at @$T0)" 1
check_eq "the rule is one SQL function" \
	"$(q "SELECT session_id FROM paid_at('A111AAA', 1001, to_timestamp($((T0 + 7210))))")|$(q "SELECT count(*) FROM paid_at('A111AAA', 1001, to_timestamp($((T0 + 7211))))")" "1|0"

# --- the 15-minute rule --------------------------------------------------------------
run $((T0 + 590)) "v1 $A 7757 1001*444AAA02*1" >/dev/null     # paid from minute 10
run $((T0 + 600)) "v2 $A 7701 1" >/dev/null
run $((T0 + 50)) "v3 $C 7757 1001*555AAA02*1" >/dev/null      # paid from minute 1, stopped at 20
run $((T0 + 60)) "v4 $C 7701 1" >/dev/null
run $((T0 + 1200)) "v5 $C 7757 S*555AAA02" >/dev/null
run $((T0 + 50)) "v6 $B 7757 1002*777AAA02*2" >/dev/null      # paid in 1002 only
run $((T0 + 60)) "v7 $B 7701 1" >/dev/null
check_eq "five sessions" "$(q "SELECT count(*) FROM sessions")" 5
sight() {   # sight PLATE ZONE OFFSET: verdict and violation id (the device's id: plate and time)
	ctl --json sight "$1" "$2" --at @$((T0 + $3)) --device insp7 --ref "$1@$3" | jq -r '[.stay.verdict, .violation] | @csv'
}
sight 111AAA02 1001 0 >/dev/null
check_eq "14:59: short" "$(sight 111AAA02 1001 899)" '"short",'
sight 222AAA02 1001 0 >/dev/null
check_eq "15:00: short" "$(sight 222AAA02 1001 900)" '"short",'
sight 333AAA02 1001 0 >/dev/null
check_match "15:01: a violation" "$(sight 333AAA02 1001 901)" '^"violation",[0-9]+$'
sight 444AAA02 1001 0 >/dev/null
check_eq "a session from minute 10 covers the stay" "$(sight 444AAA02 1001 1800)" '"paid",'
sight 555AAA02 1001 0 >/dev/null
check_match "a session stopped before the last sighting does not" "$(sight 555AAA02 1001 2400)" '^"violation",'
sight 'а 666 ааа' 1001 0 >/dev/null
check_match "Cyrillic plates" "$(sight А666ААА 1001 1000)" '^"violation",'
sight 777AAA02 1001 0 >/dev/null
check_match "paid in another zone only" "$(sight 777AAA02 1001 1000)" '^"violation",'
check_eq "violations: rows" "$(q "SELECT plate, extract(epoch FROM first_seen_at)::bigint - $T0,
	extract(epoch FROM last_seen_at)::bigint - $T0, extract(epoch FROM unpaid_from)::bigint - $T0, sightings, status
	FROM violations ORDER BY plate COLLATE \"C\"")" \
	"333AAA02|0|901|900|2|open
555AAA02|0|2400|1200|2|open
777AAA02|0|1000|900|2|open
A666AAA|0|1000|900|2|open"
check_eq "sightings stored canonical" "$(q "SELECT count(*), count(DISTINCT plate), bool_and(plate ~ '^[A-Z0-9]+\$') FROM sightings")" "14|7|t"

V=$(q "SELECT id FROM violations WHERE plate = '333AAA02'")
check_eq "a longer stay extends its violation" "$(sight 333AAA02 1001 1500)" "\"violation\",$V"
check_eq "extended row" "$(q "SELECT extract(epoch FROM last_seen_at)::bigint - $T0, sightings FROM violations WHERE id = $V")" "1500|3"
q "UPDATE violations SET status = 'sent' WHERE id = $V" >/dev/null
sight 333AAA02 1001 2000 >/dev/null
check_eq "a sent violation stays as it was" "$(q "SELECT extract(epoch FROM last_seen_at)::bigint - $T0, sightings, status FROM violations WHERE id = $V")" "1500|3|sent"
check_eq "and the stay is not fined twice" "$(q "SELECT count(*) FROM violations WHERE plate = '333AAA02'")" 1
sight 111AAA02 1001 9000 >/dev/null
check_match "a later stay (after 2 h) is a new violation" "$(sight 111AAA02 1001 10000)" '^"violation",'
check_eq "the 14:59 stay is not part of it" \
	"$(q "SELECT extract(epoch FROM first_seen_at)::bigint - $T0, extract(epoch FROM unpaid_from)::bigint - $T0 FROM violations WHERE plate = '111AAA02'")" "9000|9900"
out=$(ctl violations --status open --plate 555AAA02)
check_match "why was I fined: parkctl violations" "$out" \
	"555AAA02  zone 1001  seen 2025-06-16T10:00:00\+05:00 .. 2025-06-16T10:40:00\+05:00  unpaid from 2025-06-16T10:20:00\+05:00  2 sightings  open"
out=$(ctl sessions 555AAA02)
check_match "why was I fined: the session stopped at 10:20" "$out" "2025-06-16T10:01:00\+05:00 .. 2025-06-16T10:20:00\+05:00  stopped"
check_eq "violations --csv" "$(ctl violations --csv --plate 777AAA02 | tail -1 | cut -d, -f2-8)" \
	"777AAA02,1001,2025-06-16T10:00:00+05:00,2025-06-16T10:16:40+05:00,2025-06-16T10:15:00+05:00,2,open"
q "UPDATE zones SET active = false WHERE number = 1003" >/dev/null
sight 999AAA02 1003 0 >/dev/null
check_eq "a deactivated zone raises none" "$(sight 999AAA02 1003 2000)" '"violation",'
check_eq "no row for it" "$(q "SELECT count(*) FROM violations WHERE plate = '999AAA02'")" 0

# --- grace from the configuration --------------------------------------------------------
printf 'group = parkbox\ngrace-minutes = 20\ntimezone = Asia/Almaty\n' > "$TPL.conf"
out=$("$CTL" -c "$TPL.conf" --db "dbname=$PGDATABASE" --json sight 888AAA02 1002 --at @$((T0 + 901)) --device d --ref x1)
out=$("$CTL" -c "$TPL.conf" --db "dbname=$PGDATABASE" --json sight 888AAA02 1002 --at @$((T0 + 1802)) --device d --ref x2)
check_eq "grace-minutes = 20: 15:01 is no violation" "$(printf '%s' "$out" | jq -r .stay.verdict)" "short"
printf 'group = parkbox\ntimezone = Europe/London\n' > "$TPL.conf"
check_match "the time zone from the configuration" \
	"$("$CTL" -c "$TPL.conf" --db "dbname=$PGDATABASE" check A111AAA 1001 --at @$((T0 + 60)))" "at 2025-06-16T06:01:00\+01:00: paid until 2025-06-16T08:00:10\+01:00"
rm -f "$TPL.conf"

# --- sightings by position ------------------------------------------------------------------
new_db enforce_rule_gis
"$PZ" import "$ROOT/gis/data/almaty-sample.geojson" >/dev/null || fail "import of the sample"
out=$(ctl --json sight 123AAA02 --lon 76.9575 --lat 43.2640 --at 2025-06-16T10:00 --source cam1 --device cam1 --ref 1)
check_eq "by position: zone 1001" "$(printf '%s' "$out" | jq -r .zone)" 1001
check_eq "the point is stored" "$(q "SELECT zone, ST_AsText(location), source FROM sightings")" "1001|POINT(76.9575 43.264)|cam1"
check_eq "far from any block: exit 3" "$(st sight 123AAA02 --lon 76.90 --lat 43.20 --device cam1 --ref 2)" \
	"parkctl sight: no parking zone within 30 m of 76.900000,43.200000
rc=3"

# --- bad input -------------------------------------------------------------------------------
check_eq "bad plate" "$(st check 'Д111ААА' 1001)" \
	"parkctl check: bad plate 'Д111ААА': plate may contain only letters and digits (at byte 0)
rc=3"
check_eq "bad zone" "$(st check A111AAA abc)" "parkctl check: bad zone 'abc': a zone is a number of up to 4 digits
rc=3"
for t in 'tomorrow' '2025-06-16' '2025-06-16T10' '2025-06-16T10:00:60' '@-1' '@12x' '2025-02-30T10:00'; do
	check_eq "bad time '$t': exit 2" "$(rc check A111AAA 1001 --at "$t")" 2
done
check_eq "sight: unknown zone records nothing" "$(st sight 123AAA02 1077 --device d --ref z)|$(q "SELECT count(*) FROM sightings WHERE zone = 1077")" \
	"parkctl sight: zone 1077 does not exist
rc=3|0"
check_eq "no command: usage" "$(rc)" 2
check_eq "unknown command: usage" "$(rc fly)" 2

# --- paid hours: only paid time counts (the sample's Monday to Saturday 08:00-20:00) ----------
service_db enforce_hours real
check_eq "Sunday: free, exit 0" "$(rc check 900AAA02 1001 --at @$((T0 - 86400)))" 0
check_eq "Sunday: free until Monday 08:00" \
	"$(ctl --json check 900AAA02 1001 --at @$((T0 - 86400)) | jq -r '[.status, .paid_from] | @csv')" \
	'"free","2025-06-16T08:00:00+05:00"'
check_eq "Sunday: the text" "$(ctl check 900AAA02 1001 --at @$((T0 - 86400)))" \
	"900AAA02 in its zone at 2025-06-15T10:00:00+05:00: free (parking is free now; paid from 2025-06-16T08:00:00+05:00)"
sight 901AAA02 1001 -86400 >/dev/null
check_eq "seen Sunday 10:00 to 11:30: free, no violation" "$(sight 901AAA02 1001 -81000)" '"free",'
sight 902AAA02 1001 -7800 >/dev/null
check_eq "arrived 07:50: in grace at 08:14, until 08:15" \
	"$(ctl --json check 902AAA02 1001 --at @$((T0 - 6360)) | jq -r '[.status, .grace_until] | @csv')" \
	'"grace","2025-06-16T08:15:00+05:00"'
check_eq "arrived 07:50, seen at 08:15: short" "$(sight 902AAA02 1001 -6300)" '"short",'
check_match "arrived 07:50, seen at 08:16: a violation" "$(sight 902AAA02 1001 -6240)" '^"violation",[0-9]+$'
check_eq "unpaid from 08:15, when the paid grace ran out" \
	"$(q "SELECT to_char(unpaid_from AT TIME ZONE 'Asia/Almaty', 'HH24:MI') FROM violations WHERE plate = '902AAA02'")" "08:15"
sight 903AAA02 1001 35400 >/dev/null
check_eq "arrived 19:50, seen at 21:00: 10 paid minutes, short" "$(sight 903AAA02 1001 39600)" '"short",'
check_eq "no violation in free time" "$(q "SELECT count(*) FROM violations WHERE plate IN ('901AAA02', '903AAA02')")" 0

# --- the old names -------------------------------------------------------------------------------
for c in paid sight violations; do
	out=$("$PZ" $c 123AAA02 2>&1); r=$?
	check_match "parkzones $c says where it went" "$out|$r" "^parkzones $c: moved to parkctl: .*\\|2\$"
done
done_testing
