/* geojson_in.c: GeoJSON FeatureCollection -> struct zone_set, reporting every problem (jansson). */
#include "geojson_in.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { KIND_NONE, KIND_ZONE, KIND_BLOCK, KIND_INTERSECTION };

struct parser {
    struct zone_set *set;
    struct geojson_report *rep;
    const struct geojson_options *opt;
    long feature;              /* index of the feature being parsed */
    long *zone_at, *block_at, *inter_at;   /* feature index of each parsed element */
    int oom;
};

/* ---- the report ------------------------------------------------------------------------- */

void geojson_report_init(struct geojson_report *r)
{
    memset(r, 0, sizeof *r);
}

void geojson_report_clear(struct geojson_report *r)
{
    free(r->problems);
    geojson_report_init(r);
}

size_t geojson_report_count(const struct geojson_report *r)
{
    return r->nproblems + r->dropped;
}

static void vadd(struct geojson_report *r, long feature, const char *where,
                 const char *fmt, va_list ap)
{
    if (r->nproblems == GEOJSON_MAX_PROBLEMS) {
        r->dropped++;
        return;
    }
    if (r->nproblems == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        struct geojson_problem *p = realloc(r->problems, cap * sizeof *p);
        if (p == NULL) {
            r->dropped++;
            return;
        }
        r->problems = p;
        r->cap = cap;
    }
    struct geojson_problem *p = &r->problems[r->nproblems++];
    p->feature = feature;
    snprintf(p->where, sizeof p->where, "%s", where);
    vsnprintf(p->what, sizeof p->what, fmt, ap);
}

static void doc_problem(struct geojson_report *r, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(r, -1, where, fmt, ap);
    va_end(ap);
}

/* A problem of feature f at "features[f]" + sub (e.g. ".properties.zone"). */
static void problem_at(struct parser *p, long f, const char *sub, const char *fmt, ...)
{
    char where[GEOJSON_WHERE_MAX];
    va_list ap;
    snprintf(where, sizeof where, "features[%ld]%s", f, sub);
    va_start(ap, fmt);
    vadd(p->rep, f, where, fmt, ap);
    va_end(ap);
}

#define PROBLEM(p, sub, ...) problem_at((p), (p)->feature, (sub), __VA_ARGS__)

