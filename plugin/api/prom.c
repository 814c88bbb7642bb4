/* prom.c: GET /metrics in Prometheus' text format (version 0.0.4), names parkbox_*. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "metrics.h"
#include "pool.h"

struct out { char *buf; size_t len, cap; };

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < o->cap - o->len)
            break;
        o->buf = realloc(o->buf, o->cap *= 2);
    }
    o->len += (size_t)n;
}

static void head(struct out *o, const char *name, const char *type, const char *help)
{
    put(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void box_counters(struct out *o, const struct metrics_snapshot *m)
{
    head(o, "parkbox_mo_total", "counter", "MOs handled, by command and outcome.");
    for (int c = 0; c < MC_COUNT; c++)
        for (int k = 0; k < MO_OUTCOME_COUNT; k++)
            if (c != MC_DUE)
                put(o, "parkbox_mo_total{command=\"%s\",outcome=\"%s\"} %llu\n", metrics_cmd_name(c),
                    metrics_mo_outcome_name(k), m->mo[c][k]);
    head(o, "parkbox_mt_total", "counter", "MTs handed to bearerbox, by the command that made them (due: reminders, ends, expiries) and outcome.");
    for (int c = 0; c < MC_COUNT; c++)
        for (int k = 0; k < MT_OUTCOME_COUNT; k++)
            put(o, "parkbox_mt_total{command=\"%s\",outcome=\"%s\"} %llu\n", metrics_cmd_name(c),
                metrics_mt_outcome_name(k), m->mt[c][k]);
    head(o, "parkbox_mo_held_total", "counter", "MOs that waited, unacked, for the database.");
    put(o, "parkbox_mo_held_total %llu\n", m->mo_held_total);
    head(o, "parkbox_mo_held", "gauge", "MOs waiting for the database now.");
    put(o, "parkbox_mo_held %ld\n", m->mo_held_now);
}

/* A histogram in seconds from buckets counted per bound in ms (not cumulative). */
static void histogram(struct out *o, const char *name, const char *help, int n,
                      const double *bounds_ms, const unsigned long long *bucket,
                      unsigned long long count, double sum_ms)
{
    unsigned long long cum = 0;

    head(o, name, "histogram", help);
    for (int b = 0; b < n; b++) {
        cum += bucket[b];
        put(o, "%s_bucket{le=\"%g\"} %llu\n", name, bounds_ms[b] / 1000.0, cum);
    }
    put(o, "%s_bucket{le=\"+Inf\"} %llu\n", name, count);
    put(o, "%s_sum %.6f\n", name, sum_ms / 1000.0);
    put(o, "%s_count %llu\n", name, count);
}

static void latency(struct out *o, const struct metrics_snapshot *m)
{
    histogram(o, "parkbox_mo_duration_seconds", "Time from an MO's arrival to its ack.",
              METRICS_LATENCY_BUCKETS, metrics_latency_bounds_ms, m->latency_bucket,
              m->latency_count, m->latency_sum_ms);
}

static void http_latency(struct out *o, const struct metrics_snapshot *m)
{
    histogram(o, "parkbox_http_request_duration_seconds",
              "Server time of /v1/ requests, from the request read to the answer queued.",
              METRICS_HTTP_BUCKETS, metrics_http_bounds_ms, m->http_bucket, m->http_count,
              m->http_sum_ms);
}

static void links(struct out *o, const struct metrics_snapshot *m, int db_up)
{
    head(o, "parkbox_bearerbox_up", "gauge", "1 while connected to bearerbox.");
    put(o, "parkbox_bearerbox_up %d\n", m->bearerbox_up);
    head(o, "parkbox_bearerbox_connects_total", "counter", "Connections made to bearerbox.");
    put(o, "parkbox_bearerbox_connects_total %llu\n", m->bearerbox_connects);
    head(o, "parkbox_database_up", "gauge", "1 when this scrape's query reached the database.");
    put(o, "parkbox_database_up %d\n", db_up);
    head(o, "parkbox_start_time_seconds", "gauge", "Start time of the process, epoch seconds.");
    put(o, "parkbox_start_time_seconds %lld\n", (long long)m->started);
    head(o, "parkbox_scheduler_last_run_timestamp_seconds", "gauge", "When due work last ran, epoch seconds (0: never).");
    put(o, "parkbox_scheduler_last_run_timestamp_seconds %lld\n", (long long)m->scheduler_last_run);
    head(o, "parkbox_scheduler_batch_seconds", "gauge", "Duration of the last due-work batch.");
    put(o, "parkbox_scheduler_batch_seconds %.6f\n", m->scheduler_last_ms / 1000.0);
}

/* The database's families from noc_stats(): one row per name and label. */
static void db_family(struct out *o, const PGresult *r, const char *name, const char *metric,
                      const char *type, const char *label, const char *help)
{
    head(o, metric, type, help);
    for (int i = 0; i < PQntuples(r); i++) {
        if (strcmp(PQgetvalue(r, i, 0), name) != 0)
            continue;
        if (label != NULL)
            put(o, "%s{%s=\"%s\"} %s\n", metric, label, PQgetvalue(r, i, 1), PQgetvalue(r, i, 2));
        else
            put(o, "%s %s\n", metric, PQgetvalue(r, i, 2));
    }
}

static int db_metrics(struct out *o, const struct api_config *cfg)
{
    struct pool *p = enforce_pool(cfg->enforce);
    char why[200], now[32], rem[16];
    const char *params[2] = { now, rem };
    PGconn *c = pool_get(p, why, sizeof why);
    PGresult *r;
    int up;

    if (c == NULL)
        return 0;
    snprintf(now, sizeof now, "%lld", (long long)cfg->now());
    snprintf(rem, sizeof rem, "%d", cfg->reminder_minutes);
    r = pool_exec(c, ST_noc_stats, params);
    up = PQresultStatus(r) == PGRES_TUPLES_OK;
    if (up) {
        db_family(o, r, "active_sessions", "parkbox_active_sessions", "gauge", NULL, "Parking sessions running now.");
        db_family(o, r, "open_pending_debits", "parkbox_open_pending_debits", "gauge", "state", "Pending debits awaiting 1 (open) or a provider's answer (charging).");
        db_family(o, r, "outbox_backlog", "parkbox_outbox_backlog", "gauge", NULL, "Replies not yet handed to bearerbox.");
        db_family(o, r, "dlr", "parkbox_delivery_reports", "gauge", "status", "Messages sent in the last 24 hours by their delivery report's status.");
        db_family(o, r, "reminder_lag_seconds", "parkbox_reminder_lag_seconds", "gauge", NULL, "How late the oldest due reminder is.");
        db_family(o, r, "debits", "parkbox_debits_total", "counter", "method", "Debits of parking starts and extensions, by payment method.");
        db_family(o, r, "debit_tiyn", "parkbox_debit_tiyn_total", "counter", "method", "Amounts debited (tiyn), by payment method.");
    }
    PQclear(r);
    pool_put(p, c, PQstatus(c) != CONNECTION_OK);
    return up;
}

void noc_metrics(struct api_request *rq, struct api_response *rs)
{
    struct metrics_snapshot m;
    struct out o = { malloc(8192), 0, 8192 };
    int db_up;

    o.buf[0] = '\0';
    metrics_read(&m);
    box_counters(&o, &m);
    latency(&o, &m);
    http_latency(&o, &m);
    db_up = db_metrics(&o, rq->cfg);
    links(&o, &m, db_up);
    rs->status = 200;
    rs->text = o.buf;
    rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
