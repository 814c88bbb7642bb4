/* locate.c: a sighting's lon/lat to a zone with the GIS look-up, in process (zonelocate.h). */
#include <stdio.h>

#include "enforce_int.h"
#include "zonedata.h"
#include "zonelocate.h"

#define LOCATE_MAX_AGE 60   /* s before the blocks are read again (planners edit them) */

/* (Re)builds the index when missing or old; under locate_lock. */
static int locate_build(struct enforce *e, struct en_error *err)
{
    char why[300];
    PGconn *c;
    struct zone_set *s;
    struct zonelocate *z;

    if (e->locate != NULL && time(NULL) - e->locate_at < LOCATE_MAX_AGE)
        return 0;
    if ((c = en_get(e, err)) == NULL)
        return -1;
    s = zone_set_load_pg(c, why, sizeof why);
    en_put(e, c);
    z = s ? zonelocate_create(s, NULL, why, sizeof why) : NULL;
    zone_set_destroy(s);
    if (z == NULL) {
        enforce_log(e, "cannot build the zone look-up", why);
        return en_fail(err, EN_UNAVAILABLE, "the zone look-up is unavailable"), -1;
    }
    zonelocate_destroy(e->locate);
    e->locate = z;
    e->locate_at = time(NULL);
    return 0;
}

enum en_status locate_zone(struct enforce *e, double lon, double lat, int *zone,
                           struct en_error *err)
{
    struct zonelocate_hit hit;
    long n = -1;

    pthread_mutex_lock(&e->locate_lock);
    if (locate_build(e, err) == 0)
        n = zonelocate_query(e->locate, lon, lat, e->cfg.radius_m, &hit, 1);
    else
        err->status = EN_UNAVAILABLE;
    pthread_mutex_unlock(&e->locate_lock);
    if (err->status == EN_UNAVAILABLE)
        return EN_UNAVAILABLE;
    if (n < 0)
        return en_fail(err, EN_INVALID, "lon/lat is not a point");
    if (n == 0)
        return en_fail(err, EN_NOT_FOUND, "no parking zone within %.0f m of %.6f,%.6f",
                       e->cfg.radius_m, lon, lat);
    *zone = hit.zone;
    return EN_OK;
}

void locate_free(struct enforce *e)
{
    zonelocate_destroy(e->locate);
    e->locate = NULL;
}