static const char *type_name(const json_t *v)
{
    if (v == NULL)
        return "nothing"; /* an absent member: json_typeof() cannot take NULL */
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a fractional number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* ---- properties ------------------------------------------------------------------------- */

/* Integer property in [min, max]. Returns 1 and sets *out when given, 0 when absent or null
 * (a problem when required), -1 after a problem. */
static int get_int(struct parser *p, json_t *props, const char *name, int required,
                   long min, long max, long *out)
{
    char sub[GEOJSON_WHERE_MAX];
    json_t *v = json_object_get(props, name);
    snprintf(sub, sizeof sub, ".properties.%s", name);
    if (v == NULL || json_is_null(v)) {
        if (required)
            PROBLEM(p, sub, "missing (an integer %ld..%ld is required)", min, max);
        return required ? -1 : 0;
    }
    if (!json_is_integer(v)) {
        PROBLEM(p, sub, "must be an integer, got %s", type_name(v));
        return -1;
    }
    json_int_t n = json_integer_value(v);
    if (n < min || n > max) {
        PROBLEM(p, sub, "%lld is out of range (%ld..%ld)", (long long)n, min, max);
        return -1;
    }
    *out = (long)n;
    return 1;
}

/* Whether s holds nothing but spaces, tabs and line ends. */
static int blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

/* String property; required ones must not be blank. Same returns as get_int; *out borrows. */
static int get_string(struct parser *p, json_t *props, const char *name, int required,
                      const char **out)
{
    char sub[GEOJSON_WHERE_MAX];
    json_t *v = json_object_get(props, name);
    snprintf(sub, sizeof sub, ".properties.%s", name);
    if (v == NULL || json_is_null(v)) {
        if (required)
            PROBLEM(p, sub, "missing (a non-empty string is required)");
        return required ? -1 : 0;
    }
    if (!json_is_string(v)) {
        PROBLEM(p, sub, "must be a string, got %s", type_name(v));
        return -1;
    }
    const char *s = json_string_value(v);
    if (required && blank(s)) {
        PROBLEM(p, sub, "must not be empty");
        return -1;
    }
    *out = s;
    return 1;
}

/* The optional names of `base` in the drivers' languages (base_ru, base_kk, base_en): each
 * absent, null, or a string that is not blank, has no control character and fits max bytes.
 * out[] borrows. Returns 0, or -1 after a problem. */
static int get_names(struct parser *p, json_t *props, const char *base, size_t max,
                     const char *out[ZONE_NLANGS])
{
    int bad = 0;

    for (int l = 0; l < ZONE_NLANGS; l++) {
        char name[ZONE_NAMES_KEY_MAX], sub[GEOJSON_WHERE_MAX];
        const char *v = NULL;
        zone_names_key(name, base, l);
        snprintf(sub, sizeof sub, ".properties.%s", name);
        int given = get_string(p, props, name, 0, &v);
        out[l] = NULL;
        bad |= given < 0;
        if (given <= 0)
            continue;
        size_t len = strlen(v);
        const char *ctl = v;
        while (*ctl != '\0' && (unsigned char)*ctl >= 0x20 && *ctl != 0x7f)
            ctl++;
        if (blank(v))
            PROBLEM(p, sub, "must not be blank (leave it out, or null, to use %s)", base);
        else if (*ctl != '\0')
            PROBLEM(p, sub, "must not contain a control character (byte 0x%02x at %zu)",
                    (unsigned char)*ctl, (size_t)(ctl - v));
        else if (len > max)
            PROBLEM(p, sub, "is %zu bytes long, at most %zu bytes of UTF-8", len, max);
        else
            out[l] = v;
        bad |= out[l] == NULL;
    }
    return bad ? -1 : 0;
}

int geojson_put_names(json_t *obj, const char *base, const struct zone_names *n)
{
    for (int l = 0; l < ZONE_NLANGS; l++) {
        char key[ZONE_NAMES_KEY_MAX];
        if (json_object_set_new(obj, zone_names_key(key, base, l),
                                n->in[l] != NULL ? json_string(n->in[l]) : json_null()) != 0)
            return -1;
    }
    return 0;
}

/* Boolean property; same returns as get_int. */
static int get_bool(struct parser *p, json_t *props, const char *name, int *out)
{
    char sub[GEOJSON_WHERE_MAX];
    json_t *v = json_object_get(props, name);
    snprintf(sub, sizeof sub, ".properties.%s", name);
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_boolean(v)) {
        PROBLEM(p, sub, "must be true or false, got %s", type_name(v));
        return -1;
    }
    *out = json_is_true(v);
    return 1;
}

/* ---- geometry --------------------------------------------------------------------------- */

/* One position [lon, lat(, alt)] at sub; 0 or -1 after a problem. */
static int parse_position(struct parser *p, json_t *pos, const char *sub, double out[2])
{
    if (!json_is_array(pos)) {
        PROBLEM(p, sub, "a position must be an array [lon, lat], got %s", type_name(pos));
        return -1;
    }
    size_t n = json_array_size(pos);
    if (n < 2 || n > 3) {
        PROBLEM(p, sub, "a position needs 2 numbers [lon, lat] (or 3 with altitude), got %zu", n);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(pos, i);
        if (!json_is_number(c)) {
            PROBLEM(p, sub, "coordinates must be numbers, got %s", type_name(c));
            return -1;
        }
    }
    out[0] = json_number_value(json_array_get(pos, 0));
    out[1] = json_number_value(json_array_get(pos, 1));
    if (out[0] < -180.0 || out[0] > 180.0) {
        PROBLEM(p, sub, "longitude %.7f is out of range (-180..180)", out[0]);
        return -1;
    }
    if (out[1] < -90.0 || out[1] > 90.0) {
        PROBLEM(p, sub, "latitude %.7f is out of range (-90..90); GeoJSON is [lon, lat]", out[1]);
        return -1;
    }
    return 0;
}

