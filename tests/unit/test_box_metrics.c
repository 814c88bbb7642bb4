/* test_box_metrics.c: the box's NOC counters (plugin/box/metrics.h): which command an MO
 * text is counted under, the latency histogram's buckets at their bounds, and the
 * snapshot after counting from several threads. Every table row is its own cmocka test. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "table.h"
#include "metrics.h"

struct classify_row { const char *name; const char *text, *to; enum metrics_cmd want; };

static const struct classify_row classify_rows[] = {
    { "start", "1001*123ABC02*2", "7757", MC_START },
    { "start, hours omitted", "1001*А111ААА", "7757", MC_START },
    { "stop", "S", "7757", MC_STOP },
    { "stop, Cyrillic", "С", "7757", MC_STOP },
    { "extend", "X*2", "7757", MC_EXTEND },
    { "status", "?", "7757", MC_STATUS },
    { "help", "HELP", "7757", MC_HELP },
    { "language", "KZ", "7757", MC_LANGUAGE },
    { "zone information", "1001", "7757", MC_ZONE_INFO },
    { "unknown text", "hello", "7757", MC_INVALID },
    { "a bad plate", "1001*A1*1", "7757", MC_INVALID },
    { "empty", "", "7757", MC_INVALID },
    { "1 to the confirmation number", "1", "7701", MC_CONFIRM },
    { "anything else there declines", "no", "7701", MC_DECLINE },
    { "1 to the service number is not a confirmation", "1", "7757", MC_INVALID },
};

static void test_classify(void **state)
{
    const struct classify_row *r = *state;

    assert_int_equal(metrics_classify(r->text, strlen(r->text), r->to), r->want);
}

struct bucket_row { const char *name; double ms; int bucket; /* -1: +Inf only */ };

static const struct bucket_row bucket_rows[] = {
    { "0 ms: first bucket", 0.0, 0 },
    { "1 ms: le=0.001 (inclusive)", 1.0, 0 },
    { "1.001 ms: le=0.0025", 1.001, 1 },
    { "5 ms: le=0.005", 5.0, 2 },
    { "999 ms: le=1", 999.0, 9 },
    { "5000 ms: le=5", 5000.0, 10 },
    { "5001 ms: only +Inf", 5001.0, -1 },
};

static void test_bucket(void **state)
{
    const struct bucket_row *r = *state;
    struct metrics_snapshot a, b;

    metrics_read(&a);
    metrics_mo(MC_HELP, MO_ACKED, r->ms);
    metrics_read(&b);
    for (int i = 0; i < METRICS_LATENCY_BUCKETS; i++)
        assert_int_equal(b.latency_bucket[i] - a.latency_bucket[i], i == r->bucket ? 1 : 0);
    assert_int_equal(b.latency_count - a.latency_count, 1);
    assert_int_equal(b.mo[MC_HELP][MO_ACKED] - a.mo[MC_HELP][MO_ACKED], 1);
}

#define THREADS 4
#define PER_THREAD 10000

static void *count(void *arg)
{
    (void)arg;
    for (int i = 0; i < PER_THREAD; i++) {
        metrics_mo(MC_START, MO_NOT_ACKED, 2.0);
        metrics_mt(MC_DUE, MT_SENT);
        metrics_held(+1);
        metrics_held(-1);
    }
    return NULL;
}

static void test_threads(void **state)
{
    pthread_t t[THREADS];
    struct metrics_snapshot a, b;

    (void)state;
    metrics_read(&a);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, count, NULL), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    metrics_read(&b);
    assert_int_equal(b.mo[MC_START][MO_NOT_ACKED] - a.mo[MC_START][MO_NOT_ACKED], THREADS * PER_THREAD);
    assert_int_equal(b.mt[MC_DUE][MT_SENT] - a.mt[MC_DUE][MT_SENT], THREADS * PER_THREAD);
    assert_int_equal(b.mo_held_total - a.mo_held_total, THREADS * PER_THREAD);
    assert_int_equal(b.mo_held_now, a.mo_held_now);
    assert_int_equal(b.latency_bucket[1] - a.latency_bucket[1], THREADS * PER_THREAD);
}

static void test_http(void **state)
{
    struct metrics_snapshot a, b;

    (void)state;
    metrics_read(&a);
    metrics_http(0.1);        /* le=0.0001, inclusive */
    metrics_http(0.3);        /* le=0.0005 */
    metrics_http(2000.0);     /* above every bound: +Inf only */
    metrics_read(&b);
    assert_int_equal(b.http_bucket[0] - a.http_bucket[0], 1);
    assert_int_equal(b.http_bucket[2] - a.http_bucket[2], 1);
    assert_int_equal(b.http_count - a.http_count, 3);
    for (int i = 3; i < METRICS_HTTP_BUCKETS; i++)
        assert_int_equal(b.http_bucket[i] - a.http_bucket[i], 0);
    assert_true(b.http_sum_ms - a.http_sum_ms > 2000.39 && b.http_sum_ms - a.http_sum_ms < 2000.41);
}

static void test_links(void **state)
{
    struct metrics_snapshot s;

    (void)state;
    metrics_bearerbox(1);
    metrics_db(0);
    metrics_read(&s);
    assert_int_equal(s.bearerbox_up, 1);
    assert_int_equal(s.db_up, 0);
    metrics_bearerbox(0);
    metrics_db(1);
    metrics_read(&s);
    assert_int_equal(s.bearerbox_up, 0);
    assert_int_equal(s.db_up, 1);
    assert_true(s.bearerbox_connects >= 1);
    assert_string_equal(metrics_cmd_name(MC_ZONE_INFO), "zone_info");
    assert_string_equal(metrics_mo_outcome_name(MO_LOST), "lost");
}

int main(void)
{
    const struct CMUnitTest single[] = { cmocka_unit_test(test_threads), cmocka_unit_test(test_http),
                                         cmocka_unit_test(test_links) };
    int failed = 0;

    metrics_init("7701");
    failed += run_table("metrics_classify", test_classify, classify_rows, sizeof classify_rows[0],
                        N(classify_rows), NULL, NULL);
    failed += run_table("latency buckets", test_bucket, bucket_rows, sizeof bucket_rows[0],
                        N(bucket_rows), NULL, NULL);
    failed += cmocka_run_group_tests_name("metrics", single, NULL, NULL);
    return failed ? 1 : 0;
}
