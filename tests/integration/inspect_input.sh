#!/bin/sh
# inspect_input.sh: operators' input checks and bad input to the inspection commands, with
# exit statuses: `plate` (no database), `zone`, bad plates, unknown zones, bad times, bad
# options; a sighting placed by its location (the zone suggested by the GIS look-up).
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/lib.sh"
PZ=${PARKZONES:-$ROOT/build/parkzones}

# st CMD...: stdout, stderr and the exit status on one string
st() { out=$("$PZ" "$@" 2>&1); rc=$?; printf '%s\nrc=%s' "$out" "$rc"; }

# plate: no database needed
out=$(PGHOST=/nonexistent "$PZ" plate 'а111 ааа' '123-aaa-02' '123 ЕК 15' 'A 111 AA')
check_eq "plate: valid plates, no database" "$?" 0
check_out() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1"; printf '%s\n---\n%s\n' "$3" "$2" | sed 's/^/#   /'; fi; }
check_out "plate: canonical, format, region" "$out" \
"а111 ааа	A111AAA	KZ 1993 private	region A
123-aaa-02	123AAA02	KZ 2012 private	region 02 Almaty
123 ЕК 15	123EK15	KZ 2012 organisation	region 15 North Kazakhstan Region
A 111 AA	A111AA	KZ 1993 organisation	region A"
check_out "plate: every reason, exit 1" "$(st plate '123AAA21' 'Д111ААА' '' '---' 'ABCD' 'G111AAA' '1234567890ABCDEFGH' 123AAA02)" \
"123AAA21	INVALID	unknown region code (at character 7)
Д111ААА	INVALID	plate may contain only letters and digits (at character 1)
	INVALID	plate is empty
---	INVALID	plate is empty
ABCD	INVALID	not a Kazakhstan plate (123ABC02 or A123ABC)
G111AAA	INVALID	unknown region code (at character 1)
1234567890ABCDEFGH	INVALID	plate is too long (at character 16)
123AAA02	123AAA02	KZ 2012 private	region 02 Almaty
rc=1"
check_eq "plate --json" "$("$PZ" plate --json 'в 222 вв' 'Ж1' | jq -c '.plates[] | [.valid, .plate, .format, .region, .reason]')" \
'[true,"B222BB","KZ 1993 organisation","B",null]
[false,null,null,null,"plate may contain only letters and digits (at character 1)"]'
check_eq "plate --allow-other accepts a foreign plate" "$("$PZ" plate --allow-other AB1234CD | cut -f2,3)" "AB1234CD	other"
check_eq "plate without arguments: usage" "$(st plate | tail -1)" "rc=2"

new_db insp_input
"$PZ" import "$ROOT/gis/data/almaty-sample.geojson" >/dev/null || fail "import of the sample"
q "UPDATE zones SET active = false WHERE number = 1003" >/dev/null

# zone: number, name, tariff, active, blocks
check_eq "zone 1001: name, tariff, active, blocks" "$(st zone 1001 | sed -n '1,2p;$p')" \
	"1001  Green Market  150 tenge/h  active  8 blocks
      #1 Zenkov: Makataev - Zhibek Zholy, both sides, 256 m (approximate)
rc=0"
check_match "zone 1003 shows it is inactive" "$(st zone 1003 | head -1)" "INACTIVE"
check_eq "zone --json" "$("$PZ" zone --json 1002 | jq -c '.zones[] | [.number, .name, .tariff_tiyn, .active, (.blocks | length)]')" \
	'[1002,"City Administration",10000,true,1]'
check_eq "unknown zone: exit 1" "$(st zone 1077)" "parkzones list: zone 1077 does not exist
rc=1"
check_eq "zone with trailing junk: exit 1" "$(st zone 1001x)" \
	"parkzones zone: bad zone '1001x': a zone is a number of up to 4 digits (e.g. 1001)
rc=1"
check_eq "zone: 5 digits" "$(st zone 10011 | tail -1)" "rc=1"
check_eq "zone without a number: usage" "$(st zone | tail -1)" "rc=2"

