/* service.c: the dialogue service: one transaction per MO, due work, the outbox (see
   service.h). Transactions that fail on a lost connection are retried after a reconnect;
   serialization failures, deadlocks and unique-key races are retried from the start. */
#include "service.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialogue.h"
#include "outbox.h"
#include "payment.h"
#include "store_pg.h"

#define POOL_SIZE 16      /* connections; more callers at once wait for one */
#define TX_ATTEMPTS 5

struct service {
    struct service_config cfg;             /* strings and templates borrowed */
    struct pg_pool *pool;
    const struct payment_driver *pay;
    service_log_fn *log;
    void *log_ctx;
    pthread_mutex_t outage_lock;           /* guards the two fields below */
    int db_down;                           /* the last call failed to reach the database */
    time_t down_since;
};

static void log_stderr(void *ctx, enum service_log_level level, const char *msg)
{
    (void)ctx;
    if (level >= SERVICE_LOG_WARNING)
        fprintf(stderr, "parkstore: %s: %s\n", level == SERVICE_LOG_ERROR ? "ERROR" : "WARNING",
                msg);
}

static void slog(const struct service *s, enum service_log_level level, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    s->log(s->log_ctx, level, msg);
}

/* A call could not reach the database (no connection, or the connection broke): the
   first such failure of an outage is a warning, the rest are debug lines (callers
   retry every few seconds; the box logs how long the outage lasts). */
static void db_unreachable(struct service *s, const char *fmt, ...)
{
    char msg[512];
    int first;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&s->outage_lock);
    first = !s->db_down;
    if (first) {
        s->db_down = 1;
        s->down_since = time(NULL);
    }
    pthread_mutex_unlock(&s->outage_lock);
    if (first)
        slog(s, SERVICE_LOG_WARNING, "database unavailable: %s; retrying, further failures "
             "are not logged until it is back", msg);
    else
        slog(s, SERVICE_LOG_DEBUG, "database still unavailable: %s", msg);
}

/* A call reached the database: one info line if it had been unavailable. */
static void db_reached(struct service *s)
{
    time_t since = 0;
    int was_down;

    pthread_mutex_lock(&s->outage_lock);
    was_down = s->db_down;
    if (was_down)
        since = s->down_since;
    s->db_down = 0;
    pthread_mutex_unlock(&s->outage_lock);
    if (was_down)
        slog(s, SERVICE_LOG_INFO, "database back after %ld s", (long)(time(NULL) - since));
}

/* "+7701***4567": enough to follow a conversation in the log, not to call anyone. */
static void mask_msisdn(const char *msisdn, char *out, size_t size)
{
    size_t n = strlen(msisdn);

    if (n <= 6)
        snprintf(out, size, "***");
    else
        snprintf(out, size, "%.4s***%s", msisdn, msisdn + n - 4);
}

void service_set_log(struct service *s, service_log_fn *fn, void *ctx)
{
    s->log = fn ? fn : log_stderr;
    s->log_ctx = ctx;
}

void service_set_payment(struct service *s, const struct payment_driver *driver)
{
    s->pay = driver ? driver : payment_wallet();
}

static int config_error(const struct service_config *c, char *err, size_t errsize)
{
    const char *why = NULL;

    if (c->conninfo == NULL)
        why = "no PostgreSQL conninfo";
    else if (c->service_number == NULL || !*c->service_number || strlen(c->service_number) >= 32)
        why = "service number must be 1..31 characters";
    else if (c->confirm_number == NULL || !*c->confirm_number || strlen(c->confirm_number) >= 32)
        why = "confirm number must be 1..31 characters";
    else if (strcmp(c->service_number, c->confirm_number) == 0)
        why = "service number and confirm number must differ";
    else if (c->templates == NULL)
        why = "no reply templates";
    else if (c->confirm_timeout < 1)
        why = "confirm timeout must be at least 1 s";
    else if (c->reminder_minutes < 0)
        why = "reminder minutes must not be negative";
    else if (c->max_hours < 1)
        why = "max hours must be at least 1";
    else if (c->hour_seconds < 1 || c->hour_seconds > 3600)
        why = "hour seconds must be 1..3600";
    else if (c->default_language == NULL || (strcmp(c->default_language, "ru") &&
             strcmp(c->default_language, "kk") && strcmp(c->default_language, "en")))
        why = "default language must be ru, kk or en";
    if (why)
        snprintf(err, errsize, "%s", why);
    return why != NULL;
}

