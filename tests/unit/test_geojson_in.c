/* test_geojson_in.c: table-driven tests of the GeoJSON reader. Each row is a document (written
   with ' for " to stay readable), the zones it may assume exist elsewhere, and either the
   exact counts it yields or the exact problems ("where: what"), in order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "geojson_in.h"

#define MAXP 5

struct parse_case {
    const char *name;
    const char *doc;              /* ' stands for " */
    int db_zones[2];              /* zones "in the database" (0 ends); db_zones[0] = -1: no callback */
    size_t nzones, nblocks, nintersections;
    const char *problems[MAXP];   /* exact "where: what", NULL ends; none: must parse */
};

/* Building blocks for documents. */
#define FC(features) "{'type':'FeatureCollection','features':[" features "]}"
#define ZONE "{'type':'Feature','properties':{'kind':'zone','number':1001,'name':'Green Market'," \
             "'tariff_tiyn':15000},'geometry':null}"
#define LINE "{'type':'LineString','coordinates':[[76.9573,43.265],[76.9573,43.2627]]}"
#define BLOCK(props, geom) "{'type':'Feature','properties':{'kind':'block','zone':1001," \
             "'street':'Zenkov','from_street':'A','to_street':'B'" props "},'geometry':" geom "}"
#define CROSS(a, b) "{'type':'Feature','properties':{'kind':'intersection','name_a':'" a "'," \
             "'name_b':'" b "'},'geometry':{'type':'Point','coordinates':[76.9573,43.265]}}"
#define NOCB { -1, 0 }
/* A zone and a block with the given extra properties (names in the languages). */
#define ZONE_WITH(props) "{'type':'Feature','properties':{'kind':'zone','number':1001," \
             "'name':'Green Market','tariff_tiyn':15000" props "},'geometry':null}"
#define ZH32 "\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6" \
             "\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6"   /* 16 ж: 32 bytes */
#define ZH128 ZH32 ZH32 ZH32 ZH32
#define ZH15 "\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6" \
             "\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6\xd0\xb6"           /* 15 ж: 30 bytes */

