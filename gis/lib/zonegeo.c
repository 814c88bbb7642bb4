/* zonegeo.c: GEOS geometry for zone blocks (parsing, local metric projection, validity). */
#include "zonegeo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"

#define WGS84_A  6378137.0
#define WGS84_E2 0.00669437999014
#define DEG      (M_PI / 180.0)

struct zonegeo {
    GEOSContextHandle_t h;
    double lon0, lat0;
    double mx, my;                /* metres per degree lon, lat at the origin */
    char last_error[ZONEGEO_REASON_MAX];
};

static void on_geos_error(const char *message, void *userdata)
{
    struct zonegeo *g = userdata;
    size_t n;

    snprintf(g->last_error, sizeof g->last_error, "%s", message);
    n = strlen(g->last_error);
    while (n > 0 && (g->last_error[n - 1] == '\n' || g->last_error[n - 1] == ' '))
        g->last_error[--n] = '\0';
}

struct zonegeo *zonegeo_create(double lon0, double lat0)
{
    struct zonegeo *g;
    double s, w;

    if (!isfinite(lon0) || !isfinite(lat0) || fabs(lat0) >= 89.0)
        return NULL;
    g = calloc(1, sizeof *g);
    if (g == NULL)
        return NULL;
    g->h = GEOS_init_r();
    if (g->h == NULL) {
        free(g);
        return NULL;
    }
    GEOSContext_setErrorMessageHandler_r(g->h, on_geos_error, g);
    g->lon0 = lon0;
    g->lat0 = lat0;
    s = sin(lat0 * DEG);
    w = sqrt(1.0 - WGS84_E2 * s * s);
    g->my = WGS84_A * (1.0 - WGS84_E2) / (w * w * w) * DEG;   /* meridional radius */
    g->mx = WGS84_A / w * cos(lat0 * DEG) * DEG;              /* prime vertical, parallel */
    return g;
}

void zonegeo_destroy(struct zonegeo *g)
{
    if (g == NULL)
        return;
    GEOS_finish_r(g->h);
    free(g);
}

GEOSContextHandle_t zonegeo_handle(const struct zonegeo *g) { return g->h; }
double zonegeo_metres_per_deg_lon(const struct zonegeo *g) { return g->mx; }
double zonegeo_metres_per_deg_lat(const struct zonegeo *g) { return g->my; }

void zonegeo_to_metres(const struct zonegeo *g, double lon, double lat, double *x, double *y)
{
    *x = (lon - g->lon0) * g->mx;
    *y = (lat - g->lat0) * g->my;
}

void zonegeo_to_lonlat(const struct zonegeo *g, double x, double y, double *lon, double *lat)
{
    *lon = g->lon0 + x / g->mx;
    *lat = g->lat0 + y / g->my;
}

void zonegeo_last_error(const struct zonegeo *g, char *err, size_t errsize)
{
    errbuf_set(err, errsize, "%s", g->last_error[0] ? g->last_error : "GEOS failed");
}

GEOSGeometry *zonegeo_from_wkt(struct zonegeo *g, const char *wkt, char *err, size_t errsize)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(g->h);
    GEOSGeometry *geom;

    if (r == NULL) {
        errbuf_set(err, errsize, "out of memory");
        return NULL;
    }
    g->last_error[0] = '\0';
    geom = GEOSWKTReader_read_r(g->h, r, wkt);
    GEOSWKTReader_destroy_r(g->h, r);
    if (geom == NULL)
        zonegeo_last_error(g, err, errsize);
    return geom;
}

GEOSGeometry *zonegeo_line_from_xy(struct zonegeo *g, const double *xy, size_t npoints,
                                   char *err, size_t errsize)
{
    GEOSCoordSequence *cs;
    GEOSGeometry *line;

    if (npoints == 1) {
        errbuf_set(err, errsize, "a line needs 0 or at least 2 points");
        return NULL;
    }
    for (size_t i = 0; i < 2 * npoints; i++) {
        if (!isfinite(xy[i])) {
            errbuf_set(err, errsize, "coordinate %zu is not a finite number", i / 2 + 1);
            return NULL;
        }
    }
    if (npoints == 0)
        return GEOSGeom_createEmptyLineString_r(g->h);
    cs = GEOSCoordSeq_copyFromBuffer_r(g->h, xy, (unsigned int)npoints, 0, 0);
    if (cs == NULL) {
        zonegeo_last_error(g, err, errsize);
        return NULL;
    }
    line = GEOSGeom_createLineString_r(g->h, cs);      /* takes ownership of cs */
    if (line == NULL)
        zonegeo_last_error(g, err, errsize);
    return line;
}

static int to_metres_cb(double *x, double *y, void *userdata)
{
    zonegeo_to_metres(userdata, *x, *y, x, y);
    return 1;
}

static int to_lonlat_cb(double *x, double *y, void *userdata)
{
    zonegeo_to_lonlat(userdata, *x, *y, x, y);
    return 1;
}

GEOSGeometry *zonegeo_project(struct zonegeo *g, const GEOSGeometry *lonlat,
                              char *err, size_t errsize)
{
    GEOSGeometry *m = GEOSGeom_transformXY_r(g->h, lonlat, to_metres_cb, g);
    if (m == NULL)
        zonegeo_last_error(g, err, errsize);
    return m;
}

GEOSGeometry *zonegeo_unproject(struct zonegeo *g, const GEOSGeometry *metric,
                                char *err, size_t errsize)
{
    GEOSGeometry *ll = GEOSGeom_transformXY_r(g->h, metric, to_lonlat_cb, g);
    if (ll == NULL)
        zonegeo_last_error(g, err, errsize);
    return ll;
}