/* 0 when the database's schema version is one this code knows. */
static int check_schema(PGconn *conn, char *err, size_t errsize)
{
    struct pg_ctx pg = { .conn = conn };
    PGresult *r = pg_query(&pg, "SELECT max(version) FROM schema_version", NULL);
    long v;

    if (r == NULL) {
        snprintf(err, errsize, "cannot read the schema version (%s): apply the migrations "
                 "with scripts/migrate", pg.msg);
        return -1;
    }
    v = pg_isnull(r, 0, 0) ? 0 : (long)pg_i64(r, 0, 0);
    PQclear(r);
    if (v < 1) {
        snprintf(err, errsize, "the database has no schema: apply the migrations with "
                 "scripts/migrate");
        return -1;
    }
    if (v > PARK_SCHEMA_MAX) {
        snprintf(err, errsize, "database schema version %ld is newer than this parkbox "
                 "knows (1..%d): upgrade parkbox", v, PARK_SCHEMA_MAX);
        return -1;
    }
    return 0;
}

struct service *service_create(const struct service_config *cfg, char *err, size_t errsize)
{
    struct service *s;
    PGconn *conn;
    int bad;

    if (cfg == NULL || config_error(cfg, err, errsize))
        return NULL;
    s = calloc(1, sizeof *s);
    if (s == NULL || (s->pool = pg_pool_create(cfg->conninfo, POOL_SIZE)) == NULL) {
        snprintf(err, errsize, "out of memory");
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->outage_lock, NULL);
    s->cfg = *cfg;
    s->pay = payment_wallet();
    s->log = log_stderr;
    conn = pg_pool_get(s->pool, err, errsize);   /* NULL: the slot is already back */
    bad = conn == NULL || check_schema(conn, err, errsize) < 0;
    if (conn != NULL)
        pg_pool_put(s->pool, conn);
    if (bad) {
        service_destroy(s);
        return NULL;
    }
    return s;
}

void service_destroy(struct service *s)
{
    if (s == NULL)
        return;
    pg_pool_destroy(s->pool);
    pthread_mutex_destroy(&s->outage_lock);
    free(s);
}

static void dlg_setup(struct service *s, struct dlg *d, struct pg_ctx *pg, struct replies *out,
                      time_t now)
{
    memset(d, 0, sizeof *d);
    d->cfg = &s->cfg;
    d->pay = s->pay;
    d->pg = pg;
    d->out = out;
    d->now = now;
    snprintf(d->lang, sizeof d->lang, "%s", s->cfg.default_language);
}

/* One attempt at an MO: 0 committed, -1 failed (rolled back, reason in pg). With
   fallback the command is not run: the MO is recorded with temporary_failure. */
static int mo_transaction(struct service *s, struct pg_ctx *pg, const struct mo *mo,
                          struct replies *out, int fallback)
{
    struct dlg d;
    char lang[3];
    int seen;

    dlg_setup(s, &d, pg, out, mo->at ? mo->at : time(NULL));
    d.mo_id = mo->id;
    snprintf(d.msisdn, sizeof d.msisdn, "%s", mo->from);
    if (pg_begin(pg) < 0 || rec_lock_subscriber(pg, d.msisdn, lang, &d.account) < 0)
        goto fail;
    if (lang[0])
        snprintf(d.lang, sizeof d.lang, "%s", lang);
    seen = rec_mo_seen(pg, mo->id);
    if (seen < 0 || (seen == 1 && outbox_load_mo(pg, out, mo->id) < 0))
        goto fail;
    if (seen == 0) {
        if (rec_mo_record(pg, mo->id, d.msisdn, d.now) < 0)
            goto fail;
        if ((fallback ? dialogue_temporary_failure(&d)
                      : dialogue_command(&d, mo->text ? mo->text : "", mo->text ? mo->len : 0,
                                         strcmp(mo->to ? mo->to : "", s->cfg.confirm_number) == 0)) < 0)
            goto fail;
    }
    if (pg_commit(pg) == 0)
        return 0;
fail:
    if (pg->fail == PG_FAIL_NONE) {
        pg->fail = PG_FAIL_OTHER;
        snprintf(pg->msg, sizeof pg->msg, "unexpected state (no rows or out of memory)");
    }
    pg_rollback(pg);
    replies_clear(out);
    return -1;
}

/* Runs fn until it commits, retrying races and one lost connection. Returns 0, or -1
   with pg->fail telling why. */
