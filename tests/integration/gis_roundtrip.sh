#!/bin/sh
# gis_roundtrip.sh: `parkzones import` and `export` against PostGIS. The sample file is
# imported (twice: the second import changes nothing), listed, exported as GeoJSON, KML, SVG
# and PNG; ogrinfo/ogr2ogr read the GeoJSON and KML back and their feature counts and
# attributes are compared with the database; the GeoJSON's rings are checked by PostGIS
# (ST_IsPolygonCCW) and re-imported into a second database whose export must be identical.
# Then edits (a moved and a removed block) with their history and NOTIFY, the derived zone
# areas, and bad files: each is refused with its own message and nothing is written.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/lib.sh"
PZ=${PARKZONES:-$ROOT/build/parkzones}
SAMPLE=$ROOT/gis/data/almaty-sample.geojson
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Everything a failed import must leave untouched, as one line.
fingerprint() {
	q "SELECT md5(coalesce((SELECT string_agg(z::text, ';' ORDER BY number) FROM zones z), '')
	       || coalesce((SELECT string_agg(b::text, ';' ORDER BY id) FROM street_blocks b), '')
	       || coalesce((SELECT string_agg(i::text, ';' ORDER BY id) FROM intersections i), ''))
	   || ' history=' || (SELECT count(*) FROM zone_history)
	   || ' version=' || (SELECT version FROM zones_version)"
}

# ogr2ogr CSV of a layer's columns, without the header, sorted.
ogr_csv() {
	file=$1 layer=$2 cols=$3 where=$4
	ogr2ogr -f CSV /vsistdout/ "$file" $layer -select "$cols" ${where:+-where "$where"} \
		2>/dev/null | tail -n +2 | tr -d '"' | sort
}

# --- import ----------------------------------------------------------------------------------
new_db gis_roundtrip
out=$("$PZ" import "$SAMPLE" 2>&1); rc=$?
check_eq "import sample: exit status" "$rc" 0
check_match "import sample: counts" "$out" \
	'zones 3 new, 0 changed, 0 unchanged; blocks 10 new, 0 changed, 0 removed, 0 unchanged; intersections 15 new'
check_eq "zones in the database" \
	"$(q "SELECT string_agg(number || ' ' || name || ' ' || tariff_tiyn || ' ' || active, ', ' ORDER BY number) FROM zones")" \
	"1001 Green Market 15000 true, 1002 City Administration 10000 true, 1003 Republican Square 10000 true"
check_eq "blocks per zone" \
	"$(q "SELECT string_agg(zone || ':' || n, ' ' ORDER BY zone) FROM (SELECT zone, count(*) n FROM street_blocks GROUP BY zone) s")" \
	"1001:8 1002:1 1003:1"
check_eq "all blocks approximate with the OSM credit" \
	"$(q "SELECT count(*) FROM street_blocks WHERE approximate AND source LIKE '%© OpenStreetMap contributors, ODbL%'")" 10
check_eq "block Zenkov Makataev-Zhibek Zholy geometry" \
	"$(q "SELECT ST_AsText(geom) FROM street_blocks WHERE street = 'Zenkov' AND from_street = 'Makataev'")" \
	"LINESTRING(76.9573 43.265,76.9573 43.2627)"
check_eq "intersections" "$(q "SELECT count(*) FROM intersections")" 15
check_eq "zone names in Russian, Kazakh and English" \
	"$(q "SELECT string_agg(number || ' ' || name_ru || ' / ' || name_kk || ' / ' || name_en, ', ' ORDER BY number) FROM zones")" \
	"1001 Зелёный базар / Көк базар / Green Market, 1002 Акимат / Әкімдік / City Administration, 1003 Площадь Республики / Республика алаңы / Republican Square"
check_eq "street names in Russian, Kazakh and English" \
	"$(q "SELECT concat_ws(' | ', street_ru, street_kk, street_en, from_street_ru, from_street_kk, from_street_en, to_street_ru, to_street_kk, to_street_en) FROM street_blocks WHERE street = 'Makataev'")" \
	"Макатаева | Мақатаев | Makataev | Пушкина | Пушкин | Pushkin | Калдаякова | Қалдаяқов | Kaldayakov"
