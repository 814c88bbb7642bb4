/* test_zonecheck.c: table-driven tests of the zone checks. Every scenario is a small street
   grid near the Green Market (Pushkin, Zenkov, Makataev, Zhibek Zholy: four blocks of zone
   1001 meeting at their corners) plus the blocks, intersections and zones of the row, from
   WKT; the findings must be exactly the expected ones, in order. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "zonecheck.h"
#include "zonegeo.h"

#define assert_near(a, b, tol) do { \
        double a_ = (a), b_ = (b); \
        if (!(fabs(a_ - b_) <= (tol))) \
            fail_msg("%.9f != %.9f (tolerance %g)", a_, b_, (double)(tol)); \
    } while (0)

struct tblock { long id; int zone; const char *street, *from, *to, *side, *wkt; };
struct tcross { const char *a, *b; double lon, lat; };
struct tzone { int number; const char *name; int active; };
struct tfinding {
    enum zonecheck_severity sev;
    enum zonecheck_code code;
    long block;
    int zone;
    long other;
    const char *reason;
    int has_loc;
    double lon, lat;
};

struct scenario {
    const char *name;
    const char *side1;              /* side of base block 1, NULL: "both" */
    struct tblock blocks[3];        /* added to the grid; id 0 ends the list */
    struct tcross cross[2];         /* a NULL ends the list */
    struct tzone zones[2];          /* added to zone 1001; number 0 ends the list */
    double min_length_m, cross_street_m;   /* 0: defaults */
    struct tfinding want[4];        /* reason NULL ends the list */
};

/* The grid (zone 1001 Green Market): Pushkin lon 76.9539, Zenkov lon 76.9573, Makataev lat
   43.2650, Zhibek Zholy lat 43.2627. */
static const struct tblock grid[] = {
    { 1, 1001, "Pushkin", "Makataev", "Zhibek Zholy", "both", "LINESTRING(76.9539 43.2650, 76.9539 43.2627)" },
    { 2, 1001, "Zenkov", "Makataev", "Zhibek Zholy", "both", "LINESTRING(76.9573 43.2650, 76.9573 43.2627)" },
    { 3, 1001, "Makataev", "Pushkin", "Zenkov", "both", "LINESTRING(76.9539 43.2650, 76.9573 43.2650)" },
    { 4, 1001, "Zhibek Zholy", "Pushkin", "Zenkov", "both", "LINESTRING(76.9539 43.2627, 76.9573 43.2627)" },
};

