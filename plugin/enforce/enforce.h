/* enforce.h: enforcement for inspectors, camera cars, operators and the fines system,
 * over PostgreSQL, used by the HTTP API (plugin/api) and by parkctl.
 *
 * The rules live once: what a plate is (plate.h, with the box's plate policy), paid at
 * time t (paid_at() and session_paid_range() in sql/0007_api.sql), stays and the grace
 * period (violation.h). The time zone comes from the caller's configuration (a struct
 * local_zone from tz_load, borrowed). Every answer is a jansson object that belongs to
 * the caller (json_decref); times in answers are RFC 3339 in that zone plus epoch seconds.
 *
 * Failure: every call returns EN_OK and sets *out, or another status with a reason in
 * err->msg that may be shown to the client (never SQL or library text: those go to the
 * log sink). Threads: every call may run in several threads at once (the pool, pool.h).
 */
#ifndef PARK_ENFORCE_H
#define PARK_ENFORCE_H

#include <stddef.h>
#include <time.h>
#include <jansson.h>

#include "localtime.h"
#include "plate.h"

enum en_status { EN_OK = 0, EN_INVALID, EN_NOT_FOUND, EN_CONFLICT, EN_UNAVAILABLE };

struct en_error {
    enum en_status status;
    char msg[256];
};

struct enforce_config {
    const char *conninfo;
    int pool_size;                    /* connections, 1.. */
    const struct local_zone *tz;      /* borrowed */
    enum plate_policy plate_policy;
    int grace;                        /* s to pay after arrival (violation.h) */
    int max_gap;                      /* s between sightings of one stay */
    double radius_m;                  /* a lon/lat sighting maps to a block this near */
    void (*log)(void *ctx, const char *msg);   /* database errors; may be NULL */
    void *log_ctx;
};

struct enforce;
struct pool;

struct enforce *enforce_create(const struct enforce_config *cfg, char *err, size_t errsize);
void enforce_destroy(struct enforce *e);             /* accepts NULL */
struct pool *enforce_pool(struct enforce *e);        /* for the API's other modules */
void enforce_log(struct enforce *e, const char *what, const char *detail);

/* Helpers shared with the API's other modules. */
json_t *en_time(const struct enforce *e, time_t t);  /* {"..."} RFC 3339 local */
int en_parse_time(const struct enforce *e, const char *text, time_t *out);  /* 0 / -1 */
int en_parse_zone(const char *text, int *zone);      /* 0..9999, 1-4 digits; 0 / -1 */
/* A plate normalised under the configured policy; EN_INVALID with the reason. */
enum en_status en_plate(const struct enforce *e, const char *text, struct plate *p,
                        struct en_error *err);
enum en_status en_fail(struct en_error *err, enum en_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* {plate, format, zone: {...}|null, valid, problems: [...]}: the SMS dialogue's rules.
   zone may be NULL. EN_OK even when invalid (the answer says why). */
enum en_status enforce_validate(struct enforce *e, const char *zone, const char *plate,
                                json_t **out, struct en_error *err);

/* Paid, in grace or unpaid at `at` for plate in zone (zone < 0: any zone). */
enum en_status enforce_check(struct enforce *e, const char *plate, int zone, time_t at,
                             json_t **out, struct en_error *err);

struct en_sighting {
    const char *plate;
    int zone;                         /* < 0: from lon/lat */
    int has_point;
    double lon, lat;
    time_t at;
    const char *source;               /* inspector or camera id; may be NULL */
    const char *device, *device_ref;  /* idempotency: both or neither */
};
/* Records a sighting (idempotent by device and device_ref: a repeat returns the first,
   "created": false) and evaluates its stay: a violation is recorded or extended. */
enum en_status enforce_sight(struct enforce *e, const struct en_sighting *s, json_t **out,
                             struct en_error *err);

/* Violations changed since `since`, optionally of one status and plate, after id
   `after` (paging), at most limit. */
enum en_status enforce_violations(struct enforce *e, time_t since, const char *status,
                                  const char *plate, long long after, int limit,
                                  json_t **out, struct en_error *err);
/* Marks violation id handed over to the fines system (status sent); repeating it with
   the same fine_ref is harmless, another status is EN_CONFLICT. */
enum en_status enforce_hand_over(struct enforce *e, long long id, const char *by,
                                 const char *fine_ref, json_t **out, struct en_error *err);

/* Sessions by plate (msisdn NULL) or by msisdn (plate NULL), newest first. */
enum en_status enforce_sessions(struct enforce *e, const char *plate, const char *msisdn,
                                int limit, int offset, json_t **out, struct en_error *err);
/* A subscriber's balances and method, with the last parking-account movements. */
enum en_status enforce_account(struct enforce *e, const char *msisdn, json_t **out,
                               struct en_error *err);
/* The accounts of the subscribers who parked plate (newest first, at most 20), each as
   enforce_account() gives it: {"plate": ..., "accounts": [...]}. */
enum en_status enforce_accounts_by_plate(struct enforce *e, const char *plate, json_t **out,
                                         struct en_error *err);
/* A ledger entry into the parking account: kind "goodwill" (amount > 0) or "correction",
   with reason and operator; idempotent by key. */
enum en_status enforce_adjust(struct enforce *e, const char *msisdn, const char *kind,
                              long long amount, const char *reason, const char *operator_id,
                              const char *key, json_t **out, struct en_error *err);
/* Every zone, or one (number >= 0). */
enum en_status enforce_zones(struct enforce *e, int number, json_t **out, struct en_error *err);

#endif
