/* zonedata.h: the zone data shared by parkzones and the box (zones, street blocks, intersections).
 *
 * Owner: GIS geometry (zonedata.c). Import/export code builds and reads these structs directly.
 * Ownership: a struct zone_set and everything it points to (strings, xy arrays, the arrays of
 * zones, blocks and intersections) is heap memory owned by the set and freed only by
 * zone_set_destroy(). Strings may be NULL when the column is NULL; `street` is never NULL
 * after zone_set_load_pg().
 */
#ifndef ZONEDATA_H
#define ZONEDATA_H

#include <stddef.h>
#include <libpq-fe.h>

/* The drivers' languages (sql/0010_names.sql): the index of a name in struct zone_names,
 * and the suffix of its column and GeoJSON property (name_ru, street_kk, to_street_en). */
enum zone_lang { ZONE_LANG_RU, ZONE_LANG_KK, ZONE_LANG_EN, ZONE_NLANGS };
extern const char *const zone_lang_suffix[ZONE_NLANGS];   /* "ru", "kk", "en" */

/* The longest name in a language, in bytes of UTF-8 (the CHECKs of sql/0010_names.sql; the
 * box's buffers, plugin/dialogue/dialogue.h, hold one more). */
#define ZONE_NAME_MAX_BYTES 255
#define ZONE_STREET_MAX_BYTES 127

/* The column and property of base's name in language l ("street", ZONE_LANG_KK:
 * "street_kk") into buf; returns buf. */
#define ZONE_NAMES_KEY_MAX 32
char *zone_names_key(char buf[ZONE_NAMES_KEY_MAX], const char *base, int l);

/* A name in each language; NULL where there is none (the plain name is used then). */
struct zone_names {
    char *in[ZONE_NLANGS];
};

struct zone_block {
    long id;                 /* street_blocks.id */
    int zone;                /* zones.number, 4 digits */
    char *street, *from_street, *to_street;
    struct zone_names street_names, from_names, to_names;
    char *side;              /* "both", "odd", "even", "left", "right" or NULL */
    char *source;            /* e.g. "© OpenStreetMap contributors, ODbL; approximate" */
    int approximate;         /* 1 when the geometry is approximate */
    double *xy;              /* lon,lat pairs (EPSG:4326), 2 * npoints doubles; NULL if empty */
    size_t npoints;          /* 0 for an empty geometry */
};

struct zone_info {
    int number;              /* 4 digits, e.g. 1001 */
    char *name;
    struct zone_names names;
    long tariff_tiyn;        /* per hour */
    int active;
    int paid_hours;          /* 0 when not given */
    char *note;              /* NULL when not given */
};

struct zone_intersection {
    char *name_a, *name_b;   /* the two street names */
    double lon, lat;
};

struct zone_set {
    struct zone_info *zones;
    size_t nzones;
    struct zone_block *blocks;
    size_t nblocks;
    struct zone_intersection *intersections;
    size_t nintersections;
};

/* Reads zones, street_blocks and intersections (ordered by number / id) over a connected
 * PGconn (borrowed). Geometry that is not a LineString (or is NULL/empty) gives npoints 0.
 * Returns a new set, or NULL with a reason in err ("street_blocks: ...") on a query failure
 * or out of memory. */
struct zone_set *zone_set_load_pg(PGconn *c, char *err, size_t errsize);

/* Returns an empty set (all counts 0), or NULL when out of memory. */
struct zone_set *zone_set_create(void);

/* Frees the set and everything it owns. Accepts NULL. */
void zone_set_destroy(struct zone_set *s);

/* Helpers for code that builds a set by hand (import, tests). Each copies its string
 * arguments (NULL stays NULL) and the xy array; returns the new element, or NULL when out of
 * memory (the set is unchanged then). */
struct zone_info *zone_set_add_zone(struct zone_set *s, int number, const char *name,
                                    long tariff_tiyn, int active, int paid_hours,
                                    const char *note);
struct zone_block *zone_set_add_block(struct zone_set *s, long id, int zone, const char *street,
                                      const char *from_street, const char *to_street,
                                      const char *side, const char *source, int approximate,
                                      const double *xy, size_t npoints);
/* Replaces *n with copies of names[ZONE_NLANGS] (NULL entries stay NULL; names NULL: none).
 * Returns 0, or -1 when out of memory (then *n holds no names). */
int zone_names_set(struct zone_names *n, const char *const *names);
struct zone_intersection *zone_set_add_intersection(struct zone_set *s, const char *name_a,
                                                    const char *name_b, double lon, double lat);

/* Almaty's bounding box (west, south, east, north), the default for checks and projection. */
#define ZONE_CITY_WEST  76.7
#define ZONE_CITY_SOUTH 43.1
#define ZONE_CITY_EAST  77.2
#define ZONE_CITY_NORTH 43.4

/* Extent (west, south, east, north) of all block vertices, or only of those inside `clip`
 * (west, south, east, north) when clip is not NULL. Returns the number of vertices counted;
 * ext is left unchanged when that is 0. */
size_t zone_set_extent(const struct zone_set *s, const double *clip, double ext[4]);

/* The zone with this number, or NULL. */
const struct zone_info *zone_set_find_zone(const struct zone_set *s, int number);
/* How many of the set's street blocks belong to zone `number`. */
size_t zone_set_count_blocks(const struct zone_set *s, int number);

#endif
