#!/bin/sh
# gis_locate.sh: `parkzones locate` against PostGIS. The seed's ten blocks (approximate
# geometry) and two multi-vertex test blocks go into a fresh database by SQL; 400 points
# (300 scattered around random blocks, 100 uniform over the area, fixed seed) are located
# with --batch at radii 50 m and 200 m and compared with ST_DWithin(geography) and
# ST_Distance(geography): the same blocks (except where PostGIS's distance is within 1 % of
# the radius), distances within 1 % (+ 1 cm for the printed rounding), and the same order
# up to 1 % ties. Then the single-point forms, JSON and bad input.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/lib.sh"
PZ=${PARKZONES:-$ROOT/build/parkzones}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

new_db gis_locate
q "INSERT INTO zones (number, name, tariff_tiyn) VALUES
     (1001, 'Green Market', 15000), (1002, 'City Administration', 10000),
     (1003, 'Republican Square', 10000), (1009, 'Test Curves', 5000)" >/dev/null
q "INSERT INTO street_blocks (id, zone, street, from_street, to_street, approximate, source, geom) VALUES
 (1, 1001, 'Zenkov', 'Makataev', 'Zhibek Zholy', true, 'test', 'SRID=4326;LINESTRING(76.9573 43.2650, 76.9573 43.2627)'),
 (2, 1001, 'Zenkov', 'Zhibek Zholy', 'Gogol', true, 'test', 'SRID=4326;LINESTRING(76.9573 43.2627, 76.9573 43.2604)'),
 (3, 1001, 'Dostyk', 'Zhibek Zholy', 'Gogol', true, 'test', 'SRID=4326;LINESTRING(76.9556 43.2627, 76.9556 43.2604)'),
 (4, 1001, 'Pushkin', 'Makataev', 'Zhibek Zholy', true, 'test', 'SRID=4326;LINESTRING(76.9539 43.2650, 76.9539 43.2627)'),
 (5, 1001, 'Pushkin', 'Zhibek Zholy', 'Gogol', true, 'test', 'SRID=4326;LINESTRING(76.9539 43.2627, 76.9539 43.2604)'),
 (6, 1001, 'Makataev', 'Pushkin', 'Kaldayakov', true, 'test', 'SRID=4326;LINESTRING(76.9539 43.2650, 76.9590 43.2650)'),
 (7, 1001, 'Zhibek Zholy', 'Pushkin', 'Kaldayakov', true, 'test', 'SRID=4326;LINESTRING(76.9539 43.2627, 76.9590 43.2627)'),
 (8, 1001, 'Zhibek Zholy', 'Pushkin', 'Konaev', true, 'test', 'SRID=4326;LINESTRING(76.9539 43.2627, 76.9505 43.2627)'),
 (9, 1002, 'Satpaev', 'Zheltoksan', 'Nazarbayev', true, 'test', 'SRID=4326;LINESTRING(76.9417 43.2378, 76.9470 43.2378)'),
 (10, 1003, 'Republic Square', 'Zheltoksan', 'Nazarbayev', true, 'test', 'SRID=4326;LINESTRING(76.9417 43.2389, 76.9470 43.2389)'),
 (11, 1009, 'Curve', 'A', 'B', false, 'test', 'SRID=4326;LINESTRING(76.9600 43.2560, 76.9620 43.2575, 76.9650 43.2580, 76.9670 43.2600)'),
 (12, 1009, 'Diagonal', 'C', 'D', false, 'test', 'SRID=4326;LINESTRING(76.9450 43.2500, 76.9500 43.2540)')" >/dev/null

# 400 points, fixed seed: 300 within about +-65 m / +-65 m of a point on a block, 100 uniform.
q "SELECT setseed(0.42);
   CREATE TABLE pts AS
   SELECT i, ST_X(p) AS lon, ST_Y(p) AS lat
   FROM (SELECT i, ST_Translate(ST_LineInterpolatePoint(b.geom, random()),
                                (random() - 0.5) * 0.0016, (random() - 0.5) * 0.0012) AS p
         FROM generate_series(1, 300) i
         JOIN street_blocks b ON b.id = 1 + i % 12) s
   UNION ALL
   SELECT i, 76.938 + random() * 0.032, 43.235 + random() * 0.033 FROM generate_series(301, 400) i" >/dev/null
q "SELECT lon || ' ' || lat FROM pts ORDER BY i" >"$TMP/points"
check_eq "400 test points" "$(wc -l <"$TMP/points" | tr -d ' ')" 400

# postgis_pairs R: "POINT BLOCK METRES" for every block within R m of every point.
postgis_pairs() {
	q "SELECT p.i || ' ' || b.id || ' ' || ST_Distance(b.geom::geography, g)
	   FROM (SELECT i, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS g FROM pts) p
	   JOIN street_blocks b ON ST_DWithin(b.geom::geography, p.g, $1)
	   ORDER BY p.i, ST_Distance(b.geom::geography, g), b.id"
}
# locate_pairs R: the same from parkzones locate --batch (line number = point number).
locate_pairs() {
	"$PZ" locate --batch --radius "$1" <"$TMP/points" | awk -F'\t' '{
		n = split($4, h, " ")
		for (k = 1; k <= n; k++) { split(h[k], f, ":"); print $1, f[2], f[3] } }'
}

