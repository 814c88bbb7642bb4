/* export.h: zone data prepared for export (zones, blocks, intersections and the derived zone
 * areas) and the writers for GeoJSON, KML and SVG.
 *
 * Owner: GIS import/export. Areas come from the zone_areas view (blocks buffered by the kerb
 * width and unioned per zone in PostGIS); they are decoded with GEOS and their rings oriented
 * for RFC 7946: exterior rings counter-clockwise, holes clockwise.
 * Ownership: an export_data owns its zone_set and areas (export_data_destroy). Writers borrow
 * the data and the FILE; they return 0, or -1 when writing failed (errno as left by stdio).
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stdio.h>
#include <libpq-fe.h>
#include "zonedata.h"

#define EXPORT_OSM_CREDIT "\xc2\xa9 OpenStreetMap contributors, ODbL"

struct export_ring {
    double *xy;                 /* lon,lat pairs, closed (first point == last point) */
    size_t npoints;
};

struct export_polygon {
    struct export_ring *rings;  /* rings[0] exterior (counter-clockwise), then holes (clockwise) */
    size_t nrings;
};

struct export_area {
    int zone;
    double area_m2;
    struct export_polygon *polygons;
    size_t npolygons;
};

struct export_data {
    struct zone_set *set;       /* zones, blocks and intersections to export */
    struct export_area *areas;  /* one per zone that has blocks */
    size_t nareas;
    double kerb_width_m;
    int has_osm;                /* some block's source credits OpenStreetMap */
};

/* Loads everything (zone < 0) or one zone with its blocks and the intersections at their ends.
 * Returns NULL with a reason in err for a query failure, out of memory or (only when a zone
 * is asked for) "zone N does not exist". */
struct export_data *export_load_pg(PGconn *c, int zone, char *err, size_t errsize);

/* Builds export data from a set (taken over: freed with the data) without areas. */
struct export_data *export_data_from_set(struct zone_set *set);

void export_data_destroy(struct export_data *d);      /* accepts NULL */

/* The area of a zone, or NULL when it has none. */
const struct export_area *export_find_area(const struct export_data *d, int zone);

/* Decodes a hex WKB Polygon or MultiPolygon into *a (zone and area_m2 untouched), orienting
 * its rings. Returns 0, or -1 with a reason in err. */
int export_area_from_hex_wkb(struct export_area *a, const char *hex, char *err, size_t errsize);

/* Twice the signed area of a closed ring in its own coordinates: > 0 counter-clockwise,
 * < 0 clockwise, 0 degenerate. */
double export_ring_signed_area2(const double *xy, size_t npoints);

/* Reverses the ring in place when its orientation is not the wanted one (ccw 1 or 0). Returns
 * 1 when it reversed it. */
int export_ring_orient(double *xy, size_t npoints, int ccw);

/* Writers. */
int export_geojson(FILE *f, const struct export_data *d);
int export_kml(FILE *f, const struct export_data *d);

struct export_svg_options {
    int width;                  /* pixels; the height follows from the layout */
    const char *title;          /* NULL: "Paid parking zones" */
};
int export_svg(FILE *f, const struct export_data *d, const struct export_svg_options *o);

/* Colour of a zone ("#1b9e77", ...) by its number, so that a zone keeps its colour in every
 * export; shared by the SVG and KML writers. */
const char *export_zone_colour(int zone);

/* Writes s (NULL writes nothing) to f with the five XML specials escaped; shared by the SVG
 * and KML writers. */
void export_put_xml_text(FILE *f, const char *s);

#endif
