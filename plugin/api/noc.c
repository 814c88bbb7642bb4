/* noc.c: /health, /status, /status.json and /metrics for the carrier's NOC. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "metrics.h"
#include "pool.h"

#define NOC_ROWS 64

struct noc_db {
    int up;                         /* the query worked */
    char why[200];
    int n;
    struct { char name[32], label[32]; double value; } row[NOC_ROWS];
};

/* One query: noc_stats() (sql/0007_api.sql) at the box's clock. */
static void noc_read(const struct api_config *cfg, struct noc_db *db)
{
    struct pool *p = enforce_pool(cfg->enforce);
    char now[32], rem[16];
    const char *params[2] = { now, rem };
    PGconn *c = pool_get(p, db->why, sizeof db->why);
    PGresult *r;

    db->up = 0;
    db->n = 0;
    if (c == NULL) {
        snprintf(db->why, sizeof db->why, "database unreachable");
        return;
    }
    snprintf(now, sizeof now, "%lld", (long long)cfg->now());
    snprintf(rem, sizeof rem, "%d", cfg->reminder_minutes);
    r = pool_exec(c, ST_noc_stats, params);
    db->up = pool_ok(r);
    for (int i = 0; db->up && i < PQntuples(r) && i < NOC_ROWS; i++, db->n++) {
        snprintf(db->row[i].name, sizeof db->row[i].name, "%s", PQgetvalue(r, i, 0));
        snprintf(db->row[i].label, sizeof db->row[i].label, "%s", PQgetvalue(r, i, 1));
        db->row[i].value = strtod(PQgetvalue(r, i, 2), NULL);
    }
    if (!db->up)
        snprintf(db->why, sizeof db->why, "database query failed");
    PQclear(r);
    pool_put(p, c, PQstatus(c) != CONNECTION_OK);
}

static double db_value(const struct noc_db *db, const char *name, const char *label)
{
    for (int i = 0; i < db->n; i++)
        if (strcmp(db->row[i].name, name) == 0 && (label == NULL || strcmp(db->row[i].label, label) == 0))
            return db->row[i].value;
    return 0;
}

void noc_health(struct api_request *rq, struct api_response *rs)
{
    struct metrics_snapshot m;
    struct noc_db db;
    json_t *why = json_array();

    metrics_read(&m);
    noc_read(rq->cfg, &db);
    if (!db.up)
        json_array_append_new(why, json_sprintf("database: %s", db.why));
    if (!m.bearerbox_up)
        json_array_append_new(why, json_string("bearerbox: not connected"));
    rs->status = json_array_size(why) ? 503 : 200;
    rs->json = json_pack("{s:s, s:b, s:b, s:b, s:o}", "status", rs->status == 200 ? "ok" : "unavailable",
                         "live", 1, "database", db.up, "bearerbox", m.bearerbox_up, "reasons", why);
}

static unsigned long long sum_mo(const struct metrics_snapshot *m, enum metrics_mo_outcome o)
{
    unsigned long long s = 0;

    for (int c = 0; c < MC_COUNT; c++)
        s += m->mo[c][o];
    return s;
}

static unsigned long long sum_mt(const struct metrics_snapshot *m, enum metrics_mt_outcome o)
{
    unsigned long long s = 0;

    for (int c = 0; c < MC_COUNT; c++)
        s += m->mt[c][o];
    return s;
}

/* Everything /status shows, as JSON. */
static json_t *status_json(const struct api_config *cfg)
{
    struct metrics_snapshot m;
    struct noc_db db;
    json_t *dlr = json_object(), *debits = json_object(), *j;
    time_t now = time(NULL);
    int size, open, idle;

    metrics_read(&m);
    noc_read(cfg, &db);
    pool_stats(enforce_pool(cfg->enforce), &size, &open, &idle);
    for (int i = 0; i < db.n; i++)
        if (strcmp(db.row[i].name, "dlr") == 0)
            json_object_set_new(dlr, db.row[i].label, json_integer((json_int_t)db.row[i].value));
        else if (strcmp(db.row[i].name, "debit_tiyn") == 0)
            json_object_set_new(debits, db.row[i].label, json_integer((json_int_t)db.row[i].value));
    j = json_pack("{s:I, s:{s:b, s:I}, s:{s:I, s:I, s:I, s:I, s:I}, s:{s:I, s:I}, s:o, s:o, s:o,"
                     " s:{s:o, s:f}, s:{s:b, s:I, s:I, s:f}}",
        "uptime_seconds", (json_int_t)(now - m.started),
        "bearerbox", "connected", m.bearerbox_up, "connects", (json_int_t)m.bearerbox_connects,
        "mo", "received", (json_int_t)m.latency_count, "acked", (json_int_t)sum_mo(&m, MO_ACKED),
              "not_acked", (json_int_t)sum_mo(&m, MO_NOT_ACKED), "held_total", (json_int_t)m.mo_held_total,
              "held_now", (json_int_t)m.mo_held_now,
        "mt", "sent", (json_int_t)sum_mt(&m, MT_SENT), "failed", (json_int_t)sum_mt(&m, MT_FAILED),
        "outbox_backlog", db.up ? json_integer((json_int_t)db_value(&db, "outbox_backlog", NULL)) : json_null(),
        "delivery_reports_24h", dlr, "debits_tiyn", debits,
        "scheduler", "last_run_seconds_ago", m.scheduler_last_run ? json_integer((json_int_t)(now - m.scheduler_last_run)) : json_null(),
                     "last_batch_ms", m.scheduler_last_ms,
        "database", "reachable", db.up, "active_sessions", (json_int_t)db_value(&db, "active_sessions", NULL),
                    "open_pending_debits", (json_int_t)(db_value(&db, "open_pending_debits", "open") + db_value(&db, "open_pending_debits", "charging")),
                    "reminder_lag_seconds", db_value(&db, "reminder_lag_seconds", NULL));
    json_object_set_new(json_object_get(j, "database"), "api_pool",
                        json_pack("{s:i, s:i, s:i, s:i}", "size", size, "open", open,
                                  "idle", idle, "in_use", open - idle));
    return j;
}

void noc_status_json(struct api_request *rq, struct api_response *rs)
{
    rs->status = 200;
    rs->json = status_json(rq->cfg);
}

/* Appends "key: value" lines of a flat or one-level JSON object to buf. */
static void text_lines(char **buf, size_t *len, size_t *cap, const char *prefix, json_t *o)
{
    const char *k;
    json_t *v;

    json_object_foreach(o, k, v) {
        char *s, full[96];
        snprintf(full, sizeof full, "%s%s%s", prefix, prefix[0] ? "." : "", k);
        if (json_is_object(v)) {
            text_lines(buf, len, cap, full, v);
            continue;
        }
        s = json_dumps(v, JSON_ENCODE_ANY);
        while (*len + strlen(full) + strlen(s) + 4 > *cap)
            *buf = realloc(*buf, *cap *= 2);
        *len += (size_t)sprintf(*buf + *len, "%s: %s\n", full, s);
        free(s);
    }
}

void noc_status_text(struct api_request *rq, struct api_response *rs)
{
    json_t *j = status_json(rq->cfg);
    size_t len = 0, cap = 1024;
    char *buf = malloc(cap);

    len = (size_t)sprintf(buf, "parkbox status\n");
    text_lines(&buf, &len, &cap, "", j);
    json_decref(j);
    rs->status = 200;
    rs->text = buf;
    rs->content_type = "text/plain; charset=utf-8";
}
