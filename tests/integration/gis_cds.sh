#!/bin/sh
# gis_cds.sh: tariff policies and holidays in the database (sql/0008_policies.sql) and the
# Curb Data Specification feed (`parkzones export --format cds`): every document validated
# against the CDS OpenAPI schemas vendored in tests/vendor/cds-openapi (and a broken one
# refused), the times, rates and holidays read back from the feed equal to our tables, UUIDs
# that survive re-export and change when CDS says they must, dates from the change history,
# the default policy kept equal to zones.tariff_tiyn both ways, and the constraints on spans.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/lib.sh"
PZ=${PARKZONES:-$ROOT/build/parkzones}
PY=/usr/bin/python3     # Debian's, with python3-jsonschema and python3-yaml (scripts/setup)
CHECK="$ROOT/tests/integration/cds_check.py"
SCHEMAS="$ROOT/tests/vendor/cds-openapi"
OFFSET=18000            # Asia/Almaty in 2027: UTC+5
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Our tables in the shape cds_check.py tables prints, sorted.
our_tables() {
	q "SELECT 'block|' || zone || '|' || curb_zone_id || '|' || street || '|' || from_street
	          || '|' || to_street FROM street_blocks
	   UNION ALL SELECT 'holiday|' || day FROM holidays
	   UNION ALL
	   SELECT 'policy|' || p.zone || '|' || p.priority || '|' || p.rate_tiyn || '|'
	          || CASE WHEN p.holidays_free THEN 't' ELSE 'f' END || '|'
	          || coalesce(p.max_stay_minutes::text, '') || '|' || coalesce(s.days, '') || '|'
	          || coalesce(to_char(s.time_start, 'HH24:MI'), '') || '|'
	          || coalesce(to_char(s.time_end, 'HH24:MI'), '') || '|'
	          || coalesce(s.date_from::text, '') || '|' || coalesce(s.date_to::text, '')
	   FROM tariff_policies p LEFT JOIN tariff_policy_spans s ON s.policy = p.id" | LC_ALL=C sort
}
feed_tables() { "$PY" "$CHECK" tables "$1" $OFFSET | LC_ALL=C sort; }
json() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

new_db gis_cds
"$PZ" import "$ROOT/gis/data/almaty-sample.geojson" >/dev/null

# --- the sample's policies ------------------------------------------------------------------
check_eq "every zone has a default policy at its tariff" \
	"$(q "SELECT string_agg(zone || ' ' || rate_tiyn || ' ' || priority || ' ' || holidays_free, ', ' ORDER BY zone) FROM tariff_policies WHERE is_default")" \
	"1001 15000 10 true, 1002 10000 10 true, 1003 10000 10 true"
check_eq "paid Monday to Saturday 08:00-20:00 (as numbers for the core)" \
	"$(q "SELECT DISTINCT days || ' ' || start_min || ' ' || end_min || ' ' || date_from || ' ' || date_to FROM policy_spans_core")" \
	"63 480 1200 0 0"
check_eq "2027 holidays: 15, one that moves" \
	"$(q "SELECT count(*) || ' ' || count(*) FILTER (WHERE moves) || ' ' || min(day) || ' ' || max(day) FROM holidays")" \
	"15 1 2027-01-01 2027-12-16"

# --- zones.tariff_tiyn and the default policy, both ways ------------------------------------
q "UPDATE zones SET tariff_tiyn = 20000 WHERE number = 1002" >/dev/null
check_eq "a new tariff is the default policy's rate" \
	"$(q "SELECT rate_tiyn FROM tariff_policies WHERE zone = 1002 AND is_default")" 20000
q "UPDATE tariff_policies SET rate_tiyn = 10000 WHERE zone = 1002 AND is_default" >/dev/null
check_eq "the default policy's rate is the tariff" \
	"$(q "SELECT tariff_tiyn FROM zones WHERE number = 1002")" 10000