check_eq "every block has its names in every language" \
	"$(q "SELECT count(*) FROM street_blocks WHERE num_nulls(street_ru, street_kk, street_en, from_street_ru, from_street_kk, from_street_en, to_street_ru, to_street_kk, to_street_en) = 0")" 10
check_eq "history: one row per inserted row, by parkzones" \
	"$(q "SELECT count(*) || ' ' || string_agg(DISTINCT who || '/' || application, ',') FROM zone_history WHERE table_name IN ('zones', 'street_blocks', 'intersections')")" \
	"28 postgres/parkzones"
check_eq "history: each new zone's default policy and its span (0008), by parkzones" \
	"$(q "SELECT count(*) || ' ' || string_agg(DISTINCT op || '/' || application, ',') FROM zone_history WHERE NOT table_name IN ('zones', 'street_blocks', 'intersections')")" \
	"6 INSERT/parkzones"
before=$(fingerprint)
out=$("$PZ" import "$SAMPLE" 2>&1); rc=$?
check_eq "second import: exit status" "$rc" 0
check_match "second import changes nothing" "$out" \
	'zones 0 new, 0 changed, 3 unchanged; blocks 0 new, 0 changed, 0 removed, 10 unchanged; intersections 0 new, 0 changed, 15 unchanged'
check_eq "second import: no history" "$(q "SELECT count(*) FROM zone_history")" 34

# --- list ------------------------------------------------------------------------------------
out=$("$PZ" list 2>&1)
check_match "list: zone line" "$out" '^1001  Green Market  150 tenge/h  active  8 blocks$'
check_match "list: block line" "$out" 'Satpaev: Zheltoksan - Nazarbayev, both sides, 4[23][0-9] m \(approximate\)'
"$PZ" list --json >"$TMP/list.json"
check_eq "list --json: zones, blocks and tariffs" \
	"$(psql -X -qAt -v js="$(cat "$TMP/list.json")" <<'SQL'
SELECT string_agg(z->>'number' || ':' || (z->>'tariff_tiyn') || ':' || jsonb_array_length(z->'blocks'), ' ')
FROM jsonb_array_elements((:'js')::jsonb->'zones') z
SQL
)" "1001:15000:8 1002:10000:1 1003:10000:1"

# --- export: GeoJSON -------------------------------------------------------------------------
"$PZ" export --format geojson -o "$TMP/all.geojson"; rc=$?
check_eq "export geojson: exit status" "$rc" 0
check_match "ogrinfo reads the GeoJSON" "$(ogrinfo -al -so "$TMP/all.geojson" 2>&1)" 'Feature Count: 28'
check_eq "GeoJSON blocks = database blocks" \
	"$(ogr_csv "$TMP/all.geojson" "" zone,street,from_street,to_street,side,approximate "kind = 'block'")" \
	"$(q "SELECT zone, street, from_street, to_street, side, approximate::int FROM street_blocks" | tr '|' ',' | sort)"
check_eq "GeoJSON zones = database zones" \
	"$(ogr_csv "$TMP/all.geojson" "" number,name,tariff_tiyn,blocks "kind = 'zone'")" \
	"$(q "SELECT number, name, tariff_tiyn, (SELECT count(*) FROM street_blocks b WHERE b.zone = z.number) FROM zones z" | tr '|' ',' | sort)"
check_eq "GeoJSON zone names = database zone names" \
	"$(ogr_csv "$TMP/all.geojson" "" number,name_ru,name_kk,name_en "kind = 'zone'")" \
	"$(q "SELECT number, name_ru, name_kk, name_en FROM zones" | tr '|' ',' | sort)"
