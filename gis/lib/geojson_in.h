/* geojson_in.h: reading a GeoJSON FeatureCollection of zones, street blocks and intersections.
 *
 * Owner: GIS import/export. The format is described in gis/data/README.md: each Feature's
 * `kind` property ("zone", "block", "intersection") says what it is; without it the geometry
 * decides (LineString: block, Point: intersection, none or (Multi)Polygon: zone). Coordinates
 * are lon/lat (RFC 7946); a third coordinate (altitude) is accepted and ignored.
 *
 * The parser does no I/O except geojson_read_file(). It checks everything it can without a
 * database and reports every problem, not only the first, by JSON path:
 *   features[3].properties.zone: zone 1009 is neither in the file nor in the database
 * Ownership: the returned zone_set belongs to the caller (zone_set_destroy); a report's
 * problems belong to the report (geojson_report_clear).
 */
#ifndef GEOJSON_IN_H
#define GEOJSON_IN_H

#include <stddef.h>
#include "zonedata.h"

#define GEOJSON_WHERE_MAX 64
#define GEOJSON_WHAT_MAX 200
/* Problems kept per report; further ones are only counted. */
#define GEOJSON_MAX_PROBLEMS 500

struct geojson_problem {
    long feature;                      /* index in "features", -1 for the whole document */
    char where[GEOJSON_WHERE_MAX];     /* JSON path, e.g. "features[3].geometry.coordinates[1]" */
    char what[GEOJSON_WHAT_MAX];       /* e.g. "latitude 95.0000000 is out of range (-90..90)" */
};

struct geojson_report {
    struct geojson_problem *problems;  /* nproblems entries */
    size_t nproblems;
    size_t cap;
    size_t dropped;                    /* problems beyond GEOJSON_MAX_PROBLEMS, not kept */
};

struct geojson_options {
    /* Called for a block whose zone is not defined in the file: returns 1 when the zone exists
     * elsewhere (the database). NULL: every block's zone must be defined in the file. */
    int (*zone_known)(void *arg, int number);
    void *arg;
};

/* An empty report. */
void geojson_report_init(struct geojson_report *r);
/* Frees the problems and empties the report. */
void geojson_report_clear(struct geojson_report *r);
/* Total problems found (kept and dropped). */
size_t geojson_report_count(const struct geojson_report *r);

/* Parses len bytes of GeoJSON text. Returns a new zone_set (ids 0, in file order) when the
 * report stays empty; otherwise NULL, with every problem added to *report (which the caller
 * initialised). Also NULL with a document problem when out of memory. opt may be NULL. */
struct zone_set *geojson_parse(const char *text, size_t len, const struct geojson_options *opt,
                               struct geojson_report *report);

/* Sets the properties base_ru, base_kk and base_en of obj (a JSON object) to n's names, JSON
 * null where there is none: what the parser reads back. Returns 0, or -1 when out of memory. */
struct json_t;
int geojson_put_names(struct json_t *obj, const char *base, const struct zone_names *n);

/* Reads and parses the file at path; an unreadable file is a document problem
 * ("cannot read FILE: No such file or directory"). */
struct zone_set *geojson_read_file(const char *path, const struct geojson_options *opt,
                                   struct geojson_report *report);

#endif
