/* metrics.c: the box's atomic counters (metrics.h). */
#include <stdatomic.h>
#include <string.h>

#include "command.h"
#include "metrics.h"

const double metrics_latency_bounds_ms[METRICS_LATENCY_BUCKETS] =
    { 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 5000 };

const double metrics_http_bounds_ms[METRICS_HTTP_BUCKETS] =
    { 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 100, 1000 };

static const char *const cmd_names[MC_COUNT] = {
    "start", "stop", "extend", "status", "help", "language", "confirm", "decline",
    "zone_info", "invalid", "due" };
static const char *const mo_outcomes[MO_OUTCOME_COUNT] = { "acked", "not_acked", "lost" };
static const char *const mt_outcomes[MT_OUTCOME_COUNT] = { "sent", "failed", "unconvertible" };

static struct {
    _Atomic long long started;
    atomic_ullong mo[MC_COUNT][MO_OUTCOME_COUNT];
    atomic_ullong mt[MC_COUNT][MT_OUTCOME_COUNT];
    atomic_ullong held_total;
    atomic_long held_now;
    atomic_ullong bucket[METRICS_LATENCY_BUCKETS + 1];   /* the last: above every bound */
    atomic_ullong latency_us_sum;
    atomic_int bearerbox_up;
    atomic_ullong connects;
    _Atomic long long sched_last;
    atomic_ullong sched_last_us;
    atomic_int db_up;
    atomic_ullong http_bucket[METRICS_HTTP_BUCKETS + 1];
    atomic_ullong http_us_sum;
} m;

static const char *confirm_number = "";

void metrics_init(const char *confirm)
{
    confirm_number = confirm;
    atomic_store(&m.started, (long long)time(NULL));
    atomic_store(&m.db_up, 1);
}

enum metrics_cmd metrics_classify(const char *text, size_t len, const char *to)
{
    static const enum metrics_cmd by_kind[] = {
        [CMD_START] = MC_START, [CMD_STOP] = MC_STOP, [CMD_EXTEND] = MC_EXTEND,
        [CMD_STATUS] = MC_STATUS, [CMD_HELP] = MC_HELP, [CMD_LANGUAGE] = MC_LANGUAGE,
        [CMD_CONFIRM] = MC_CONFIRM, [CMD_DECLINE] = MC_DECLINE, [CMD_ZONE_INFO] = MC_ZONE_INFO };
    struct command c;
    struct cmd_failure why;

    if (strcmp(to, confirm_number) == 0)
        return by_kind[command_parse_confirmation(text, len)];
    if (command_parse(text, len, NULL, &c, &why) != CMD_OK)
        return MC_INVALID;
    return by_kind[c.kind];
}

const char *metrics_cmd_name(enum metrics_cmd c) { return cmd_names[c]; }
const char *metrics_mo_outcome_name(enum metrics_mo_outcome o) { return mo_outcomes[o]; }
const char *metrics_mt_outcome_name(enum metrics_mt_outcome o) { return mt_outcomes[o]; }

void metrics_mo(enum metrics_cmd c, enum metrics_mo_outcome o, double ms)
{
    size_t b = 0;

    atomic_fetch_add(&m.mo[c][o], 1);
    while (b < METRICS_LATENCY_BUCKETS && ms > metrics_latency_bounds_ms[b])
        b++;
    atomic_fetch_add(&m.bucket[b], 1);
    atomic_fetch_add(&m.latency_us_sum, (unsigned long long)(ms > 0 ? ms * 1000 : 0));
}

void metrics_mt(enum metrics_cmd c, enum metrics_mt_outcome o) { atomic_fetch_add(&m.mt[c][o], 1); }

void metrics_held(int delta)
{
    if (delta > 0)
        atomic_fetch_add(&m.held_total, 1);
    atomic_fetch_add(&m.held_now, delta);
}

void metrics_bearerbox(int up)
{
    if (up)
        atomic_fetch_add(&m.connects, 1);
    atomic_store(&m.bearerbox_up, up);
}

void metrics_scheduler_ran(double ms)
{
    atomic_store(&m.sched_last, (long long)time(NULL));
    atomic_store(&m.sched_last_us, (unsigned long long)(ms * 1000));
}

void metrics_db(int up) { atomic_store(&m.db_up, up); }

void metrics_http(double ms)
{
    size_t b = 0;

    while (b < METRICS_HTTP_BUCKETS && ms > metrics_http_bounds_ms[b])
        b++;
    atomic_fetch_add(&m.http_bucket[b], 1);
    atomic_fetch_add(&m.http_us_sum, (unsigned long long)(ms > 0 ? ms * 1000 : 0));
}

void metrics_read(struct metrics_snapshot *out)
{
    unsigned long long total = 0;

    memset(out, 0, sizeof(*out));
    out->started = (time_t)atomic_load(&m.started);
    for (int c = 0; c < MC_COUNT; c++) {
        for (int o = 0; o < MO_OUTCOME_COUNT; o++)
            out->mo[c][o] = atomic_load(&m.mo[c][o]);
        for (int o = 0; o < MT_OUTCOME_COUNT; o++)
            out->mt[c][o] = atomic_load(&m.mt[c][o]);
    }
    out->mo_held_total = atomic_load(&m.held_total);
    out->mo_held_now = atomic_load(&m.held_now);
    for (int b = 0; b <= METRICS_LATENCY_BUCKETS; b++) {
        unsigned long long v = atomic_load(&m.bucket[b]);
        if (b < METRICS_LATENCY_BUCKETS)
            out->latency_bucket[b] = v;
        total += v;
    }
    out->latency_count = total;
    out->latency_sum_ms = atomic_load(&m.latency_us_sum) / 1000.0;
    out->bearerbox_up = atomic_load(&m.bearerbox_up);
    out->bearerbox_connects = atomic_load(&m.connects);
    out->scheduler_last_run = (time_t)atomic_load(&m.sched_last);
    out->scheduler_last_ms = atomic_load(&m.sched_last_us) / 1000.0;
    out->db_up = atomic_load(&m.db_up);
    for (int b = 0; b <= METRICS_HTTP_BUCKETS; b++) {
        unsigned long long v = atomic_load(&m.http_bucket[b]);
        if (b < METRICS_HTTP_BUCKETS)
            out->http_bucket[b] = v;
        out->http_count += v;
    }
    out->http_sum_ms = atomic_load(&m.http_us_sum) / 1000.0;
}
