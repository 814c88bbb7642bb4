/* zonelocate.c: STRtree of prepared block geometries for point look-ups (see zonelocate.h). */
#include "zonelocate.h"
#include "zonegeo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    long id;
    int zone;
    size_t index;
    GEOSGeometry *m;                       /* metric line */
    const GEOSPreparedGeometry *prep;
};

struct zonelocate {
    struct zonegeo *g;
    GEOSContextHandle_t h;
    GEOSSTRtree *tree;
    struct entry *e;
    size_t n;
    struct zonelocate_hit *hits;           /* scratch for one query */
    size_t cap;
};

/* State of one query while the tree reports candidates. */
struct search {
    struct zonelocate *z;
    const GEOSGeometry *pt;
    double radius;
    size_t n;
    int failed;
};

void zonelocate_destroy(struct zonelocate *z)
{
    if (z == NULL)
        return;
    if (z->tree != NULL)
        GEOSSTRtree_destroy_r(z->h, z->tree);
    for (size_t i = 0; i < z->n; i++) {
        GEOSPreparedGeom_destroy_r(z->h, z->e[i].prep);
        GEOSGeom_destroy_r(z->h, z->e[i].m);
    }
    free(z->e);
    free(z->hits);
    zonegeo_destroy(z->g);
    free(z);
}

size_t zonelocate_size(const struct zonelocate *z) { return z->n; }

static struct zonegeo *geo_around(const struct zone_set *s)
{
    const double city[4] = { ZONE_CITY_WEST, ZONE_CITY_SOUTH, ZONE_CITY_EAST, ZONE_CITY_NORTH };
    double e[4] = { 0, 0, 0, 0 };

    if (zone_set_extent(s, city, e) == 0)
        zone_set_extent(s, NULL, e);
    return zonegeo_create((e[0] + e[2]) / 2, (e[1] + e[3]) / 2);
}

/* Adds block i if its geometry is usable; 1 added, 0 skipped, -1 GEOS failed. */
static int add_entry(struct zonelocate *z, const struct zone_block *b, size_t i)
{
    GEOSGeometry *line, *m;
    struct entry *e = &z->e[z->n];

    if (b->npoints < 2)
        return 0;
    line = zonegeo_line_from_xy(z->g, b->xy, b->npoints, NULL, 0);
    if (line == NULL)
        return 0;
    m = zonegeo_project(z->g, line, NULL, 0);
    GEOSGeom_destroy_r(z->h, line);
    if (m == NULL)
        return -1;
    e->prep = GEOSPrepare_r(z->h, m);
    if (e->prep == NULL) {
        GEOSGeom_destroy_r(z->h, m);
        return -1;
    }
    e->m = m;
    e->id = b->id;
    e->zone = b->zone;
    e->index = i;
    z->n++;
    return 1;
}

static void ignore_item(void *item, void *userdata) { (void)item; (void)userdata; }

/* Inserts every entry into the tree and builds it with one empty query. */
static int build_tree(struct zonelocate *z)
{
    GEOSGeometry *probe;

    z->tree = GEOSSTRtree_create_r(z->h, 10);
    if (z->tree == NULL)
        return -1;
    for (size_t i = 0; i < z->n; i++)
        GEOSSTRtree_insert_r(z->h, z->tree, z->e[i].m, &z->e[i]);
    probe = GEOSGeom_createPointFromXY_r(z->h, 0, 0);
    if (probe == NULL)
        return -1;
    GEOSSTRtree_query_r(z->h, z->tree, probe, ignore_item, NULL);
    GEOSGeom_destroy_r(z->h, probe);
    return 0;
}