static const struct parse_case cases[] = {
    { "zone, block, intersection", FC(ZONE "," BLOCK("", LINE) "," CROSS("Zenkov", "A")),
      NOCB, 1, 1, 1, { NULL } },
    { "kind from geometry",
      FC("{'type':'Feature','properties':{'number':1,'name':'N','tariff_tiyn':1},'geometry':null},"
         "{'type':'Feature','properties':{'zone':1,'street':'S','from_street':'A','to_street':'B'},"
         "'geometry':" LINE "},"
         "{'type':'Feature','properties':{'name_a':'S','name_b':'A'},"
         "'geometry':{'type':'Point','coordinates':[1,2]}}"),
      NOCB, 1, 1, 1, { NULL } },
    { "zone with a derived area", FC("{'type':'Feature','properties':{'kind':'zone','number':7,"
         "'name':'N','tariff_tiyn':1},'geometry':{'type':'MultiPolygon','coordinates':[]}}"),
      NOCB, 1, 0, 0, { NULL } },
    { "altitude ignored", FC(ZONE "," BLOCK("", "{'type':'LineString','coordinates':"
         "[[76.9,43.2,800],[76.91,43.2,801]]}")), NOCB, 1, 1, 0, { NULL } },
    { "empty collection", FC(""), NOCB, 0, 0, 0, { NULL } },
    { "CRS84 accepted", "{'type':'FeatureCollection','crs':{'type':'name','properties':"
         "{'name':'urn:ogc:def:crs:OGC:1.3:CRS84'}},'features':[]}", NOCB, 0, 0, 0, { NULL } },
    { "zone known to the database", FC(BLOCK("", LINE)), { 1001, 0 }, 0, 1, 0, { NULL } },
    { "same street, other side", FC(ZONE "," BLOCK(",'side':'odd'", LINE) "," BLOCK(",'side':'even'", LINE)),
      NOCB, 1, 2, 0, { NULL } },

    /* the document */
    { "not JSON", "{'type':", NOCB, 0, 0, 0,
      { "invalid JSON at line 1 column 8: unexpected token near end of file" } },
    { "duplicate key", "{'type':'FeatureCollection','type':'x','features':[]}", NOCB, 0, 0, 0,
      { "invalid JSON at line 1 column 34: duplicate object key near '\"type\"'" } },
    { "an array", "[]", NOCB, 0, 0, 0, { "the document must be a GeoJSON object, got an array" } },
    { "a Feature", "{'type':'Feature','properties':{},'geometry':null}", NOCB, 0, 0, 0,
      { "type: must be \"FeatureCollection\", got Feature" } },
    { "no features", "{'type':'FeatureCollection'}", NOCB, 0, 0, 0,
      { "features: must be an array of Features" } },
    { "projected crs", "{'type':'FeatureCollection','crs':{'type':'name','properties':"
         "{'name':'urn:ogc:def:crs:EPSG::32643'}},'features':[]}", NOCB, 0, 0, 0,
      { "crs: only lon/lat WGS 84 (EPSG:4326, CRS84) is supported, got urn:ogc:def:crs:EPSG::32643" } },

    /* features */
    { "feature not an object", FC("1"), NOCB, 0, 0, 0,
      { "features[0]: must be a Feature object, got an integer" } },
    { "feature type", FC("{'type':'Point','coordinates':[1,2]}"), NOCB, 0, 0, 0,
      { "features[0].type: must be \"Feature\"" } },
    { "no properties", FC("{'type':'Feature','geometry':null}"), NOCB, 0, 0, 0,
      { "features[0].properties: must be an object, got nothing" } },
    { "unknown kind", FC("{'type':'Feature','properties':{'kind':'road'},'geometry':null}"), NOCB,
      0, 0, 0, { "features[0].properties.kind: \"road\" is not a kind (zone, block or intersection)" } },
    { "unknown geometry without kind", FC("{'type':'Feature','properties':{},'geometry':"
         "{'type':'MultiLineString','coordinates':[]}}"), NOCB, 0, 0, 0,
      { "features[0].geometry.type: MultiLineString is not a geometry this file can hold "
        "(LineString blocks, Point intersections, zones); properties.kind is missing too" } },
    { "geometry not an object", FC(ZONE "," BLOCK("", "5")), NOCB, 0, 0, 0,
      { "features[1].geometry: must be an object or null, got an integer" } },

    /* zones */
    { "zone number too big", FC("{'type':'Feature','properties':{'kind':'zone','number':10000,"
         "'name':'N','tariff_tiyn':1},'geometry':null}"), NOCB, 0, 0, 0,
      { "features[0].properties.number: 10000 is out of range (0..9999)" } },
    { "zone number fractional", FC("{'type':'Feature','properties':{'kind':'zone','number':1001.5,"
         "'name':'N','tariff_tiyn':1},'geometry':null}"), NOCB, 0, 0, 0,
      { "features[0].properties.number: must be an integer, got a fractional number" } },
    { "zone problems all reported", FC("{'type':'Feature','properties':{'kind':'zone','number':'1001',"
         "'name':'  ','tariff_tiyn':0,'active':'yes'},'geometry':null}"), NOCB, 0, 0, 0,
      { "features[0].properties.number: must be an integer, got a string",
        "features[0].properties.name: must not be empty",
        "features[0].properties.tariff_tiyn: 0 is out of range (1..100000000)",
        "features[0].properties.active: must be true or false, got a string" } },
    { "zone without tariff, bad paid hours", FC("{'type':'Feature','properties':{'kind':'zone',"
         "'number':1,'name':'N','paid_hours':25},'geometry':null}"), NOCB, 0, 0, 0,
      { "features[0].properties.tariff_tiyn: missing (an integer 1..100000000 is required)",
        "features[0].properties.paid_hours: 25 is out of range (1..24)" } },
    { "zone with a line", FC("{'type':'Feature','properties':{'kind':'zone','number':1,'name':'N',"
         "'tariff_tiyn':1},'geometry':" LINE "}"), NOCB, 0, 0, 0,
      { "features[0].geometry.type: a zone has no geometry of its own (or its derived "
        "Polygon/MultiPolygon area), got LineString" } },
    { "zone twice", FC(ZONE "," ZONE), NOCB, 0, 0, 0,
      { "features[1].properties.number: zone 1001 is defined twice (also features[0])" } },

    /* blocks */
    { "block as a point", FC(ZONE "," BLOCK("", "{'type':'Point','coordinates':[76.9,43.2]}")),
      NOCB, 0, 0, 0, { "features[1].geometry.type: a block needs a LineString, got Point" } },
    /* found by tests/fuzz/fuzz_geojson.c: a Point without coordinates read a NULL's type */
    { "point without coordinates", FC("{'type':'Feature','properties':{'kind':'intersection',"
         "'name_a':'A','name_b':'B'},'geometry':{'type':'Point'}}"), NOCB, 0, 0, 0,
      { "features[0].geometry.coordinates: a position must be an array [lon, lat], got nothing" } },
    { "block without geometry", FC(ZONE "," BLOCK("", "null")), NOCB, 0, 0, 0,
      { "features[1].geometry: a block needs a LineString, got no geometry" } },
    { "one position", FC(ZONE "," BLOCK("", "{'type':'LineString','coordinates':[[76.9,43.2]]}")),
      NOCB, 0, 0, 0,
      { "features[1].geometry.coordinates: a LineString needs at least 2 positions, got 1" } },
    { "bad positions", FC(ZONE "," BLOCK("", "{'type':'LineString','coordinates':"
         "[[76.9],['76.9',43.2],[181,43.2],[76.9,-90.5],7]}")), NOCB, 0, 0, 0,
      { "features[1].geometry.coordinates[0]: a position needs 2 numbers [lon, lat] (or 3 with altitude), got 1",
        "features[1].geometry.coordinates[1]: coordinates must be numbers, got a string",
        "features[1].geometry.coordinates[2]: longitude 181.0000000 is out of range (-180..180)",
        "features[1].geometry.coordinates[3]: latitude -90.5000000 is out of range (-90..90); GeoJSON is [lon, lat]",
        "features[1].geometry.coordinates[4]: a position must be an array [lon, lat], got an integer" } },
    { "block properties", FC(ZONE ",{'type':'Feature','properties':{'kind':'block','zone':1001,"
         "'street':5,'to_street':'','side':'north','approximate':1},'geometry':" LINE "}"),
      NOCB, 0, 0, 0,
      { "features[1].properties.street: must be a string, got an integer",
        "features[1].properties.from_street: missing (a non-empty string is required)",
        "features[1].properties.to_street: must not be empty",
        "features[1].properties.side: \"north\" is not a side (both, odd, even, left, right)",
        "features[1].properties.approximate: must be true or false, got an integer" } },
    { "unknown zone, no database", FC(BLOCK("", LINE)), NOCB, 0, 0, 0,
      { "features[0].properties.zone: zone 1001 is not defined in the file" } },
    { "unknown zone, database", FC(BLOCK("", LINE)), { 1002, 0 }, 0, 0, 0,
      { "features[0].properties.zone: zone 1001 is not defined in the file or in the database" } },
    { "block twice", FC(ZONE "," BLOCK("", LINE) "," BLOCK(",'side':'both'", LINE)), NOCB, 0, 0, 0,
      { "features[2].properties: same block as features[1] (zone 1001, Zenkov from A to B, side both)" } },
    { "problems in feature order", FC(BLOCK("", LINE) "," BLOCK(",'side':'up'", LINE)), NOCB, 0, 0, 0,
      { "features[0].properties.zone: zone 1001 is not defined in the file",
        "features[1].properties.side: \"up\" is not a side (both, odd, even, left, right)" } },

    /* names in the drivers' languages */
    { "names in three languages", FC(ZONE_WITH(",'name_ru':'Зелёный базар','name_kk':'Көк базар',"
         "'name_en':'Green Market'") "," BLOCK(",'street_ru':'Зенкова','street_kk':'Зенков',"
         "'from_street_en':'A','to_street_kk':'Жібек Жолы'", LINE)), NOCB, 1, 1, 0, { NULL } },
    { "names null or absent", FC(ZONE_WITH(",'name_ru':null") "," BLOCK(",'to_street_en':null",
         LINE)), NOCB, 1, 1, 0, { NULL } },
    { "names at the longest", FC(ZONE_WITH(",'name_kk':'" ZH128 ZH32 ZH32 ZH32 ZH15 "z'") ","
         BLOCK(",'street_en':'" ZH32 ZH32 ZH32 ZH15 "z'", LINE)), NOCB, 1, 1, 0, { NULL } },
    { "zone names: blank, a number, too long", FC(ZONE_WITH(",'name_ru':' ','name_kk':5,"
         "'name_en':'" ZH128 ZH128 "'")), NOCB, 0, 0, 0,
      { "features[0].properties.name_ru: must not be blank (leave it out, or null, to use name)",
        "features[0].properties.name_kk: must be a string, got an integer",
        "features[0].properties.name_en: is 256 bytes long, at most 255 bytes of UTF-8" } },
    { "street names: too long, a line break, blank", FC(ZONE "," BLOCK(",'street_kk':'" ZH128 "',"
         "'from_street_ru':'\u0416\\nX','to_street_en':''", LINE)), NOCB, 0, 0, 0,
      { "features[1].properties.street_kk: is 128 bytes long, at most 127 bytes of UTF-8",
        "features[1].properties.from_street_ru: must not contain a control character (byte 0x0a at 2)",
        "features[1].properties.to_street_en: must not be blank (leave it out, or null, to use to_street)" } },
    { "a name not in UTF-8", FC(ZONE_WITH(",'name_ru':'\xc7\xe5\xeb'")), NOCB, 0, 0, 0,
      { "invalid JSON at line 1 column 153: unable to decode byte 0xc7 near '\"' "
        "(the file must be UTF-8)" } },

    /* intersections */
    { "intersection as a line", FC("{'type':'Feature','properties':{'kind':'intersection',"
         "'name_a':'A','name_b':'B'},'geometry':" LINE "}"), NOCB, 0, 0, 0,
      { "features[0].geometry.type: an intersection needs a Point, got LineString" } },
    { "intersection outside the world", FC("{'type':'Feature','properties':{'name_a':'A'},"
         "'geometry':{'type':'Point','coordinates':[76.9,91]}}"), NOCB, 0, 0, 0,
      { "features[0].properties.name_b: missing (a non-empty string is required)",
        "features[0].geometry.coordinates: latitude 91.0000000 is out of range (-90..90); GeoJSON is [lon, lat]" } },
    { "intersection twice, names swapped", FC(CROSS("A", "B") "," CROSS("B", "A")), NOCB, 0, 0, 0,
      { "features[1].properties: intersection B / A is defined twice (also features[0])" } },
};