static int with_retries(struct service *s, struct pg_ctx *pg, const char *what,
                        int (*fn)(struct service *, struct pg_ctx *, void *), void *arg)
{
    int reconnected = 0;

    for (int attempt = 0; attempt < TX_ATTEMPTS; attempt++) {
        if (fn(s, pg, arg) == 0)
            return 0;
        if (pg->fail == PG_FAIL_CONN && !reconnected) {
            reconnected = 1;
            PQreset(pg->conn);
            if (PQstatus(pg->conn) == CONNECTION_OK)
                continue;
        }
        if (pg->fail != PG_FAIL_RETRY)
            break;
        slog(s, SERVICE_LOG_DEBUG, "%s: retrying after %s", what, pg->sqlstate);
    }
    return -1;
}

struct mo_job {
    const struct mo *mo;
    struct replies *out;
    int fallback;
};

static int mo_job_run(struct service *s, struct pg_ctx *pg, void *arg)
{
    struct mo_job *j = arg;

    return mo_transaction(s, pg, j->mo, j->out, j->fallback);
}

enum service_status service_handle_mo(struct service *s, const struct mo *mo,
                                      struct mt **out, size_t *nout)
{
    struct replies rep = { 0 };
    struct mo_job job = { mo, &rep, 0 };
    struct pg_ctx pg = { 0 };
    char err[256], who[48];
    int rc;

    *out = NULL;
    *nout = 0;
    if (mo == NULL || mo->id == NULL || !*mo->id || mo->from == NULL || !*mo->from ||
        strlen(mo->from) >= MSISDN_MAX) {
        slog(s, SERVICE_LOG_WARNING, "MO without id or with a bad sender ignored");
        return SERVICE_OK;
    }
    mask_msisdn(mo->from, who, sizeof who);
    pg.conn = pg_pool_get(s->pool, err, sizeof err);
    if (pg.conn == NULL) {
        db_unreachable(s, "MO %s: %s", mo->id, err);
        return SERVICE_RETRY;
    }
    rc = with_retries(s, &pg, mo->id, mo_job_run, &job);
    if (rc < 0 && pg.fail == PG_FAIL_OTHER) {
        slog(s, SERVICE_LOG_ERROR, "MO %s from %s failed: %s %s; answering temporary_failure",
             mo->id, who, pg.sqlstate, pg.msg);
        job.fallback = 1;
        rc = with_retries(s, &pg, mo->id, mo_job_run, &job);
    }
    if (rc < 0 && pg.fail == PG_FAIL_CONN)
        db_unreachable(s, "MO %s from %s not handled, retry later: %s %s", mo->id, who,
                       pg.sqlstate, pg.msg);
    else if (rc < 0)
        slog(s, SERVICE_LOG_WARNING, "MO %s from %s not handled, retry later: %s %s", mo->id,
             who, pg.sqlstate, pg.msg);
    if (rc == 0 || pg.fail != PG_FAIL_CONN)
        db_reached(s);
    if (rc == 0)
        slog(s, SERVICE_LOG_INFO, "MO %s from %s to %s: %zu replies", mo->id, who,
             mo->to ? mo->to : "", rep.n);
    pg_pool_put(s->pool, pg.conn);
    if (rc < 0)
        return SERVICE_RETRY;
    replies_take(&rep, out, nout);
    return SERVICE_OK;
}

/* ---- due work ---- */

struct due_job {
    time_t now;
    int limit;
    int (*step)(struct dlg *, int);
    struct replies *out;
    int done;
};

static int due_job_run(struct service *s, struct pg_ctx *pg, void *arg)
{
    struct due_job *j = arg;
    struct replies part = { 0 };
    struct dlg d;
    int n;

    dlg_setup(s, &d, pg, &part, j->now);
    if (pg_begin(pg) < 0 || (n = j->step(&d, j->limit)) < 0 || pg_commit(pg) < 0) {
        if (pg->fail == PG_FAIL_NONE)
            pg->fail = PG_FAIL_OTHER;
        pg_rollback(pg);
        replies_clear(&part);
        return -1;
    }
    j->done = n;
    if (part.n) {
        struct mt *v = realloc(j->out->v, (j->out->n + part.n) * sizeof *v);
        if (v != NULL) {
            memcpy(v + j->out->n, part.v, part.n * sizeof *v);
            j->out->v = v;
            j->out->n += part.n;
            j->out->cap = j->out->n;
        }   /* else: committed; the rows stay unsent in the outbox for service_unsent */
    }
    replies_clear(&part);
    return 0;
}

