/* due_bench.c: drains due work (reminders, session ends, expired confirmations) through
 * service_run_due() the way parkbox's scheduler does, on a clock passed in, and reports
 * the drain rate of each kind and how late each item was handled. scripts/bench-due
 * loads the database and runs it; this is a benchmark, not a test.
 *
 *   due_bench -S START -E STOP [-c CONNINFO] [-t TEMPLATES] [-r REMINDER_MINUTES]
 *             [-b BATCH] [-z TIMEZONE]
 *
 * The clock: it starts at START (epoch seconds) and moves with the real (monotonic)
 * clock while there is work. The scheduler calls again at once while a call found work
 * and sleeps TICK (1 s) when nothing was due; here an idle call advances the clock by
 * the second the scheduler would have slept, without waiting for it. So the quiet minutes
 * between the reminders and the ends cost no real time, and an item handled late shows
 * its real lateness (it can only be due while the clock runs at real speed). It stops at
 * the first idle call once the clock has passed STOP.
 *
 * Like the scheduler it marks every produced message sent (service_mark_sent) after each
 * call, as if bearerbox had taken it. Afterwards it looks the produced outbox rows up
 * (their kind and due time) and prints, per kind: items, busy seconds (the time of the
 * calls that produced them, shared in proportion to the items of each kind a call
 * produced), the drain rate (items per busy second) and the largest lateness (clock at
 * the call minus the item's due time: paid_until for an end, paid_until minus the
 * reminder period for a reminder, expires_at for an expiry); and how many reminders went
 * out at or after their session's end (must be 0).
 *
 * Exit status: 0, 1 when the service fails or an end is more than 60 s late or a
 * reminder went out at or after its end, 2 bad usage.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "localtime.h"
#include "reply.h"
#include "service.h"
#include "tz_load.h"

#define TICK 1              /* s: the scheduler's sleep when nothing is due */
#define END_LATE_MAX 60     /* s: an end later than this fails the run */

enum kind { K_EXPIRY, K_REMINDER, K_END, K_COUNT };
static const char *const kind_key[K_COUNT] = { "pending_expired", "reminder", "ended" };
static const char *const kind_label[K_COUNT] = { "expiries", "reminders", "ends" };

/* Every message produced: its outbox id, the clock and the call that produced it. */
struct produced {
    long long id;
    long long at;
    int call;
};

struct run {
    struct produced *v;
    size_t n, cap;
    double *call_secs;       /* real duration of each call that produced anything */
    size_t ncalls, capcalls;
    long idle_calls;
    double real_secs;
};

struct kind_stats {
    long items;
    double busy;
    long long late_max;
    int any;
};

static double mono(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    *cap = *cap ? *cap * 2 : 1024;
    if (*cap < need)
        *cap = need;
    p = realloc(p, *cap * size);
    if (p == NULL) {
        fprintf(stderr, "due_bench: out of memory\n");
        exit(1);
    }
    return p;
}

/* Records one call's messages and marks them sent. Returns 0, or -1 if marking failed. */
static int record(struct service *svc, struct run *r, const struct mt *out, size_t n,
                  long long at, double secs)
{
    long long *ids = malloc(n * sizeof *ids);
    int rc;

    if (ids == NULL)
        return -1;
    r->v = grow(r->v, &r->cap, r->n + n, sizeof *r->v);
    r->call_secs = grow(r->call_secs, &r->capcalls, r->ncalls + 1, sizeof *r->call_secs);
    for (size_t i = 0; i < n; i++) {
        r->v[r->n++] = (struct produced){ out[i].outbox_id, at, (int)r->ncalls };
        ids[i] = out[i].outbox_id;
    }
    r->call_secs[r->ncalls++] = secs;
    rc = service_mark_sent(svc, ids, n) == SERVICE_OK ? 0 : -1;
    free(ids);
    return rc;
}

/* The scheduler's loop on the bench clock (see the file comment). Returns 0 or -1. */
static int drain(struct service *svc, struct run *r, time_t start, time_t stop, int batch)
{
    double t0 = mono();
    long long idle = 0;
    time_t now = start;

    for (;;) {
        struct mt *out = NULL;
        size_t n = 0;
        double c0 = mono();

        if (service_run_due(svc, now, batch, &out, &n) != SERVICE_OK) {
            fprintf(stderr, "due_bench: service_run_due asked for a retry at %lld\n",
                    (long long)now);
            return -1;
        }
        if (n > 0 && record(svc, r, out, n, (long long)now, mono() - c0) < 0) {
            fprintf(stderr, "due_bench: service_mark_sent failed\n");
            free(out);
            return -1;
        }
        free(out);
        if (n == 0) {
            if (now > stop)
                break;
            idle += TICK;
            r->idle_calls++;
        }
        now = start + (time_t)idle + (time_t)(mono() - t0);
    }
    r->real_secs = mono() - t0;
    return 0;
}

