/* zonecheck.c: the validation checks over a zone set (see zonecheck.h). */
#include "zonecheck.h"
#include "zonegeo.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One block's working state; m is NULL when the block takes part in no further check. */
struct item {
    const struct zone_block *b;
    GEOSGeometry *m;              /* metric line */
    double env[4];                /* metric envelope: xmin, ymin, xmax, ymax */
    double ends[4];               /* metric first and last point */
};

struct run {
    const struct zone_set *s;
    const struct zonecheck_config *cfg;
    struct zonegeo *g;
    GEOSContextHandle_t h;
    struct item *items;
    struct zonecheck_report *r;
    size_t cap;
    int oom;
};

static const char *const code_names[] = {
    [ZONECHECK_UNKNOWN_ZONE] = "unknown_zone",
    [ZONECHECK_EMPTY_GEOMETRY] = "empty_geometry",
    [ZONECHECK_INVALID_GEOMETRY] = "invalid_geometry",
    [ZONECHECK_SELF_INTERSECTION] = "self_intersection",
    [ZONECHECK_OUTSIDE_CITY] = "outside_city",
    [ZONECHECK_TOO_SHORT] = "too_short",
    [ZONECHECK_CROSS_STREET_FAR] = "cross_street_far",
    [ZONECHECK_CROSS_STREET_UNKNOWN] = "cross_street_unknown",
    [ZONECHECK_DUPLICATE] = "duplicate",
    [ZONECHECK_OVERLAP] = "overlap",
    [ZONECHECK_ZONE_WITHOUT_BLOCKS] = "zone_without_blocks",
};

const char *zonecheck_code_name(enum zonecheck_code code)
{
    if ((size_t)code < sizeof code_names / sizeof code_names[0])
        return code_names[code];
    return "unknown";
}

const char *zonecheck_severity_name(enum zonecheck_severity severity)
{
    return severity == ZONECHECK_ERROR ? "error" : "warning";
}

void zonecheck_config_default(struct zonecheck_config *cfg)
{
    cfg->min_length_m = 5;
    cfg->cross_street_m = 25;
    cfg->duplicate_m = 1;
    cfg->overlap_grid_m = 0.5;
    cfg->overlap_min_m = 1;
    cfg->bbox[0] = ZONE_CITY_WEST;
    cfg->bbox[1] = ZONE_CITY_SOUTH;
    cfg->bbox[2] = ZONE_CITY_EAST;
    cfg->bbox[3] = ZONE_CITY_NORTH;
}

void zonecheck_report_destroy(struct zonecheck_report *r)
{
    if (r == NULL)
        return;
    free(r->findings);
    free(r);
}

/* ---- street names ---- */

/* Normalised copy of s[0..len): ASCII lower case, single spaces, trimmed. */
static void norm_name(const char *s, size_t len, char *out, size_t outsize)
{
    size_t k = 0;
    int space = 0;

    for (size_t i = 0; i < len && k + 1 < outsize; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isspace(c)) {
            space = k > 0;
            continue;
        }
        if (space && k + 2 < outsize)
            out[k++] = ' ';
        space = 0;
        out[k++] = (char)tolower(c);
    }
    out[k] = '\0';
}

/* Splits "A (B)" into the alternatives "a" and "b"; returns how many (1 or 2). */
static int name_alternatives(const char *s, char alt[2][128])
{
    const char *open = strchr(s, '('), *close = open ? strchr(open, ')') : NULL;

    if (open == NULL || close == NULL) {
        norm_name(s, strlen(s), alt[0], sizeof alt[0]);
        return 1;
    }
    norm_name(s, (size_t)(open - s), alt[0], sizeof alt[0]);
    norm_name(open + 1, (size_t)(close - open - 1), alt[1], sizeof alt[1]);
    return 2;
}

int zonecheck_names_match(const char *a, const char *b)
{
    char aa[2][128], bb[2][128];
    int na, nb;

    if (a == NULL || b == NULL)
        return 0;
    na = name_alternatives(a, aa);
    nb = name_alternatives(b, bb);
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (aa[i][0] != '\0' && strcmp(aa[i], bb[j]) == 0)
                return 1;
    return 0;
}