static char *unquote(const char *doc)
{
    char *s = strdup(doc);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    return s;
}

static int known(void *arg, int number)
{
    const int *zones = arg;
    for (int i = 0; i < 2 && zones[i] != 0; i++)
        if (zones[i] == number)
            return 1;
    return 0;
}

static void run_case(const struct parse_case *c)
{
    struct geojson_report rep;
    struct geojson_options opt = { known, (void *)c->db_zones };
    char *doc = unquote(c->doc);
    geojson_report_init(&rep);
    struct zone_set *s = geojson_parse(doc, strlen(doc), c->db_zones[0] == -1 ? NULL : &opt, &rep);
    size_t want = 0;
    while (want < MAXP && c->problems[want] != NULL)
        want++;
    for (size_t i = 0; i < rep.nproblems; i++) {
        char got[GEOJSON_WHERE_MAX + GEOJSON_WHAT_MAX + 4];
        snprintf(got, sizeof got, "%s%s%s", rep.problems[i].where,
                 rep.problems[i].where[0] ? ": " : "", rep.problems[i].what);
        if (i >= want)
            fail_msg("%s: unexpected problem \"%s\"", c->name, got);
        else if (strcmp(got, c->problems[i]) != 0)
            fail_msg("%s: problem %zu\n  got  \"%s\"\n  want \"%s\"", c->name, i, got, c->problems[i]);
    }
    if (rep.nproblems != want)
        fail_msg("%s: %zu problems, want %zu", c->name, rep.nproblems, want);
    if (want == 0) {
        assert_non_null(s);
        assert_int_equal(s->nzones, c->nzones);
        assert_int_equal(s->nblocks, c->nblocks);
        assert_int_equal(s->nintersections, c->nintersections);
    } else {
        assert_null(s);
    }
    zone_set_destroy(s);
    geojson_report_clear(&rep);
    free(doc);
}

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i]);
}

