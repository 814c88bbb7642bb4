/* test_zonegeo.c: table-driven tests of zonegeo: WKT parsing and validity with reasons and
   locations, the local metric projection, lengths, lines from coordinate arrays. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "zonegeo.h"
#include "zonelocate.h"

#define TOL 1e-9

/* cmocka 1.1's assert_near compares in float; this compares doubles. */
#define assert_near(a, b, tol) do { \
        double a_ = (a), b_ = (b); \
        if (!(fabs(a_ - b_) <= (tol))) \
            fail_msg("%.9f != %.9f (tolerance %g)", a_, b_, (double)(tol)); \
    } while (0)

/* ---- WKT: parse, then validity ---- */

struct wkt_row {
    const char *name;
    const char *wkt;
    const char *parse_error;    /* expected reason when GEOS refuses the text, else NULL */
    int valid;
    const char *reason;
    int has_location;
    double x, y;
};

#define VALID(n, w)                 { n, w, NULL, 1, "", 0, 0, 0 }
#define INVALID(n, w, r, x, y)      { n, w, NULL, 0, r, 1, x, y }
#define UNPARSED(n, w, e)           { n, w, e, 0, NULL, 0, 0, 0 }

static const struct wkt_row wkt_rows[] = {
    VALID("valid line", "LINESTRING(0 0, 10 0)"),
    VALID("valid polyline", "LINESTRING(0 0, 10 0, 10 10, 20 10)"),
    VALID("valid polygon", "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))"),
    VALID("valid polygon with hole touching shell", "POLYGON((0 0,10 0,10 10,0 10,0 0),(0 0,5 2,2 5,0 0))"),
    VALID("closed line (a loop) is simple", "LINESTRING(0 0, 10 0, 10 10, 0 0)"),
    VALID("empty line", "LINESTRING EMPTY"),
    VALID("point", "POINT(1 2)"),
    VALID("crossing lines in a multilinestring", "MULTILINESTRING((0 0, 10 0),(5 -5, 5 5))"),
    VALID("polygons touching at a corner", "MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)),((10 10,20 10,20 20,10 20,10 10)))"),
    VALID("lon/lat block", "LINESTRING(76.9539 43.2650, 76.9539 43.2627)"),
    INVALID("self-intersecting polygon (bow tie)", "POLYGON((0 0, 10 10, 10 0, 0 10, 0 0))", "Self-intersection", 5, 5),
    INVALID("self-intersecting line (crossing)", "LINESTRING(0 0, 10 10, 10 0, 0 10)", "Self-intersection", 5, 5),
    INVALID("self-intersecting lon/lat block", "LINESTRING(76.9539 43.2604, 76.9573 43.2610, 76.9573 43.2604, 76.9539 43.2610)",
            "Self-intersection", 76.9556, 43.2607),
    INVALID("line touching itself at a vertex", "LINESTRING(0 0, 10 0, 5 5, 5 0)", "Self-intersection", 5, 0),
    INVALID("line folding back on itself", "LINESTRING(0 0, 10 0, 4 0)", "Self-intersection", 10, 0),
    INVALID("closed line going on past its start", "LINESTRING(0 0, 10 0, 10 10, 0 10, 0 0, 5 -5)", "Self-intersection", 0, 0),
    INVALID("degenerate line (one distinct point)", "LINESTRING(1 1, 1 1)", "Too few points in geometry component", 1, 1),
    INVALID("degenerate polygon (zero area)", "POLYGON((0 0, 10 0, 20 0, 0 0))", "Self-intersection", 10, 0),
    INVALID("degenerate polygon (too few points)", "POLYGON((0 0, 10 0, 0 0))", "Too few points in geometry component", 0, 0),
    INVALID("overlapping polygons", "MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)),((5 5,15 5,15 15,5 15,5 5)))", "Self-intersection", 10, 5),
    INVALID("polygons sharing an edge", "MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)),((10 0,20 0,20 10,10 10,10 0)))", "Self-intersection", 10, 10),
    INVALID("hole outside its shell", "POLYGON((0 0,10 0,10 10,0 10,0 0),(20 20,30 20,30 30,20 30,20 20))", "Hole lies outside shell", 20, 20),
    UNPARSED("unclosed polygon", "POLYGON((0 0, 10 0, 10 10, 0 10))",
             "IllegalArgumentException: Points of LinearRing do not form a closed linestring"),
    UNPARSED("unclosed ring", "LINEARRING(0 0, 10 0, 10 10)",
             "IllegalArgumentException: Points of LinearRing do not form a closed linestring"),
    UNPARSED("one-point line", "LINESTRING(0 0)",
             "IllegalArgumentException: point array must contain 0 or >1 elements"),
    UNPARSED("missing coordinate", "LINESTRING(0 0, 1)", "ParseException: Expected number but encountered ')'"),
    UNPARSED("not WKT", "GARBAGE", "ParseException: Unknown type: 'GARBAGE'"),
};