/* ---- findings ---- */

static void add(struct run *k, enum zonecheck_severity sev, enum zonecheck_code code,
                const struct zone_block *b, int zone, long other, const double *lonlat,
                const char *fmt, ...)
{
    struct zonecheck_report *r = k->r;
    struct zonecheck_finding *f;
    va_list ap;

    if (r->nfindings == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 16;
        void *p = realloc(r->findings, cap * sizeof *r->findings);
        if (p == NULL) {
            k->oom = 1;
            return;
        }
        r->findings = p;
        k->cap = cap;
    }
    f = &r->findings[r->nfindings++];
    memset(f, 0, sizeof *f);
    f->severity = sev;
    f->code = code;
    f->block_id = b ? b->id : 0;
    f->zone = b ? b->zone : zone;
    f->other_block_id = other;
    if (lonlat != NULL) {
        f->has_location = 1;
        f->lon = lonlat[0];
        f->lat = lonlat[1];
    }
    va_start(ap, fmt);
    vsnprintf(f->reason, sizeof f->reason, fmt, ap);
    va_end(ap);
    if (sev == ZONECHECK_ERROR)
        r->nerrors++;
    else
        r->nwarnings++;
}

static void metric_to_lonlat(struct run *k, double x, double y, double ll[2])
{
    zonegeo_to_lonlat(k->g, x, y, &ll[0], &ll[1]);
}

/* ---- per block: geometry ---- */

static int inside_city(const struct zonecheck_config *cfg, double lon, double lat)
{
    return lon >= cfg->bbox[0] && lat >= cfg->bbox[1] && lon <= cfg->bbox[2] && lat <= cfg->bbox[3];
}

/* Reports the first vertex outside the city; 1 when there is one. */
static int check_outside(struct run *k, const struct zone_block *b)
{
    const double *c = k->cfg->bbox;
    for (size_t p = 0; p < b->npoints; p++) {
        const double *ll = &b->xy[2 * p];
        if (inside_city(k->cfg, ll[0], ll[1]))
            continue;
        add(k, ZONECHECK_ERROR, ZONECHECK_OUTSIDE_CITY, b, 0, 0, ll,
            "point %zu of %zu (%.7f %.7f) is outside the city's bounding box "
            "(lon %g to %g, lat %g to %g)", p + 1, b->npoints, ll[0], ll[1], c[0], c[2], c[1], c[3]);
        return 1;
    }
    return 0;
}

/* Builds the lon/lat line and reports empty or invalid geometry; NULL when unusable. */
static GEOSGeometry *checked_line(struct run *k, const struct zone_block *b)
{
    struct zonegeo_validity v;
    char why[ZONEGEO_REASON_MAX];
    GEOSGeometry *line;

    if (b->npoints == 0) {
        add(k, ZONECHECK_ERROR, ZONECHECK_EMPTY_GEOMETRY, b, 0, 0, NULL, "the geometry is empty");
        return NULL;
    }
    line = zonegeo_line_from_xy(k->g, b->xy, b->npoints, why, sizeof why);
    if (line == NULL) {
        add(k, ZONECHECK_ERROR, ZONECHECK_INVALID_GEOMETRY, b, 0, 0,
            isfinite(b->xy[0]) && isfinite(b->xy[1]) ? b->xy : NULL, "%s", why);
        return NULL;
    }
    if (zonegeo_check_validity(k->g, line, &v) != 1) {
        double ll[2] = { v.x, v.y };
        int self = strcmp(v.reason, "Self-intersection") == 0;
        add(k, ZONECHECK_ERROR, self ? ZONECHECK_SELF_INTERSECTION : ZONECHECK_INVALID_GEOMETRY,
            b, 0, 0, v.has_location ? ll : NULL, "%s", v.reason);
        GEOSGeom_destroy_r(k->h, line);
        return NULL;
    }
    return line;
}