struct zonelocate *zonelocate_create(const struct zone_set *s, size_t *skipped,
                                     char *err, size_t errsize)
{
    struct zonelocate *z = calloc(1, sizeof *z);
    size_t skip = 0;
    int rc = 0;

    if (z == NULL || (z->g = geo_around(s)) == NULL
        || (z->e = calloc(s->nblocks + 1, sizeof *z->e)) == NULL) {
        if (err != NULL && errsize > 0)
            snprintf(err, errsize, "out of memory");
        zonelocate_destroy(z);
        return NULL;
    }
    z->h = zonegeo_handle(z->g);
    for (size_t i = 0; i < s->nblocks && rc >= 0; i++) {
        rc = add_entry(z, &s->blocks[i], i);
        skip += rc == 0;
    }
    if (rc < 0 || build_tree(z) != 0) {
        zonegeo_last_error(z->g, err, errsize);
        zonelocate_destroy(z);
        return NULL;
    }
    if (skipped != NULL)
        *skipped = skip;
    return z;
}

static int grow_hits(struct zonelocate *z)
{
    size_t cap = z->cap ? 2 * z->cap : 16;
    void *p = realloc(z->hits, cap * sizeof *z->hits);
    if (p == NULL)
        return -1;
    z->hits = p;
    z->cap = cap;
    return 0;
}

static void on_candidate(void *item, void *userdata)
{
    struct search *q = userdata;
    struct entry *e = item;
    struct zonelocate *z = q->z;
    double d;

    if (q->failed || GEOSPreparedDistance_r(z->h, e->prep, q->pt, &d) != 1) {
        q->failed = 1;
        return;
    }
    if (d > q->radius)
        return;
    if (q->n == z->cap && grow_hits(z) != 0) {
        q->failed = 1;
        return;
    }
    z->hits[q->n++] = (struct zonelocate_hit){ e->id, e->zone, e->index, d };
}

static int by_distance(const void *a, const void *b)
{
    const struct zonelocate_hit *x = a, *y = b;
    if (x->distance_m != y->distance_m)
        return x->distance_m < y->distance_m ? -1 : 1;
    return (x->block_id > y->block_id) - (x->block_id < y->block_id);
}

/* Finds the hits into z->hits; returns their count or -1. */
static long search(struct zonelocate *z, double lon, double lat, double radius_m)
{
    struct search q = { .z = z, .radius = radius_m };
    GEOSGeometry *pt, *box;
    double x, y;

    if (!isfinite(lon) || !isfinite(lat) || !isfinite(radius_m) || radius_m < 0)
        return -1;
    zonegeo_to_metres(z->g, lon, lat, &x, &y);
    pt = GEOSGeom_createPointFromXY_r(z->h, x, y);
    box = GEOSGeom_createRectangle_r(z->h, x - radius_m, y - radius_m, x + radius_m, y + radius_m);
    if (pt != NULL && box != NULL) {
        q.pt = pt;
        GEOSSTRtree_query_r(z->h, z->tree, box, on_candidate, &q);
    } else {
        q.failed = 1;
    }
    GEOSGeom_destroy_r(z->h, box);
    GEOSGeom_destroy_r(z->h, pt);
    if (q.failed)
        return -1;
    if (q.n > 1)
        qsort(z->hits, q.n, sizeof *z->hits, by_distance);
    return (long)q.n;
}

long zonelocate_query(struct zonelocate *z, double lon, double lat, double radius_m,
                      struct zonelocate_hit *hits, size_t max)
{
    long n = search(z, lon, lat, radius_m);

    if (n > 0 && max > 0)
        memcpy(hits, z->hits, ((size_t)n < max ? (size_t)n : max) * sizeof *hits);
    return n;
}

int zonelocate_batch(struct zonelocate *z, const double *lonlat, size_t npoints,
                     double radius_m, zonelocate_emit_fn emit, void *arg)
{
    for (size_t i = 0; i < npoints; i++) {
        long n;
        if (!isfinite(lonlat[2 * i]) || !isfinite(lonlat[2 * i + 1])) {
            if (emit(i, NULL, -1, arg) != 0)
                return -1;
            continue;
        }
        n = search(z, lonlat[2 * i], lonlat[2 * i + 1], radius_m);
        if (n < 0 || emit(i, n > 0 ? z->hits : NULL, n, arg) != 0)
            return -1;
    }
    return 0;
}
