/* service.c: the dialogue service: one transaction per MO, due work, the outbox (see
   service.h). Transactions that fail on a lost connection are retried after a reconnect;
   serialization failures, deadlocks and unique-key races are retried from the start. */
#include "service.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "dialogue.h"
#include "msisdn.h"
#include "outbox.h"
#include "pay.h"
#include "ratelimit.h"
#include "snapshot.h"
#include "store_pg.h"

#define POOL_SIZE 16      /* connections; more callers at once wait for one */
#define TX_ATTEMPTS 5
#define DUE_BATCH 64      /* due rows of one kind in one transaction */
#define LIMIT_SETS 8192  /* x RATELIMIT_WAYS numbers tracked by the rate limit */

struct service {
    struct service_config cfg;             /* strings, templates, zone borrowed */
    struct dlg_config dcfg;                /* the same, as the dialogue takes it */
    struct pg_pool *pool;
    const struct pay_driver *phone;        /* borrowed; NULL: charges answer unavailable */
    const struct pay_driver *card;
    service_log_fn *log;
    void *log_ctx;
    pthread_mutex_t outage_lock;           /* guards the three fields below */
    int db_down;                           /* the last call failed to reach the database */
    time_t down_since;
    unsigned long late_reminders;          /* sent after their session's paid end */
    struct ratelimit *limit;               /* NULL: no rate limit */
    pthread_mutex_t limit_lock;            /* guards limit */
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

void service_set_log(struct service *s, service_log_fn *fn, void *ctx)
{
    s->log = fn ? fn : log_stderr;
    s->log_ctx = ctx;
}

void service_set_payment(struct service *s, const struct pay_driver *phone,
                         const struct pay_driver *card)
{
    s->phone = phone;
    s->card = card;
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
    else if (c->zone == NULL)
        why = "no time zone";
    else if (c->confirm_timeout < 1)
        why = "confirm timeout must be at least 1 s";
    else if (c->reminder_minutes < 0)
        why = "reminder minutes must not be negative";
    else if (c->max_hours < 1)
        why = "max hours must be at least 1";
    else if (c->rate_limit < 0)
        why = "rate limit must not be negative";
    else if (c->default_language == NULL || (strcmp(c->default_language, "ru") != 0 &&
             strcmp(c->default_language, "kk") != 0 && strcmp(c->default_language, "en") != 0))
        why = "default language must be ru, kk or en";
    if (why)
        snprintf(err, errsize, "%s", why);
    return why != NULL;
}

/* 0 when the database's schema version is one this code works with (a connection of
   its own: the pool's connections prepare statements that need the schema). */
static int check_schema(const char *conninfo, char *err, size_t errsize)
{
    PGconn *conn = PQconnectdb(conninfo);
    struct pg_ctx pg = { .conn = conn };
    PGresult *r;
    long v;
    int rc = -1;

    if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
        snprintf(err, errsize, "cannot connect to PostgreSQL: %s",
                 conn ? PQerrorMessage(conn) : "out of memory");
        err[strcspn(err, "\n")] = '\0';
        PQfinish(conn);
        return -1;
    }
    r = pg_query(&pg, "SELECT max(version) FROM schema_version", NULL);
    if (r == NULL) {
        snprintf(err, errsize, "cannot read the schema version (%s): apply the migrations "
                 "with scripts/migrate", pg.msg);
    } else if ((v = pg_isnull(r, 0, 0) ? 0 : (long)pg_i64(r, 0, 0)) < PARK_SCHEMA_MIN) {
        snprintf(err, errsize, v < 1 ? "the database has no schema: apply the migrations "
                 "with scripts/migrate" : "database schema version %ld is older than this "
                 "parkbox needs (%d): apply the migrations with scripts/migrate", v,
                 PARK_SCHEMA_MIN);
    } else if (v > PARK_SCHEMA_MAX) {
        snprintf(err, errsize, "database schema version %ld is newer than this parkbox "
                 "knows (%d..%d): upgrade parkbox", v, PARK_SCHEMA_MIN, PARK_SCHEMA_MAX);
    } else {
        rc = 0;
    }
    PQclear(r);
    PQfinish(conn);
    return rc;
}

struct service *service_create(const struct service_config *cfg, char *err, size_t errsize)
{
    struct service *s;
    PGconn *conn;
    int bad;