static void keep_metric(struct run *k, struct item *it, GEOSGeometry *m)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(k->h, m);
    unsigned int n = 0;

    GEOSCoordSeq_getSize_r(k->h, cs, &n);
    GEOSCoordSeq_getXY_r(k->h, cs, 0, &it->ends[0], &it->ends[1]);
    GEOSCoordSeq_getXY_r(k->h, cs, n - 1, &it->ends[2], &it->ends[3]);
    GEOSGeom_getXMin_r(k->h, m, &it->env[0]);
    GEOSGeom_getYMin_r(k->h, m, &it->env[1]);
    GEOSGeom_getXMax_r(k->h, m, &it->env[2]);
    GEOSGeom_getYMax_r(k->h, m, &it->env[3]);
    it->m = m;
}

static void check_block(struct run *k, struct item *it)
{
    const struct zone_block *b = it->b;
    GEOSGeometry *line, *m;
    double len = 0;

    if (k->s->nzones > 0 && zone_set_find_zone(k->s, b->zone) == NULL)
        add(k, ZONECHECK_ERROR, ZONECHECK_UNKNOWN_ZONE, b, 0, 0, NULL,
            "zone %04d is not in the zones table", b->zone);
    line = checked_line(k, b);
    if (line == NULL || check_outside(k, b)) {
        GEOSGeom_destroy_r(k->h, line);
        return;
    }
    m = zonegeo_project(k->g, line, NULL, 0);
    GEOSGeom_destroy_r(k->h, line);
    if (m == NULL) {
        k->oom = 1;
        return;
    }
    GEOSLength_r(k->h, m, &len);
    if (len < k->cfg->min_length_m)
        add(k, ZONECHECK_ERROR, ZONECHECK_TOO_SHORT, b, 0, 0, b->xy,
            "%.1f m long, shorter than %g m", len, k->cfg->min_length_m);
    keep_metric(k, it, m);
}

/* ---- per block: cross streets ---- */

/* Distance in metres from (x, y) to cross street `name` of block `self`; -1 when the street
 * cannot be located. */
static double cross_distance(struct run *k, const struct item *self, const char *name,
                             double x, double y)
{
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(k->h, x, y);
    double best = -1;

    for (size_t i = 0; pt != NULL && i < k->s->nblocks; i++) {
        const struct item *o = &k->items[i];
        double d;
        if (o == self || o->m == NULL || !zonecheck_names_match(o->b->street, name))
            continue;
        if (GEOSDistance_r(k->h, pt, o->m, &d) == 1 && (best < 0 || d < best))
            best = d;
    }
    for (size_t i = 0; i < k->s->nintersections; i++) {
        const struct zone_intersection *c = &k->s->intersections[i];
        double cx, cy, d;
        if (!((zonecheck_names_match(c->name_a, self->b->street) && zonecheck_names_match(c->name_b, name))
              || (zonecheck_names_match(c->name_b, self->b->street) && zonecheck_names_match(c->name_a, name))))
            continue;
        zonegeo_to_metres(k->g, c->lon, c->lat, &cx, &cy);
        d = hypot(cx - x, cy - y);
        if (best < 0 || d < best)
            best = d;
    }
    if (pt != NULL)
        GEOSGeom_destroy_r(k->h, pt);
    else
        k->oom = 1;
    return best;
}

static double worse(double a, double b) { return a > b ? a : b; }

static void report_cross(struct run *k, const struct item *it, const char *name, double d,
                         int last_end)
{
    const struct zone_block *b = it->b;
    double ll[2];

    if (d < 0) {
        add(k, ZONECHECK_WARNING, ZONECHECK_CROSS_STREET_UNKNOWN, b, 0, 0, NULL,
            "cross street '%s' cannot be located: no other block on it and no intersection "
            "of '%s' and '%s'", name, b->street, name);
        return;
    }
    if (d <= k->cfg->cross_street_m)
        return;
    metric_to_lonlat(k, it->ends[2 * (size_t)last_end], it->ends[2 * (size_t)last_end + 1], ll);
    add(k, ZONECHECK_ERROR, ZONECHECK_CROSS_STREET_FAR, b, 0, 0, ll,
        "the %s point is %.1f m from cross street '%s' (limit %g m)",
        last_end ? "last" : "first", d, name, k->cfg->cross_street_m);
}