static void test_wkt(void **state)
{
    const struct wkt_row *r = *state;
    struct zonegeo *g = zonegeo_create(76.95, 43.25);
    struct zonegeo_validity v;
    char err[ZONEGEO_REASON_MAX] = "";
    GEOSGeometry *geom;

    assert_non_null(g);
    geom = zonegeo_from_wkt(g, r->wkt, err, sizeof err);
    if (r->parse_error != NULL) {
        assert_null(geom);
        assert_string_equal(err, r->parse_error);
        zonegeo_destroy(g);
        return;
    }
    assert_non_null(geom);
    assert_int_equal(zonegeo_check_validity(g, geom, &v), r->valid);
    assert_int_equal(v.valid, r->valid);
    assert_string_equal(v.reason, r->reason);
    assert_int_equal(v.has_location, r->has_location);
    if (r->has_location) {
        assert_near(v.x, r->x, TOL);
        assert_near(v.y, r->y, TOL);
    }
    GEOSGeom_destroy_r(zonegeo_handle(g), geom);
    zonegeo_destroy(g);
}

/* ---- projection ---- */

struct proj_row { const char *name; double lat0; double mx, my; };

/* WGS84: a*pi/180 = 111319.4908 m per degree of longitude at the equator; the meridional
   degree is a(1-e^2)*pi/180 = 110574.2758 m at the equator. */
static const struct proj_row proj_rows[] = {
    { "projection at the equator", 0.0, 111319.490793, 110574.275821 },
    { "projection at 43.25 N (Almaty)", 43.25, 81209.600656, 111097.608594 },
    { "projection at 60 N", 60.0, 55800.001572, 111412.287458 },
};

static void test_projection(void **state)
{
    const struct proj_row *r = *state;
    struct zonegeo *g = zonegeo_create(10.0, r->lat0);
    double x, y, lon, lat;

    assert_non_null(g);
    assert_near(zonegeo_metres_per_deg_lon(g), r->mx, 1e-6);
    assert_near(zonegeo_metres_per_deg_lat(g), r->my, 1e-6);
    zonegeo_to_metres(g, 10.01, r->lat0 - 0.02, &x, &y);
    assert_near(x, 0.01 * r->mx, 1e-6);
    assert_near(y, -0.02 * r->my, 1e-6);
    zonegeo_to_lonlat(g, x, y, &lon, &lat);
    assert_near(lon, 10.01, 1e-12);
    assert_near(lat, r->lat0 - 0.02, 1e-12);
    zonegeo_destroy(g);
}

struct origin_row { const char *name; double lon0, lat0; int ok; };

static const struct origin_row origin_rows[] = {
    { "origin Almaty", 76.95, 43.25, 1 },
    { "origin south", -58.4, -34.6, 1 },
    { "origin near the pole refused", 0, 89.5, 0 },
    { "origin NaN refused", NAN, 43.25, 0 },
    { "origin infinite refused", 76.95, INFINITY, 0 },
};

static void test_origin(void **state)
{
    const struct origin_row *r = *state;
    struct zonegeo *g = zonegeo_create(r->lon0, r->lat0);

    assert_int_equal(g != NULL, r->ok);
    zonegeo_destroy(g);
}

/* ---- lengths (origin 76.95 43.25) ---- */

struct length_row { const char *name; const char *wkt; double metres; };

/* PostGIS ST_Length(geography) for the first two: 812.10 m and 1110.98 m. */
static const struct length_row length_rows[] = {
    { "length 0.01 deg east", "LINESTRING(76.95 43.25, 76.96 43.25)", 812.096007 },
    { "length 0.01 deg north", "LINESTRING(76.95 43.25, 76.95 43.26)", 1110.976086 },
    { "length L-shaped", "LINESTRING(76.95 43.25, 76.96 43.25, 76.96 43.26)", 1923.072093 },
    { "length of a block 3 m long", "LINESTRING(76.9539 43.2627, 76.9539 43.26267)", 3.332928 },
    { "length empty", "LINESTRING EMPTY", 0 },
    { "length of a point", "POINT(76.95 43.25)", 0 },
};

static void test_length(void **state)
{
    const struct length_row *r = *state;
    struct zonegeo *g = zonegeo_create(76.95, 43.25);
    GEOSGeometry *geom = zonegeo_from_wkt(g, r->wkt, NULL, 0);

    assert_non_null(geom);
    assert_near(zonegeo_length_m(g, geom), r->metres, 1e-6);
    GEOSGeom_destroy_r(zonegeo_handle(g), geom);
    zonegeo_destroy(g);
}

/* ---- lines from coordinate arrays ---- */