    if (cfg == NULL || config_error(cfg, err, errsize) ||
        check_schema(cfg->conninfo, err, errsize) < 0)
        return NULL;
    s = calloc(1, sizeof *s);
    if (s == NULL || (s->pool = pg_pool_create(cfg->conninfo, POOL_SIZE)) == NULL) {
        snprintf(err, errsize, "out of memory");
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->outage_lock, NULL);
    pthread_mutex_init(&s->limit_lock, NULL);
    s->cfg = *cfg;
    if (cfg->rate_limit > 0 && (s->limit = ratelimit_create(cfg->rate_limit, LIMIT_SETS)) == NULL) {
        snprintf(err, errsize, "out of memory");
        service_destroy(s);
        return NULL;
    }
    s->dcfg = (struct dlg_config){ cfg->service_number, cfg->confirm_number,
                                   cfg->confirm_timeout, cfg->reminder_minutes, cfg->max_hours,
                                   cfg->default_language, cfg->templates, cfg->zone,
                                   cfg->plate_policy,
                                   cfg->phone_default ? METHOD_phone : METHOD_wallet,
                                   cfg->charge_retry > 0 ? cfg->charge_retry : 10 };
    s->log = log_stderr;
    conn = pg_pool_get(s->pool, err, errsize);   /* prepares the statements */
    bad = conn == NULL;
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
    pthread_mutex_destroy(&s->limit_lock);
    ratelimit_destroy(s->limit);
    free(s);
}

/* What one MO's transaction works on (large: kept off the thread's stack). */
struct mo_work {
    struct mo_snapshot snap;
    enum cmd_error parsed;
    struct command cmd;
    struct cmd_failure why;
    struct dlg_output out;
    struct pg_batch batch;
};

static void fail_other(struct pg_ctx *pg, const char *what)
{
    if (pg->fail != PG_FAIL_NONE)
        return;
    pg->fail = PG_FAIL_OTHER;
    snprintf(pg->msg, sizeof pg->msg, "%s", what);
}

/* Runs the dialogue on the snapshot; a reply that cannot be rendered turns the answer
   into temporary_failure (logged). Returns 0, or -1 when not even that renders. */
static int mo_decide(struct service *s, struct mo_work *w, const struct mo *mo,
                     enum dlg_event event)
{
    int to_confirm = strcmp(mo->to ? mo->to : "", s->cfg.confirm_number) == 0;
    struct dlg_input in = { .event = event,
                            .now = mo->at ? mo->at : time(NULL), .cfg = &s->dcfg,
                            .sub = &w->snap.sub, .mo_id = mo->id, .to_confirm = to_confirm,
                            .text = mo->text ? mo->text : "", .len = mo->text ? mo->len : 0,
                            .cmd = &w->cmd, .why = &w->why, .named = &w->snap.named,
                            .tariffs = &w->snap.tariffs };

    in.parsed = w->parsed;
    if (dialogue_step(&in, &w->out) == 0)
        return 0;
    slog(s, SERVICE_LOG_ERROR, "MO %s: %s; answering temporary_failure", mo->id, w->out.why);
    in.event = DLG_FAILURE;
    return dialogue_step(&in, &w->out);
}

/* One attempt at an MO in two round trips: 0 committed, -1 failed (rolled back, reason
   in pg). `event` is DLG_MO, or DLG_FAILURE or DLG_LIMITED: then the command is not run,
   the MO is recorded with temporary_failure or rate_limited. */
static int mo_transaction(struct service *s, struct pg_ctx *pg, struct mo_work *w,
                          const struct mo *mo, struct replies *out, enum dlg_event event)
{
    time_t at = mo->at ? mo->at : time(NULL);
    int to_confirm = strcmp(mo->to ? mo->to : "", s->cfg.confirm_number) == 0;
    struct dlg_needs needs = { -1, NULL, 0 };
    struct pg_batch *b = &w->batch;

    pg_ctx_reset(pg);
    memset(&w->snap, 0, sizeof w->snap);
    snprintf(w->snap.sub.msisdn, sizeof w->snap.sub.msisdn, "%s", mo->from);
    w->parsed = to_confirm ? CMD_OK : dialogue_parse(&s->dcfg, mo->text ? mo->text : "",
                                                     mo->text ? mo->len : 0, &w->cmd, &w->why);
    if (event == DLG_MO)
        needs = dialogue_needs(to_confirm, w->parsed, &w->cmd);
    if (snapshot_queue_mo(pg, b, w->snap.sub.msisdn, mo->id, &needs) < 0 ||
        pg_round_trip(pg, b) < 0 ||
        snapshot_read_mo(pg, b, s->cfg.default_language, &w->snap, out) < 0)
        goto fail;
    pg_batch_clear(b);
    if (w->snap.seen) {                       /* handled before: its replies again */
        pg_rollback(pg);
        return 0;
    }
    if (mo_decide(s, w, mo, event) < 0) {
        fail_other(pg, w->out.why);
        goto fail;
    }
    if (apply_queue_mo(pg, b, mo->id, w->snap.sub.msisdn, at) < 0 ||
        apply_queue(pg, b, &s->dcfg, w->snap.sub.msisdn, mo->id, at, &w->out, out) < 0 ||
        pg_batch_add(pg, b, STMT_COMMIT) == NULL || pg_round_trip(pg, b) < 0 ||
        apply_read_ids(pg, b, out, 0) < 0)
        goto fail;
    pg_batch_clear(b);
    return 0;
fail:
    fail_other(pg, "unexpected state (no rows or out of memory)");
    pg_batch_clear(b);
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
            if (pg_reconnect(pg->conn) == 0)
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
    enum dlg_event event;              /* DLG_MO, DLG_FAILURE or DLG_LIMITED */
    struct mo_work *work;
};

