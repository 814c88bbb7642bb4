#!/bin/sh
# gis_validate.sh: `parkzones validate` against PostGIS. The sample (gis/data) validates
# clean; then bad blocks are planted by SQL (and one block is edited as a planner would in
# QGIS), and each must be reported with the right code, exact reason and location, in the
# human report and in --json; exit statuses; options; bad usage; no database.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/lib.sh"
PZ=${PARKZONES:-$ROOT/build/parkzones}

new_db gis_validate
"$PZ" import "$ROOT/gis/data/almaty-sample.geojson" >/dev/null || fail "sample import"
check_eq "sample: 10 blocks" "$(q "SELECT count(*) FROM street_blocks")" 10
out=$("$PZ" validate); rc=$?
check_eq "sample: exit 0" "$rc" 0
check_eq "sample: clean" "$(printf '%s\n' "$out" | tail -1)" "0 errors, 0 warnings"
block() { q "SELECT id FROM street_blocks WHERE street = '$1' AND from_street = '$2' AND to_street = '$3'"; }
B_ZENKOV=$(block Zenkov Makataev 'Zhibek Zholy')
B_PUSHKIN=$(block Pushkin Makataev 'Zhibek Zholy')
B_MAKATAEV=$(block Makataev Pushkin Kaldayakov)

# plant ZONE STREET FROM TO WKT: inserts a block and prints its id
plant() {
	q "INSERT INTO street_blocks (zone, street, from_street, to_street, source, geom)
	   VALUES ($1, '$2', '$3', '$4', 'planted by gis_validate', ST_GeomFromText('$5', 4326)) RETURNING id"
}
P_SELF=$(plant 1001 Gogol Pushkin Zenkov 'LINESTRING(76.9539 43.2604, 76.9573 43.2610, 76.9573 43.2604, 76.9539 43.2610)')
P_DEGEN=$(plant 1001 Dostyk Makataev 'Zhibek Zholy' 'LINESTRING(76.9556 43.2640, 76.9556 43.2640)')
P_EMPTY=$(plant 1002 Satpaev Zheltoksan Nazarbayev 'LINESTRING EMPTY')
P_SHORT=$(plant 1001 Konaev 'Zhibek Zholy' 'Zhibek Zholy' 'LINESTRING(76.9505 43.2627, 76.9505 43.26267)')
P_FAR=$(plant 1001 Kaldayakov Makataev 'Zhibek Zholy' 'LINESTRING(76.9590 43.2650, 76.9590 43.2633)')
P_OVERLAP=$(plant 1003 Makataev Pushkin Zenkov 'LINESTRING(76.9539 43.2650, 76.9573 43.2650)')
P_DUP=$(plant 1001 Pushkin 'Zhibek Zholy' Makataev 'LINESTRING(76.9539 43.2627, 76.9539 43.2650)')
P_OUT=$(plant 1002 Satpaev Zheltoksan Nazarbayev 'LINESTRING(76.9417 43.2378, 77.5 43.2378)')
P_UNKNOWN=$(plant 1002 'Abay Lane' 'Nowhere Street' Satpaev 'LINESTRING(76.9440 43.2370, 76.9440 43.2378)')
q "INSERT INTO zones (number, name, tariff_tiyn) VALUES (1004, 'Empty Zone', 10000)" >/dev/null
# a planner drags the first point of a Zenkov block 61 m north of Makataev
q "UPDATE street_blocks SET geom = ST_SetPoint(geom, 0, ST_SetSRID(ST_MakePoint(76.9573, 43.26555), 4326))
   WHERE id = $B_ZENKOV" >/dev/null

json=$("$PZ" validate --json); rc=$?
check_eq "planted: exit 1" "$rc" 1
check_eq "planted: totals" "$(printf '%s' "$json" | jq -r '"\(.zones) \(.blocks) \(.intersections) \(.errors) \(.warnings)"')" \
	"4 19 15 10 1"
# finding ID: "severity code zone other_block reason @ lon lat" of the block's findings
finding() {
	printf '%s' "$json" | jq -r --argjson id "$1" '.findings[] | select(.block == $id)
		| "\(.severity) \(.code) \(.zone) \(.other_block) \(.reason) @ \(if .location then
		   (.location | map(. * 10000000 | round / 10000000) | "\(.[0]) \(.[1])") else "-" end)"'
}
check_eq "self-intersecting block" "$(finding $P_SELF)" \
	"error self_intersection 1001 null Self-intersection @ 76.9556 43.2607"
check_eq "degenerate block" "$(finding $P_DEGEN)" \
	"error invalid_geometry 1001 null Too few points in geometry component @ 76.9556 43.264"
check_eq "empty block" "$(finding $P_EMPTY)" "error empty_geometry 1002 null the geometry is empty @ -"
check_eq "3 m block" "$(finding $P_SHORT)" "error too_short 1001 null 3.3 m long, shorter than 5 m @ 76.9505 43.2627"
check_eq "block ending 67 m short of its cross street" "$(finding $P_FAR)" \
	"error cross_street_far 1001 null the last point is 66.7 m from cross street 'Zhibek Zholy' (limit 25 m) @ 76.959 43.2633"