enum service_status service_run_due(struct service *s, time_t now, int limit,
                                    struct mt **out, size_t *nout)
{
    int (*const steps[])(struct dlg *, int) = { due_expire_pendings, due_send_reminders,
                                                due_end_sessions };
    struct replies rep = { 0 };
    struct pg_ctx pg = { 0 };
    char err[256];
    int failed = 0;

    *out = NULL;
    *nout = 0;
    pg.conn = pg_pool_get(s->pool, err, sizeof err);
    if (pg.conn == NULL) {
        db_unreachable(s, "due work: %s", err);
        return SERVICE_RETRY;
    }
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && limit > 0; i++) {
        struct due_job j = { now, limit, steps[i], &rep, 0 };
        if (with_retries(s, &pg, "due work", due_job_run, &j) < 0) {
            failed = pg.fail == PG_FAIL_CONN;
            if (failed)
                db_unreachable(s, "due work failed: %s %s", pg.sqlstate, pg.msg);
            else
                slog(s, SERVICE_LOG_ERROR, "due work failed: %s %s", pg.sqlstate, pg.msg);
            if (failed)
                break;
            continue;
        }
        limit -= j.done;
    }
    if (!failed)
        db_reached(s);
    pg_pool_put(s->pool, pg.conn);
    replies_take(&rep, out, nout);
    return failed && *nout == 0 ? SERVICE_RETRY : SERVICE_OK;
}

/* ---- outbox ---- */

struct unsent_job {
    int age;
    int limit;
    const long long *ids;
    size_t n;
    struct replies *out;
};

static int unsent_run(struct service *s, struct pg_ctx *pg, void *arg)
{
    struct unsent_job *j = arg;
    int rc;

    (void)s;
    if (pg_begin(pg) < 0)
        return -1;
    rc = j->ids ? outbox_mark_sent(pg, j->ids, j->n)
                : outbox_claim_unsent(pg, j->out, j->age, j->limit);
    if (rc == 0 && pg_commit(pg) == 0)
        return 0;
    if (pg->fail == PG_FAIL_NONE)
        pg->fail = PG_FAIL_OTHER;
    pg_rollback(pg);
    replies_clear(j->out);
    return -1;
}

static enum service_status outbox_call(struct service *s, struct unsent_job *j)
{
    struct pg_ctx pg = { 0 };
    char err[256];
    int rc;

    pg.conn = pg_pool_get(s->pool, err, sizeof err);
    if (pg.conn == NULL) {
        db_unreachable(s, "outbox: %s", err);
        return SERVICE_RETRY;
    }
    rc = with_retries(s, &pg, "outbox", unsent_run, j);
    if (rc < 0 && pg.fail == PG_FAIL_CONN)
        db_unreachable(s, "outbox: %s %s", pg.sqlstate, pg.msg);
    else if (rc < 0)
        slog(s, SERVICE_LOG_WARNING, "outbox: %s %s", pg.sqlstate, pg.msg);
    else
        db_reached(s);
    pg_pool_put(s->pool, pg.conn);
    return rc < 0 ? SERVICE_RETRY : SERVICE_OK;
}

enum service_status service_mark_sent(struct service *s, const long long *ids, size_t n)
{
    struct replies none = { 0 };
    struct unsent_job j = { 0, 0, ids, n, &none };

    if (n == 0)
        return SERVICE_OK;
    return outbox_call(s, &j);
}

enum service_status service_unsent(struct service *s, int age, int limit,
                                   struct mt **out, size_t *nout)
{
    struct replies rep = { 0 };
    struct unsent_job j = { age, limit, NULL, 0, &rep };
    enum service_status st = outbox_call(s, &j);

    replies_take(&rep, out, nout);
    return st;
}

/* ---- delivery reports ---- */

const char *service_dlr_name(enum service_dlr status)
{
    static const char *const names[] = { "delivered", "failed", "buffered", "smsc_accepted",
                                         "smsc_rejected" };

    if ((unsigned)status >= sizeof names / sizeof names[0])
        return NULL;
    return names[status];
}

struct dlr_job {
    long long id;
    const char *status;
    int changed;
};

static int dlr_run(struct service *s, struct pg_ctx *pg, void *arg)
{
    struct dlr_job *j = arg;
    int rc;

    (void)s;
    pg->fail = PG_FAIL_NONE;
    rc = outbox_record_dlr(pg, j->id, j->status);
    if (rc < 0 && pg->fail == PG_FAIL_NONE)
        pg->fail = PG_FAIL_OTHER;
    j->changed = rc > 0;
    return rc < 0 ? -1 : 0;
}