struct xy_row {
    const char *name;
    double xy[6];
    size_t n;
    const char *error;          /* NULL: a line with n points */
    const char *wkt;            /* expected WKT (trimmed, 4 decimals) */
};

static const struct xy_row xy_rows[] = {
    { "xy: two points", { 76.95, 43.25, 76.96, 43.25 }, 2, NULL, "LINESTRING (76.9500 43.2500, 76.9600 43.2500)" },
    { "xy: three points", { 1, 2, 3, 4, 5, 6 }, 3, NULL, "LINESTRING (1.0000 2.0000, 3.0000 4.0000, 5.0000 6.0000)" },
    { "xy: no points is empty", { 0 }, 0, NULL, "LINESTRING EMPTY" },
    { "xy: one point refused", { 1, 2 }, 1, "a line needs 0 or at least 2 points", NULL },
    { "xy: NaN refused", { 1, 2, NAN, 4 }, 2, "coordinate 2 is not a finite number", NULL },
    { "xy: infinity refused", { INFINITY, 2, 3, 4 }, 2, "coordinate 1 is not a finite number", NULL },
};

static void test_xy(void **state)
{
    const struct xy_row *r = *state;
    struct zonegeo *g = zonegeo_create(76.95, 43.25);
    GEOSContextHandle_t h = zonegeo_handle(g);
    char err[128] = "";
    GEOSGeometry *line = zonegeo_line_from_xy(g, r->xy, r->n, err, sizeof err);

    if (r->error != NULL) {
        assert_null(line);
        assert_string_equal(err, r->error);
    } else {
        GEOSWKTWriter *w = GEOSWKTWriter_create_r(h);
        char *text;
        GEOSWKTWriter_setRoundingPrecision_r(h, w, 4);
        GEOSWKTWriter_setTrim_r(h, w, 0);
        assert_non_null(line);
        text = GEOSWKTWriter_write_r(h, w, line);
        assert_string_equal(text, r->wkt);
        GEOSFree_r(h, text);
        GEOSWKTWriter_destroy_r(h, w);
        GEOSGeom_destroy_r(h, line);
    }
    zonegeo_destroy(g);
}

/* Projecting and unprojecting keeps the geometry (within 1e-9 degrees). */
static void test_project_round_trip(void **state)
{
    struct zonegeo *g = zonegeo_create(76.955, 43.26);
    GEOSContextHandle_t h = zonegeo_handle(g);
    GEOSGeometry *ll = zonegeo_from_wkt(g, "LINESTRING(76.9539 43.2650, 76.9573 43.2627)", NULL, 0);
    GEOSGeometry *m = zonegeo_project(g, ll, NULL, 0), *back = zonegeo_unproject(g, m, NULL, 0);
    double x;

    (void)state;
    assert_non_null(back);
    assert_int_equal(GEOSEqualsExact_r(h, ll, back, 1e-9), 1);
    GEOSGeom_getXMin_r(h, m, &x);
    assert_near(x, (76.9539 - 76.955) * zonegeo_metres_per_deg_lon(g), 1e-6);
    GEOSGeom_destroy_r(h, ll);
    GEOSGeom_destroy_r(h, m);
    GEOSGeom_destroy_r(h, back);
    zonegeo_destroy(g);
}

/* ---- zonelocate over a four-block grid (Pushkin, Zenkov, Makataev, Zhibek Zholy) ----
   The projection origin is the grid's centre (76.9556, 43.26385): 81191.197396 m per degree
   of longitude, 111097.878615 per degree of latitude. */

struct locate_row {
    const char *name;
    double lon, lat, radius;
    long count;                 /* -1: refused */
    long ids[4];
    double metres[4];
};

static const struct locate_row locate_rows[] = {
    { "locate: corner matches both blocks", 76.9539, 43.2650, 5, 2, { 1, 3 }, { 0, 0 } },
    { "locate: inside the grid, 150 m, nearest first", 76.9550, 43.2638, 150, 3,
      { 1, 4, 3 }, { 89.310317, 122.207666, 133.317454 } },
    { "locate: inside the grid, 80 m, nothing", 76.9550, 43.2638, 80, 0, { 0 }, { 0 } },
    { "locate: beyond a corner, to the end points", 76.9539, 43.2660, 200, 2, { 1, 3 }, { 111.097879, 111.097879 } },
    { "locate: beyond a corner, 300 m", 76.9539, 43.2660, 300, 3, { 1, 3, 2 }, { 111.097879, 111.097879, 297.567438 } },
    { "locate: 10 m east of Pushkin", 76.9539 + 10 / 81191.197396, 43.2640, 10.001, 1, { 1 }, { 10 } },
    { "locate: radius 0 on a block", 76.9550, 43.2650, 0, 1, { 3 }, { 0 } },
    { "locate: NaN refused", NAN, 43.2650, 5, -1, { 0 }, { 0 } },
    { "locate: negative radius refused", 76.9550, 43.2650, -1, -1, { 0 }, { 0 } },
};

