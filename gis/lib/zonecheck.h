/* zonecheck.h: validation of a zone set: the checks `parkzones validate` runs.
 *
 * Owner: GIS geometry. Pure computation over a struct zone_set (no I/O); uses its own GEOS
 * context, so one zonecheck_run() may run per thread.
 *
 * Checks, in the order findings are reported:
 *   per block  unknown_zone, empty_geometry, invalid_geometry, self_intersection, outside_city,
 *              too_short (all blocks in order), then for each block cross_street_far and
 *              cross_street_unknown (a warning: nothing to measure against);
 *   per pair   duplicate (same line within duplicate_m, either direction), overlap (blocks of
 *              different zones sharing more than overlap_min_m of line; between blocks of one
 *              zone a warning). Blocks on opposite sides of one street (odd/even, or left/right
 *              taking the line direction into account) never overlap or duplicate;
 *   per zone   zone_without_blocks (error for an active zone, warning for an inactive one).
 * A block whose geometry is empty, invalid or outside the city takes part in no later check.
 * Distances are metres in a local equirectangular projection around the data inside the city.
 *
 * A cross street X of a block on street S is located from the other usable blocks whose street
 * is X and from the named intersections of S and X. Names match ignoring ASCII case and extra
 * spaces; "Zheltoksan (Mir)" matches both "Zheltoksan" and "Mir". The block's ends may be in
 * either order (from/to); the order that fits better is used.
 */
#ifndef ZONECHECK_H
#define ZONECHECK_H

#include "zonedata.h"

enum zonecheck_severity { ZONECHECK_ERROR = 0, ZONECHECK_WARNING = 1 };

enum zonecheck_code {
    ZONECHECK_UNKNOWN_ZONE,
    ZONECHECK_EMPTY_GEOMETRY,
    ZONECHECK_INVALID_GEOMETRY,
    ZONECHECK_SELF_INTERSECTION,
    ZONECHECK_OUTSIDE_CITY,
    ZONECHECK_TOO_SHORT,
    ZONECHECK_CROSS_STREET_FAR,
    ZONECHECK_CROSS_STREET_UNKNOWN,
    ZONECHECK_DUPLICATE,
    ZONECHECK_OVERLAP,
    ZONECHECK_ZONE_WITHOUT_BLOCKS
};

#define ZONECHECK_REASON_MAX 320

struct zonecheck_finding {
    enum zonecheck_severity severity;
    enum zonecheck_code code;
    long block_id;           /* the block concerned, 0 for a zone finding */
    int zone;                /* the block's zone, or the zone concerned */
    long other_block_id;     /* duplicate/overlap: the other block, else 0 */
    char reason[ZONECHECK_REASON_MAX];
    int has_location;
    double lon, lat;         /* where (EPSG:4326) when has_location */
};

struct zonecheck_config {
    double min_length_m;     /* blocks shorter are too_short (5) */
    double cross_street_m;   /* block ends farther from a cross street are reported (25) */
    double duplicate_m;      /* Hausdorff distance at or below which two lines are equal (1) */
    double overlap_grid_m;   /* precision grid for overlap intersections (0.5) */
    double overlap_min_m;    /* shared length beyond which blocks overlap (1) */
    double bbox[4];          /* city: west, south, east, north (Almaty 76.7 43.1 77.2 43.4) */
};

struct zonecheck_report {
    struct zonecheck_finding *findings;
    size_t nfindings;
    size_t nerrors, nwarnings;
};

/* Fills *cfg with the defaults above. */
void zonecheck_config_default(struct zonecheck_config *cfg);

/* Runs every check over s (borrowed). Returns a report (possibly with no findings), or NULL
 * with a reason in err (may be NULL) when out of memory or GEOS cannot be initialised. */
struct zonecheck_report *zonecheck_run(const struct zone_set *s, const struct zonecheck_config *cfg,
                                       char *err, size_t errsize);
void zonecheck_report_destroy(struct zonecheck_report *r);      /* accepts NULL */

/* "invalid_geometry", "overlap", ...; "error" / "warning". Static strings. */
const char *zonecheck_code_name(enum zonecheck_code code);
const char *zonecheck_severity_name(enum zonecheck_severity severity);

/* 1 when two street names match as described above. */
int zonecheck_names_match(const char *a, const char *b);

#endif
