/* zonegeo.h: GEOS geometry for zone blocks: WKT/coordinate parsing, a local metric projection,
 * lengths in metres and validity with reasons.
 *
 * Owner: GIS geometry. Uses only the GEOS re-entrant (_r) API. A struct zonegeo holds one
 * GEOS context and must be used by one thread at a time; create one per thread.
 *
 * Coordinates: input is lon/lat (EPSG:4326). The metric projection is a local equirectangular
 * grid (x east, y north, metres) around an origin, with the WGS84 meridional and prime-vertical
 * radii at the origin latitude; within a few km of the origin it agrees with PostGIS geography
 * distances to well under 0.5 %.
 *
 * Ownership: every GEOSGeometry returned belongs to the caller (free with GEOSGeom_destroy_r on
 * zonegeo_handle(g)); parameters are borrowed. Functions that fail write a reason to err (when
 * err is not NULL) and return NULL / -1.
 */
#ifndef ZONEGEO_H
#define ZONEGEO_H

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <stddef.h>

struct zonegeo;

/* Longest reason text kept from GEOS (validity, parse errors), including the NUL. */
#define ZONEGEO_REASON_MAX 256

/* A context whose projection origin is (lon0, lat0). Returns NULL when out of memory or when
 * the origin is not finite or |lat0| >= 89. */
struct zonegeo *zonegeo_create(double lon0, double lat0);
void zonegeo_destroy(struct zonegeo *g);                     /* accepts NULL */
GEOSContextHandle_t zonegeo_handle(const struct zonegeo *g);

/* Metres per degree of longitude / latitude at the origin. */
double zonegeo_metres_per_deg_lon(const struct zonegeo *g);
double zonegeo_metres_per_deg_lat(const struct zonegeo *g);

/* lon/lat <-> local metres. */
void zonegeo_to_metres(const struct zonegeo *g, double lon, double lat, double *x, double *y);
void zonegeo_to_lonlat(const struct zonegeo *g, double x, double y, double *lon, double *lat);

/* Parses WKT (lon/lat). Returns NULL with GEOS's reason in err ("ParseException: ...") for text
 * that is not WKT or that GEOS cannot build, e.g. an unclosed ring. */
GEOSGeometry *zonegeo_from_wkt(struct zonegeo *g, const char *wkt, char *err, size_t errsize);

/* A LineString from npoints lon,lat pairs (npoints 0 gives an empty LineString). Fails for
 * npoints 1 ("a line needs 0 or at least 2 points") and for non-finite coordinates. */
GEOSGeometry *zonegeo_line_from_xy(struct zonegeo *g, const double *xy, size_t npoints,
                                   char *err, size_t errsize);

/* A copy of a lon/lat geometry in local metres, or a metric geometry back in lon/lat.
 * NULL (with err) when GEOS fails. */
GEOSGeometry *zonegeo_project(struct zonegeo *g, const GEOSGeometry *lonlat,
                              char *err, size_t errsize);
GEOSGeometry *zonegeo_unproject(struct zonegeo *g, const GEOSGeometry *metric,
                                char *err, size_t errsize);

/* Length in metres of a lon/lat geometry; -1 when GEOS fails. */
double zonegeo_length_m(struct zonegeo *g, const GEOSGeometry *lonlat);

/* Validity of a geometry (any coordinates). */
struct zonegeo_validity {
    int valid;                           /* 1 valid, 0 invalid, -1 GEOS failed */
    char reason[ZONEGEO_REASON_MAX];     /* e.g. "Self-intersection", "" when valid */
    int has_location;
    double x, y;                         /* where, in the geometry's own coordinates */
};
/* Fills *out; returns out->valid. Linestrings that are valid but cross or touch themselves
 * are reported as invalid with reason "Self-intersection" (a street block must be simple),
 * located at the first crossing found. */
int zonegeo_check_validity(struct zonegeo *g, const GEOSGeometry *geom,
                           struct zonegeo_validity *out);

/* First point where a linestring crosses or touches itself (other than its own closing
 * point); coordinates as in the line. Returns 1 and fills *x,*y, 0 when simple, -1 when the
 * geometry is not a linestring or GEOS fails. */
int zonegeo_line_self_intersection(struct zonegeo *g, const GEOSGeometry *line,
                                   double *x, double *y);

/* Copies GEOS's last error message for this context into err (for callers that use the
 * handle directly). */
void zonegeo_last_error(const struct zonegeo *g, char *err, size_t errsize);

#endif
