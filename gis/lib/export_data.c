/* export_data.c: loading zones, blocks, intersections and zone areas for export; ring
 * orientation for RFC 7946. */
#define GEOS_USE_ONLY_R_API
#include "export.h"

#include <geos_c.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "zonedb.h"

static const char *const palette[] = {
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4",
};

const char *export_zone_colour(int zone)
{
    size_t n = sizeof palette / sizeof palette[0];
    return palette[(size_t)(zone > 0 ? zone - 1 : 0) % n];   /* 1001 green, 1002 orange, ... */
}

void export_put_xml_text(FILE *f, const char *s)
{
    for (; s != NULL && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* ---- rings ------------------------------------------------------------------------------ */

double export_ring_signed_area2(const double *xy, size_t npoints)
{
    double sum = 0;
    if (npoints < 3)
        return 0;
    /* shoelace, relative to the first point to keep precision with lon/lat */
    for (size_t i = 1; i + 1 < npoints; i++) {
        double x1 = xy[2 * i] - xy[0], y1 = xy[2 * i + 1] - xy[1];
        double x2 = xy[2 * i + 2] - xy[0], y2 = xy[2 * i + 3] - xy[1];
        sum += x1 * y2 - x2 * y1;
    }
    return sum;
}

int export_ring_orient(double *xy, size_t npoints, int ccw)
{
    double a = export_ring_signed_area2(xy, npoints);
    if (npoints < 2 || a == 0 || (a > 0) == (ccw != 0))
        return 0;
    for (size_t i = 0, j = npoints - 1; i < j; i++, j--) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        xy[2 * i] = xy[2 * j];
        xy[2 * i + 1] = xy[2 * j + 1];
        xy[2 * j] = x;
        xy[2 * j + 1] = y;
    }
    return 1;
}

/* ---- areas from WKB --------------------------------------------------------------------- */

/* Copies a GEOS ring into r, oriented. Returns 0, or -1 on failure. */
static int copy_ring(GEOSContextHandle_t h, const GEOSGeometry *ring, int ccw,
                     struct export_ring *r)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int n = 0;
    if (cs == NULL || !GEOSCoordSeq_getSize_r(h, cs, &n))
        return -1;
    r->xy = malloc((size_t)(n ? n : 1) * 2 * sizeof *r->xy);
    if (r->xy == NULL)
        return -1;
    r->npoints = n;
    for (unsigned int i = 0; i < n; i++)
        if (!GEOSCoordSeq_getXY_r(h, cs, i, &r->xy[2 * (size_t)i], &r->xy[2 * (size_t)i + 1]))
            return -1;
    export_ring_orient(r->xy, r->npoints, ccw);
    return 0;
}

static int copy_polygon(GEOSContextHandle_t h, const GEOSGeometry *poly, struct export_polygon *p)
{
    int holes = GEOSGetNumInteriorRings_r(h, poly);
    if (holes < 0)
        return -1;
    p->rings = calloc((size_t)holes + 1, sizeof *p->rings);
    if (p->rings == NULL)
        return -1;
    p->nrings = (size_t)holes + 1;
    if (copy_ring(h, GEOSGetExteriorRing_r(h, poly), 1, &p->rings[0]) != 0)
        return -1;
    for (int i = 0; i < holes; i++)
        if (copy_ring(h, GEOSGetInteriorRingN_r(h, poly, i), 0, &p->rings[i + 1]) != 0)
            return -1;
    return 0;
}

static void area_free(struct export_area *a)
{
    for (size_t i = 0; i < a->npolygons; i++) {
        for (size_t j = 0; j < a->polygons[i].nrings; j++)
            free(a->polygons[i].rings[j].xy);
        free(a->polygons[i].rings);
    }
    free(a->polygons);
    a->polygons = NULL;
    a->npolygons = 0;
}

/* The polygons of g (a Polygon or MultiPolygon) into a. */
static int copy_polygons(GEOSContextHandle_t h, const GEOSGeometry *g, struct export_area *a,
                         char *err, size_t errsize)
{
    int type = GEOSGeomTypeId_r(h, g);
    int n = type == GEOS_POLYGON ? 1 : type == GEOS_MULTIPOLYGON ? GEOSGetNumGeometries_r(h, g) : -1;
    if (n < 0) {
        errbuf_set(err, errsize, "zone area: not a polygon");
        return -1;
    }
    a->polygons = calloc((size_t)n + 1, sizeof *a->polygons);
    if (a->polygons == NULL) {
        errbuf_set(err, errsize, "zone area: out of memory");
        return -1;
    }
    a->npolygons = (size_t)n;
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *p = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, i);
        if (p == NULL || copy_polygon(h, p, &a->polygons[i]) != 0) {
            errbuf_set(err, errsize, "zone area: cannot read polygon %d", i);
            return -1;
        }
    }
    return 0;
}

int export_area_from_hex_wkb(struct export_area *a, const char *hex, char *err, size_t errsize)
{
    GEOSContextHandle_t h = GEOS_init_r();
    if (h == NULL) {
        errbuf_set(err, errsize, "zone area: cannot start GEOS");
        return -1;
    }
    GEOSWKBReader *rd = GEOSWKBReader_create_r(h);
    GEOSGeometry *g = rd ? GEOSWKBReader_readHEX_r(h, rd, (const unsigned char *)hex,
                                                  strlen(hex)) : NULL;
    int rc = -1;
    if (g == NULL)
        errbuf_set(err, errsize, "zone area: unreadable WKB");
    else
        rc = copy_polygons(h, g, a, err, errsize);
    if (rc != 0)
        area_free(a);
    if (g != NULL)
        GEOSGeom_destroy_r(h, g);
    if (rd != NULL)
        GEOSWKBReader_destroy_r(h, rd);
    GEOS_finish_r(h);
    return rc;
}