static void check_cross_streets(struct run *k, const struct item *it)
{
    const struct zone_block *b = it->b;
    const double *e = it->ends;
    double f0, f1, t0, t1;

    if (it->m == NULL || b->from_street == NULL || b->to_street == NULL)
        return;
    f0 = cross_distance(k, it, b->from_street, e[0], e[1]);
    f1 = cross_distance(k, it, b->from_street, e[2], e[3]);
    t0 = cross_distance(k, it, b->to_street, e[0], e[1]);
    t1 = cross_distance(k, it, b->to_street, e[2], e[3]);
    if (worse(f0, t1) <= worse(f1, t0)) {          /* drawn from -> to */
        report_cross(k, it, b->from_street, f0, 0);
        report_cross(k, it, b->to_street, t1, 1);
    } else {                                        /* drawn to -> from */
        report_cross(k, it, b->from_street, f1, 1);
        report_cross(k, it, b->to_street, t0, 0);
    }
}

/* ---- pairs ---- */

static int side_is(const struct zone_block *b, const char *side)
{
    return b->side != NULL && strcmp(b->side, side) == 0;
}

/* 1 when the two blocks cover opposite sides of the street. */
static int opposite_sides(const struct item *a, const struct item *c)
{
    const double *p = a->ends, *q = c->ends;
    int same_dir, lr_a = side_is(a->b, "left") || side_is(a->b, "right");
    int lr_c = side_is(c->b, "left") || side_is(c->b, "right");

    if ((side_is(a->b, "odd") && side_is(c->b, "even")) || (side_is(a->b, "even") && side_is(c->b, "odd")))
        return 1;
    if (!lr_a || !lr_c)
        return 0;
    same_dir = (p[2] - p[0]) * (q[2] - q[0]) + (p[3] - p[1]) * (q[3] - q[1]) >= 0;
    return same_dir != (strcmp(a->b->side, c->b->side) == 0);
}

static int envelopes_near(const struct item *a, const struct item *c, double tol)
{
    return a->env[0] <= c->env[2] + tol && c->env[0] <= a->env[2] + tol
        && a->env[1] <= c->env[3] + tol && c->env[1] <= a->env[3] + tol;
}

/* (x, y) moved onto the nearest vertex of line m when one is within tol. */
static void snap_to_vertex(struct run *k, const GEOSGeometry *m, double tol, double *x, double *y)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(k->h, m);
    unsigned int n = 0;
    double best = tol, bx = *x, by = *y;

    if (cs == NULL || GEOSCoordSeq_getSize_r(k->h, cs, &n) != 1)
        return;
    for (unsigned int i = 0; i < n; i++) {
        double vx, vy;
        if (GEOSCoordSeq_getXY_r(k->h, cs, i, &vx, &vy) == 1 && hypot(vx - *x, vy - *y) <= best) {
            best = hypot(vx - *x, vy - *y);
            bx = vx;
            by = vy;
        }
    }
    *x = bx;
    *y = by;
}

/* Shared length of two metric lines (0 when they only touch or cross), measured on the
 * overlap_grid_m precision grid, and in ll a point of it (a vertex of c when one is that
 * close to the grid point). */
static double shared_length(struct run *k, const struct item *a, const struct item *c, double ll[2])
{
    double grid = k->cfg->overlap_grid_m, len = 0, px, py;
    GEOSGeometry *x = GEOSIntersectionPrec_r(k->h, a->m, c->m, grid), *p;

    if (x == NULL)
        return 0;
    GEOSLength_r(k->h, x, &len);
    p = len > 0 ? GEOSPointOnSurface_r(k->h, x) : NULL;
    if (p != NULL && GEOSGeomGetX_r(k->h, p, &px) == 1 && GEOSGeomGetY_r(k->h, p, &py) == 1) {
        snap_to_vertex(k, c->m, grid, &px, &py);
        metric_to_lonlat(k, px, py, ll);
    }
    GEOSGeom_destroy_r(k->h, p);
    GEOSGeom_destroy_r(k->h, x);
    return len;
}

