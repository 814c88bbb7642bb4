/* test_export.c: ring orientation (RFC 7946: exterior counter-clockwise, holes clockwise),
   areas decoded from WKB, and the GeoJSON / KML / SVG writers on a hand-built zone set
   (the GeoJSON output is parsed back with geojson_parse). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "export.h"
#include "geojson_in.h"

struct orient_case {
    const char *name;
    double in[10];
    size_t n;
    int ccw;                 /* wanted orientation */
    double area2;            /* twice the signed area of the input */
    int reversed;
    double out[10];
};

static const struct orient_case orient_cases[] = {
    { "clockwise square to ccw", { 0, 0, 0, 1, 1, 1, 1, 0, 0, 0 }, 5, 1, -2, 1,
      { 0, 0, 1, 0, 1, 1, 0, 1, 0, 0 } },
    { "ccw square stays", { 0, 0, 1, 0, 1, 1, 0, 1, 0, 0 }, 5, 1, 2, 0,
      { 0, 0, 1, 0, 1, 1, 0, 1, 0, 0 } },
    { "ccw hole to clockwise", { 2, 2, 4, 2, 4, 4, 2, 2 }, 4, 0, 4, 1,
      { 2, 2, 4, 4, 4, 2, 2, 2 } },
    { "clockwise hole stays", { 2, 2, 4, 4, 4, 2, 2, 2 }, 4, 0, -4, 0,
      { 2, 2, 4, 4, 4, 2, 2, 2 } },
    { "lon/lat ring near Almaty", { 76.95, 43.26, 76.95, 43.261, 76.951, 43.26, 76.95, 43.26 }, 4, 1,
      -1e-6, 1, { 76.95, 43.26, 76.951, 43.26, 76.95, 43.261, 76.95, 43.26 } },
    { "degenerate ring untouched", { 0, 0, 1, 1, 2, 2, 0, 0 }, 4, 1, 0, 0,
      { 0, 0, 1, 1, 2, 2, 0, 0 } },
    { "too short", { 0, 0, 1, 1 }, 2, 1, 0, 0, { 0, 0, 1, 1 } },
};

static void test_orient(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof orient_cases / sizeof orient_cases[0]; i++) {
        const struct orient_case *c = &orient_cases[i];
        double xy[10];
        memcpy(xy, c->in, sizeof xy);
        double a = export_ring_signed_area2(xy, c->n);
        if (a < c->area2 - 1e-12 || a > c->area2 + 1e-12)
            fail_msg("%s: area2 %.12g, want %.12g", c->name, a, c->area2);
        if (export_ring_orient(xy, c->n, c->ccw) != c->reversed)
            fail_msg("%s: reversed flag", c->name);
        for (size_t k = 0; k < 2 * c->n; k++)
            if (xy[k] != c->out[k])
                fail_msg("%s: coordinate %zu is %g, want %g", c->name, k, xy[k], c->out[k]);
    }
}

/* POLYGON((0 0,0 10,10 10,10 0,0 0),(2 2,4 2,4 4,2 4,2 2)): clockwise shell, ccw hole. */
static const char polygon_hex[] =
    "0103000000020000000500000000000000000000000000000000000000000000000000000000000000000024"
    "4000000000000024400000000000002440000000000000244000000000000000000000000000000000000000"
    "0000000000050000000000000000000040000000000000004000000000000010400000000000000040000000"
    "0000001040000000000000104000000000000000400000000000001040000000000000004000000000000000"
    "40";
/* MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,5 6,6 6,5 5))): one ccw, one clockwise. */
static const char multi_hex[] =
    "0106000000020000000103000000010000000400000000000000000000000000000000000000000000000000"
    "f03f0000000000000000000000000000f03f000000000000f03f000000000000000000000000000000000103"
    "0000000100000004000000000000000000144000000000000014400000000000001440000000000000184000"
    "00000000001840000000000000184000000000000014400000000000001440";