#define E ZONECHECK_ERROR
#define W ZONECHECK_WARNING
#define F(sev, code, block, zone, other, reason, lon, lat) \
    { sev, ZONECHECK_##code, block, zone, other, reason, 1, lon, lat }
#define F_NOLOC(sev, code, block, zone, other, reason) \
    { sev, ZONECHECK_##code, block, zone, other, reason, 0, 0, 0 }
#define CA { 1002, "City Administration", 1 }
#define KALDAYAKOV { "Makataev", "Kaldayakov", 76.9590, 43.2650 }

static const struct scenario scenarios[] = {
    { "valid grid", NULL, { { 0 } }, { { 0 } }, { { 0 } }, 0, 0, { { 0 } } },

    /* geometry of one block */
    { "self-intersecting block", NULL,
      { { 5, 1001, "Gogol", "Pushkin", "Zenkov", "both",
          "LINESTRING(76.9539 43.2604, 76.9573 43.2610, 76.9573 43.2604, 76.9539 43.2610)" } },
      { { 0 } }, { { 0 } }, 0, 0,
      { F(E, SELF_INTERSECTION, 5, 1001, 0, "Self-intersection", 76.9556, 43.2607) } },
    { "degenerate block (one distinct point)", NULL,
      { { 5, 1001, "Zhibek Zholy", "Pushkin", "Zenkov", "both", "LINESTRING(76.9556 43.2627, 76.9556 43.2627)" } },
      { { 0 } }, { { 0 } }, 0, 0,
      { F(E, INVALID_GEOMETRY, 5, 1001, 0, "Too few points in geometry component", 76.9556, 43.2627) } },
    { "block of a single point", NULL,
      { { 5, 1001, "Zhibek Zholy", "Pushkin", "Zenkov", "both", "POINT(76.9556 43.2627)" } },
      { { 0 } }, { { 0 } }, 0, 0,
      { F(E, INVALID_GEOMETRY, 5, 1001, 0, "a line needs 0 or at least 2 points", 76.9556, 43.2627) } },
    { "empty block", NULL,
      { { 5, 1001, "Zhibek Zholy", "Pushkin", "Zenkov", "both", "LINESTRING EMPTY" } },
      { { 0 } }, { { 0 } }, 0, 0,
      { F_NOLOC(E, EMPTY_GEOMETRY, 5, 1001, 0, "the geometry is empty") } },
    { "block 3.3 m long", NULL,
      { { 5, 1001, "Pushkin", "Zhibek Zholy", "Zhibek Zholy", "both", "LINESTRING(76.9539 43.2627, 76.9539 43.26267)" } },
      { { 0 } }, { { 0 } }, 0, 0,
      { F(E, TOO_SHORT, 5, 1001, 0, "3.3 m long, shorter than 5 m", 76.9539, 43.2627) } },
    { "block 3.3 m long, minimum 3 m", NULL,
      { { 5, 1001, "Pushkin", "Zhibek Zholy", "Zhibek Zholy", "both", "LINESTRING(76.9539 43.2627, 76.9539 43.26267)" } },
      { { 0 } }, { { 0 } }, 3, 0, { { 0 } } },
    { "block outside the city", NULL,
      { { 5, 1001, "Makataev", "Zenkov", "Kaldayakov", "both", "LINESTRING(76.9573 43.2650, 77.3 43.2650)" } },
      { { 0 } }, { { 0 } }, 0, 0,
      { F(E, OUTSIDE_CITY, 5, 1001, 0, "point 2 of 2 (77.3000000 43.2650000) is outside the city's "
          "bounding box (lon 76.7 to 77.2, lat 43.1 to 43.4)", 77.3, 43.2650) } },
    { "block of an unknown zone", NULL,
      { { 5, 1009, "Makataev", "Zenkov", "Kaldayakov", "both", "LINESTRING(76.9573 43.2650, 76.9590 43.2650)" } },
      { KALDAYAKOV }, { { 0 } }, 0, 0,
      { F_NOLOC(E, UNKNOWN_ZONE, 5, 1009, 0, "zone 1009 is not in the zones table") } },

    /* cross streets */
    { "end 50 m short of its cross street", NULL,
      { { 5, 1001, "Zenkov", "Zhibek Zholy", "Gogol", "both", "LINESTRING(76.9573 43.2627, 76.9573 43.26085)" } },
      { { "Zenkov", "Gogol", 76.9573, 43.2604 } }, { { 0 } }, 0, 0,
      { F(E, CROSS_STREET_FAR, 5, 1001, 0, "the last point is 50.0 m from cross street 'Gogol' (limit 25 m)",
          76.9573, 43.26085) } },
    { "end 50 m short, limit 60 m", NULL,
      { { 5, 1001, "Zenkov", "Zhibek Zholy", "Gogol", "both", "LINESTRING(76.9573 43.2627, 76.9573 43.26085)" } },
      { { "Zenkov", "Gogol", 76.9573, 43.2604 } }, { { 0 } }, 0, 60, { { 0 } } },
    { "start far from the first cross street", NULL,
      { { 5, 1001, "Makataev", "Zenkov", "Kaldayakov", "both", "LINESTRING(76.9577 43.2650, 76.9590 43.2650)" } },
      { KALDAYAKOV }, { { 0 } }, 0, 0,
      { F(E, CROSS_STREET_FAR, 5, 1001, 0, "the first point is 32.5 m from cross street 'Zenkov' (limit 25 m)",
          76.9577, 43.2650) } },
    { "cross street that cannot be located", NULL,
      { { 5, 1001, "Zenkov", "Zhibek Zholy", "Gogol", "both", "LINESTRING(76.9573 43.2627, 76.9573 43.2604)" } },
      { { 0 } }, { { 0 } }, 0, 0,
      { F_NOLOC(W, CROSS_STREET_UNKNOWN, 5, 1001, 0, "cross street 'Gogol' cannot be located: no other "
                "block on it and no intersection of 'Zenkov' and 'Gogol'") } },
    { "block drawn from its to-street, names in other case", NULL,
      { { 5, 1001, "Zenkov", "Gogol", "Zhibek Zholy", "both", "LINESTRING(76.9573 43.2627, 76.9573 43.2604)" } },
      { { "gogol", "ZENKOV", 76.9573, 43.2604 } }, { { 0 } }, 0, 0, { { 0 } } },
    { "cross street by its old name", NULL,
      { { 5, 1001, "Zenkov", "Zhibek Zholy", "Gogol (Old Gogol)", "both", "LINESTRING(76.9573 43.2627, 76.9573 43.2604)" } },
      { { "Old Gogol", "Zenkov", 76.9573, 43.2604 } }, { { 0 } }, 0, 0, { { 0 } } },

    /* pairs */
    { "overlap with a block of another zone", NULL,
      { { 5, 1002, "Makataev", "Pushkin", "Kaldayakov", "both", "LINESTRING(76.9539 43.2650, 76.9590 43.2650)" } },
      { KALDAYAKOV }, { CA }, 0, 0,
      { F(E, OVERLAP, 5, 1002, 3, "overlaps block 3 of zone 1001 for 276.0 m", 76.9539, 43.2650) } },
    { "partial overlap, starting mid-block", NULL,
      { { 5, 1002, "Makataev", "Zenkov", "Kaldayakov", "both", "LINESTRING(76.9556 43.2650, 76.9590 43.2650)" } },
      { KALDAYAKOV }, { CA }, 0, 0,
      { F(E, CROSS_STREET_FAR, 5, 1002, 0, "the first point is 138.0 m from cross street 'Zenkov' (limit 25 m)",
          76.9556, 43.2650),
        F(E, OVERLAP, 5, 1002, 3, "overlaps block 3 of zone 1001 for 138.0 m", 76.9556, 43.2650) } },
    { "overlap within one zone", NULL,
      { { 5, 1001, "Makataev", "Pushkin", "Kaldayakov", "both", "LINESTRING(76.9539 43.2650, 76.9590 43.2650)" } },
      { KALDAYAKOV }, { { 0 } }, 0, 0,
      { F(W, OVERLAP, 5, 1001, 3, "overlaps block 3 of the same zone for 276.0 m", 76.9539, 43.2650) } },
    { "touching another zone's block at a corner", NULL,
      { { 5, 1002, "Makataev", "Zenkov", "Kaldayakov", "both", "LINESTRING(76.9573 43.2650, 76.9590 43.2650)" } },
      { KALDAYAKOV }, { CA }, 0, 0, { { 0 } } },
    { "T-junctions in the middle of another zone's blocks", NULL,
      { { 5, 1002, "Abay Lane", "Makataev", "Zhibek Zholy", "both", "LINESTRING(76.9550 43.2650, 76.9562 43.2627)" } },
      { { 0 } }, { CA }, 0, 0, { { 0 } } },
    { "crossing another zone's blocks", NULL,
      { { 5, 1002, "Abay Lane", "Makataev", "Zhibek Zholy", "both", "LINESTRING(76.9550 43.2652, 76.9562 43.2625)" } },
      { { 0 } }, { CA }, 0, 0, { { 0 } } },
    { "duplicate drawn the other way", NULL,
      { { 5, 1001, "Pushkin", "Zhibek Zholy", "Makataev", "both", "LINESTRING(76.9539 43.2627, 76.9539 43.2650)" } },
      { { 0 } }, { { 0 } }, 0, 0,
      { F(E, DUPLICATE, 5, 1001, 1, "duplicates block 1 of zone 1001 (the same line within 1 m)", 76.9539, 43.2627) } },
    { "duplicate 0.4 m off, in another zone", NULL,
      { { 5, 1002, "Pushkin", "Makataev", "Zhibek Zholy", "both", "LINESTRING(76.953905 43.2650, 76.953905 43.2627)" } },
      { { 0 } }, { CA }, 0, 0,
      { F(E, DUPLICATE, 5, 1002, 1, "duplicates block 1 of zone 1001 (the same line within 1 m)", 76.953905, 43.2650) } },
    { "odd and even sides of one street", "odd",
      { { 5, 1002, "Pushkin", "Makataev", "Zhibek Zholy", "even", "LINESTRING(76.9539 43.2650, 76.9539 43.2627)" } },
      { { 0 } }, { CA }, 0, 0, { { 0 } } },
    { "odd and odd sides of one street", "odd",
      { { 5, 1002, "Pushkin", "Makataev", "Zhibek Zholy", "odd", "LINESTRING(76.9539 43.2650, 76.9539 43.2627)" } },
      { { 0 } }, { CA }, 0, 0,
      { F(E, DUPLICATE, 5, 1002, 1, "duplicates block 1 of zone 1001 (the same line within 1 m)", 76.9539, 43.2650) } },
    { "left and right, drawn the same way", "left",
      { { 5, 1002, "Pushkin", "Makataev", "Zhibek Zholy", "right", "LINESTRING(76.9539 43.2650, 76.9539 43.2627)" } },
      { { 0 } }, { CA }, 0, 0, { { 0 } } },
    { "left and left, drawn opposite ways", "left",
      { { 5, 1002, "Pushkin", "Zhibek Zholy", "Makataev", "left", "LINESTRING(76.9539 43.2627, 76.9539 43.2650)" } },
      { { 0 } }, { CA }, 0, 0, { { 0 } } },
    { "left and left, drawn the same way", "left",
      { { 5, 1002, "Pushkin", "Makataev", "Zhibek Zholy", "left", "LINESTRING(76.9539 43.2650, 76.9539 43.2627)" } },
      { { 0 } }, { CA }, 0, 0,
      { F(E, DUPLICATE, 5, 1002, 1, "duplicates block 1 of zone 1001 (the same line within 1 m)", 76.9539, 43.2650) } },

    /* zones */
    { "zones without blocks", NULL, { { 0 } }, { { 0 } },
      { { 1003, "Republican Square", 1 }, { 1004, "Old Zone", 0 } }, 0, 0,
      { F_NOLOC(E, ZONE_WITHOUT_BLOCKS, 0, 1003, 0, "active zone 1003 (Republican Square) has no street blocks"),
        F_NOLOC(W, ZONE_WITHOUT_BLOCKS, 0, 1004, 0, "inactive zone 1004 (Old Zone) has no street blocks") } },

    /* several at once, in the documented order */
    { "several problems", NULL,
      { { 5, 1001, "Zhibek Zholy", "Pushkin", "Zenkov", "both", "LINESTRING EMPTY" },
        { 6, 1001, "Zenkov", "Zhibek Zholy", "Gogol", "both", "LINESTRING(76.9573 43.2627, 76.9573 43.2604)" },
        { 7, 1001, "Pushkin", "Zhibek Zholy", "Zhibek Zholy", "both", "LINESTRING(76.9539 43.2627, 76.9539 43.26267)" } },
      { { 0 } }, { { 1003, "Republican Square", 1 } }, 0, 0,
      { F_NOLOC(E, EMPTY_GEOMETRY, 5, 1001, 0, "the geometry is empty"),
        F(E, TOO_SHORT, 7, 1001, 0, "3.3 m long, shorter than 5 m", 76.9539, 43.2627),
        F_NOLOC(W, CROSS_STREET_UNKNOWN, 6, 1001, 0, "cross street 'Gogol' cannot be located: no other "
                "block on it and no intersection of 'Zenkov' and 'Gogol'"),
        F_NOLOC(E, ZONE_WITHOUT_BLOCKS, 0, 1003, 0, "active zone 1003 (Republican Square) has no street blocks") } },
};

/* Coordinates of a WKT geometry as lon,lat pairs (new array); *n = 0 for an empty one. */
static double *wkt_xy(struct zonegeo *g, const char *wkt, size_t *n)
{
    GEOSContextHandle_t h = zonegeo_handle(g);
    GEOSGeometry *geom = zonegeo_from_wkt(g, wkt, NULL, 0);
    const GEOSCoordSequence *cs;
    unsigned int size = 0;
    double *xy;

    assert_non_null(geom);
    cs = GEOSGeom_getCoordSeq_r(h, geom);
    if (GEOSisEmpty_r(h, geom) == 1 || cs == NULL)
        size = 0;
    else
        GEOSCoordSeq_getSize_r(h, cs, &size);
    xy = calloc(2 * size + 2, sizeof *xy);
    assert_non_null(xy);
    if (size > 0)
        GEOSCoordSeq_copyToBuffer_r(h, cs, xy, 0, 0);
    GEOSGeom_destroy_r(h, geom);
    *n = size;
    return xy;
}

static void add_block(struct zone_set *s, struct zonegeo *g, const struct tblock *b, const char *side)
{
    size_t n;
    double *xy = wkt_xy(g, b->wkt, &n);

    assert_non_null(zone_set_add_block(s, b->id, b->zone, b->street, b->from, b->to,
                                       side ? side : b->side, "test", 0, xy, n));
    free(xy);
}

static struct zone_set *build(const struct scenario *sc)
{
    struct zone_set *s = zone_set_create();
    struct zonegeo *g = zonegeo_create(76.95, 43.25);

    assert_non_null(zone_set_add_zone(s, 1001, "Green Market", 10000, 1, 0, NULL));
    for (size_t i = 0; i < sizeof grid / sizeof grid[0]; i++)
        add_block(s, g, &grid[i], i == 0 ? sc->side1 : NULL);
    for (size_t i = 0; i < 3 && sc->blocks[i].id != 0; i++)
        add_block(s, g, &sc->blocks[i], NULL);
    for (size_t i = 0; i < 2 && sc->cross[i].a != NULL; i++)
        assert_non_null(zone_set_add_intersection(s, sc->cross[i].a, sc->cross[i].b,
                                                  sc->cross[i].lon, sc->cross[i].lat));
    for (size_t i = 0; i < 2 && sc->zones[i].number != 0; i++)
        assert_non_null(zone_set_add_zone(s, sc->zones[i].number, sc->zones[i].name, 10000,
                                          sc->zones[i].active, 0, NULL));
    zonegeo_destroy(g);
    return s;
}

static void print_findings(const struct zonecheck_report *r)
{
    for (size_t i = 0; i < r->nfindings; i++) {
        const struct zonecheck_finding *f = &r->findings[i];
        print_message("  got %s %s block %ld zone %d other %ld \"%s\" loc %d %.9f %.9f\n",
                      zonecheck_severity_name(f->severity), zonecheck_code_name(f->code),
                      f->block_id, f->zone, f->other_block_id, f->reason, f->has_location,
                      f->lon, f->lat);
    }
}

static void test_scenario(void **state)
{
    const struct scenario *sc = *state;
    struct zone_set *s = build(sc);
    struct zonecheck_config cfg;
    struct zonecheck_report *r;
    size_t nwant = 0, errors = 0;
    char err[64];

    zonecheck_config_default(&cfg);
    if (sc->min_length_m > 0)
        cfg.min_length_m = sc->min_length_m;
    if (sc->cross_street_m > 0)
        cfg.cross_street_m = sc->cross_street_m;
    r = zonecheck_run(s, &cfg, err, sizeof err);
    assert_non_null(r);
    while (nwant < 4 && sc->want[nwant].reason != NULL)
        errors += sc->want[nwant++].sev == ZONECHECK_ERROR;
    if (r->nfindings != nwant)
        print_findings(r);
    assert_int_equal(r->nfindings, nwant);
    assert_int_equal(r->nerrors, errors);
    assert_int_equal(r->nwarnings, nwant - errors);
    for (size_t i = 0; i < nwant; i++) {
        const struct tfinding *w = &sc->want[i];
        const struct zonecheck_finding *f = &r->findings[i];
        assert_string_equal(zonecheck_code_name(f->code), zonecheck_code_name(w->code));
        assert_string_equal(zonecheck_severity_name(f->severity), zonecheck_severity_name(w->sev));
        assert_int_equal(f->block_id, w->block);
        assert_int_equal(f->zone, w->zone);
        assert_int_equal(f->other_block_id, w->other);
        assert_string_equal(f->reason, w->reason);
        assert_int_equal(f->has_location, w->has_loc);
        if (w->has_loc) {
            assert_near(f->lon, w->lon, 1e-9);
            assert_near(f->lat, w->lat, 1e-9);
        }
    }
    zonecheck_report_destroy(r);
    zone_set_destroy(s);
}

/* ---- street names ---- */

struct name_row { const char *name; const char *a, *b; int match; };

static const struct name_row name_rows[] = {
    { "names: same", "Zenkov", "Zenkov", 1 },
    { "names: case and spaces", "  Zhibek  Zholy ", "zhibek zholy", 1 },
    { "names: new name (old name) vs old", "Nazarbayev (Furmanov)", "Furmanov", 1 },
    { "names: new name (old name) vs new", "Nazarbayev (Furmanov)", "nazarbayev", 1 },
    { "names: old vs new name (old name)", "Mir", "Zheltoksan (Mir)", 1 },
    { "names: both with old names, swapped", "Mir (Zheltoksan)", "Zheltoksan (Mir)", 1 },
    { "names: prefix is not a match", "Zenkov", "Zenkova", 0 },
    { "names: different spelling", "Abai", "Abay", 0 },
    { "names: empty", "", "", 0 },
    { "names: NULL", NULL, "Zenkov", 0 },
};

static void test_names(void **state)
{
    const struct name_row *r = *state;
    assert_int_equal(zonecheck_names_match(r->a, r->b), r->match);
    assert_int_equal(zonecheck_names_match(r->b, r->a), r->match);
}

static void test_code_names(void **state)
{
    (void)state;
    for (int c = ZONECHECK_UNKNOWN_ZONE; c <= ZONECHECK_ZONE_WITHOUT_BLOCKS; c++) {
        assert_string_not_equal(zonecheck_code_name(c), "unknown");
        for (int d = ZONECHECK_UNKNOWN_ZONE; d < c; d++)
            assert_string_not_equal(zonecheck_code_name(c), zonecheck_code_name(d));
    }
    assert_string_equal(zonecheck_code_name(ZONECHECK_ZONE_WITHOUT_BLOCKS + 1), "unknown");
}

/* An empty set has nothing to report. */
static void test_empty_set(void **state)
{
    struct zone_set *s = zone_set_create();
    struct zonecheck_config cfg;
    struct zonecheck_report *r;

    (void)state;
    zonecheck_config_default(&cfg);
    r = zonecheck_run(s, &cfg, NULL, 0);
    assert_non_null(r);
    assert_int_equal(r->nfindings, 0);
    zonecheck_report_destroy(r);
    zone_set_destroy(s);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
    static struct CMUnitTest tests[N(scenarios) + N(name_rows) + 2];
    size_t n = 0;

    for (size_t i = 0; i < N(scenarios); i++)
        tests[n++] = (struct CMUnitTest){ scenarios[i].name, test_scenario, NULL, NULL,
                                          (void *)&scenarios[i] };
    for (size_t i = 0; i < N(name_rows); i++)
        tests[n++] = (struct CMUnitTest){ name_rows[i].name, test_names, NULL, NULL,
                                          (void *)&name_rows[i] };
    tests[n++] = (struct CMUnitTest){ "code names distinct", test_code_names, NULL, NULL, NULL };
    tests[n++] = (struct CMUnitTest){ "empty set", test_empty_set, NULL, NULL, NULL };
    return _cmocka_run_group_tests("zonecheck", tests, n, NULL, NULL);
}