static void check_pair(struct run *k, const struct item *a, const struct item *c)
{
    const struct zone_block *cb = c->b;
    double hd = -1, len, ll[2] = { cb->xy[0], cb->xy[1] };

    if (opposite_sides(a, c))
        return;
    if (GEOSHausdorffDistance_r(k->h, a->m, c->m, &hd) == 1 && hd <= k->cfg->duplicate_m) {
        add(k, ZONECHECK_ERROR, ZONECHECK_DUPLICATE, cb, 0, a->b->id, ll,
            "duplicates block %ld of zone %04d (the same line within %g m)",
            a->b->id, a->b->zone, k->cfg->duplicate_m);
        return;
    }
    len = shared_length(k, a, c, ll);
    if (len <= k->cfg->overlap_min_m)
        return;
    if (a->b->zone != cb->zone)
        add(k, ZONECHECK_ERROR, ZONECHECK_OVERLAP, cb, 0, a->b->id, ll,
            "overlaps block %ld of zone %04d for %.1f m", a->b->id, a->b->zone, len);
    else
        add(k, ZONECHECK_WARNING, ZONECHECK_OVERLAP, cb, 0, a->b->id, ll,
            "overlaps block %ld of the same zone for %.1f m", a->b->id, len);
}

static void check_pairs(struct run *k)
{
    double tol = k->cfg->duplicate_m > k->cfg->overlap_grid_m ? k->cfg->duplicate_m
                                                              : k->cfg->overlap_grid_m;
    for (size_t i = 0; i < k->s->nblocks; i++) {
        if (k->items[i].m == NULL)
            continue;
        for (size_t j = i + 1; j < k->s->nblocks; j++)
            if (k->items[j].m != NULL && envelopes_near(&k->items[i], &k->items[j], tol))
                check_pair(k, &k->items[i], &k->items[j]);
    }
}

/* ---- zones ---- */

static void check_zones(struct run *k)
{
    for (size_t z = 0; z < k->s->nzones; z++) {
        const struct zone_info *zi = &k->s->zones[z];
        size_t n = 0;
        for (size_t i = 0; i < k->s->nblocks; i++)
            n += k->s->blocks[i].zone == zi->number;
        if (n > 0)
            continue;
        add(k, zi->active ? ZONECHECK_ERROR : ZONECHECK_WARNING, ZONECHECK_ZONE_WITHOUT_BLOCKS,
            NULL, zi->number, 0, NULL, "%s zone %04d (%s) has no street blocks",
            zi->active ? "active" : "inactive", zi->number, zi->name ? zi->name : "");
    }
}

/* ---- the run ---- */

static struct zonegeo *geo_for(const struct zone_set *s, const struct zonecheck_config *cfg)
{
    double e[4];
    if (zone_set_extent(s, cfg->bbox, e) == 0) {
        e[0] = e[2] = (cfg->bbox[0] + cfg->bbox[2]) / 2;
        e[1] = e[3] = (cfg->bbox[1] + cfg->bbox[3]) / 2;
    }
    return zonegeo_create((e[0] + e[2]) / 2, (e[1] + e[3]) / 2);
}

static void free_run(struct run *k)
{
    for (size_t i = 0; k->items != NULL && i < k->s->nblocks; i++)
        if (k->items[i].m != NULL)
            GEOSGeom_destroy_r(k->h, k->items[i].m);
    free(k->items);
    zonegeo_destroy(k->g);
}

struct zonecheck_report *zonecheck_run(const struct zone_set *s, const struct zonecheck_config *cfg,
                                       char *err, size_t errsize)
{
    struct run k = { .s = s, .cfg = cfg };

    k.r = calloc(1, sizeof *k.r);
    k.items = calloc(s->nblocks + 1, sizeof *k.items);
    k.g = geo_for(s, cfg);
    if (k.r == NULL || k.items == NULL || k.g == NULL) {
        k.oom = 1;
    } else {
        k.h = zonegeo_handle(k.g);
        for (size_t i = 0; i < s->nblocks; i++) {
            k.items[i].b = &s->blocks[i];
            check_block(&k, &k.items[i]);
        }
        for (size_t i = 0; i < s->nblocks; i++)
            check_cross_streets(&k, &k.items[i]);
        check_pairs(&k);
        check_zones(&k);
    }
    free_run(&k);
    if (k.oom) {
        if (err != NULL && errsize > 0)
            snprintf(err, errsize, "out of memory");
        zonecheck_report_destroy(k.r);
        return NULL;
    }
    return k.r;
}
