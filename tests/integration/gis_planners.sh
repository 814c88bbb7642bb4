#!/bin/sh
# gis_planners.sh: the planners' tools refuse broken data. import refuses what validate calls
# an error (a zero-length block, a block at (0, 0)) and writes nothing, or imports it with
# --force and says so; export of broken data fails with the errors listed and leaves no file
# (or exports with --force); locate with longitude and latitude swapped says so; one parser
# for every command's zone argument.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/lib.sh"
PZ=${PARKZONES:-$ROOT/build/parkzones}
SAMPLE=$ROOT/gis/data/almaty-sample.geojson
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fingerprint() {
	q "SELECT md5(coalesce((SELECT string_agg(b::text, ';' ORDER BY id) FROM street_blocks b), ''))
	   || ' ' || (SELECT count(*) FROM street_blocks) || ' history=' || (SELECT count(*) FROM zone_history)"
}

new_db gis_planners
"$PZ" import "$SAMPLE" >/dev/null || fail "sample import"

# A file with two broken blocks of zone 1002: zero length, and at (0, 0).
jq '.features += [
      {"type": "Feature", "properties": {"kind": "block", "zone": 1002, "street": "Abylai Khan",
       "from_street": "Satpaev", "to_street": "Satpaev"},
       "geometry": {"type": "LineString", "coordinates": [[76.9445, 43.2378], [76.9445, 43.2378]]}},
      {"type": "Feature", "properties": {"kind": "block", "zone": 1002, "street": "Null Island",
       "from_street": "Equator", "to_street": "Greenwich"},
       "geometry": {"type": "LineString", "coordinates": [[0, 0], [0.001, 0]]}}]' \
	"$SAMPLE" >"$TMP/broken.geojson"

# --- import ---------------------------------------------------------------------------------
before=$(fingerprint)
err=$("$PZ" import "$TMP/broken.geojson" 2>&1); rc=$?
check_eq "import of broken blocks: exit 1" "$rc" 1
check_match "import: says what validate says, nothing written" "$err" \
	'^parkzones import: [0-9]+ errors that validate reports; nothing written \(fix the file, or import anyway with --force\)$'
check_match "import: the zero-length block" "$err" '^  error +(too_short|invalid_geometry|empty_geometry) +block [0-9]+ \(zone 1002\)'
check_match "import: the block at (0, 0)" "$err" '^  error +outside_city +block [0-9]+ \(zone 1002\)'
check_eq "import: nothing written" "$(fingerprint)" "$before"
err=$("$PZ" import --dry-run "$TMP/broken.geojson" 2>&1); rc=$?
check_eq "import --dry-run of broken blocks: exit 1" "$rc" 1
out=$("$PZ" import --force "$TMP/broken.geojson" 2>&1); rc=$?
check_eq "import --force: exit 0" "$rc" 0
check_match "import --force: says so" "$out" 'errors that validate reports; imported anyway \(--force\)$'
check_match "import --force: counts" "$out" 'blocks 2 new, 0 changed, 0 removed, 10 unchanged'
check_eq "import --force: written" "$(q "SELECT count(*) FROM street_blocks")" 12

# --- export ---------------------------------------------------------------------------------
for fmt in png svg geojson cds; do
	err=$("$PZ" export --format $fmt -o "$TMP/out.$fmt" 2>&1); rc=$?
	check_eq "export $fmt of broken data: exit 1" "$rc" 1
	check_match "export $fmt: the errors" "$err" \
		'^parkzones export: [0-9]+ errors that validate reports; nothing exported \(fix them, or export anyway with --force\)$'
	check_eq "export $fmt: no file" "$(ls "$TMP" | grep -c "^out")" 0
done
err=$("$PZ" export --format svg --zone 1001 -o "$TMP/z1001.svg" 2>&1); rc=$?
check_eq "export of a sound zone beside a broken one: exit 0" "$rc" 0
err=$("$PZ" export --format svg --force -o "$TMP/forced.svg" 2>&1); rc=$?
check_eq "export --force: exit 0" "$rc" 0
check_match "export --force: says so" "$err" 'exporting anyway \(--force\)$'
check_eq "export --force: the file" "$(head -c 5 "$TMP/forced.svg")" "<?xml"

# --- locate ---------------------------------------------------------------------------------
err=$("$PZ" locate 43.2604 76.9573 2>&1 >/dev/null); rc=$?
check_eq "locate LAT LON: exit 1 (no block)" "$rc" 1
check_eq "locate LAT LON: outside the city, maybe swapped" "$err" \
	"parkzones locate: 43.2604000 76.9573000 lies outside the city (longitude 76.7..77.2, latitude 43.1..43.4); longitude and latitude may be swapped: 76.9573000 43.2604000 lies inside (give LON first, then LAT)"
err=$("$PZ" locate 10 10 2>&1 >/dev/null)
check_eq "locate far away: outside, not swapped" "$err" \
	"parkzones locate: 10.0000000 10.0000000 lies outside the city (longitude 76.7..77.2, latitude 43.1..43.4)"
err=$("$PZ" locate 76.9573 43.2604 2>&1 >/dev/null); rc=$?
check_eq "locate LON LAT: no hint, a block" "$err|$rc" "|0"
err=$(printf '43.2604 76.9573\n76.9573 43.2604\n10 10\n' | "$PZ" locate --batch 2>&1 >/dev/null)
check_eq "locate --batch: counts the swapped points" "$err" \
	"parkzones locate: 2 points lie outside the city; 1 of them inside with longitude and latitude swapped (give LON first, then LAT)"

# --- one zone parser ------------------------------------------------------------------------
for args in "list --zone 12abc" "export --format geojson --zone 12abc" "export --format geojson --zone +12" \
	"list --zone +12" "zone 12abc" "list --zone 10000" "export --format cds --zone -1"; do
	set -- $args
	err=$("$PZ" "$@" 2>&1 >/dev/null); rc=$?
	z=$(echo "$args" | sed 's/.*--zone //; s/^zone //')
	check_eq "$args: refused alike" "$rc $err" "1 parkzones $1: bad zone '$z': a zone is a number of up to 4 digits (e.g. 1001)"
done
check_eq "list --zone 1002 is accepted" "$("$PZ" list --zone 1002 >/dev/null 2>&1; echo $?)" 0
check_eq "list --zone 0042 is zone 42 (unknown)" "$("$PZ" list --zone 0042 2>&1)" "parkzones list: zone 42 does not exist"

done_testing