static int mo_job_run(struct service *s, struct pg_ctx *pg, void *arg)
{
    struct mo_job *j = arg;

    return mo_transaction(s, pg, j->work, j->mo, j->out, j->event);
}

/* ---- charges through the phone account or the card ---- */

/* What a charge's answer is recorded with: the provider's answer, for the subscriber. */
struct charge_job {
    time_t now;
    const char *msisdn;
    const char *key;                       /* the charge asked about */
    const char *mo_id;                     /* the MO that asked for it, or NULL */
    enum charge_outcome outcome;
    const char *reference;
    struct replies *out;
    struct mo_work *work;
};

static enum charge_outcome outcome_of(enum pay_outcome o)
{
    switch (o) {
    case PAY_CHARGED:      return OUTCOME_charged;
    case PAY_NO_FUNDS:     return OUTCOME_no_funds;
    case PAY_DENIED:       return OUTCOME_denied;
    case PAY_UNKNOWN_USER: return OUTCOME_unknown_user;
    case PAY_UNAVAILABLE:  return OUTCOME_unavailable;
    default:               return OUTCOME_unknown;
    }
}

/* Asks the method's provider; a method without a driver answers unavailable. */
static enum charge_outcome pay_call(struct service *s, enum pay_method method,
                                    const struct pay_request *req, struct pay_result *res)
{
    const struct pay_driver *d = method == METHOD_card ? s->card : s->phone;

    memset(res, 0, sizeof *res);
    if (d == NULL) {
        res->outcome = PAY_UNAVAILABLE;
        snprintf(res->why, sizeof res->why, "no %s payment configured", pay_method_name(method));
    } else {
        d->charge(d->ctx, req, res);
    }
    slog(s, res->outcome == PAY_CHARGED ? SERVICE_LOG_INFO : SERVICE_LOG_WARNING,
         "charge %s of %lld tiyn by %s%s: %s%s%s", req->key, (long long)req->amount,
         pay_method_name(method), req->resend ? " (asked again)" : "",
         charge_outcome_name(outcome_of(res->outcome)), res->why[0] ? ", " : "", res->why);
    return outcome_of(res->outcome);
}

/* One attempt at recording an answer: the subscriber's snapshot (its pending debit and
   charge locked), the dialogue's DLG_CHARGE, and its output; an answer to a charge that
   is no longer the one under way changes nothing. */
