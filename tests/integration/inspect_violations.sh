#!/bin/sh
# inspect_violations.sh: `parkzones sight` and `parkzones violations`: the 15-minute rule at
# its boundaries (14:59, 15:00, 15:01 between sightings), a session started at minute 10
# covering the stay, a session stopped before the last sighting, a session in another zone,
# Cyrillic plates, --grace and --max-gap, idempotent evaluation, a growing stay, a row that
# was sent not changed again.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/integration/service_helpers"
PZ=${PARKZONES:-$ROOT/build/parkzones}

# sight PLATE ZONE OFFSET: a sighting at T0 + OFFSET seconds; exit status checked
sight() {
	if "$PZ" sight "$1" "$2" --at @$((T0 + $3)) --source insp7 >/dev/null; then :
	else fail "sight $1 $2 +$3 exited $?"; fi
}
viol() { "$PZ" violations --since @$((T0 - 3600)) --at @$((T0 + 7200)) "$@"; }
rows() { q "SELECT plate, zone, extract(epoch FROM first_seen_at)::bigint - $T0,
                   extract(epoch FROM last_seen_at)::bigint - $T0,
                   extract(epoch FROM unpaid_from)::bigint - $T0, sightings, status
            FROM violations ORDER BY plate COLLATE \"C\", first_seen_at"; }

service_db insp_viol
topup $A 100000
topup $B 100000
topup $C 100000
# 444AAA02 pays at minute 10 for an hour (A); 555AAA02 pays at minute 1 and stops at
# minute 20 (B); 777AAA02 pays in 1002, not in 1001 (C)
run $((T0 + 590)) "v1 $A 7757 1001*444AAA02*1" >/dev/null
run $((T0 + 600)) "v2 $A 7701 1" >/dev/null
run $((T0 + 50)) "v3 $B 7757 1001*555AAA02*1" >/dev/null
run $((T0 + 60)) "v4 $B 7701 1" >/dev/null
run $((T0 + 1200)) "v5 $B 7757 S" >/dev/null
run $((T0 + 50)) "v6 $C 7757 1002*777AAA02*2" >/dev/null
run $((T0 + 60)) "v7 $C 7701 1" >/dev/null
check_eq "three sessions" "$(q "SELECT count(*) FROM sessions")" 3
check_invariants "after the sessions"

sight 111AAA02 1001 0;    sight 111AAA02 1001 899     # 14:59
sight 222AAA02 1001 0;    sight 222AAA02 1001 900     # 15:00
sight 333AAA02 1001 0;    sight 333AAA02 1001 901     # 15:01
sight 444AAA02 1001 0;    sight 444AAA02 1001 1800    # paid from minute 10
sight 555AAA02 1001 0;    sight 555AAA02 1001 2400    # stopped at minute 20
sight 'а 666 ааа' 1001 0; sight А666ААА 1001 1000     # Cyrillic, unpaid
sight 777AAA02 1001 0;    sight 777AAA02 1001 1000    # paid in 1002 only
check_eq "sightings stored with canonical plates" \
	"$(q "SELECT count(*), count(DISTINCT plate), min(source), bool_and(plate ~ '^[A-Z0-9]+\$') FROM sightings")" \
	"14|7|insp7|t"

out=$(viol)
check_eq "first evaluation" "$(printf '%s\n' "$out" | tail -1)" "# 4 violations; created 4, updated 0"
check_eq "violations: 15:01, stopped session, Cyrillic, other zone" "$(rows)" \
	"333AAA02|1001|0|901|900|2|open
555AAA02|1001|0|2400|1200|2|open
777AAA02|1001|0|1000|900|2|open
A666AAA|1001|0|1000|900|2|open"
check_match "text row: local times" "$(printf '%s\n' "$out" | grep 333AAA02)" \
	"^[0-9]+	333AAA02	1001 Green Market	seen 2025-06-16 10:00:00 \\+05:00 to 2025-06-16 10:15:01 \\+05:00	unpaid from 2025-06-16 10:15:00 \\+05:00	2 sightings	open$"

