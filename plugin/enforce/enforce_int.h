/* enforce_int.h: what the files of plugin/enforce share; not for other modules. */
#ifndef PARK_ENFORCE_INT_H
#define PARK_ENFORCE_INT_H

#include <pthread.h>
#include <libpq-fe.h>

#include "dialogue.h"
#include "enforce.h"
#include "pool.h"

struct zonelocate;

struct enforce {
    struct enforce_config cfg;
    struct pool *pool;
    pthread_mutex_t locate_lock;      /* guards the look-up below (one GEOS context) */
    struct zonelocate *locate;        /* built on the first lon/lat sighting */
    time_t locate_at;                 /* when it was built: rebuilt after a minute */
};

/* A zone's paid hours as the dialogue prices them (hours.c): the policy set in h's arrays,
   or NULL with err set. Free time is never unpaid (violation.h). */
struct en_hours {
    struct dlg_tariffs ts;
    struct dlg_zone_policies zp;
};
const struct policy_set *en_zone_hours(struct enforce *e, PGconn *c, int zone,
                                       struct en_hours *h, struct en_error *err);

/* A pooled connection, or NULL with EN_UNAVAILABLE in err (logged). */
PGconn *en_get(struct enforce *e, struct en_error *err);
void en_put(struct enforce *e, PGconn *c);
/* Runs st; NULL with err set (the database's text goes to the log, never to err). */
PGresult *en_exec(struct enforce *e, PGconn *c, enum stmt st, const char *const *params,
                  struct en_error *err);

json_t *en_text(const PGresult *r, int row, int col);
json_t *en_int(const PGresult *r, int row, int col);
json_t *en_real(const PGresult *r, int row, int col);
json_t *en_bool(const PGresult *r, int row, int col);
json_t *en_time_col(const struct enforce *e, const PGresult *r, int row, int col);
json_t *en_zone_json(const PGresult *r, int row);
enum en_status en_zone_get(struct enforce *e, PGconn *c, int number, json_t **zone_json,
                           struct en_error *err);

/* The zone whose block is nearest to lon/lat within the configured radius: 0 and *zone,
   EN_NOT_FOUND, or EN_UNAVAILABLE (locate.c). */
enum en_status locate_zone(struct enforce *e, double lon, double lat, int *zone,
                           struct en_error *err);
void locate_free(struct enforce *e);

/* account.c: rows as JSON, paged lists (key, limit, offset), the subscriber's row. */
json_t *en_session_json(const struct enforce *e, const PGresult *r, int i);
json_t *en_movement_json(const struct enforce *e, const PGresult *r, int i);
json_t *en_page(struct enforce *e, enum stmt st, const char *key, int limit, int offset,
                json_t *(*row)(const struct enforce *, const PGresult *, int),
                struct en_error *err);
enum en_status en_account_row(struct enforce *e, const char *msisdn, json_t **out,
                              struct en_error *err);

#endif
