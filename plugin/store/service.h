/* service.h: the SMS parking dialogue service over PostgreSQL, as the bearerbox link sees it.
 *
 * The box hands every MO to service_handle_mo() and sends the returned MT messages; a timer
 * calls service_run_due() for reminders, session ends and expired confirmations. All state
 * lives in PostgreSQL (schema in sql/); nothing here uses gwlib.
 *
 * Ownership: the config and the templates and zone it points to are borrowed and must outlive the
 * service. Arrays returned in *out belong to the caller (free() them; NULL when *nout is 0).
 * Thread-safety: every function may be called from several threads at once; each call takes
 * one connection from a small internal pool.
 * Failure: SERVICE_RETRY means the database could not be reached or the transaction failed;
 * nothing was committed, *out is NULL, and the caller should retry later (do not ack the MO).
 */
#ifndef PARK_SERVICE_H
#define PARK_SERVICE_H

#include <stddef.h>
#include <time.h>

#include "localtime.h"
#include "plate.h"
#include "reply.h"

struct service;

struct service_config {
    const char *conninfo;          /* libpq connection string */
    const char *service_number;    /* "7757": commands come here, most replies go from it */
    const char *confirm_number;    /* "7701": confirmations; confirmation requests go from it */
    int confirm_timeout;           /* s a debit waits for "1" */
    int reminder_minutes;          /* reminder this long before the end */
    int max_hours;                 /* longest paid duration of one session */
    const char *default_language;  /* "ru" */
    const struct reply_templates *templates;
    enum plate_policy plate_policy;
    const struct local_zone *zone; /* local time in replies (tz_load); borrowed */
    int phone_default;             /* subscribers with no method of their own pay by phone
                                      (the carrier's OCS), else by the built-in wallet */
    int charge_retry;              /* s before an unknown charge is asked again (doubling
                                      up to 16 times); 0: 10 */
    int rate_limit;                /* MOs to the service number per MSISDN a minute (a
                                      burst of as many), in this process; 0: no limit */
};

struct mo {
    const char *id;     /* Kannel sms.id uuid, text form */
    const char *from;
    const char *to;
    const char *text;
    size_t len;         /* UTF-8 */
    time_t at;
    time_t received;    /* wall-clock time it arrived (bearerbox's), for the rate limit
                           (0: at); differs from `at` under a test clock (hour-seconds) */
};

struct mt {
    long long outbox_id;
    char from[32];
    char to[32];
    char text[REPLY_MAX];
    int ucs2;
};

enum service_status { SERVICE_OK = 0, SERVICE_RETRY = 1 /* database unavailable: do not ack */ };

/* Connects, checks the schema version (refuses a version this code does not know) and the
   config. Returns NULL and a reason in err on failure. */
struct service *service_create(const struct service_config *cfg, char *err, size_t errsize);
void service_destroy(struct service *s);     /* accepts NULL */

/* One MO, one transaction: replies are stored in the outbox in the same transaction and
   returned in *out (caller frees with free()). A duplicate MO id returns the replies it
   produced the first time that bearerbox has not taken (neither marked sent nor with a
   delivery report), without any new effect. Thread-safe: one connection per call
   from a small internal pool. */
enum service_status service_handle_mo(struct service *s, const struct mo *mo,
                                      struct mt **out, size_t *nout);

/* Due work (reminders, session ends, expired confirmations), batch of at most `limit`,
   claimed with FOR UPDATE SKIP LOCKED; produced messages go through the outbox too.
   A reminder is sent as long as its session has not ended, however late `now` is, and
   with reminders on a session ends only after its reminder; one sent after the
   session's paid end is counted (service_late_reminders) and logged as a warning. */
enum service_status service_run_due(struct service *s, time_t now, int limit,
                                    struct mt **out, size_t *nout);
/* Reminders sent after their session's paid end since service_create. Thread-safe. */
unsigned long service_late_reminders(struct service *s);

/* Mark outbox rows sent after bearerbox accepted them (one statement; rows already
   marked keep their time). */
enum service_status service_mark_sent(struct service *s, const long long *ids, size_t n);

/* Outbox rows not sent (older than `age` seconds), e.g. after a crash; claimed. */
enum service_status service_unsent(struct service *s, int age, int limit,
                                   struct mt **out, size_t *nout);

/* ---- additions ---- */

/* Schema versions this code works with: PARK_SCHEMA_MIN (the statements need
   sql/0005_pipeline.sql, the charges sql/0006_payments.sql, the API's paid_at() and keys
   sql/0007_api.sql, the paid hours sql/0008_policies.sql, the names in the drivers'
   languages sql/0010_names.sql; 0009 adds roles only) .. PARK_SCHEMA_MAX. service_create
   refuses a database outside this range. */
#define PARK_SCHEMA_MIN 10
#define PARK_SCHEMA_MAX 10

/* Log sink for the service (levels below). Default: warnings and errors to stderr.
   Messages never contain full phone numbers; set before the first call. */
enum service_log_level { SERVICE_LOG_DEBUG, SERVICE_LOG_INFO, SERVICE_LOG_WARNING,
                         SERVICE_LOG_ERROR };
typedef void service_log_fn(void *ctx, enum service_log_level level, const char *msg);
void service_set_log(struct service *s, service_log_fn *fn, void *ctx);

/* The external payment drivers (plugin/pay/pay.h), borrowed; NULL: charges by that
   method answer "unavailable" and nothing is charged. A charge is requested and its
   answer recorded inside service_handle_mo (the call then waits for the provider, up to
   the driver's timeout); charges whose answer stayed unknown are asked again by
   service_run_due. */
struct pay_driver;
void service_set_payment(struct service *s, const struct pay_driver *phone,
                         const struct pay_driver *card);

/* Delivery reports on sent messages (schema version 4: outbox.dlr_status, dlr_at,
   delivered_at). */
enum service_dlr { SERVICE_DLR_DELIVERED, SERVICE_DLR_FAILED, SERVICE_DLR_BUFFERED,
                   SERVICE_DLR_SMSC_ACCEPTED, SERVICE_DLR_SMSC_REJECTED };
/* The status as stored in outbox.dlr_status ("delivered", ...); NULL if unknown. */
const char *service_dlr_name(enum service_dlr status);
/* Records a delivery report for outbox row `outbox_id`, idempotently: a duplicate, a
   report after a final status (delivered, failed) or an unknown id changes nothing and
   is still SERVICE_OK (*changed, when not NULL, says whether the row changed).
   SERVICE_RETRY: the database could not be reached; keep the report and retry. */
enum service_status service_record_dlr(struct service *s, long long outbox_id,
                                       enum service_dlr status, int *changed);
/* Records n delivery reports (ids[i] with status[i], in the order they arrived) in one
   statement, leaving each row as service_record_dlr() called for each report in turn
   would. Reports with an unknown status or an id <= 0 are logged and skipped. *changed,
   when not NULL, is the number of rows changed. SERVICE_RETRY: the database could not be
   reached and nothing was recorded; keep the reports and retry. */
enum service_status service_record_dlrs(struct service *s, const long long *ids,
                                        const enum service_dlr *status, size_t n,
                                        size_t *changed);

#endif