out=$(viol --json)
check_eq "second evaluation creates nothing" "$(printf '%s' "$out" | jq -c '[.created, .updated, (.violations | length)]')" "[0,0,4]"
check_eq "JSON row" "$(printf '%s' "$out" | jq -c '.violations[] | select(.plate == "A666AAA") | [.zone, .zone_name, .first_seen, .last_seen_local, .unpaid_from, .sightings, .status]')" \
	'[1001,"Green Market","2025-06-16T05:00:00Z","2025-06-16T10:16:40+05:00","2025-06-16T05:15:00Z",2,"open"]'
check_eq "still 4 rows" "$(q "SELECT count(*) FROM violations")" 4

# the stay grows: the open row is updated, not duplicated
sight 333AAA02 1001 1500
out=$(viol)
check_eq "a longer stay updates its row" "$(printf '%s\n' "$out" | tail -1)" "# 4 violations; created 0, updated 1"
check_eq "updated row" "$(q "SELECT extract(epoch FROM last_seen_at)::bigint - $T0, sightings FROM violations WHERE plate = '333AAA02'")" "1500|3"

# a row sent to the fines system is not changed again, and the stay is not fined twice
q "UPDATE violations SET status = 'sent' WHERE plate = '333AAA02'" >/dev/null
sight 333AAA02 1001 2000
out=$(viol)
check_eq "a sent row stays as it was" "$(printf '%s\n' "$out" | tail -1)" "# 4 violations; created 0, updated 0"
check_eq "sent row unchanged" "$(q "SELECT extract(epoch FROM last_seen_at)::bigint - $T0, sightings, status FROM violations WHERE plate = '333AAA02'")" "1500|3|sent"
check_eq "--status sent lists it alone" "$(viol --status sent --json | jq -c '[.violations[].plate]')" '["333AAA02"]'

# a new stay of the same car after a gap longer than --max-gap (2 h): a new violation
sight 111AAA02 1001 9000; sight 111AAA02 1001 10000
out=$("$PZ" violations --since @$((T0 - 3600)) --at @$((T0 + 10800)))
check_eq "a later stay is a new violation" "$(printf '%s\n' "$out" | tail -1)" "# 5 violations; created 1, updated 0"
check_eq "the 14:59 stay is not part of it" \
	"$(q "SELECT extract(epoch FROM first_seen_at)::bigint - $T0, extract(epoch FROM unpaid_from)::bigint - $T0 FROM violations WHERE plate = '111AAA02'")" "9000|9900"

# sight reports paid/not paid and the stay
out=$("$PZ" sight 444AAA02 1001 --at @$((T0 + 2000)) --json)
check_eq "sight: paid car, covered stay" "$(printf '%s' "$out" | jq -c '[.plate, .paid, .paid_until, .stay, .stay_since, .stay_sightings]')" \
	'["444AAA02",true,"2025-06-16T06:10:00Z","paid","2025-06-16T05:00:00Z",3]'
out=$("$PZ" sight 888AAA02 1002 --at @$T0 --source cam1)
check_out "sight: text for an unpaid car" "$out" \
	"sighting 20: 888AAA02 zone 1002 City Administration at 2025-06-16 10:00:00 +05:00 (2025-06-16T05:00:00Z)
NOT PAID
  in the zone since 2025-06-16 10:00:00 +05:00 (0 min, 1 sighting): within the 15 minutes to pay"
out=$("$PZ" sight 888AAA02 1002 --at @$((T0 + 960)))
check_eq "sight: unpaid beyond 15 min" "$(printf '%s\n' "$out" | tail -1)" \
	"  in the zone since 2025-06-16 10:00:00 +05:00 (16 min, 2 sightings): VIOLATION: unpaid since 2025-06-16 10:15:00 +05:00"

# --grace: a fresh database, the same 15:01 stay with 20 minutes of grace is no violation
service_db insp_viol2
sight 333AAA02 1001 0; sight 333AAA02 1001 901
check_eq "--grace 20: none" "$(viol --grace 20 | tail -1)" "# 0 violations; created 0, updated 0"
check_eq "--grace 15: one" "$(viol --grace 15 | tail -1)" "# 1 violation; created 1, updated 0"
# a deactivated zone raises none
sight 999AAA02 1003 0; sight 999AAA02 1003 2000
q "UPDATE zones SET active = false WHERE number = 1003" >/dev/null
check_eq "deactivated zone: none" "$(viol | tail -1)" "# 1 violation; created 0, updated 0"
done_testing