check_eq "GeoJSON street names = database street names" \
	"$(ogr_csv "$TMP/all.geojson" "" street_ru,street_kk,street_en,from_street_ru,from_street_kk,from_street_en,to_street_ru,to_street_kk,to_street_en "kind = 'block'")" \
	"$(q "SELECT street_ru, street_kk, street_en, from_street_ru, from_street_kk, from_street_en, to_street_ru, to_street_kk, to_street_en FROM street_blocks" | tr '|' ',' | sort)"
check_eq "GeoJSON intersections" \
	"$(ogr_csv "$TMP/all.geojson" "" name_a,name_b "kind = 'intersection'" | wc -l)" 15
check_eq "coordinates have 7 decimals" \
	"$(grep -o '\[-\?[0-9]*\.[0-9]*,-\?[0-9]*\.[0-9]*\]' "$TMP/all.geojson" | grep -cv '^\[-\?[0-9]*\.[0-9]\{7\},-\?[0-9]*\.[0-9]\{7\}\]$')" 0
check_eq "zone areas: exterior rings counter-clockwise (RFC 7946), valid, 3 zones" \
	"$(psql -X -qAt -v js="$(cat "$TMP/all.geojson")" <<'SQL'
SELECT count(*) || ' ' || bool_and(ST_IsPolygonCCW(g)) || ' ' || bool_and(ST_IsValid(g))
FROM (SELECT ST_GeomFromGeoJSON(f->'geometry') g
      FROM jsonb_array_elements((:'js')::jsonb->'features') f
      WHERE f->'properties'->>'kind' = 'zone') s
SQL
)" "3 true true"
check_eq "GeoJSON areas = zone_areas (within 0.1 %)" \
	"$(psql -X -qAt -v js="$(cat "$TMP/all.geojson")" <<'SQL'
SELECT count(*) FROM zone_areas a
JOIN (SELECT (f->'properties'->>'number')::int n, ST_GeomFromGeoJSON(f->'geometry') g
      FROM jsonb_array_elements((:'js')::jsonb->'features') f
      WHERE f->'properties'->>'kind' = 'zone') s ON s.n = a.zone
WHERE abs(ST_Area(a.geom::geography) / ST_Area(s.g::geography) - 1) < 0.001
SQL
)" 3

# --- round trip through a second database ----------------------------------------------------
PGDATABASE_FIRST=$PGDATABASE
new_db gis_roundtrip_copy
out=$("$PZ" import "$TMP/all.geojson" 2>&1); rc=$?
check_eq "re-import of the export: exit status" "$rc" 0
"$PZ" export --format geojson -o "$TMP/again.geojson"
if cmp -s "$TMP/all.geojson" "$TMP/again.geojson"; then ok "export of the re-imported export is identical"
else fail "export of the re-imported export differs: $(diff "$TMP/all.geojson" "$TMP/again.geojson" | head -5)"; fi
names_of() {
	q "SELECT string_agg(concat_ws('|', number, name_ru, name_kk, name_en), ';' ORDER BY number) FROM zones"
	q "SELECT string_agg(concat_ws('|', zone, street, from_street, to_street, street_ru, street_kk, street_en, from_street_ru, from_street_kk, from_street_en, to_street_ru, to_street_kk, to_street_en), ';' ORDER BY zone, street, from_street, to_street) FROM street_blocks"
}
copy_names=$(names_of)
PGDATABASE=$PGDATABASE_FIRST; export PGDATABASE
check_eq "the re-imported export has the same names, byte for byte" "$copy_names" "$(names_of)"

# --- export: KML -----------------------------------------------------------------------------
"$PZ" export --format kml -o "$TMP/all.kml"; rc=$?
check_eq "export kml: exit status" "$rc" 0
info=$(ogrinfo -al -so "$TMP/all.kml" 2>&1)
check_eq "ogrinfo reads the KML: layers and counts" \
	"$(printf '%s\n' "$info" | grep -E '^(Layer name|Feature Count):' | tr '\n' ' ')" \
	"Layer name: zones Feature Count: 3 Layer name: blocks Feature Count: 10 Layer name: intersections Feature Count: 15 "