/* The geometry's "type" string, or NULL for a null geometry. Returns -1 after a problem. */
static int geometry_type(struct parser *p, json_t *geom, const char **type)
{
    *type = NULL;
    if (geom == NULL || json_is_null(geom))
        return 0;
    if (!json_is_object(geom)) {
        PROBLEM(p, ".geometry", "must be an object or null, got %s", type_name(geom));
        return -1;
    }
    json_t *t = json_object_get(geom, "type");
    if (!json_is_string(t)) {
        PROBLEM(p, ".geometry.type", "missing or not a string");
        return -1;
    }
    *type = json_string_value(t);
    return 0;
}

/* A LineString's coordinates into a new lon,lat array (*xy, caller frees). */
static int parse_linestring(struct parser *p, json_t *geom, double **xy, size_t *npoints)
{
    json_t *coords = json_object_get(geom, "coordinates");
    *xy = NULL;
    *npoints = 0;
    if (!json_is_array(coords)) {
        PROBLEM(p, ".geometry.coordinates", "must be an array of positions");
        return -1;
    }
    size_t n = json_array_size(coords);
    if (n < 2) {
        PROBLEM(p, ".geometry.coordinates", "a LineString needs at least 2 positions, got %zu", n);
        return -1;
    }
    double *pts = malloc(2 * n * sizeof *pts);
    if (pts == NULL) {
        p->oom = 1;
        return -1;
    }
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        char sub[GEOJSON_WHERE_MAX];
        snprintf(sub, sizeof sub, ".geometry.coordinates[%zu]", i);
        if (parse_position(p, json_array_get(coords, i), sub, &pts[2 * i]) != 0)
            bad = 1;
    }
    if (bad) {
        free(pts);
        return -1;
    }
    *xy = pts;
    *npoints = n;
    return 0;
}

/* ---- features --------------------------------------------------------------------------- */

static int remember(struct parser *p, long **at, size_t n)
{
    long *a = realloc(*at, (n + 1) * sizeof *a);
    if (a == NULL) {
        p->oom = 1;
        return -1;
    }
    a[n] = p->feature;
    *at = a;
    return 0;
}

static void parse_zone(struct parser *p, json_t *props, const char *gtype)
{
    long number = 0, tariff = 0, paid_hours = 0;
    const char *name = NULL, *note = NULL, *names[ZONE_NLANGS];
    int active = 1, bad = 0;
    struct zone_info *z;

    if (gtype != NULL && strcmp(gtype, "Polygon") != 0 && strcmp(gtype, "MultiPolygon") != 0) {
        PROBLEM(p, ".geometry.type", "a zone has no geometry of its own (or its derived "
                "Polygon/MultiPolygon area), got %s", gtype);
        bad = 1;
    }
    bad |= get_int(p, props, "number", 1, 0, 9999, &number) < 0;
    bad |= get_string(p, props, "name", 1, &name) < 0;
    bad |= get_names(p, props, "name", ZONE_NAME_MAX_BYTES, names) < 0;
    bad |= get_int(p, props, "tariff_tiyn", 1, 1, 100000000, &tariff) < 0;
    bad |= get_bool(p, props, "active", &active) < 0;
    bad |= get_int(p, props, "paid_hours", 0, 1, 24, &paid_hours) < 0;
    bad |= get_string(p, props, "note", 0, &note) < 0;
    if (bad || p->oom)
        return;
    if (remember(p, &p->zone_at, p->set->nzones) != 0 ||
        (z = zone_set_add_zone(p->set, (int)number, name, tariff, active, (int)paid_hours,
                               note)) == NULL ||
        zone_names_set(&z->names, names) != 0)
        p->oom = 1;
}

static int side_known(const char *side)
{
    static const char *const sides[] = { "both", "odd", "even", "left", "right" };
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++)
        if (strcmp(side, sides[i]) == 0)
            return 1;
    return 0;
}

