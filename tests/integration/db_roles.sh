#!/bin/sh
# db_roles.sh: the roles of sql/0009_roles.sql: a named planner's edit is recorded as made
# by that planner; planners cannot touch the money, inspectors can record sightings and
# nothing else, readonly reads, and the dialogue service runs as a member of parkbox.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/integration/service_helpers"

service_db db_roles
for r in aigerim_planner insp_0457 report_ro box_svc; do
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
done
psql -X -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
CREATE ROLE aigerim_planner LOGIN IN ROLE planner;
CREATE ROLE insp_0457 LOGIN IN ROLE inspector;
CREATE ROLE report_ro LOGIN IN ROLE readonly;
CREATE ROLE box_svc LOGIN IN ROLE parkbox;
SQL
as() { _u=$1; shift; psql -X -qAt -v ON_ERROR_STOP=1 -U "$_u" -c "$1" 2>&1; }

check_eq "a planner renames a zone" "$(as aigerim_planner "UPDATE zones SET name = 'Green Market East' WHERE number = 1001")" ""
check_eq "the history names the planner" \
	"$(q "SELECT who, op, new->>'name' FROM zone_history WHERE table_name = 'zones' ORDER BY id DESC LIMIT 1")" \
	"aigerim_planner|UPDATE|Green Market East"
check_match "a planner cannot touch balances" "$(as aigerim_planner "UPDATE subscribers SET wallet_tiyn = 1")" "permission denied"
check_match "a planner cannot read API keys" "$(as aigerim_planner "SELECT count(*) FROM api_keys")" "permission denied"
check_eq "an inspector records a sighting" \
	"$(as insp_0457 "INSERT INTO sightings (plate, zone, seen_at, source) VALUES ('123AAA02', 1001, now(), 'insp 0457')")" ""
check_match "an inspector cannot edit zones" "$(as insp_0457 "UPDATE zones SET tariff_tiyn = 1")" "permission denied"
check_match "an inspector cannot move money" "$(as insp_0457 "SELECT wallet_topup('+77010000001', 100)")" "permission denied"
check_eq "readonly reads" "$(as report_ro "SELECT count(*) FROM zones")" 3
check_match "readonly writes nothing" "$(as report_ro "INSERT INTO sightings (plate, zone, seen_at) VALUES ('123AAA02', 1001, now())")" "permission denied"

# the dialogue service as a member of parkbox: a start, its confirmation, money invariants
PGUSER=box_svc topup $A 100000
out=$(PGUSER=box_svc run $T0 "r1 $A 7757 1001*123AAA02*1")
check_match "parkbox's role runs a start" "$out" "confirm_start"
out=$(PGUSER=box_svc run $((T0 + 10)) "r2 $A 7701 1")
check_match "parkbox's role confirms it" "$out" "started"
check_eq "money invariants hold" "$(q "SELECT count(*) FROM money_invariants()")" 0
for r in aigerim_planner insp_0457 report_ro box_svc; do
	psql -X -q -c "DROP OWNED BY $r" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
done
done_testing