check_eq "KML blocks = database blocks" \
	"$(ogr_csv "$TMP/all.kml" blocks zone,street,from_street,to_street,side,approximate)" \
	"$(q "SELECT zone, street, from_street, to_street, side, approximate::int FROM street_blocks" | tr '|' ',' | sort)"
check_eq "KML zones = database zones" \
	"$(ogr_csv "$TMP/all.kml" zones number,zone_name,tariff_tiyn,active)" \
	"$(q "SELECT number, name, tariff_tiyn, active::int FROM zones" | tr '|' ',' | sort)"
check_match "KML zone geometry is a polygon" \
	"$(ogrinfo -q "$TMP/all.kml" zones -where "number = 1002" 2>&1)" 'MULTIPOLYGON \(\(\(76\.94'

# --- export: one zone ------------------------------------------------------------------------
"$PZ" export --format geojson --zone 1002 -o "$TMP/z1002.geojson"
check_eq "--zone 1002: its zone, block and two intersections" \
	"$(ogr_csv "$TMP/z1002.geojson" "" kind | uniq -c | awk '{printf "%s:%s ", $2, $1}')" \
	"block:1 intersection:2 zone:1 "
err=$("$PZ" export --format geojson --zone 4242 -o "$TMP/none.geojson" 2>&1); rc=$?
check_eq "--zone 4242: exit status" "$rc" 1
check_match "--zone 4242: message" "$err" 'zone 4242 does not exist'
check_eq "--zone 4242: no file" "$(ls "$TMP" | grep -c none)" 0
err=$("$PZ" export --format pdf 2>&1); rc=$?
check_eq "unknown format: usage status" "$rc" 2
check_match "unknown format: message" "$err" 'unknown format "pdf"'

# --- export: SVG and PNG ---------------------------------------------------------------------
"$PZ" export --format svg -o "$TMP/map.svg"; rc=$?
check_eq "export svg: exit status" "$rc" 0
svg=$(cat "$TMP/map.svg")
for want in '1001</tspan> Green Market — 150 ₸/h — 8 blocks' \
	'1002</tspan> City Administration — 100 ₸/h — 1 block' \
	'1003</tspan> Republican Square — 100 ₸/h — 1 block' \
	'>Zenkov<' '>Dostyk<' '>Pushkin<' '>Makataev<' '>Zhibek Zholy<' '>Satpaev<' '>Republic Square<' \
	'>Gogol<' '>Kaldayakov<' '>Konaev<' '>Zheltoksan<' '>Nazarbayev<' \
	'© OpenStreetMap contributors, ODbL' ' m</text>'; do
	check_match "SVG has $want" "$svg" "$want"
done
check_eq "SVG: blocks drawn in three colours" \
	"$(grep -o '<polyline fill="none" stroke="#[0-9a-f]*"' "$TMP/map.svg" | sed 's/.*stroke=//' | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')" \
	'"#1b9e77":8 "#7570b3":1 "#d95f02":1 '
"$PZ" export --format png -o "$TMP/map.png"; rc=$?
check_eq "export png: exit status" "$rc" 0
check_eq "PNG signature" "$(od -An -tx1 -N8 "$TMP/map.png" | tr -d ' ')" "89504e470d0a1a0a"
svg_w=$(sed -n 's/.*<svg [^>]*width="\([0-9]*\)" height="\([0-9]*\)".*/\1x\2/p' "$TMP/map.svg")
png_w=$(od -An -tu1 -j16 -N8 "$TMP/map.png" | awk '{print ($1*16777216+$2*65536+$3*256+$4) "x" ($5*16777216+$6*65536+$7*256+$8)}')
check_eq "PNG size = SVG size" "$png_w" "$svg_w"
check_match "PNG is 1200 wide and taller than 600" "$png_w" '^1200x([6-9][0-9][0-9]|1[0-9]{3})$'
"$PZ" export --format png --width 800 -o "$TMP/small.png"
check_eq "--width 800 PNG width" "$(od -An -tu1 -j16 -N4 "$TMP/small.png" | awk '{print $1*16777216+$2*65536+$3*256+$4}')" 800