/* Every value of a parsed zone, block and intersection, defaults included. */
static void test_values(void **state)
{
    (void)state;
    char *doc = unquote(FC(
        "{'type':'Feature','properties':{'kind':'zone','number':42,'name':'Green Market',"
        "'name_ru':'Зелёный базар','name_kk':'Көк базар','name_en':null,"
        "'tariff_tiyn':15000,'active':false,'paid_hours':12,'note':'n'},'geometry':null},"
        "{'type':'Feature','properties':{'kind':'zone','number':43,'name':'Other',"
        "'tariff_tiyn':1,'note':null},'geometry':null},"
        "{'type':'Feature','properties':{'kind':'block','zone':42,'street':'Zenkov',"
        "'from_street':'Makataev','to_street':'Zhibek Zholy','side':'left','approximate':true,"
        "'street_ru':'Зенкова','from_street_kk':'Мақатаев','to_street_en':'Zhibek Zholy St',"
        "'source':'\xc2\xa9 OSM','extra':[1]},'geometry':{'type':'LineString','coordinates':"
        "[[76.9573,43.265],[76.9574,43.2638],[76.9573,43.2627]]}},"
        "{'type':'Feature','properties':{'kind':'block','zone':43,'street':'S','from_street':'A',"
        "'to_street':'B'},'geometry':" LINE "},"
        "{'type':'Feature','properties':{'kind':'intersection','name_a':'Zenkov',"
        "'name_b':'Gogol'},'geometry':{'type':'Point','coordinates':[76.9573,43.2604]}}"));
    struct geojson_report rep;
    geojson_report_init(&rep);
    struct zone_set *s = geojson_parse(doc, strlen(doc), NULL, &rep);
    assert_non_null(s);
    assert_int_equal(geojson_report_count(&rep), 0);

    const struct zone_info *z = &s->zones[0];
    assert_int_equal(z->number, 42);
    assert_string_equal(z->name, "Green Market");
    assert_int_equal(z->tariff_tiyn, 15000);
    assert_int_equal(z->active, 0);
    assert_int_equal(z->paid_hours, 12);
    assert_string_equal(z->note, "n");
    assert_string_equal(z->names.in[ZONE_LANG_RU], "Зелёный базар");
    assert_string_equal(z->names.in[ZONE_LANG_KK], "Көк базар");
    assert_null(z->names.in[ZONE_LANG_EN]);
    z = &s->zones[1];
    for (int l = 0; l < ZONE_NLANGS; l++)
        assert_null(z->names.in[l]);
    assert_int_equal(z->active, 1);
    assert_int_equal(z->paid_hours, 0);
    assert_null(z->note);

    const struct zone_block *b = &s->blocks[0];
    assert_int_equal(b->zone, 42);
    assert_string_equal(b->street, "Zenkov");
    assert_string_equal(b->from_street, "Makataev");
    assert_string_equal(b->to_street, "Zhibek Zholy");
    assert_string_equal(b->side, "left");
    assert_string_equal(b->source, "\xc2\xa9 OSM");
    assert_int_equal(b->approximate, 1);
    assert_string_equal(b->street_names.in[ZONE_LANG_RU], "Зенкова");
    assert_null(b->street_names.in[ZONE_LANG_KK]);
    assert_null(b->street_names.in[ZONE_LANG_EN]);
    assert_null(b->from_names.in[ZONE_LANG_RU]);
    assert_string_equal(b->from_names.in[ZONE_LANG_KK], "Мақатаев");
    assert_null(b->from_names.in[ZONE_LANG_EN]);
    assert_null(b->to_names.in[ZONE_LANG_RU]);
    assert_null(b->to_names.in[ZONE_LANG_KK]);
    assert_string_equal(b->to_names.in[ZONE_LANG_EN], "Zhibek Zholy St");
    assert_int_equal(b->npoints, 3);
    const double xy[6] = { 76.9573, 43.265, 76.9574, 43.2638, 76.9573, 43.2627 };
    for (int i = 0; i < 6; i++)
        assert_true(b->xy[i] == xy[i]);
    b = &s->blocks[1];
    assert_string_equal(b->side, "both");
    assert_int_equal(b->approximate, 0);
    assert_null(b->source);

    const struct zone_intersection *x = &s->intersections[0];
    assert_string_equal(x->name_a, "Zenkov");
    assert_string_equal(x->name_b, "Gogol");
    assert_true(x->lon == 76.9573 && x->lat == 43.2604);
    zone_set_destroy(s);
    geojson_report_clear(&rep);
    free(doc);
}