err=$(q "UPDATE tariff_policies SET rate_tiyn = 0 WHERE zone = 1002 AND is_default" 2>&1)
check_match "the default policy cannot be free" "$err" 'tariff_policies_default_paid'

# --- constraints on spans -------------------------------------------------------------------
pid=$(q "SELECT id FROM tariff_policies WHERE zone = 1003")
for bad in "days = 'monday'" "time_start = '20:00', time_end = '08:00'" \
	"time_start = '08:00:30'" "date_from = '2027-02-01', date_to = '2027-01-01'"; do
	err=$(q "UPDATE tariff_policy_spans SET $bad WHERE policy = $pid" 2>&1)
	check_match "span refused: $bad" "$err" 'violates check constraint "tariff_policy_spans_'
done

# --- more policies: a rate change at a window edge, dates, max stay, no holidays ------------
q "WITH p AS (INSERT INTO tariff_policies (zone, name, priority, rate_tiyn, holidays_free, max_stay_minutes)
              VALUES (1001, 'summer afternoons', 5, 20000, false, 120) RETURNING id)
   INSERT INTO tariff_policy_spans (policy, days, time_start, time_end, date_from, date_to)
   SELECT id, 'mon,tue,wed,thu,fri', '12:00', '20:00', '2027-06-01', '2027-08-31' FROM p;
   WITH p AS (INSERT INTO tariff_policies (zone, name, priority, rate_tiyn, holidays_free, max_stay_minutes)
              VALUES (1003, 'night', 20, 0, false, 90) RETURNING id)
   INSERT INTO tariff_policy_spans (policy, days, time_start, time_end)
   SELECT id, 'sat,sun', '20:00', '24:00' FROM p" >/dev/null
check_eq "the new spans as the core reads them" \
	"$(q "SELECT string_agg(zone || ' ' || priority || ' ' || rate_tiyn || ' ' || days || ' ' || start_min || '-' || end_min || ' ' || date_from || '-' || date_to, ', ' ORDER BY zone, priority) FROM policy_spans_core WHERE NOT holidays_free")" \
	"1001 5 20000 31 720-1200 20270601-20270831, 1003 20 0 96 1200-1440 0-0"

# --- the feed validates ---------------------------------------------------------------------
out=$("$PZ" export --format cds -o "$TMP/feed" 2>&1); rc=$?
check_eq "export --format cds: exit status" "$rc" 0
check_eq "export --format cds: three files" "$(ls "$TMP/feed" | tr '\n' ' ')" "areas.json policies.json zones.json "
val=$("$PY" "$CHECK" validate "$SCHEMAS" "$TMP/feed" 2>&1); rc=$?
check_eq "every document validates against the CDS schemas" "$rc" 0
check_eq "counts validated" "$(echo "$val" | grep -c ' 0 errors$')" 3
check_match "10 curb zones" "$val" '^zones.json: 10 zones, 0 errors$'
check_match "3 curb areas" "$val" '^areas.json: 3 areas, 0 errors$'
check_match "5 policies and the holiday calendar" "$val" '^policies.json: 6 policies, 0 errors$'

# --- the validation can fail ----------------------------------------------------------------
mkdir "$TMP/bad" && cp "$TMP/feed/"*.json "$TMP/bad/"
"$PY" - "$TMP/bad" <<'EOF'
import json, sys
d = sys.argv[1]
z = json.load(open(d + "/zones.json"))
del z["data"]["zones"][0]["curb_zone_id"]
z["data"]["zones"][1]["geometry"]["coordinates"] = [[[76.95, 43.26, 1], [76.96, 43.26, 1],
                                                     [76.96, 43.27, 1], [76.95, 43.26, 1]]]