static void parse_block(struct parser *p, json_t *props, json_t *geom, const char *gtype)
{
    long zone = 0;
    const char *street = NULL, *from = NULL, *to = NULL, *side = "both", *source = NULL;
    const char *street_names[ZONE_NLANGS], *from_names[ZONE_NLANGS], *to_names[ZONE_NLANGS];
    int approximate = 0, bad = 0;
    struct zone_block *b;
    double *xy = NULL;
    size_t npoints = 0;

    bad |= get_int(p, props, "zone", 1, 0, 9999, &zone) < 0;
    bad |= get_string(p, props, "street", 1, &street) < 0;
    bad |= get_string(p, props, "from_street", 1, &from) < 0;
    bad |= get_string(p, props, "to_street", 1, &to) < 0;
    bad |= get_names(p, props, "street", ZONE_STREET_MAX_BYTES, street_names) < 0;
    bad |= get_names(p, props, "from_street", ZONE_STREET_MAX_BYTES, from_names) < 0;
    bad |= get_names(p, props, "to_street", ZONE_STREET_MAX_BYTES, to_names) < 0;
    if (get_string(p, props, "side", 0, &side) < 0) {
        bad = 1;
    } else if (!side_known(side)) {
        PROBLEM(p, ".properties.side", "\"%s\" is not a side (both, odd, even, left, right)", side);
        bad = 1;
    }
    bad |= get_bool(p, props, "approximate", &approximate) < 0;
    bad |= get_string(p, props, "source", 0, &source) < 0;
    if (gtype == NULL || strcmp(gtype, "LineString") != 0) {
        PROBLEM(p, gtype ? ".geometry.type" : ".geometry", "a block needs a LineString, got %s",
                gtype ? gtype : "no geometry");
        bad = 1;
    } else if (parse_linestring(p, geom, &xy, &npoints) != 0) {
        bad = 1;
    }
    if (!bad && !p->oom &&
        (remember(p, &p->block_at, p->set->nblocks) != 0 ||
         (b = zone_set_add_block(p->set, 0, (int)zone, street, from, to, side, source,
                                 approximate, xy, npoints)) == NULL ||
         zone_names_set(&b->street_names, street_names) != 0 ||
         zone_names_set(&b->from_names, from_names) != 0 ||
         zone_names_set(&b->to_names, to_names) != 0))
        p->oom = 1;
    free(xy);
}

static void parse_intersection(struct parser *p, json_t *props, json_t *geom, const char *gtype)
{
    const char *a = NULL, *b = NULL;
    double pos[2];
    int bad = 0;

    bad |= get_string(p, props, "name_a", 1, &a) < 0;
    bad |= get_string(p, props, "name_b", 1, &b) < 0;
    if (gtype == NULL || strcmp(gtype, "Point") != 0) {
        PROBLEM(p, gtype ? ".geometry.type" : ".geometry", "an intersection needs a Point, got %s",
                gtype ? gtype : "no geometry");
        bad = 1;
    } else if (parse_position(p, json_object_get(geom, "coordinates"), ".geometry.coordinates",
                              pos) != 0) {
        bad = 1;
    }
    if (!bad && !p->oom &&
        (remember(p, &p->inter_at, p->set->nintersections) != 0 ||
         zone_set_add_intersection(p->set, a, b, pos[0], pos[1]) == NULL))
        p->oom = 1;
}

/* The feature's kind from properties.kind, else from its geometry type. */
static enum kind feature_kind(struct parser *p, json_t *props, const char *gtype)
{
    json_t *k = json_object_get(props, "kind");
    if (k != NULL && !json_is_null(k)) {
        const char *s = json_is_string(k) ? json_string_value(k) : "";
        if (strcmp(s, "zone") == 0)
            return KIND_ZONE;
        if (strcmp(s, "block") == 0)
            return KIND_BLOCK;
        if (strcmp(s, "intersection") == 0)
            return KIND_INTERSECTION;
        PROBLEM(p, ".properties.kind", "\"%s\" is not a kind (zone, block or intersection)",
                json_is_string(k) ? s : type_name(k));
        return KIND_NONE;
    }
    if (gtype == NULL || strcmp(gtype, "Polygon") == 0 || strcmp(gtype, "MultiPolygon") == 0)
        return KIND_ZONE;
    if (strcmp(gtype, "LineString") == 0)
        return KIND_BLOCK;
    if (strcmp(gtype, "Point") == 0)
        return KIND_INTERSECTION;
    PROBLEM(p, ".geometry.type", "%s is not a geometry this file can hold (LineString blocks, "
            "Point intersections, zones); properties.kind is missing too", gtype);
    return KIND_NONE;
}