/* ---- loading ---------------------------------------------------------------------------- */

struct export_data *export_data_from_set(struct zone_set *set)
{
    struct export_data *d = calloc(1, sizeof *d);
    if (d == NULL) {
        zone_set_destroy(set);
        return NULL;
    }
    d->set = set;
    for (size_t i = 0; i < set->nblocks; i++)
        if (set->blocks[i].source != NULL && strstr(set->blocks[i].source, "OpenStreetMap"))
            d->has_osm = 1;
    return d;
}

void export_data_destroy(struct export_data *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->nareas; i++)
        area_free(&d->areas[i]);
    free(d->areas);
    zone_set_destroy(d->set);
    free(d);
}

const struct export_area *export_find_area(const struct export_data *d, int zone)
{
    for (size_t i = 0; i < d->nareas; i++)
        if (d->areas[i].zone == zone)
            return &d->areas[i];
    return NULL;
}

/* 1 when the intersection is at an end of a block of the zone. */
static int ends_block_of(const struct zone_set *s, const struct zone_intersection *x, int zone)
{
    for (size_t i = 0; i < s->nblocks; i++) {
        const struct zone_block *b = &s->blocks[i];
        if (b->zone != zone)
            continue;
        const char *ends[2] = { b->from_street, b->to_street };
        for (int e = 0; e < 2; e++)
            if ((strcmp(x->name_a, b->street) == 0 && strcmp(x->name_b, ends[e]) == 0) ||
                (strcmp(x->name_b, b->street) == 0 && strcmp(x->name_a, ends[e]) == 0))
                return 1;
    }
    return 0;
}

/* A new set with only zone `zone`, its blocks and the intersections at their ends. */
static struct zone_set *only_zone(const struct zone_set *s, int zone)
{
    struct zone_set *o = zone_set_create();
    int ok = o != NULL;
    const struct zone_info *z = zone_set_find_zone(s, zone);
    if (ok && z != NULL)
        ok = zone_set_add_zone(o, z->number, z->name, z->tariff_tiyn, z->active, z->paid_hours,
                               z->note) != NULL;
    for (size_t i = 0; ok && i < s->nblocks; i++) {
        const struct zone_block *b = &s->blocks[i];
        if (b->zone == zone)
            ok = zone_set_add_block(o, b->id, b->zone, b->street, b->from_street, b->to_street,
                                    b->side, b->source, b->approximate, b->xy, b->npoints) != NULL;
    }
    for (size_t i = 0; ok && i < s->nintersections; i++) {
        const struct zone_intersection *x = &s->intersections[i];
        if (ends_block_of(s, x, zone))
            ok = zone_set_add_intersection(o, x->name_a, x->name_b, x->lon, x->lat) != NULL;
    }
    if (!ok) {
        zone_set_destroy(o);
        return NULL;
    }
    return o;
}

static int load_areas(PGconn *c, struct export_data *d, int zone, char *err, size_t errsize)
{
    PGresult *r = PQexec(c, "SELECT zone, area_m2, encode(ST_AsBinary(geom), 'hex'), "
                            "(SELECT kerb_width_m FROM gis_settings) FROM zone_areas ORDER BY zone");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        zonedb_error(c, r, "zone_areas", err, errsize);
        PQclear(r);
        return -1;
    }
    int rc = 0, n = PQntuples(r);
    d->areas = calloc((size_t)n + 1, sizeof *d->areas);
    if (d->areas == NULL) {
        errbuf_set(err, errsize, "zone_areas: out of memory");
        rc = -1;
    }
    for (int i = 0; rc == 0 && i < n; i++) {
        struct export_area *a = &d->areas[d->nareas];
        a->zone = atoi(PQgetvalue(r, i, 0));
        if (zone >= 0 && a->zone != zone)
            continue;
        a->area_m2 = atof(PQgetvalue(r, i, 1));
        d->kerb_width_m = atof(PQgetvalue(r, i, 3));
        if (export_area_from_hex_wkb(a, PQgetvalue(r, i, 2), err, errsize) != 0)
            rc = -1;
        else
            d->nareas++;
    }
    PQclear(r);
    return rc;
}

struct export_data *export_load_pg(PGconn *c, int zone, char *err, size_t errsize)
{
    struct zone_set *all = zone_set_load_pg(c, err, errsize);
    if (all == NULL)
        return NULL;
    if (zone >= 0 && zone_set_find_zone(all, zone) == NULL) {
        errbuf_set(err, errsize, "zone %d does not exist", zone);
        zone_set_destroy(all);
        return NULL;
    }
    struct zone_set *s = all;
    if (zone >= 0) {
        s = only_zone(all, zone);
        zone_set_destroy(all);
        if (s == NULL) {
            errbuf_set(err, errsize, "out of memory");
            return NULL;
        }
    }
    struct export_data *d = export_data_from_set(s);
    if (d == NULL) {
        errbuf_set(err, errsize, "out of memory");
        return NULL;
    }
    if (load_areas(c, d, zone, err, errsize) != 0) {
        export_data_destroy(d);
        return NULL;
    }
    return d;
}