json.dump(z, open(d + "/zones.json", "w"))
p = json.load(open(d + "/policies.json"))
p["data"]["policies"][1]["time_spans"][0]["days_of_week"] = ["monday"]
p["data"]["policies"][1]["rules"][0]["rate"][0]["rate"] = 150.5
json.dump(p, open(d + "/policies.json", "w"))
EOF
val=$("$PY" "$CHECK" validate "$SCHEMAS" "$TMP/bad" 2>&1); rc=$?
check_eq "a broken feed is refused" "$rc" 1
check_match "missing curb_zone_id" "$val" "^zones.json: data/zones/0: 'curb_zone_id' is a required property"
check_match "positions of three numbers" "$val" '^zones.json: data/zones/1/geometry: '
check_match "an unknown day" "$val" "^policies.json: data/policies/1/time_spans/0/days_of_week/0: 'monday' is not one of"
check_match "a fractional rate" "$val" '^policies.json: data/policies/1/rules/0/rate/0/rate: 150.5 is not of type .integer.'

# --- times, rates and holidays read back equal our tables -----------------------------------
check_eq "the feed read back equals the tables" "$(feed_tables "$TMP/feed")" "$(our_tables)"
check_eq "a zone's number is its user_zone_id" \
	"$(json "$TMP/feed/zones.json" "sorted({z['user_zone_id'] for z in d['data']['zones']})")" \
	"['1001', '1002', '1003']"
check_eq "rates in tiyn per hour, KZT" \
	"$(json "$TMP/feed/policies.json" "(d['currency'], sorted(r['rate'] for p in d['data']['policies'] for r in p['rules'][0].get('rate', [])))")" \
	"('KZT', [10000, 10000, 15000, 20000])"
check_eq "the holiday calendar wins over paid hours (priority 0) and runs of days are one span" \
	"$(json "$TMP/feed/policies.json" "[(p['priority'], len(p['time_spans'])) for p in d['data']['policies'] if 'rate' not in p['rules'][0] and p['priority'] == 0]")" \
	"[(0, 12)]"
check_eq "21-23 March is one span of local midnights (+05:00)" \
	"$(json "$TMP/feed/policies.json" "[sorted(s.items()) for p in d['data']['policies'] if p['priority'] == 0 for s in p['time_spans'] if s['start_date'] == 1805569200000]")" \
	"[[('end_date', 1805828400000), ('start_date', 1805569200000)]]"
check_eq "a curb zone lists the holiday calendar first, then its policies by priority" \
	"$(json "$TMP/feed/zones.json" "len([z for z in d['data']['zones'] if z['user_zone_id'] == '1001' and len(z['curb_policy_ids']) == 3])")" 8
check_eq "a curb area per zone lists its curb zones" \
	"$(json "$TMP/feed/areas.json" "[(a['name'], len(a['curb_zone_ids'])) for a in d['data']['areas']]")" \
	"[('1001 Green Market', 8), ('1002 City Administration', 1), ('1003 Republican Square', 1)]"

# --- identifiers survive re-export; dates follow the history -------------------------------
"$PZ" export --format cds -o "$TMP/again" >/dev/null 2>&1
check_eq "re-export without changes is identical" \
	"$(cat "$TMP/feed/"*.json | md5sum)" "$(cat "$TMP/again/"*.json | md5sum)"
"$PZ" import "$ROOT/gis/data/almaty-sample.geojson" >/dev/null
"$PZ" export --format cds -o "$TMP/reimport" >/dev/null 2>&1
check_eq "re-importing the same file keeps every UUID" \
	"$(json "$TMP/reimport/zones.json" "sorted(z['curb_zone_id'] for z in d['data']['zones'])")" \
	"$(json "$TMP/feed/zones.json" "sorted(z['curb_zone_id'] for z in d['data']['zones'])")"
old=$(q "SELECT curb_zone_id FROM street_blocks WHERE zone = 1002")
q "UPDATE street_blocks SET geom = ST_Translate(geom, 0.0001, 0) WHERE zone = 1002" >/dev/null
new=$(q "SELECT curb_zone_id FROM street_blocks WHERE zone = 1002")
check_eq "a moved block gets a new curb_zone_id" "$([ "$old" != "$new" ] && echo changed)" changed
check_eq "... and keeps the old one" "$(q "SELECT prev_curb_zone_ids[1] FROM street_blocks WHERE zone = 1002")" "$old"
check_eq "a block whose attributes change keeps its id" \
	"$(q "UPDATE street_blocks SET source = 'survey 2027' WHERE zone = 1003 RETURNING curb_zone_id")" \
	"$(q "SELECT curb_zone_id FROM street_blocks WHERE zone = 1003")"