enum service_status service_record_dlr(struct service *s, long long outbox_id,
                                       enum service_dlr status, int *changed)
{
    struct dlr_job j = { outbox_id, service_dlr_name(status), 0 };
    struct pg_ctx pg = { 0 };
    char err[256];
    int rc;

    if (changed != NULL)
        *changed = 0;
    if (j.status == NULL || outbox_id <= 0) {
        slog(s, SERVICE_LOG_WARNING, "delivery report for outbox %lld with status %d ignored",
             outbox_id, (int)status);
        return SERVICE_OK;
    }
    pg.conn = pg_pool_get(s->pool, err, sizeof err);
    if (pg.conn == NULL) {
        db_unreachable(s, "delivery report: %s", err);
        return SERVICE_RETRY;
    }
    rc = with_retries(s, &pg, "delivery report", dlr_run, &j);
    if (rc < 0 && pg.fail == PG_FAIL_CONN)
        db_unreachable(s, "delivery report: %s %s", pg.sqlstate, pg.msg);
    else if (rc < 0)
        slog(s, SERVICE_LOG_ERROR, "delivery report for outbox %lld not recorded: %s %s",
             outbox_id, pg.sqlstate, pg.msg);
    else
        db_reached(s);
    pg_pool_put(s->pool, pg.conn);
    if (rc < 0 && pg.fail == PG_FAIL_CONN)
        return SERVICE_RETRY;
    if (changed != NULL)
        *changed = j.changed;
    return SERVICE_OK;
}

struct dlrs_job {
    const long long *ids;
    const char **names;
    size_t n;
    long changed;
};

static int dlrs_run(struct service *s, struct pg_ctx *pg, void *arg)
{
    struct dlrs_job *j = arg;

    (void)s;
    pg->fail = PG_FAIL_NONE;
    j->changed = outbox_record_dlrs(pg, j->ids, j->names, j->n);
    if (j->changed < 0 && pg->fail == PG_FAIL_NONE)
        pg->fail = PG_FAIL_OTHER;
    return j->changed < 0 ? -1 : 0;
}

/* The reports worth recording (known status, positive id) into j; the rest are logged. */
static int dlrs_filter(struct service *s, const long long *ids, const enum service_dlr *status,
                       size_t n, struct dlrs_job *j)
{
    long long *v = malloc((n ? n : 1) * sizeof *v);

    j->names = malloc((n ? n : 1) * sizeof *j->names);
    j->ids = v;
    if (v == NULL || j->names == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char *name = service_dlr_name(status[i]);
        if (name == NULL || ids[i] <= 0) {
            slog(s, SERVICE_LOG_WARNING, "delivery report for outbox %lld with status %d "
                 "ignored", ids[i], (int)status[i]);
            continue;
        }
        v[j->n] = ids[i];
        j->names[j->n++] = name;
    }
    return 0;
}

enum service_status service_record_dlrs(struct service *s, const long long *ids,
                                        const enum service_dlr *status, size_t n,
                                        size_t *changed)
{
    struct dlrs_job j = { 0 };
    struct pg_ctx pg = { 0 };
    char err[256];
    int rc = 0;

    if (changed != NULL)
        *changed = 0;
    if (dlrs_filter(s, ids, status, n, &j) < 0) {
        rc = -1;
        pg.fail = PG_FAIL_CONN;    /* out of memory: keep the reports, retry later */
        snprintf(err, sizeof err, "out of memory");
        db_unreachable(s, "delivery reports: %s", err);
    } else if (j.n > 0 && (pg.conn = pg_pool_get(s->pool, err, sizeof err)) == NULL) {
        rc = -1;
        pg.fail = PG_FAIL_CONN;
        db_unreachable(s, "delivery reports: %s", err);
    } else if (j.n > 0) {
        rc = with_retries(s, &pg, "delivery reports", dlrs_run, &j);
        if (rc < 0 && pg.fail == PG_FAIL_CONN)
            db_unreachable(s, "delivery reports: %s %s", pg.sqlstate, pg.msg);
        else if (rc < 0)
            slog(s, SERVICE_LOG_ERROR, "%zu delivery reports not recorded: %s %s", j.n,
                 pg.sqlstate, pg.msg);
        else
            db_reached(s);
        pg_pool_put(s->pool, pg.conn);
    }
    free((void *)j.ids);
    free(j.names);
    if (rc < 0 && pg.fail == PG_FAIL_CONN)
        return SERVICE_RETRY;
    if (changed != NULL && rc == 0)
        *changed = (size_t)j.changed;
    return SERVICE_OK;
}