# paid / sight / violations: bad input
check_eq "paid: bad plate" "$(st paid 'Д111ААА' --zone 1001)" \
	"parkzones paid: bad plate 'Д111ААА': plate may contain only letters and digits (at character 1)
rc=1"
check_eq "paid: unknown zone" "$(st paid A111AAA --zone 1077)" "parkzones paid: zone 1077 does not exist
rc=1"
check_eq "paid: bad zone" "$(st paid A111AAA --zone abc | tail -1)" "rc=1"
check_eq "paid: bad time" "$(st paid A111AAA --at 2025-02-30T10:00)" \
	"parkzones paid: bad time '2025-02-30T10:00': use YYYY-MM-DDTHH:MM[:SS] (Asia/Almaty), the same with Z or +HH:MM, @EPOCH or now
rc=2"
for t in 'tomorrow' '2025-06-16' '2025-06-16T10' '2025-06-16T10:00+5' '2025-06-16T10:00:60' '@-1' '@12x' '2025-06-16T10:00 Z'; do
	check_eq "paid: bad time '$t'" "$(st paid A111AAA --at "$t" | tail -1)" "rc=2"
done
check_eq "paid: no plate" "$(st paid --zone 1001 | tail -1)" "rc=2"
check_eq "paid: unknown option" "$(st paid A111AAA --zon 1001 | tail -1)" "rc=2"
check_eq "sight: bad plate records nothing" "$(st sight 123AAA99 1001 | tail -1)|$(q "SELECT count(*) FROM sightings")" "rc=1|0"
check_eq "sight: unknown zone records nothing" "$(st sight 123AAA02 1077)|$(q "SELECT count(*) FROM sightings")" \
	"parkzones sight: zone 1077 does not exist
rc=1|0"
check_eq "sight: bad time" "$(st sight 123AAA02 1001 --at 10:00 | tail -1)" "rc=2"
check_eq "sight: neither zone nor location" "$(st sight 123AAA02 | tail -1)" "rc=2"
check_eq "sight: --lon without --lat" "$(st sight 123AAA02 --lon 76.95 | tail -1)" "rc=2"
check_eq "sight: latitude out of range" "$(st sight 123AAA02 --lon 76.95 --lat 91 | tail -1)" "rc=2"
check_eq "violations: bad --grace" "$(st violations --grace -1 | tail -1)" "rc=2"
check_eq "violations: bad --since" "$(st violations --since yesterday | tail -1)" "rc=2"
check_eq "violations: bad --status" "$(st violations --status closed | tail -1)" "rc=2"
check_eq "nothing recorded by bad input" "$(q "SELECT count(*) FROM sightings")" 0

# the zone from the location: 16 m east of Zenkov (1001); far away: no zone
out=$("$PZ" sight 123AAA02 --lon 76.9575 --lat 43.2640 --at 2025-06-16T10:00 --source cam1 --json)
check_eq "sight by location: zone 1001 suggested" "$(printf '%s' "$out" | jq -c '[.zone, .zone_name, .paid, (.located_m > 10 and .located_m < 25)]')" \
	'[1001,"Green Market",false,true]'
check_eq "the point is stored" "$(q "SELECT zone, ST_AsText(location), source FROM sightings")" \
	"1001|POINT(76.9575 43.264)|cam1"
check_eq "sight far from any block: exit 1" "$(st sight 123AAA02 --lon 76.90 --lat 43.20)" \
	"parkzones sight: no zone's block within 30 m of 76.9000000 43.2000000: give the zone
rc=1"
check_eq "zone given with a location: both stored" \
	"$("$PZ" sight 123AAA02 1002 --lon 76.9440 --lat 43.2378 --at 2025-06-16T10:01 >/dev/null; q "SELECT zone, ST_AsText(location) FROM sightings ORDER BY id DESC LIMIT 1")" \
	"1002|POINT(76.944 43.2378)"
check_match "inactive zone: recorded, said so" "$(st sight 123AAA02 1003 --at 2025-06-16T10:02 | head -1)" "\\(zone deactivated\\)$"
done_testing