static int charge_transaction(struct service *s, struct pg_ctx *pg, void *arg)
{
    struct charge_job *j = arg;
    struct mo_work *w = j->work;
    struct pg_batch *b = &w->batch;
    const struct dlg_pending *p = &w->snap.sub.pending;
    struct dlg_needs none = { -1, NULL, 0 };
    size_t first = j->out->n;
    struct dlg_input in = { .event = DLG_CHARGE, .now = j->now, .cfg = &s->dcfg,
                            .sub = &w->snap.sub, .outcome = j->outcome,
                            .reference = j->reference, .tariffs = &w->snap.tariffs };

    pg_ctx_reset(pg);
    memset(&w->snap, 0, sizeof w->snap);
    snprintf(w->snap.sub.msisdn, sizeof w->snap.sub.msisdn, "%s", j->msisdn);
    if (snapshot_queue_mo(pg, b, j->msisdn, "", &none) < 0 || pg_round_trip(pg, b) < 0 ||
        snapshot_read_mo(pg, b, s->cfg.default_language, &w->snap, j->out) < 0)
        goto fail;
    pg_batch_clear(b);
    if (!w->snap.sub.has_pending || !p->has_charge || strcmp(p->charge.key, j->key) != 0) {
        pg_rollback(pg);                          /* settled already, by another box */
        return 0;
    }
    if (dialogue_step(&in, &w->out) < 0) {
        fail_other(pg, w->out.why);
        goto fail;
    }
    if (apply_queue(pg, b, &s->dcfg, w->snap.sub.msisdn, j->mo_id, in.now, &w->out, j->out) < 0 ||
        pg_batch_add(pg, b, STMT_COMMIT) == NULL || pg_round_trip(pg, b) < 0 ||
        apply_read_ids(pg, b, j->out, first) < 0)
        goto fail;
    pg_batch_clear(b);
    return 0;
fail:
    fail_other(pg, "unexpected state recording a charge");
    pg_batch_clear(b);
    pg_rollback(pg);
    j->out->n = first;
    return -1;
}

/* Asks the provider for the charge and records the answer; the replies it makes are
   appended to out. A failure to record is logged: the charge stays requested and the
   scheduler asks again (the provider's duplicate detection keeps it one charge). */
static void charge_and_record(struct service *s, struct pg_ctx *pg, struct mo_work *w,
                              time_t now, const char *msisdn, enum pay_method method,
                              const struct pay_request *req, const char *mo_id,
                              struct replies *out)
{
    struct pay_result res;
    struct charge_job j = { now, msisdn, req->key, mo_id, pay_call(s, method, req, &res),
                            res.reference, out, w };

    if (with_retries(s, pg, req->key, charge_transaction, &j) < 0)
        slog(s, SERVICE_LOG_ERROR, "charge %s: its answer (%s) not recorded: %s %s; it will "
             "be asked again", req->key, charge_outcome_name(j.outcome), pg->sqlstate, pg->msg);
}

/* The charge an MO's transaction asked for, if any. */
static void charge_requested(struct service *s, struct pg_ctx *pg, struct mo_work *w,
                             const struct mo *mo, struct replies *out)
{
    const struct dlg_output *o = &w->out;

    for (int i = 0; i < o->nactions; i++) {
        const struct dlg_charge *c = &o->actions[i].charge;
        char key[DLG_KEY_MAX], token[DLG_TOKEN_MAX], msisdn[DLG_MSISDN_MAX];
        struct pay_request req = { key, msisdn, c->amount, token, "parking", 0 };
        if (o->actions[i].kind != ACT_CHARGE_REQUEST)
            continue;
        /* copied: the snapshot and output are reused by the answer's transaction */
        memcpy(key, c->key, sizeof key);
        memcpy(token, c->card_token, sizeof token);
        memcpy(msisdn, w->snap.sub.msisdn, sizeof msisdn);
        charge_and_record(s, pg, w, mo->at ? mo->at : time(NULL), msisdn, c->method, &req,
                          mo->id, out);
        return;
    }
}

/* The sender rule and the rate limit, before the database: 0 when the MO is dropped
   (logged with the reason; nothing is recorded), 1 when it is handled, with *event
   DLG_LIMITED for the first MO over the limit (recorded, answered rate_limited). MOs to
   the confirmation number are not counted: a "1" is never limited. */
static int admitted(struct service *s, const struct mo *mo, enum dlg_event *event)
{
    enum msisdn_error bad = msisdn_check(mo->from);
    enum ratelimit_verdict v = RATELIMIT_PASS;
    char from[40];

    msisdn_mask(mo->from, from, sizeof from);
    if (bad != MSISDN_OK) {
        slog(s, SERVICE_LOG_INFO, "MO %s from %s dropped: the sender is not an MSISDN (%s)",
             mo->id, from, msisdn_error_reason(bad));
        return 0;
    }
    if (s->limit != NULL && strcmp(mo->to ? mo->to : "", s->cfg.confirm_number) != 0) {
        pthread_mutex_lock(&s->limit_lock);
        v = ratelimit_take(s->limit, mo->from, mo->received ? mo->received
                                               : mo->at ? mo->at : time(NULL));
        pthread_mutex_unlock(&s->limit_lock);
    }
    if (v == RATELIMIT_DROP) {
        slog(s, SERVICE_LOG_INFO, "MO %s from %s dropped: over the rate limit of %d a minute, "
             "already answered", mo->id, from, s->cfg.rate_limit);
        return 0;
    }
    if (v == RATELIMIT_FIRST) {
        slog(s, SERVICE_LOG_INFO, "MO %s from %s over the rate limit of %d a minute: answered "
             "rate_limited, not run", mo->id, from, s->cfg.rate_limit);
        *event = DLG_LIMITED;
    }
    return 1;
}