check_eq "block of zone 1003 overlapping zone 1001" "$(finding $P_OVERLAP)" \
	"error overlap 1003 $B_MAKATAEV overlaps block $B_MAKATAEV of zone 1001 for 276.0 m @ 76.9539 43.265"
check_eq "duplicate block" "$(finding $P_DUP)" \
	"error duplicate 1001 $B_PUSHKIN duplicates block $B_PUSHKIN of zone 1001 (the same line within 1 m) @ 76.9539 43.2627"
check_eq "block outside the city" "$(finding $P_OUT)" \
	"error outside_city 1002 null point 2 of 2 (77.5000000 43.2378000) is outside the city's bounding box (lon 76.7 to 77.2, lat 43.1 to 43.4) @ 77.5 43.2378"
check_eq "unknown cross street (a warning)" "$(finding $P_UNKNOWN)" \
	"warning cross_street_unknown 1002 null cross street 'Nowhere Street' cannot be located: no other block on it and no intersection of 'Abay Lane' and 'Nowhere Street' @ -"
check_eq "edited block" "$(finding $B_ZENKOV)" \
	"error cross_street_far 1001 null the first point is 61.1 m from cross street 'Makataev' (limit 25 m) @ 76.9573 43.26555"
check_eq "zone without blocks" "$(printf '%s' "$json" | jq -r '.findings[] | select(.block == null) | "\(.severity) \(.code) \(.zone) \(.reason)"')" \
	"error zone_without_blocks 1004 active zone 1004 (Empty Zone) has no street blocks"

out=$("$PZ" validate); rc=$?
check_eq "human report: exit 1" "$rc" 1
check_eq "human report: header" "$(printf '%s\n' "$out" | head -1)" "4 zones, 19 street blocks, 15 intersections checked"
check_match "human report: a located finding" "$out" \
	"^error   self_intersection    block $P_SELF \(zone 1001\): Self-intersection at 76\.9556000 43\.2607000$"
check_match "human report: a zone finding" "$out" \
	"^error   zone_without_blocks  zone 1004: active zone 1004 \(Empty Zone\) has no street blocks$"
check_eq "human report: one line per finding" "$(printf '%s\n' "$out" | grep -Ec '^(error|warning) ')" 11
check_eq "human report: summary" "$(printf '%s\n' "$out" | tail -1)" "10 errors, 1 warning"

# options move the limits
codes() { "$PZ" validate --json "$@" | jq -r '[.findings[].code] | sort | join(",")'; }
check_eq "--cross-street 70: no far ends" "$(codes --cross-street 70 | tr ',' '\n' | grep -c cross_street_far)" 0
check_eq "--min-length 3: no short block" "$(codes --min-length 3 | tr ',' '\n' | grep -c too_short)" 0
check_eq "--bbox reaching 77.6: not outside; that block now overlaps Satpaev and ends far from Nazarbayev" \
	"$("$PZ" validate --json --bbox 76.9,43.2,77.6,43.3 | jq -r --argjson id $P_OUT \
	   '[.findings[] | select(.block == $id or .other_block == $id) | .code] | join(",")')" \
	"cross_street_far,overlap"

# fixed: only the warning remains, and warnings do not fail validation
q "DELETE FROM street_blocks WHERE source = 'planted by gis_validate' AND id <> $P_UNKNOWN" >/dev/null
q "DELETE FROM zones WHERE number = 1004" >/dev/null
q "UPDATE street_blocks SET geom = ST_SetPoint(geom, 0, ST_SetSRID(ST_MakePoint(76.9573, 43.2650), 4326))
   WHERE id = $B_ZENKOV" >/dev/null
out=$("$PZ" validate); rc=$?
check_eq "warnings only: exit 0" "$rc" 0
check_eq "warnings only: summary" "$(printf '%s\n' "$out" | tail -1)" "0 errors, 1 warning"

# usage and connection errors
err=$("$PZ" validate --min-length x 2>&1 >/dev/null); rc=$?
check_eq "bad option value: exit 2" "$rc" 2
check_eq "bad option value: reason" "$err" "parkzones validate: bad value 'x' for --min-length"
err=$("$PZ" validate --bbox 77,43,76,44 2>&1 >/dev/null); rc=$?
check_eq "bad bbox: exit 2" "$rc" 2
"$PZ" validate extra >/dev/null 2>&1; rc=$?
check_eq "stray argument: exit 2" "$rc" 2
err=$("$PZ" --db "host=/nonexistent dbname=nothing" validate 2>&1 >/dev/null); rc=$?
check_eq "no database: exit 3" "$rc" 3
check_match "no database: reason" "$err" "^parkzones validate: "
done_testing