# --- zone areas ------------------------------------------------------------------------------
check_match "zone 1002 area: 2 x 6 m kerb along ~430 m" "$(q "SELECT area_m2 FROM zone_areas WHERE zone = 1002")" '^5[01][0-9]{2}\.[0-9]$'
q "UPDATE gis_settings SET kerb_width_m = 3" >/dev/null
check_match "kerb width 3 m halves the area" "$(q "SELECT round(area_m2 / 100) FROM zone_areas WHERE zone = 1002")" '^2[56]$'
q "UPDATE gis_settings SET kerb_width_m = 6" >/dev/null

# --- edits: history, version, notification ---------------------------------------------------
v0=$(q "SELECT version FROM zones_version")
sed -e 's/\[76.9556, 43.2627\], \[76.9556, 43.2604\]/[76.9557, 43.2627], [76.9557, 43.2604]/' \
    -e '/"street": "Makataev"/d' "$SAMPLE" >"$TMP/edited.geojson"
out=$("$PZ" import --dry-run "$TMP/edited.geojson" 2>&1)
check_match "dry run reports" "$out" '^would import .*blocks 0 new, 1 changed, 1 removed, 8 unchanged'
check_eq "dry run writes nothing" "$(q "SELECT version FROM zones_version")" "$v0"
out=$("$PZ" import "$TMP/edited.geojson" 2>&1)
check_match "edited import: one moved, one removed" "$out" 'blocks 0 new, 1 changed, 1 removed, 8 unchanged'
check_eq "history of the edit" \
	"$(q "SELECT string_agg(op || ' ' || (coalesce(new, old)->>'street'), ', ' ORDER BY id) FROM zone_history WHERE id > 34")" \
	"DELETE Makataev, UPDATE Dostyk"
check_eq "history keeps old and new geometry as GeoJSON" \
	"$(q "SELECT (old->'geom'->'coordinates'->0->>0) || ' ' || (new->'geom'->'coordinates'->0->>0) FROM zone_history WHERE op = 'UPDATE'")" \
	"76.9556 76.9557"
check_match "zones_version bumped" "$(q "SELECT version > $v0 FROM zones_version")" '^t$'
notes=$(printf 'LISTEN zones_changed;\nUPDATE zones SET note = %s WHERE number = 1003;\nSELECT 1;\n' "'edited'" | psql -X -q 2>&1)
check_match "NOTIFY zones_changed with the new version" "$notes" \
	"Asynchronous notification \"zones_changed\" with payload \"$(q "SELECT version FROM zones_version")\" received"
check_eq "history says who" "$(q "SELECT who || ' ' || application || ' ' || op || ' ' || row_id FROM zone_history ORDER BY id DESC LIMIT 1")" \
	"postgres psql UPDATE 1003"

# --- names in the languages: changed, cleared, kept -------------------------------------------
"$PZ" export --format geojson -o "$TMP/now.geojson"
sed -e 's/"name_kk":"Көк базар"/"name_kk":"Көк базар (Алматы)"/' \
    -e '/"street":"Satpaev"/s/,"street_en":"Satpaev"//' "$TMP/now.geojson" >"$TMP/names.geojson"
out=$("$PZ" import "$TMP/names.geojson" 2>&1)
check_match "a changed and a removed name: counted as changes" "$out" \
	'zones 0 new, 1 changed, 2 unchanged; blocks 0 new, 1 changed, 0 removed, 8 unchanged'
check_eq "the changed name is stored, the others kept" \
	"$(q "SELECT string_agg(number || ' ' || name_kk, ', ' ORDER BY number) FROM zones")" \
	"1001 Көк базар (Алматы), 1002 Әкімдік, 1003 Республика алаңы"
check_eq "a name the file leaves out is cleared (the plain name is used)" \
	"$(q "SELECT coalesce(street_en, 'NULL') || ' ' || street_ru FROM street_blocks WHERE street = 'Satpaev'")" "NULL Сатпаева"