enum service_status service_handle_mo(struct service *s, const struct mo *mo,
                                      struct mt **out, size_t *nout)
{
    struct replies rep = { 0 };
    struct mo_job job = { mo, &rep, DLG_MO, NULL };
    struct pg_ctx pg = { 0 };
    char err[256];
    int rc;

    *out = NULL;
    *nout = 0;
    if (mo == NULL || mo->id == NULL || !*mo->id) {
        slog(s, SERVICE_LOG_WARNING, "MO without id ignored");
        return SERVICE_OK;
    }
    if (!admitted(s, mo, &job.event))
        return SERVICE_OK;
    if ((job.work = calloc(1, sizeof *job.work)) == NULL)
        return SERVICE_RETRY;
    pg.conn = pg_pool_get(s->pool, err, sizeof err);
    if (pg.conn == NULL) {
        db_unreachable(s, "MO %s: %s", mo->id, err);
        free(job.work);
        return SERVICE_RETRY;
    }
    rc = with_retries(s, &pg, mo->id, mo_job_run, &job);
    if (rc < 0 && pg.fail == PG_FAIL_OTHER) {
        slog(s, SERVICE_LOG_ERROR, "MO %s failed: %s %s; answering temporary_failure",
             mo->id, pg.sqlstate, pg.msg);
        job.event = DLG_FAILURE;
        rc = with_retries(s, &pg, mo->id, mo_job_run, &job);
    }
    if (rc < 0 && pg.fail == PG_FAIL_CONN)
        db_unreachable(s, "MO %s not handled, retry later: %s %s", mo->id,
                       pg.sqlstate, pg.msg);
    else if (rc < 0)
        slog(s, SERVICE_LOG_WARNING, "MO %s not handled, retry later: %s %s", mo->id,
             pg.sqlstate, pg.msg);
    if (rc == 0 || pg.fail != PG_FAIL_CONN)
        db_reached(s);
    if (rc == 0 && !job.work->snap.seen)
        charge_requested(s, &pg, job.work, mo, &rep);
    pg_pool_put(s->pool, pg.conn);
    pg_batch_free(&job.work->batch);
    free(job.work);
    if (rc < 0)
        return SERVICE_RETRY;
    replies_take(&rep, out, nout);
    return SERVICE_OK;
}

/* ---- due work ---- */

#define CHARGES_BATCH 16  /* unsettled charges asked again in one call */

/* Charges whose outcome is still unknown (a timeout, a crash between the request and
   its answer): asked again (resend), and the answer recorded. Returns how many, or -1
   when the database failed. */
static int charges_again(struct service *s, struct pg_ctx *pg, time_t now, int limit,
                         struct replies *out)
{
    struct mo_work *w = calloc(1, sizeof *w);
    struct pg_batch *b;
    struct pg_params *p;
    PGresult *r;
    int n = -1;

    if (w == NULL)
        return -1;
    b = &w->batch;
    pg_ctx_reset(pg);
    if ((p = pg_batch_add(pg, b, STMT_CHARGES_DUE)) != NULL) {
        pg_p_time(p, now);
        pg_p_i64(p, limit < CHARGES_BATCH ? limit : CHARGES_BATCH);
    }
    if (p != NULL && pg_round_trip(pg, b) == 0) {
        r = b->q[0]->res;
        b->q[0]->res = NULL;                      /* kept: the batch is reused below */
        pg_batch_clear(b);
        n = PQntuples(r);
        for (int i = 0; i < n; i++) {
            int m = pay_method_parse(pg_str(r, i, 2));
            struct pay_request req = { pg_str(r, i, 4), pg_str(r, i, 1), pg_i64(r, i, 3),
                                       pg_str(r, i, 5), "parking", 1 };
            charge_and_record(s, pg, w, now, req.msisdn,
                              m == METHOD_card ? METHOD_card : METHOD_phone, &req, NULL, out);
        }
        PQclear(r);
    }
    pg_batch_free(b);
    free(w);
    return n;
}

static const enum dlg_event DUE_EVENT[DUE_KIND_COUNT] = { DLG_EXPIRE, DLG_REMIND, DLG_END };