static void test_area_from_wkb(void **state)
{
    (void)state;
    struct export_area a = { 0 };
    char err[128] = "";
    assert_int_equal(export_area_from_hex_wkb(&a, polygon_hex, err, sizeof err), 0);
    assert_int_equal(a.npolygons, 1);
    assert_int_equal(a.polygons[0].nrings, 2);
    const double shell[10] = { 0, 0, 10, 0, 10, 10, 0, 10, 0, 0 };
    const double hole[10] = { 2, 2, 2, 4, 4, 4, 4, 2, 2, 2 };
    assert_int_equal(a.polygons[0].rings[0].npoints, 5);
    assert_memory_equal(a.polygons[0].rings[0].xy, shell, sizeof shell);
    assert_memory_equal(a.polygons[0].rings[1].xy, hole, sizeof hole);

    struct export_data *d = export_data_from_set(zone_set_create());
    d->areas = calloc(1, sizeof *d->areas);
    d->areas[0] = a;
    d->nareas = 1;
    export_data_destroy(d);                         /* frees the area too (ASan checks) */

    struct export_area m = { 0 };
    assert_int_equal(export_area_from_hex_wkb(&m, multi_hex, err, sizeof err), 0);
    assert_int_equal(m.npolygons, 2);
    assert_true(export_ring_signed_area2(m.polygons[0].rings[0].xy, 4) > 0);
    assert_true(export_ring_signed_area2(m.polygons[1].rings[0].xy, 4) > 0);
    d = export_data_from_set(zone_set_create());
    d->areas = calloc(1, sizeof *d->areas);
    d->areas[0] = m;
    d->nareas = 1;
    export_data_destroy(d);

    struct export_area bad = { 0 };
    assert_int_equal(export_area_from_hex_wkb(&bad, "0101000000", err, sizeof err), -1);
    assert_string_equal(err, "zone area: unreadable WKB");
    /* POINT(1 2): readable, not a polygon */
    assert_int_equal(export_area_from_hex_wkb(&bad,
        "0101000000000000000000f03f0000000000000040", err, sizeof err), -1);
    assert_string_equal(err, "zone area: not a polygon");
    assert_int_equal(bad.npolygons, 0);
}

/* Two zones (one with an area), two blocks, one intersection, with XML specials in names. */
static struct export_data *sample(void)
{
    struct zone_set *s = zone_set_create();
    const double l1[4] = { 76.9573, 43.265, 76.9573, 43.2627 };
    const double l2[6] = { 76.9417, 43.2378, 76.94435, 43.23781, 76.947, 43.2378 };
    const char *const zone_names[ZONE_NLANGS] = { "Зелёный базар", "Көк базар", NULL };
    const char *const street[ZONE_NLANGS] = { "Зенкова", "Зенков", "Zenkov St" };
    const char *const to[ZONE_NLANGS] = { NULL, "Жібек Жолы", NULL };
    struct zone_info *z = zone_set_add_zone(s, 1001, "Green Market", 15000, 1, 0, NULL);
    assert_int_equal(zone_names_set(&z->names, zone_names), 0);
    zone_set_add_zone(s, 1002, "A & B <Square>", 10000, 0, 12, "note \"quoted\"");
    struct zone_block *b = zone_set_add_block(s, 7, 1001, "Zenkov", "Makataev", "Zhibek Zholy",
                                              "both", EXPORT_OSM_CREDIT, 1, l1, 2);
    assert_int_equal(zone_names_set(&b->street_names, street), 0);
    assert_int_equal(zone_names_set(&b->to_names, to), 0);
    zone_set_add_block(s, 8, 1002, "Satpaev", "Zheltoksan", "Nazarbayev", "odd", NULL, 0, l2, 3);
    zone_set_add_intersection(s, "Zenkov", "Makataev", 76.9573, 43.265);
    struct export_data *d = export_data_from_set(s);
    d->areas = calloc(1, sizeof *d->areas);
    d->areas[0].zone = 1001;
    d->areas[0].area_m2 = 1234.5;
    assert_int_equal(export_area_from_hex_wkb(&d->areas[0], polygon_hex, NULL, 0), 0);
    d->nareas = 1;
    d->kerb_width_m = 6;
    return d;
}

static char *render(int (*writer)(FILE *, const struct export_data *), const struct export_data *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(writer(f, d), 0);
    fclose(f);
    return buf;
}