/* "{1,2,3}": a PostgreSQL array literal of one field of the produced messages. */
static char *array_literal(const struct run *r, int which)
{
    char *s = malloc(r->n * 24 + 3), *p = s;

    if (s == NULL)
        exit(1);
    *p++ = '{';
    for (size_t i = 0; i < r->n; i++) {
        long long v = which == 0 ? r->v[i].id : which == 1 ? r->v[i].at : r->v[i].call;
        p += sprintf(p, "%s%lld", i ? "," : "", v);
    }
    strcpy(p, "}");
    return s;
}

/* Each produced message's kind, lateness and whether (a reminder) it went out at or
   after its session's end, read from the outbox, sessions and pending debits. */
static PGresult *look_up(PGconn *conn, const struct run *r, int reminder_minutes)
{
    char *ids = array_literal(r, 0), *ats = array_literal(r, 1), *calls = array_literal(r, 2);
    char mins[16];
    const char *params[4] = { ids, ats, calls, mins };
    PGresult *res;

    snprintf(mins, sizeof mins, "%d", reminder_minutes);
    res = PQexecParams(conn,
        "SELECT t.call, o.kind, t.at - extract(epoch FROM CASE o.kind "
        "  WHEN 'ended' THEN s.paid_until "
        "  WHEN 'reminder' THEN s.paid_until - make_interval(mins => $4::int) "
        "  ELSE p.expires_at END)::bigint, "
        "  o.kind = 'reminder' AND t.at >= extract(epoch FROM s.paid_until) "
        "FROM unnest($1::bigint[], $2::bigint[], $3::int[]) AS t(id, at, call) "
        "JOIN outbox o ON o.id = t.id "
        "LEFT JOIN sessions s ON s.id = o.session_id "
        "LEFT JOIN pending_debits p ON p.id = o.pending_id "
        "ORDER BY t.call", 4, NULL, params, NULL, NULL, 0);
    free(ids);
    free(ats);
    free(calls);
    return res;
}

static int kind_of(const char *key)
{
    for (int k = 0; k < K_COUNT; k++)
        if (strcmp(key, kind_key[k]) == 0)
            return k;
    return -1;
}

/* Shares each call's duration among the kinds it produced, in proportion to items. */
static void add_busy(struct kind_stats *st, const long per_call[K_COUNT], double secs)
{
    long total = 0;

    for (int k = 0; k < K_COUNT; k++)
        total += per_call[k];
    for (int k = 0; k < K_COUNT && total > 0; k++)
        st[k].busy += secs * (double)per_call[k] / (double)total;
}

/* Fills st from the looked-up rows; returns the reminders sent at or after their end,
   or -1 for a row of an unexpected kind. */
static long summarise(const PGresult *res, const struct run *r, struct kind_stats *st)
{
    long per_call[K_COUNT] = { 0 }, after_end = 0;
    int call = -1, rows = PQntuples(res);

    for (int i = 0; i <= rows; i++) {
        int c = i < rows ? atoi(PQgetvalue(res, i, 0)) : -2;
        if (c != call) {
            /* a call number in the table was written by record(), which grew call_secs */
            if (call >= 0)
                // NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
                add_busy(st, per_call, r->call_secs[call]);
            memset(per_call, 0, sizeof per_call);
            call = c;
        }
        if (i == rows)
            break;
        int k = kind_of(PQgetvalue(res, i, 1));
        long long late = atoll(PQgetvalue(res, i, 2));
        if (k < 0) {
            fprintf(stderr, "due_bench: unexpected message kind %s\n", PQgetvalue(res, i, 1));
            return -1;
        }
        per_call[k]++;
        st[k].items++;
        if (!st[k].any || late > st[k].late_max)
            st[k].late_max = late;
        st[k].any = 1;
        after_end += strcmp(PQgetvalue(res, i, 3), "t") == 0;
    }
    return after_end;
}

/* Prints the report; returns 0 when every end was within END_LATE_MAX and every
   reminder before its end, else 1. */