double zonegeo_length_m(struct zonegeo *g, const GEOSGeometry *lonlat)
{
    GEOSGeometry *m = zonegeo_project(g, lonlat, NULL, 0);
    double len = -1;

    if (m == NULL)
        return -1;
    if (GEOSLength_r(g->h, m, &len) != 1)
        len = -1;
    GEOSGeom_destroy_r(g->h, m);
    return len;
}

/* ---- self-intersection of a linestring ---- */

struct pt { double x, y; };

static double orient(struct pt a, struct pt b, struct pt c)
{
    return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

static int on_segment(struct pt a, struct pt b, struct pt p)
{
    return fmin(a.x, b.x) <= p.x && p.x <= fmax(a.x, b.x)
        && fmin(a.y, b.y) <= p.y && p.y <= fmax(a.y, b.y);
}

/* 1 when segments ab and cd share a point; *at gets one shared point. */
static int segments_meet(struct pt a, struct pt b, struct pt c, struct pt d, struct pt *at)
{
    double o1 = orient(a, b, c), o2 = orient(a, b, d);
    double o3 = orient(c, d, a), o4 = orient(c, d, b);

    if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
        double t = o3 / (o3 - o4);
        at->x = a.x + t * (b.x - a.x);
        at->y = a.y + t * (b.y - a.y);
        return 1;
    }
    if (o1 == 0 && on_segment(a, b, c)) { *at = c; return 1; }
    if (o2 == 0 && on_segment(a, b, d)) { *at = d; return 1; }
    if (o3 == 0 && on_segment(c, d, a)) { *at = a; return 1; }
    if (o4 == 0 && on_segment(c, d, b)) { *at = b; return 1; }
    return 0;
}

/* Adjacent segments ab, bc fold back on themselves (collinear, opposite directions). */
static int folds_back(struct pt a, struct pt b, struct pt c)
{
    return orient(a, b, c) == 0 && (b.x - a.x) * (c.x - b.x) + (b.y - a.y) * (c.y - b.y) < 0;
}

/* Vertices without consecutive repeats; returns the count, or 0 on failure. */
static size_t line_vertices(struct zonegeo *g, const GEOSGeometry *line, struct pt **out)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(g->h, line);
    unsigned int n = 0;
    size_t k = 0;
    struct pt *v;

    if (cs == NULL || GEOSCoordSeq_getSize_r(g->h, cs, &n) != 1 || n == 0)
        return 0;
    v = malloc(n * sizeof *v);
    if (v == NULL)
        return 0;
    for (unsigned int i = 0; i < n; i++) {
        struct pt p;
        GEOSCoordSeq_getXY_r(g->h, cs, i, &p.x, &p.y);
        if (k == 0 || p.x != v[k - 1].x || p.y != v[k - 1].y)
            v[k++] = p;
    }
    *out = v;
    return k;
}

static int find_crossing(const struct pt *v, size_t n, struct pt *at)
{
    int closed = n > 3 && v[0].x == v[n - 1].x && v[0].y == v[n - 1].y;

    for (size_t i = 0; i + 1 < n; i++) {
        if (i + 2 < n && folds_back(v[i], v[i + 1], v[i + 2])) {
            *at = v[i + 1];
            return 1;
        }
        for (size_t j = i + 2; j + 1 < n; j++) {
            if (closed && i == 0 && j == n - 2)
                continue;
            if (segments_meet(v[i], v[i + 1], v[j], v[j + 1], at))
                return 1;
        }
    }
    return 0;
}

int zonegeo_line_self_intersection(struct zonegeo *g, const GEOSGeometry *line,
                                   double *x, double *y)
{
    struct pt *v = NULL, at;
    size_t n;
    int found;

    if (GEOSGeomTypeId_r(g->h, line) != GEOS_LINESTRING)
        return -1;
    if (GEOSisEmpty_r(g->h, line) == 1)
        return 0;
    n = line_vertices(g, line, &v);
    if (n == 0)
        return -1;
    found = find_crossing(v, n, &at);
    free(v);
    if (found) {
        *x = at.x;
        *y = at.y;
    }
    return found;
}

/* ---- validity ---- */

static void copy_location(struct zonegeo *g, const GEOSGeometry *loc, struct zonegeo_validity *out)
{
    if (loc == NULL || GEOSisEmpty_r(g->h, loc) != 0)
        return;
    if (GEOSGeomGetX_r(g->h, loc, &out->x) == 1 && GEOSGeomGetY_r(g->h, loc, &out->y) == 1)
        out->has_location = 1;
}

int zonegeo_check_validity(struct zonegeo *g, const GEOSGeometry *geom,
                           struct zonegeo_validity *out)
{
    char *reason = NULL;
    GEOSGeometry *loc = NULL;
    char v;

    memset(out, 0, sizeof *out);
    v = GEOSisValidDetail_r(g->h, geom, 0, &reason, &loc);
    if (v == 2) {
        out->valid = -1;
        zonegeo_last_error(g, out->reason, sizeof out->reason);
        return out->valid;
    }
    out->valid = v == 1;
    if (reason != NULL) {
        if (!out->valid)
            snprintf(out->reason, sizeof out->reason, "%s", reason);
        GEOSFree_r(g->h, reason);
    }
    if (loc != NULL) {
        if (!out->valid)
            copy_location(g, loc, out);
        GEOSGeom_destroy_r(g->h, loc);
    }
    if (out->valid && GEOSGeomTypeId_r(g->h, geom) == GEOS_LINESTRING
        && zonegeo_line_self_intersection(g, geom, &out->x, &out->y) == 1) {
        out->valid = 0;
        out->has_location = 1;
        snprintf(out->reason, sizeof out->reason, "Self-intersection");
    }
    return out->valid;
}