check_eq "the name edits are in the history" \
	"$(q "SELECT string_agg(table_name || ' ' || op, ', ' ORDER BY id) FROM zone_history WHERE application = 'parkzones' AND op = 'UPDATE' AND ((old->>'name_kk') IS DISTINCT FROM (new->>'name_kk') OR (old->>'street_en') IS DISTINCT FROM (new->>'street_en'))")" \
	"zones UPDATE, street_blocks UPDATE"
out=$("$PZ" import "$TMP/now.geojson" 2>&1)
check_match "the export from before restores them" "$out" \
	'zones 0 new, 1 changed, 2 unchanged; blocks 0 new, 1 changed, 0 removed, 8 unchanged'

# --- bad files: clear messages, nothing written -----------------------------------------------
# bad_import NAME PATTERN FILE: exit status 1, the message matches, the database is unchanged.
bad_import() {
	before=$(fingerprint)
	err=$("$PZ" import "$3" 2>&1); rc=$?
	check_eq "$1: exit status" "$rc" 1
	check_match "$1: message" "$err" "$2"
	check_match "$1: says nothing written" "$err" 'nothing written'
	check_eq "$1: database unchanged" "$(fingerprint)" "$before"
}
# mutate NAME SED-EXPRESSION: a copy of the sample with one change.
mutate() { sed -e "$2" "$SAMPLE" >"$TMP/$1.geojson"; echo "$TMP/$1.geojson"; }

# a new zone first, so that a partial write would show
sed -e 's/^{"type": "Feature", "properties": {"kind": "zone", "number": 1001,/{"type": "Feature", "properties": {"kind": "zone", "number": 1004, "name": "New", "tariff_tiyn": 1}, "geometry": null},\n&/' \
	"$SAMPLE" >"$TMP/base.geojson"
base() { sed -e "$2" "$TMP/base.geojson" >"$TMP/$1.geojson"; echo "$TMP/$1.geojson"; }

bad_import "unreadable file" "cannot read $TMP/missing.geojson: No such file or directory" "$TMP/missing.geojson"
printf '{"type": "FeatureCollection", "features": [\n{"type": "Feature",\n' >"$TMP/truncated.geojson"
bad_import "invalid JSON" 'invalid JSON at line 3 column 0' "$TMP/truncated.geojson"
printf '{"type": "Feature", "properties": {}, "geometry": null}\n' >"$TMP/feature.geojson"
bad_import "not a FeatureCollection" 'type: must be "FeatureCollection", got Feature' "$TMP/feature.geojson"
bad_import "wrong geometry type" \
	'features\[6\]\.geometry\.type: a block needs a LineString, got Point' \
	"$(base geomtype 's/"geometry": {"type": "LineString", "coordinates": \[\[76.9556, 43.2627\], \[76.9556, 43.2604\]\]}/"geometry": {"type": "Point", "coordinates": [76.9556, 43.2627]}/')"
bad_import "latitude out of range" \
	'features\[4\]\.geometry\.coordinates\[1\]: latitude 143\.2627000 is out of range \(-90\.\.90\)' \
	"$(base lat 's/\[\[76.9573, 43.265\], \[76.9573, 43.2627\]\]/[[76.9573, 43.265], [76.9573, 143.2627]]/')"
bad_import "longitude out of range" \
	'features\[24\]\.geometry\.coordinates: longitude 276\.9505000 is out of range \(-180\.\.180\)' \
	"$(base lon 's/"coordinates": \[76.9505, 43.2627\]/"coordinates": [276.9505, 43.2627]/')"
bad_import "unknown zone" \
	'features\[11\]\.properties\.zone: zone 1077 is not defined in the file or in the database' \
	"$(base zone '/"street": "Zhibek Zholy", .*"from_street": "Pushkin", .*"to_street": "Konaev"/s/"zone": 1001/"zone": 1077/')"
bad_import "bad side" 'features\[4\]\.properties\.side: "north" is not a side' \
	"$(base side '0,/"side": "both"/s//"side": "north"/')"
