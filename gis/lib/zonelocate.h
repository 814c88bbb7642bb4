/* zonelocate.h: "which zone's blocks are near this point?" answered in-process.
 *
 * Owner: GIS geometry. zonelocate_create() projects every usable block of a zone set into a
 * local metric grid, prepares it and indexes it in a GEOS STRtree, once; queries then cost a
 * tree search and a few prepared distance computations, no database round trip.
 *
 * Threads: a struct zonelocate owns one GEOS context and is used by one thread at a time
 * (create one per thread; they share nothing). It copies what it needs from the zone set, so
 * the set may be destroyed after zonelocate_create().
 *
 * Distances are metres from the point to the nearest point of the block's centre line, in a
 * local equirectangular projection around the blocks (within 0.5 % of PostGIS geography for
 * points within a few kilometres of the data).
 */
#ifndef ZONELOCATE_H
#define ZONELOCATE_H

#include <stddef.h>
#include "zonedata.h"

struct zonelocate;

struct zonelocate_hit {
    long block_id;
    int zone;
    size_t block_index;      /* index into the zone set's blocks the index was built from */
    double distance_m;
};

/* Builds the index over s (borrowed). Blocks with no usable geometry (empty, a single point,
 * non-finite coordinates) are left out and counted in *skipped (may be NULL). Returns NULL
 * with a reason in err (may be NULL) when out of memory or GEOS fails. */
struct zonelocate *zonelocate_create(const struct zone_set *s, size_t *skipped,
                                     char *err, size_t errsize);
void zonelocate_destroy(struct zonelocate *z);                 /* accepts NULL */

/* Number of indexed blocks. */
size_t zonelocate_size(const struct zonelocate *z);

/* Blocks within radius_m (>= 0) of (lon, lat), nearest first (ties by block id). Writes at
 * most max of them to hits (may be NULL when max is 0) and returns how many there are in all,
 * or -1 for a non-finite point or radius, or when GEOS fails. */
long zonelocate_query(struct zonelocate *z, double lon, double lat, double radius_m,
                      struct zonelocate_hit *hits, size_t max);

/* Batch: npoints lon,lat pairs; for each point i calls emit(i, hits, nhits, arg) with all
 * its hits (nearest first; nhits 0 when none, hits NULL and nhits -1 when the point is not
 * finite). Stops and returns -1 when emit returns non-zero or memory runs out; else 0. */
typedef int (*zonelocate_emit_fn)(size_t index, const struct zonelocate_hit *hits, long nhits,
                                  void *arg);
int zonelocate_batch(struct zonelocate *z, const double *lonlat, size_t npoints,
                     double radius_m, zonelocate_emit_fn emit, void *arg);

#endif
