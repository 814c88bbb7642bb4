/* export_geojson.c: zones (with their derived areas), blocks and intersections as one RFC 7946
 * FeatureCollection: lon/lat with 7 decimals, exterior rings counter-clockwise, one feature
 * per line. gis/data/README.md describes the properties; `parkzones import` reads it back. */
#include "export.h"

#include <jansson.h>

#include "geojson_in.h"

/* Writes the properties object (consumed) compactly, in insertion order. */
static int put_properties(FILE *f, json_t *props)
{
    if (props == NULL)
        return -1;
    int rc = json_dumpf(props, f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(props);
    return rc;
}

static void put_positions(FILE *f, const double *xy, size_t n)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s[%.7f,%.7f]", i ? "," : "", xy[2 * i], xy[2 * i + 1]);
    fputc(']', f);
}

static void put_area(FILE *f, const struct export_area *a)
{
    if (a == NULL || a->npolygons == 0) {
        fputs("null", f);
        return;
    }
    fputs("{\"type\":\"MultiPolygon\",\"coordinates\":[", f);
    for (size_t p = 0; p < a->npolygons; p++) {
        fputs(p ? ",[" : "[", f);
        for (size_t r = 0; r < a->polygons[p].nrings; r++) {
            if (r)
                fputc(',', f);
            put_positions(f, a->polygons[p].rings[r].xy, a->polygons[p].rings[r].npoints);
        }
        fputc(']', f);
    }
    fputs("]}", f);
}

static int put_zone(FILE *f, const struct export_data *d, const struct zone_info *z)
{
    const struct export_area *a = export_find_area(d, z->number);
    json_t *p = json_pack("{s:s, s:i, s:s}", "kind", "zone", "number", z->number,
                          "name", z->name);
    if (p == NULL || geojson_put_names(p, "name", &z->names) != 0 ||
        json_object_update_new(p, json_pack("{s:I, s:b, s:o, s:s?, s:I, s:o}",
            "tariff_tiyn", (json_int_t)z->tariff_tiyn, "active", z->active,
            "paid_hours", z->paid_hours > 0 ? json_integer(z->paid_hours) : json_null(),
            "note", z->note, "blocks", (json_int_t)zone_set_count_blocks(d->set, z->number),
            "area_m2", a ? json_real(a->area_m2) : json_null())) != 0) {
        json_decref(p);
        return -1;
    }
    fputs("{\"type\":\"Feature\",\"properties\":", f);
    if (put_properties(f, p) != 0)
        return -1;
    fputs(",\"geometry\":", f);
    put_area(f, a);
    fputs("}", f);
    return 0;
}

/* A street's plain name and its names in the languages (street, street_ru, ...). */
static int put_street(json_t *p, const char *base, const char *name, const struct zone_names *n)
{
    return json_object_set_new(p, base, json_string(name)) != 0 ||
           geojson_put_names(p, base, n) != 0 ? -1 : 0;
}

static int put_block(FILE *f, const struct zone_block *b)
{
    json_t *p = json_pack("{s:s, s:I, s:i}", "kind", "block", "id", (json_int_t)b->id,
                          "zone", b->zone);
    if (p == NULL || put_street(p, "street", b->street, &b->street_names) != 0 ||
        put_street(p, "from_street", b->from_street, &b->from_names) != 0 ||
        put_street(p, "to_street", b->to_street, &b->to_names) != 0 ||
        json_object_update_new(p, json_pack("{s:s?, s:b, s:s?}", "side", b->side,
                                            "approximate", b->approximate,
                                            "source", b->source)) != 0) {
        json_decref(p);
        return -1;
    }
    fputs("{\"type\":\"Feature\",\"properties\":", f);
    if (put_properties(f, p) != 0)
        return -1;
    fputs(",\"geometry\":", f);
    if (b->npoints < 2) {
        fputs("null", f);
    } else {
        fputs("{\"type\":\"LineString\",\"coordinates\":", f);
        put_positions(f, b->xy, b->npoints);
        fputc('}', f);
    }
    fputs("}", f);
    return 0;
}

static int put_intersection(FILE *f, const struct zone_intersection *x)
{
    json_t *p = json_pack("{s:s, s:s, s:s}", "kind", "intersection", "name_a", x->name_a,
                          "name_b", x->name_b);
    fputs("{\"type\":\"Feature\",\"properties\":", f);
    if (put_properties(f, p) != 0)
        return -1;
    fprintf(f, ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]}}", x->lon, x->lat);
    return 0;
}

int export_geojson(FILE *f, const struct export_data *d)
{
    const struct zone_set *s = d->set;
    size_t n = 0;
    int rc = 0;
    fputs("{\"type\":\"FeatureCollection\",\"name\":\"parkzones\"", f);
    if (d->has_osm)
        fputs(",\"attribution\":\"" EXPORT_OSM_CREDIT "\"", f);
    fputs(",\"features\":[\n", f);
    for (size_t i = 0; rc == 0 && i < s->nzones; i++, n++) {
        fputs(n ? ",\n" : "", f);
        rc = put_zone(f, d, &s->zones[i]);
    }
    for (size_t i = 0; rc == 0 && i < s->nblocks; i++, n++) {
        fputs(n ? ",\n" : "", f);
        rc = put_block(f, &s->blocks[i]);
    }
    for (size_t i = 0; rc == 0 && i < s->nintersections; i++, n++) {
        fputs(n ? ",\n" : "", f);
        rc = put_intersection(f, &s->intersections[i]);
    }
    fputs("\n]}\n", f);
    return rc == 0 && !ferror(f) ? 0 : -1;
}