static void parse_feature(struct parser *p, json_t *f)
{
    if (!json_is_object(f)) {
        PROBLEM(p, "", "must be a Feature object, got %s", type_name(f));
        return;
    }
    json_t *type = json_object_get(f, "type");
    if (!json_is_string(type) || strcmp(json_string_value(type), "Feature") != 0) {
        PROBLEM(p, ".type", "must be \"Feature\"");
        return;
    }
    json_t *props = json_object_get(f, "properties");
    if (!json_is_object(props)) {
        PROBLEM(p, ".properties", "must be an object, got %s", props ? type_name(props) : "nothing");
        return;
    }
    json_t *geom = json_object_get(f, "geometry");
    const char *gtype;
    if (geometry_type(p, geom, &gtype) != 0)
        return;
    switch (feature_kind(p, props, gtype)) {
    case KIND_ZONE: parse_zone(p, props, gtype); break;
    case KIND_BLOCK: parse_block(p, props, geom, gtype); break;
    case KIND_INTERSECTION: parse_intersection(p, props, geom, gtype); break;
    case KIND_NONE: break;
    }
}

/* ---- checks across features ------------------------------------------------------------- */

static void check_zones(struct parser *p)
{
    const struct zone_set *s = p->set;
    if (p->zone_at == NULL)
        return; /* none was added (each is remembered before it is added) */
    for (size_t i = 0; i < s->nzones; i++)
        for (size_t j = 0; j < i; j++)
            if (s->zones[i].number == s->zones[j].number) {
                problem_at(p, p->zone_at[i], ".properties.number",
                           "zone %d is defined twice (also features[%ld])",
                           s->zones[i].number, p->zone_at[j]);
                break;
            }
}

static int same_block(const struct zone_block *a, const struct zone_block *b)
{
    return a->zone == b->zone && strcmp(a->street, b->street) == 0 &&
           strcmp(a->from_street, b->from_street) == 0 &&
           strcmp(a->to_street, b->to_street) == 0 && strcmp(a->side, b->side) == 0;
}

static void check_blocks(struct parser *p)
{
    const struct zone_set *s = p->set;
    if (p->block_at == NULL)
        return; /* none was added (each is remembered before it is added) */
    for (size_t i = 0; i < s->nblocks; i++) {
        const struct zone_block *b = &s->blocks[i];
        if (zone_set_find_zone(s, b->zone) == NULL &&
            (p->opt == NULL || p->opt->zone_known == NULL || !p->opt->zone_known(p->opt->arg, b->zone)))
            problem_at(p, p->block_at[i], ".properties.zone", "zone %d is not defined %s",
                       b->zone, p->opt && p->opt->zone_known ? "in the file or in the database"
                                                             : "in the file");
        for (size_t j = 0; j < i; j++)
            if (same_block(b, &s->blocks[j])) {
                problem_at(p, p->block_at[i], ".properties",
                           "same block as features[%ld] (zone %d, %s from %s to %s, side %s)",
                           p->block_at[j], b->zone, b->street, b->from_street, b->to_street,
                           b->side);
                break;
            }
    }
}

static int same_pair(const struct zone_intersection *x, const struct zone_intersection *y)
{
    return (strcmp(x->name_a, y->name_a) == 0 && strcmp(x->name_b, y->name_b) == 0) ||
           (strcmp(x->name_a, y->name_b) == 0 && strcmp(x->name_b, y->name_a) == 0);
}

static void check_intersections(struct parser *p)
{
    const struct zone_set *s = p->set;
    if (p->inter_at == NULL)
        return; /* none was added (each is remembered before it is added) */
    for (size_t i = 0; i < s->nintersections; i++)
        for (size_t j = 0; j < i; j++)
            if (same_pair(&s->intersections[i], &s->intersections[j])) {
                problem_at(p, p->inter_at[i], ".properties",
                           "intersection %s / %s is defined twice (also features[%ld])",
                           s->intersections[i].name_a, s->intersections[i].name_b,
                           p->inter_at[j]);
                break;
            }
}

/* ---- the document ----------------------------------------------------------------------- */