static struct zone_set *locate_grid(void)
{
    static const double xy[4][4] = {
        { 76.9539, 43.2650, 76.9539, 43.2627 }, { 76.9573, 43.2650, 76.9573, 43.2627 },
        { 76.9539, 43.2650, 76.9573, 43.2650 }, { 76.9539, 43.2627, 76.9573, 43.2627 } };
    static const char *const streets[4] = { "Pushkin", "Zenkov", "Makataev", "Zhibek Zholy" };
    struct zone_set *s = zone_set_create();

    for (int i = 0; i < 4; i++)
        assert_non_null(zone_set_add_block(s, i + 1, 1001, streets[i], NULL, NULL, "both", NULL,
                                           1, xy[i], 2));
    assert_non_null(zone_set_add_block(s, 9, 1001, "Empty", NULL, NULL, NULL, NULL, 0, NULL, 0));
    return s;
}

static void test_locate(void **state)
{
    const struct locate_row *r = *state;
    struct zone_set *s = locate_grid();
    size_t skipped = 99;
    char err[64];
    struct zonelocate *z = zonelocate_create(s, &skipped, err, sizeof err);
    struct zonelocate_hit hits[8];
    long n;

    zone_set_destroy(s);                       /* the index keeps what it needs */
    assert_non_null(z);
    assert_int_equal(skipped, 1);
    assert_int_equal(zonelocate_size(z), 4);
    n = zonelocate_query(z, r->lon, r->lat, r->radius, hits, 8);
    assert_int_equal(n, r->count);
    for (long i = 0; i < n; i++) {
        assert_int_equal(hits[i].block_id, r->ids[i]);
        assert_int_equal(hits[i].zone, 1001);
        assert_int_equal(hits[i].block_index, r->ids[i] - 1);
        assert_near(hits[i].distance_m, r->metres[i], 1e-5);
    }
    if (n > 1) {                               /* fewer slots than hits: still the count */
        memset(hits, 0, sizeof hits);
        assert_int_equal(zonelocate_query(z, r->lon, r->lat, r->radius, hits, 1), n);
        assert_int_equal(hits[0].block_id, r->ids[0]);
        assert_int_equal(hits[1].block_id, 0);
    }
    zonelocate_destroy(z);
}

/* The batch calls back once per point, in order, with the same answers. */
struct batch_seen { size_t calls; long counts[3]; long first[3]; };

static int batch_emit(size_t i, const struct zonelocate_hit *h, long n, void *arg)
{
    struct batch_seen *seen = arg;
    assert_int_equal(i, seen->calls);
    seen->counts[i] = n;
    seen->first[i] = n > 0 ? h[0].block_id : 0;
    seen->calls++;
    return 0;
}

static void test_locate_batch(void **state)
{
    const double pts[6] = { 76.9539, 43.2650, NAN, 43.26, 76.9550, 43.2638 };
    struct zone_set *s = locate_grid();
    struct zonelocate *z = zonelocate_create(s, NULL, NULL, 0);
    struct batch_seen seen = { 0 };

    (void)state;
    assert_int_equal(zonelocate_batch(z, pts, 3, 150, batch_emit, &seen), 0);
    assert_int_equal(seen.calls, 3);
    assert_int_equal(seen.counts[0], 2);
    assert_int_equal(seen.first[0], 1);
    assert_int_equal(seen.counts[1], -1);
    assert_int_equal(seen.counts[2], 3);
    assert_int_equal(seen.first[2], 1);
    zonelocate_destroy(z);
    zone_set_destroy(s);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ADD(rows, fn) \
    for (size_t i = 0; i < N(rows); i++) \
        tests[n++] = (struct CMUnitTest){ (rows)[i].name, (fn), NULL, NULL, (void *)&(rows)[i] }

int main(void)
{
    static struct CMUnitTest tests[N(wkt_rows) + N(proj_rows) + N(origin_rows) + N(length_rows)
                                   + N(xy_rows) + N(locate_rows) + 2];
    size_t n = 0;

    ADD(wkt_rows, test_wkt);
    ADD(proj_rows, test_projection);
    ADD(origin_rows, test_origin);
    ADD(length_rows, test_length);
    ADD(xy_rows, test_xy);
    ADD(locate_rows, test_locate);
    tests[n++] = (struct CMUnitTest){ "locate batch", test_locate_batch, NULL, NULL, NULL };
    tests[n++] = (struct CMUnitTest){ "project round trip", test_project_round_trip, NULL, NULL, NULL };
    return _cmocka_run_group_tests("zonegeo", tests, n, NULL, NULL);
}