/* Both NULL, or equal strings. */
static int same_name(const char *a, const char *b)
{
    return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

static void test_geojson_round_trip(void **state)
{
    (void)state;
    struct export_data *d = sample();
    assert_int_equal(d->has_osm, 1);
    char *text = render(export_geojson, d);
    assert_non_null(strstr(text, "\"attribution\":\"\xc2\xa9 OpenStreetMap contributors, ODbL\""));
    assert_non_null(strstr(text, "\"coordinates\":[[76.9573000,43.2650000],[76.9573000,43.2627000]]"));
    assert_non_null(strstr(text, "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0.0000000,0.0000000],"
                                 "[10.0000000,0.0000000],[10.0000000,10.0000000]"));
    assert_non_null(strstr(text, "\"kind\":\"zone\",\"number\":1001,\"name\":\"Green Market\","
                                 "\"name_ru\":\"Зелёный базар\",\"name_kk\":\"Көк базар\","
                                 "\"name_en\":null,\"tariff_tiyn\":15000,\"active\":true,\"paid_hours\":null,"
                                 "\"note\":null,\"blocks\":1,\"area_m2\":1234.5}"));
    assert_non_null(strstr(text, "\"area_m2\":null},\"geometry\":null}"));
    assert_non_null(strstr(text, "{\"kind\":\"block\",\"id\":7,\"zone\":1001,"
        "\"street\":\"Zenkov\",\"street_ru\":\"Зенкова\",\"street_kk\":\"Зенков\","
        "\"street_en\":\"Zenkov St\",\"from_street\":\"Makataev\",\"from_street_ru\":null,"
        "\"from_street_kk\":null,\"from_street_en\":null,\"to_street\":\"Zhibek Zholy\","
        "\"to_street_ru\":null,\"to_street_kk\":\"Жібек Жолы\",\"to_street_en\":null,"
        "\"side\":\"both\",\"approximate\":true,"));

    struct geojson_report rep;
    geojson_report_init(&rep);
    struct zone_set *back = geojson_parse(text, strlen(text), NULL, &rep);
    assert_int_equal(geojson_report_count(&rep), 0);
    assert_non_null(back);
    const struct zone_set *s = d->set;
    assert_int_equal(back->nzones, 2);
    assert_int_equal(back->nblocks, 2);
    assert_int_equal(back->nintersections, 1);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(back->zones[i].number, s->zones[i].number);
        assert_string_equal(back->zones[i].name, s->zones[i].name);
        assert_int_equal(back->zones[i].tariff_tiyn, s->zones[i].tariff_tiyn);
        assert_int_equal(back->zones[i].active, s->zones[i].active);
        assert_int_equal(back->zones[i].paid_hours, s->zones[i].paid_hours);
        assert_string_equal(back->blocks[i].street, s->blocks[i].street);
        for (int l = 0; l < ZONE_NLANGS; l++) {
            assert_true(same_name(back->zones[i].names.in[l], s->zones[i].names.in[l]));
            assert_true(same_name(back->blocks[i].street_names.in[l],
                                  s->blocks[i].street_names.in[l]));
            assert_true(same_name(back->blocks[i].from_names.in[l], s->blocks[i].from_names.in[l]));
            assert_true(same_name(back->blocks[i].to_names.in[l], s->blocks[i].to_names.in[l]));
        }
        assert_string_equal(back->blocks[i].side, s->blocks[i].side);
        assert_int_equal(back->blocks[i].approximate, s->blocks[i].approximate);
        assert_int_equal(back->blocks[i].npoints, s->blocks[i].npoints);
        for (size_t k = 0; k < 2 * s->blocks[i].npoints; k++)
            assert_true(back->blocks[i].xy[k] == s->blocks[i].xy[k]);
    }
    assert_string_equal(back->zones[1].note, "note \"quoted\"");
    assert_null(back->blocks[1].source);
    zone_set_destroy(back);
    free(text);
    export_data_destroy(d);
}

static void test_kml(void **state)
{
    (void)state;
    struct export_data *d = sample();
    char *text = render(export_kml, d);
    static const char *const want[] = {
        "<Folder><name>zones</name>",
        "<Placemark><name>1002 A &amp; B &lt;Square&gt;</name><styleUrl>#zone1002</styleUrl>",
        "<SimpleData name=\"note\">note &quot;quoted&quot;</SimpleData>",
        "<SimpleData name=\"paid_hours\">12</SimpleData>",
        "<SimpleData name=\"active\">0</SimpleData>",
        "<outerBoundaryIs><LinearRing><coordinates>0.0000000,0.0000000 10.0000000,0.0000000",
        "<Style id=\"zone1001\"><LineStyle><color>ff779e1b</color>",
        "<LineString><coordinates>76.9573000,43.2650000 76.9573000,43.2627000</coordinates>",
        "<Point><coordinates>76.9573000,43.2650000</coordinates></Point>",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (strstr(text, want[i]) == NULL)
            fail_msg("KML lacks %s", want[i]);
    free(text);
    export_data_destroy(d);
}

static int svg_default(FILE *f, const struct export_data *d)
{
    struct export_svg_options o = { 900, "Test & map" };
    return export_svg(f, d, &o);
}

static void test_svg(void **state)
{
    (void)state;
    struct export_data *d = sample();
    char *text = render(svg_default, d);
    static const char *const want[] = {
        "width=\"900\"",
        ">Test &amp; map</text>",
        "<tspan font-weight=\"bold\">1001</tspan> Green Market \xe2\x80\x94 150 \xe2\x82\xb8/h \xe2\x80\x94 1 block</text>",
        "<tspan font-weight=\"bold\">1002</tspan> A &amp; B &lt;Square&gt; \xe2\x80\x94 100 \xe2\x82\xb8/h \xe2\x80\x94 1 block \xe2\x80\x94 inactive</text>",
        "stroke-dasharray=\"10 6\"",             /* the inactive zone's block */
        ">Zenkov</text>",
        ">Satpaev</text>",
        "Street data \xc2\xa9 OpenStreetMap contributors, ODbL.",
        " m</text>",
        "Where the panels lie",                 /* two panels 3 km apart */
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (strstr(text, want[i]) == NULL)
            fail_msg("SVG lacks %s", want[i]);
    free(text);
    export_data_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_orient),
        cmocka_unit_test(test_area_from_wkb),
        cmocka_unit_test(test_geojson_round_trip),
        cmocka_unit_test(test_kml),
        cmocka_unit_test(test_svg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