/* A report keeps GEOJSON_MAX_PROBLEMS and counts the rest. */
static void test_many_problems(void **state)
{
    (void)state;
    size_t n = GEOJSON_MAX_PROBLEMS + 100, len = 64 + n * 4;
    char *doc = malloc(len), *p = doc;
    p += sprintf(p, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s1", i ? "," : "");
    strcpy(p, "]}");
    struct geojson_report rep;
    geojson_report_init(&rep);
    assert_null(geojson_parse(doc, strlen(doc), NULL, &rep));
    assert_int_equal(rep.nproblems, GEOJSON_MAX_PROBLEMS);
    assert_int_equal(rep.dropped, 100);
    assert_int_equal(geojson_report_count(&rep), n);
    assert_string_equal(rep.problems[499].where, "features[499]");
    geojson_report_clear(&rep);
    assert_int_equal(geojson_report_count(&rep), 0);
    free(doc);
}

static void test_read_file(void **state)
{
    (void)state;
    struct geojson_report rep;
    geojson_report_init(&rep);
    assert_null(geojson_read_file("/nonexistent/zones.geojson", NULL, &rep));
    assert_int_equal(rep.nproblems, 1);
    assert_int_equal(rep.problems[0].feature, -1);
    assert_string_equal(rep.problems[0].what,
                        "cannot read /nonexistent/zones.geojson: No such file or directory");
    geojson_report_clear(&rep);
    assert_null(geojson_read_file("/", NULL, &rep));
    assert_string_equal(rep.problems[0].what, "cannot read /: Is a directory");
    geojson_report_clear(&rep);

    char path[] = "/tmp/test_geojson_in-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    char *doc = unquote(FC(ZONE "," BLOCK("", LINE)));
    fputs(doc, f);
    fclose(f);
    struct zone_set *s = geojson_read_file(path, NULL, &rep);
    unlink(path);
    assert_non_null(s);
    assert_int_equal(s->nblocks, 1);
    zone_set_destroy(s);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_many_problems),
        cmocka_unit_test(test_read_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