p_old=$(q "SELECT curb_policy_id FROM tariff_policies WHERE zone = 1003 AND is_default")
q "UPDATE tariff_policy_spans SET time_end = '19:00' WHERE policy = (SELECT id FROM tariff_policies WHERE zone = 1003 AND is_default)" >/dev/null
check_eq "a changed span gives its policy a new curb_policy_id" \
	"$([ "$p_old" != "$(q "SELECT curb_policy_id FROM tariff_policies WHERE zone = 1003 AND is_default")" ] && echo changed)" changed
h_old=$(q "SELECT holiday_policy_id FROM cds_feed")
q "INSERT INTO holidays (day, name) VALUES ('2027-03-24', 'carried over')" >/dev/null
check_eq "a new holiday gives the calendar a new id" \
	"$([ "$h_old" != "$(q "SELECT holiday_policy_id FROM cds_feed")" ] && echo changed)" changed
"$PZ" export --format cds -o "$TMP/later" >/dev/null 2>&1
check_eq "the later feed validates" "$("$PY" "$CHECK" validate "$SCHEMAS" "$TMP/later" >/dev/null 2>&1; echo $?)" 0
check_eq "the later feed read back equals the tables" "$(feed_tables "$TMP/later")" "$(our_tables)"
check_eq "the moved block: prev_curb_zone_ids, a later published_date and start_date" \
	"$(json "$TMP/later/zones.json" "[(z['prev_curb_zone_ids'] == ['$old'], z['start_date'] == z['published_date'] > min(x['published_date'] for x in d['data']['zones'])) for z in d['data']['zones'] if z['user_zone_id'] == '1002']")" \
	"[(True, True)]"
check_eq "last_updated_date of 1003's block follows its history" \
	"$(json "$TMP/later/zones.json" "[z['last_updated_date'] > z['published_date'] for z in d['data']['zones'] if z['user_zone_id'] == '1003']")" \
	"[True]"
check_eq "last_updated is the latest change" \
	"$(json "$TMP/later/zones.json" "d['last_updated']")" \
	"$(q "SELECT cds_ms(greatest(max(at), (SELECT holiday_policy_since FROM cds_feed))) FROM zone_history")"

# --- one zone -------------------------------------------------------------------------------
"$PZ" export --format cds --zone 1002 -o "$TMP/z1002" >/dev/null 2>&1
check_eq "--zone 1002: its block, area, policy and the holiday calendar" \
	"$(for f in zones areas policies; do json "$TMP/z1002/$f.json" "len(d['data']['$f'])"; done | tr '\n' ' ')" \
	"1 1 2 "
check_eq "--zone 1002 validates" "$("$PY" "$CHECK" validate "$SCHEMAS" "$TMP/z1002" >/dev/null 2>&1; echo $?)" 0
check_eq "stdout: the three responses in one object" \
	"$("$PZ" export --format cds --zone 1002 | "$PY" -c "import json,sys; print(sorted(json.load(sys.stdin)))")" \
	"['areas', 'policies', 'zones']"

# --- history and reload ---------------------------------------------------------------------
check_eq "policy edits are in zone_history" \
	"$(q "SELECT count(DISTINCT table_name) FROM zone_history WHERE table_name IN ('tariff_policies', 'tariff_policy_spans', 'holidays')")" 3
v1=$(q "SELECT version FROM zones_version")
q "UPDATE tariff_policies SET max_stay_minutes = 240 WHERE zone = 1001 AND is_default" >/dev/null
check_eq "a policy edit bumps zones_version" "$(q "SELECT version FROM zones_version")" "$((v1 + 1))"

done_testing