static int report(PGconn *conn, const struct run *r, int reminder_minutes)
{
    struct kind_stats st[K_COUNT] = { 0 };
    PGresult *res = look_up(conn, r, reminder_minutes);
    long after_end;

    if (PQresultStatus(res) != PGRES_TUPLES_OK || (size_t)PQntuples(res) != r->n) {
        fprintf(stderr, "due_bench: looking up the outbox rows failed: %s",
                PQresultErrorMessage(res));
        PQclear(res);
        return 1;
    }
    after_end = summarise(res, r, st);
    PQclear(res);
    if (after_end < 0)
        return 1;
    printf("due_bench: %zu messages from %zu calls with work and %ld idle calls in %.1f s "
           "real time\n", r->n, r->ncalls, r->idle_calls, r->real_secs);
    printf("%-10s %8s %9s %12s %14s\n", "kind", "items", "busy s", "drain /s", "max late s");
    for (int k = 0; k < K_COUNT; k++)
        printf("%-10s %8ld %9.2f %12.0f %14lld\n", kind_label[k], st[k].items, st[k].busy,
               st[k].busy > 0 ? (double)st[k].items / st[k].busy : 0.0, st[k].late_max);
    printf("reminders at or after their session's end: %ld\n", after_end);
    printf("max lateness of session ends: %lld s (limit %d s)\n", st[K_END].late_max,
           END_LATE_MAX);
    return after_end == 0 && st[K_END].late_max <= END_LATE_MAX ? 0 : 1;
}

static struct reply_templates *load_templates(const char *path)
{
    char err[256], *buf = NULL;
    FILE *f = fopen(path, "rb");
    long len = -1;
    struct reply_templates *t = NULL;

    if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1)) != NULL &&
        fread(buf, 1, (size_t)len, f) == (size_t)len)
        t = reply_templates_parse(buf, (size_t)len, err, sizeof err);
    else
        snprintf(err, sizeof err, "cannot read it");
    if (f != NULL)
        fclose(f);
    free(buf);
    if (t == NULL)
        fprintf(stderr, "due_bench: %s: %s\n", path, err);
    return t;
}

static void log_quiet(void *ctx, enum service_log_level level, const char *msg)
{
    (void)ctx;
    if (level >= SERVICE_LOG_WARNING)
        fprintf(stderr, "due_bench: service: %s\n", msg);
}

int main(int argc, char **argv)
{
    struct service_config cfg = { "", "7757", "7701", 300, 10, 24, "ru", NULL,
                                  PLATE_POLICY_KZ_ONLY, NULL, 0, 0, 0 };
    const char *templates = "templates/replies.conf", *zone_name = "Asia/Almaty";
    struct local_zone zone;
    long long start = 0, stop = 0;
    int batch = 100, c, rc;
    struct run r = { 0 };
    struct reply_templates *t;
    struct service *svc;
    PGconn *conn;
    char err[256];

    while ((c = getopt(argc, argv, "S:E:c:t:r:b:z:")) != -1) {
        switch (c) {
        case 'S': start = atoll(optarg); break;
        case 'E': stop = atoll(optarg); break;
        case 'c': cfg.conninfo = optarg; break;
        case 't': templates = optarg; break;
        case 'r': cfg.reminder_minutes = atoi(optarg); break;
        case 'b': batch = atoi(optarg); break;
        case 'z': zone_name = optarg; break;
        default: return 2;
        }
    }
    if (start <= 0 || stop < start || batch < 1) {
        fprintf(stderr, "usage: due_bench -S START -E STOP [-c CONNINFO] [-t TEMPLATES] "
                "[-r MINUTES] [-b BATCH] [-z TIMEZONE]\n");
        return 2;
    }
    if (tz_load(zone_name, &zone, err, sizeof err) != 0) {
        fprintf(stderr, "due_bench: time zone: %s\n", err);
        return 1;
    }
    if ((t = load_templates(templates)) == NULL)
        return 1;
    cfg.templates = t;
    cfg.zone = &zone;
    if ((svc = service_create(&cfg, err, sizeof err)) == NULL) {
        fprintf(stderr, "due_bench: %s\n", err);
        reply_templates_destroy(t);
        return 1;
    }
    service_set_log(svc, log_quiet, NULL);
    rc = drain(svc, &r, (time_t)start, (time_t)stop, batch) < 0;
    service_destroy(svc);
    conn = PQconnectdb(cfg.conninfo);
    if (rc == 0 && PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "due_bench: %s", PQerrorMessage(conn));
        rc = 1;
    }
    if (rc == 0)
        rc = report(conn, &r, cfg.reminder_minutes);
    PQfinish(conn);
    reply_templates_destroy(t);
    free(r.v);
    free(r.call_secs);
    return rc;
}