# compare R OURS PG: prints "pairs ours-only pg-only bad-set bad-distance bad-order max-rel-%"
compare() {
	awk -v R="$1" '
	FILENAME == ARGV[1] { o[$1 " " $2] = $3; ord[$1] = ord[$1] " " $2; next }
	{ p[$1 " " $2] = $3 }
	END {
		tol = 0.01 * R
		for (k in o) if (k in p) {
			n++; d = o[k] - p[k]; if (d < 0) d = -d
			if (d > 0.01 * p[k] + 0.01) bd++
			if (p[k] >= 10 && d / p[k] > mx) mx = d / p[k]
		} else { oo++; d = o[k] - R; if (d < 0) d = -d; if (d > tol) bs++ }
		for (k in p) if (!(k in o)) { po++; d = p[k] - R; if (d < 0) d = -d; if (d > tol) bs++ }
		for (i in ord) {
			m = split(ord[i], ids, " ")
			for (j = 1; j < m; j++) {
				a = i " " ids[j]; b = i " " ids[j + 1]
				if ((a in p) && (b in p) && p[a] > p[b] * 1.01 + 0.01) bo++
			}
		}
		printf "%d %d %d %d %d %d %.3f\n", n, oo, po, bs, bd, bo, mx * 100
	}' "$2" "$3"
}

for R in 50 200; do
	postgis_pairs $R >"$TMP/pg.$R"
	locate_pairs $R >"$TMP/ours.$R"
	set -- $(compare $R "$TMP/ours.$R" "$TMP/pg.$R")
	echo "# radius $R m: $1 pairs in both, $2 only ours, $3 only PostGIS, largest difference $7 % (of distances over 10 m)"
	[ "$1" -ge 150 ] && ok "radius $R: at least 150 point-block pairs to compare ($1)" \
		|| fail "radius $R: only $1 pairs to compare"
	check_eq "radius $R: same blocks (apart from 1 % of the radius)" "$4" 0
	check_eq "radius $R: distances within 1 %" "$5" 0
	check_eq "radius $R: nearest first, as PostGIS orders them" "$6" 0
done
multi=$("$PZ" locate --batch --radius 50 <"$TMP/points" | awk -F'\t' 'split($4, h, " ") >= 2' | wc -l)
[ "$multi" -ge 10 ] && ok "corners: $multi points match several blocks at 50 m" \
	|| fail "corners: only $multi points match several blocks"

# one point at the Zenkov / Zhibek Zholy corner: three blocks at 0 m
out=$("$PZ" locate 76.9573 43.2627 --radius 5); rc=$?
check_eq "corner point: exit 0" "$rc" 0
check_eq "corner point: three blocks, nearest first" "$(printf '%s\n' "$out" | sed -n '2,$p' | awk '{print $1, $4, $8}')" \
"0.0 1001 1:
0.0 1001 2:
0.0 1001 7:"
check_match "corner point: header" "$out" '^76\.9573000 43\.2627000: 3 blocks within 5 m$'
check_match "corner point: block described" "$out" 'block 1: Zenkov \(Makataev - Zhibek Zholy\), both$'
pg=$(q "SELECT round(ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(76.9600, 43.2640), 4326)::geography)::numeric, 1)
        FROM street_blocks WHERE id = 6")
out=$("$PZ" locate --json --radius 150 76.9600 43.2640)
check_eq "JSON: nearest block and zone" "$(printf '%s' "$out" | jq -r '.blocks[0] | "\(.block) \(.zone) \(.zone_name)"')" \
	"6 1001 Green Market"
d=$(printf '%s' "$out" | jq -r '.blocks[0].distance_m')
awk -v a="$d" -v b="$pg" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.01 * b + 0.06) }' \
	&& ok "JSON: distance $d m, PostGIS $pg m" || fail "JSON: distance $d m, PostGIS $pg m"
out=$("$PZ" locate 76.90 43.20); rc=$?
check_eq "far point: exit 1" "$rc" 1
check_eq "far point: says so" "$out" "76.9000000 43.2000000: 0 blocks within 30 m"

# bad input
err=$("$PZ" locate 200 43.2 2>&1 >/dev/null); rc=$?
check_eq "longitude out of range: exit 2" "$rc" 2
check_match "longitude out of range: reason" "$err" "'200 43.2' is not a longitude \(-180..180\) and a latitude"
err=$("$PZ" locate --radius abc 76.95 43.26 2>&1 >/dev/null); rc=$?
check_eq "bad radius: exit 2" "$rc" 2
check_match "bad radius: reason" "$err" "--radius wants metres from 0 to 10000, not 'abc'"
err=$("$PZ" locate 76.95 2>&1 >/dev/null); rc=$?
check_eq "missing latitude: exit 2" "$rc" 2
out=$(printf '76.9573 43.2627\nnot a point\n\n# comment\n76.9539,43.2650\n91 91\n' |
	"$PZ" locate --batch --radius 1 2>"$TMP/err"); rc=$?
check_eq "batch with bad lines: exit 1" "$rc" 1
check_eq "batch with bad lines: the good lines, numbered" "$out" \
"1	76.9573000	43.2627000	1001:1:0.00 1001:2:0.00 1001:7:0.00
5	76.9539000	43.2650000	1001:4:0.00 1001:6:0.00"
check_eq "batch with bad lines: each reported" "$(cat "$TMP/err")" \
"parkzones locate: line 2: expected 'LON LAT' (degrees)
parkzones locate: line 6: expected 'LON LAT' (degrees)
parkzones locate: 2 lines not read"
err=$("$PZ" --db "host=$TMP/nowhere dbname=nothing" locate 76.95 43.26 2>&1 >/dev/null); rc=$?
check_eq "no database: exit 3" "$rc" 3
check_match "no database: reason" "$err" "^parkzones locate: "
done_testing
