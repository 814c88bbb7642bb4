/* metrics.h: the box's own counters for the NOC (/status, /metrics), thread-safe.
 *
 * Every function may be called from any thread at any time: counters and gauges are C11
 * atomics in one static table, so instrumenting a hot path costs one atomic add. Nothing
 * here allocates, logs or uses gwlib. metrics_read() copies a consistent-enough snapshot
 * (each value is read atomically; values may be a few events apart from each other).
 * Values kept in the database (active sessions, the outbox, delivery reports) are not
 * here: the HTTP layer reads them per scrape (noc_stats() in sql/0007_api.sql).
 */
#ifndef PARKBOX_METRICS_H
#define PARKBOX_METRICS_H

#include <stddef.h>
#include <time.h>

/* What an MO asked for, as command_parse()/command_parse_confirmation() see it. */
enum metrics_cmd { MC_START, MC_STOP, MC_EXTEND, MC_STATUS, MC_HELP, MC_LANGUAGE,
                   MC_CONFIRM, MC_DECLINE, MC_ZONE_INFO, MC_INVALID, MC_DUE, MC_COUNT };
/* What became of an MO: acked after its replies, held for the database and left for
   redelivery, or its connection lost before the ack. */
enum metrics_mo_outcome { MO_ACKED, MO_NOT_ACKED, MO_LOST, MO_OUTCOME_COUNT };
/* What became of an MT: bearerbox took it, the write failed, it could not be converted. */
enum metrics_mt_outcome { MT_SENT, MT_FAILED, MT_UNCONVERTIBLE, MT_OUTCOME_COUNT };

#define METRICS_LATENCY_BUCKETS 11   /* upper bounds in metrics_latency_bounds_ms */
extern const double metrics_latency_bounds_ms[METRICS_LATENCY_BUCKETS];

#define METRICS_HTTP_BUCKETS 10     /* upper bounds in metrics_http_bounds_ms */
extern const double metrics_http_bounds_ms[METRICS_HTTP_BUCKETS];

struct metrics_snapshot {
    time_t started;                                   /* process start, real time */
    unsigned long long mo[MC_COUNT][MO_OUTCOME_COUNT];
    unsigned long long mt[MC_COUNT][MT_OUTCOME_COUNT];
    unsigned long long mo_held_total;                 /* MOs that waited for the database */
    long mo_held_now;                                 /* waiting now */
    unsigned long long latency_bucket[METRICS_LATENCY_BUCKETS]; /* not cumulative */
    unsigned long long latency_count;
    double latency_sum_ms;
    int bearerbox_up;
    unsigned long long bearerbox_connects;
    time_t scheduler_last_run;                        /* 0: never */
    double scheduler_last_ms;                         /* duration of the last due batch */
    int db_up;                                        /* last service call reached it */
    unsigned long long http_bucket[METRICS_HTTP_BUCKETS];       /* not cumulative */
    unsigned long long http_count;                    /* /v1/ requests answered */
    double http_sum_ms;                               /* their server time */
};

/* Sets the start time and the confirmation number (borrowed, must outlive every call of
   metrics_classify); call once in main before any thread. */
void metrics_init(const char *confirm_number);
/* The command of an MO's UTF-8 text sent to `to` (pure parsing, no allocation). */
enum metrics_cmd metrics_classify(const char *text, size_t len, const char *to);
const char *metrics_cmd_name(enum metrics_cmd c);
const char *metrics_mo_outcome_name(enum metrics_mo_outcome o);
const char *metrics_mt_outcome_name(enum metrics_mt_outcome o);

void metrics_mo(enum metrics_cmd c, enum metrics_mo_outcome o, double ms);
void metrics_mt(enum metrics_cmd c, enum metrics_mt_outcome o);
void metrics_held(int delta);                         /* +1 starts waiting, -1 stops */
void metrics_bearerbox(int up);
void metrics_scheduler_ran(double ms);
void metrics_db(int up);
/* One /v1/ request answered after ms of server time (from its last byte read to its
   answer queued). */
void metrics_http(double ms);

void metrics_read(struct metrics_snapshot *out);

#endif