/* Old-style (2008) "crs" member: only lon/lat WGS 84 is accepted. */
static void check_crs(struct geojson_report *rep, json_t *root)
{
    json_t *crs = json_object_get(root, "crs");
    if (crs == NULL || json_is_null(crs))
        return;
    const char *name = json_string_value(json_object_get(json_object_get(crs, "properties"), "name"));
    if (name == NULL || (strstr(name, "CRS84") == NULL && strstr(name, "4326") == NULL))
        doc_problem(rep, "crs", "only lon/lat WGS 84 (EPSG:4326, CRS84) is supported, got %s",
                    name ? name : "an unnamed crs");
}

/* The features array of a FeatureCollection, or NULL after a document problem. */
static json_t *features_of(struct geojson_report *rep, json_t *root)
{
    if (!json_is_object(root)) {
        doc_problem(rep, "", "the document must be a GeoJSON object, got %s", type_name(root));
        return NULL;
    }
    json_t *type = json_object_get(root, "type");
    if (!json_is_string(type) || strcmp(json_string_value(type), "FeatureCollection") != 0) {
        doc_problem(rep, "type", "must be \"FeatureCollection\", got %s",
                    json_is_string(type) ? json_string_value(type) : "nothing");
        return NULL;
    }
    json_t *features = json_object_get(root, "features");
    if (!json_is_array(features)) {
        doc_problem(rep, "features", "must be an array of Features");
        return NULL;
    }
    check_crs(rep, root);
    return features;
}

/* Orders the problems found from index `from` on by feature (stable: insertion sort). */
static void sort_problems(struct geojson_report *r, size_t from)
{
    for (size_t i = from + 1; i < r->nproblems; i++) {
        struct geojson_problem t = r->problems[i];
        size_t j = i;
        while (j > from && r->problems[j - 1].feature > t.feature) {
            r->problems[j] = r->problems[j - 1];
            j--;
        }
        r->problems[j] = t;
    }
}

static void parser_free(struct parser *p)
{
    free(p->zone_at);
    free(p->block_at);
    free(p->inter_at);
}

struct zone_set *geojson_parse(const char *text, size_t len, const struct geojson_options *opt,
                               struct geojson_report *report)
{
    json_error_t jerr;
    size_t before = geojson_report_count(report);
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        doc_problem(report, "", "invalid JSON at line %d column %d: %s%s", jerr.line,
                    jerr.column, jerr.text, json_error_code(&jerr) == json_error_invalid_utf8
                    ? " (the file must be UTF-8)" : "");
        return NULL;
    }
    size_t first = report->nproblems;
    struct parser p = { .rep = report, .opt = opt, .set = zone_set_create() };
    json_t *features = features_of(report, root);
    if (p.set == NULL)
        p.oom = 1;
    for (size_t i = 0; features != NULL && !p.oom && i < json_array_size(features); i++) {
        p.feature = (long)i;
        parse_feature(&p, json_array_get(features, i));
    }
    if (!p.oom) {
        check_zones(&p);
        check_blocks(&p);
        check_intersections(&p);
    } else {
        doc_problem(report, "", "out of memory");
    }
    parser_free(&p);
    json_decref(root);
    sort_problems(report, first);
    if (geojson_report_count(report) != before) {
        zone_set_destroy(p.set);
        return NULL;
    }
    return p.set;
}

struct zone_set *geojson_read_file(const char *path, const struct geojson_options *opt,
                                   struct geojson_report *report)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int failed = 0, saved = 0;
    if (f == NULL) {
        doc_problem(report, "", "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        if (len == cap) {
            char *b = realloc(buf, cap ? 2 * cap : 65536);
            if (b == NULL) {
                failed = 1;
                saved = ENOMEM;
                break;
            }
            buf = b;
            cap = cap ? 2 * cap : 65536;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (!failed && ferror(f)) {
        failed = 1;
        saved = errno;
    }
    fclose(f);
    struct zone_set *s = NULL;
    if (failed)
        doc_problem(report, "", "cannot read %s: %s", path, strerror(saved));
    else
        s = geojson_parse(buf, len, opt, report);
    free(buf);
    return s;
}