bad_import "missing street" 'features\[4\]\.properties\.street: missing' \
	"$(base street '0,/"street": "Zenkov", /s///')"
bad_import "tariff as text" 'features\[1\]\.properties\.tariff_tiyn: must be an integer, got a string' \
	"$(base tariff 's/"tariff_tiyn": 15000/"tariff_tiyn": "150"/')"
bad_import "duplicate block" 'features\[5\]\.properties: same block as features\[4\]' \
	"$(base dup '/"street": "Zenkov", .*"from_street": "Zhibek Zholy", .*"to_street": "Gogol"/{s/"from_street": "Zhibek Zholy"/"from_street": "Makataev"/; s/"to_street": "Gogol"/"to_street": "Zhibek Zholy"/}')"
long=$(printf 'ж%.0s' $(seq 128))
bad_import "a zone name too long" \
	'features\[1\]\.properties\.name_ru: is 256 bytes long, at most 255 bytes of UTF-8' \
	"$(base longname "s/\"name_ru\": \"Зелёный базар\"/\"name_ru\": \"$long\"/")"
bad_import "a street name too long" \
	'features\[6\]\.properties\.street_kk: is 128 bytes long, at most 127 bytes of UTF-8' \
	"$(base longstreet "s/\"street_kk\": \"Достық\"/\"street_kk\": \"$(printf 'ж%.0s' $(seq 64))\"/")"
bad_import "a blank name" \
	'features\[2\]\.properties\.name_en: must not be blank \(leave it out, or null, to use name\)' \
	"$(base blankname 's/"name_en": "City Administration"/"name_en": "  "/')"
bad_import "a name with a line break" \
	'features\[4\]\.properties\.to_street_ru: must not contain a control character \(byte 0x0a at 10\)' \
	"$(base newline '0,/"to_street_ru": "Жибек Жолы"/s//"to_street_ru": "Жибек\\nЖолы"/')"
printf 's/"name_ru": "Акимат"/"name_ru": "\300\352\350\354\340\362"/\n' >"$TMP/cp1251.sed"
sed -f "$TMP/cp1251.sed" "$TMP/base.geojson" >"$TMP/cp1251.geojson"
bad_import "a name in Windows-1251, not UTF-8" \
	'invalid JSON at line 8 column [0-9]*: unable to decode byte 0xc0 .*\(the file must be UTF-8\)' \
	"$TMP/cp1251.geojson"
err=$("$PZ" import "$(base many 's/"tariff_tiyn": 15000/"tariff_tiyn": -5/; s/"zone": 1003,/"zone": 1099,/')" 2>&1)
check_match "every problem is reported" "$err" '2 problems, nothing written'
check_match "every problem: tariff" "$err" 'features\[1\]\.properties\.tariff_tiyn: -5 is out of range'
check_match "every problem: zone" "$err" 'features\[13\]\.properties\.zone: zone 1099 is not defined'

# a database-level failure half way through the writes rolls everything back
q "ALTER TABLE street_blocks ADD CONSTRAINT test_no_dostyk CHECK (street <> 'Test Street') NOT VALID" >/dev/null
before=$(fingerprint)
err=$("$PZ" import "$(base dbfail 's/"note": "Around the Green Bazaar/"note": "Changed. Around the Green Bazaar/; s/"street": "Dostyk"/"street": "Test Street"/')" 2>&1); rc=$?
check_eq "database failure: exit status" "$rc" 3
check_match "database failure: message" "$err" 'street_blocks: .*test_no_dostyk.*nothing written'
check_eq "database failure: database unchanged (zones too)" "$(fingerprint)" "$before"
q "ALTER TABLE street_blocks DROP CONSTRAINT test_no_dostyk" >/dev/null

err=$("$PZ" --db "host=127.0.0.1 port=1 dbname=nothing connect_timeout=2" list 2>&1); rc=$?
check_eq "unreachable database: exit status" "$rc" 3
check_match "unreachable database: message" "$err" '^parkzones list: cannot connect to the database: '

dropdb gis_roundtrip_copy >/dev/null 2>&1
done_testing