struct due_job {
    enum due_kind kind;
    time_t now;
    int limit;
    struct replies *out;
    int done;
};

/* What one due batch works on. */
struct due_work {
    struct due_row rows[DUE_BATCH];
    struct dlg_output outs[DUE_BATCH];
    struct pg_batch batch;
};

/* Counts and logs the reminders of rows[n] that went out at now, after their session's
   paid end: the scheduler was behind (the session had not ended, so they were sent). */
static void note_late_reminders(struct service *s, const struct due_row *rows, int n,
                                time_t now)
{
    unsigned long late = 0, total;
    time_t worst = 0;

    for (int i = 0; i < n; i++)
        if (rows[i].session.paid_until <= now) {
            late++;
            if (now - rows[i].session.paid_until > worst)
                worst = now - rows[i].session.paid_until;
        }
    if (late == 0)
        return;
    pthread_mutex_lock(&s->outage_lock);
    total = s->late_reminders += late;
    pthread_mutex_unlock(&s->outage_lock);
    slog(s, SERVICE_LOG_WARNING, "%lu reminders sent after their session's paid end, up to "
         "%ld s late (the scheduler was behind); %lu late reminders since start", late,
         (long)worst, total);
}

unsigned long service_late_reminders(struct service *s)
{
    unsigned long n;

    pthread_mutex_lock(&s->outage_lock);
    n = s->late_reminders;
    pthread_mutex_unlock(&s->outage_lock);
    return n;
}

/* One batch of one kind in two round trips: claim the rows, then apply what the dialogue
   makes of each and commit. */
static int due_batch(struct service *s, struct pg_ctx *pg, struct due_job *j,
                     struct due_work *w)
{
    struct pg_batch *b = &w->batch;
    size_t first = j->out->n;
    int n;

    pg_ctx_reset(pg);
    if (snapshot_queue_due(pg, b, j->kind, j->now, s->cfg.reminder_minutes, j->limit) < 0 ||
        pg_round_trip(pg, b) < 0 ||
        (n = snapshot_read_due(pg, b, j->kind, s->cfg.default_language, w->rows,
                               j->limit)) < 0)
        return -1;
    pg_batch_clear(b);
    for (int i = 0; i < n; i++) {
        struct dlg_input in = { .event = DUE_EVENT[j->kind], .now = j->now, .cfg = &s->dcfg,
                                .sub = &w->rows[i].sub, .due_session = &w->rows[i].session,
                                .due_pending = &w->rows[i].pending };
        if (dialogue_step(&in, &w->outs[i]) < 0) {
            fail_other(pg, w->outs[i].why);
            return -1;
        }
        if (apply_queue(pg, b, &s->dcfg, w->rows[i].sub.msisdn, NULL, j->now, &w->outs[i],
                        j->out) < 0)
            return -1;
    }
    if (pg_batch_add(pg, b, STMT_COMMIT) == NULL || pg_round_trip(pg, b) < 0 ||
        apply_read_ids(pg, b, j->out, first) < 0)
        return -1;
    j->done = n;
    if (j->kind == DUE_REMIND)
        note_late_reminders(s, w->rows, n, j->now);
    return 0;
}

static int due_job_run(struct service *s, struct pg_ctx *pg, void *arg)
{
    struct due_job *j = arg;
    struct due_work *w = malloc(sizeof *w);
    size_t first = j->out->n;
    int rc;

    if (w == NULL) {
        fail_other(pg, "out of memory for due work");
        return -1;
    }
    memset(&w->batch, 0, sizeof w->batch);
    rc = due_batch(s, pg, j, w);
    if (rc < 0) {
        fail_other(pg, "unexpected state in due work");
        pg_rollback(pg);
        j->out->n = first;            /* nothing of this batch was committed */
    }
    pg_batch_free(&w->batch);
    free(w);
    return rc;
}

enum service_status service_run_due(struct service *s, time_t now, int limit,
                                    struct mt **out, size_t *nout)
{
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
    for (int k = 0; k < DUE_KIND_COUNT && limit > 0; k++) {
        struct due_job j = { (enum due_kind)k, now, limit < DUE_BATCH ? limit : DUE_BATCH,
                             &rep, 0 };
        if (k == DUE_REMIND && s->cfg.reminder_minutes <= 0)
            continue;
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
    if (!failed && limit > 0 && (s->phone != NULL || s->card != NULL))
        failed = charges_again(s, &pg, now, limit, &rep) < 0 && pg.fail == PG_FAIL_CONN;
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
