/* test_violation.c: the 15-minute rule (violation.h): stays from sightings, paid at a
 * moment, and the verdict at the boundaries. Every table row is its own cmocka test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "table.h"
#include "violation.h"

#define T0 ((time_t)1750050000)      /* 2025-06-16 10:00:00 Asia/Almaty */
#define MIN 60
#define MAXP 4
#define MAXS 8

/* ---- the verdict ---- */
struct decide_case {
    const char *name;
    time_t t1, t2, grace;
    struct violation_paid paid[MAXP];
    size_t npaid;
    enum violation_verdict want;
    time_t want_unpaid;               /* checked for VIOLATION_FOUND */
    int hours;                        /* 0: paid at every time; PAID_HOURS, HOLIDAY */
};

/* The zone's paid hours: Monday to Saturday 08:00-20:00 (UTC+5, as Almaty since 2024);
   with HOLIDAY, Tuesday 17 June 2025 is a public holiday. T0 is Monday 10:00. */
enum { PAID_HOURS = 1, HOLIDAY = 2 };
#define H (60 * MIN)
#define DAY (24 * H)
static const struct policy_span DAY_SPAN[] = {
    { POLICY_EVERY_DAY & ~POLICY_SUN, 8 * 60, 20 * 60, 0, 0 } };
static const struct policy DAY_POLICY[] = { { 1, 1, 10000, 1, DAY_SPAN, 1 } };
static const int32_t HOLIDAYS[] = { 20250617 };
static struct local_zone plus5;

static const struct decide_case DECIDE[] = {
    { "seen once", T0, T0, 15 * MIN, { { 0, 0 } }, 0, VIOLATION_NONE_SHORT, 0, 0 },
    { "14:59 apart, unpaid", T0, T0 + 14 * MIN + 59, 15 * MIN, { { 0, 0 } }, 0,
      VIOLATION_NONE_SHORT, 0, 0 },
    { "15:00 apart, unpaid", T0, T0 + 15 * MIN, 15 * MIN, { { 0, 0 } }, 0,
      VIOLATION_NONE_SHORT, 0, 0 },
    { "15:01 apart, unpaid", T0, T0 + 15 * MIN + 1, 15 * MIN, { { 0, 0 } }, 0,
      VIOLATION_FOUND, T0 + 15 * MIN, 0 },
    { "15:01 apart, paid from minute 10", T0, T0 + 15 * MIN + 1, 15 * MIN,
      { { T0 + 10 * MIN, T0 + 70 * MIN } }, 1, VIOLATION_NONE_PAID, 0, 0 },
    { "paid from minute 15 exactly", T0, T0 + 40 * MIN, 15 * MIN,
      { { T0 + 15 * MIN, T0 + 75 * MIN } }, 1, VIOLATION_NONE_PAID, 0, 0 },
    { "paid from 15:01: too late", T0, T0 + 40 * MIN, 15 * MIN,
      { { T0 + 15 * MIN + 1, T0 + 75 * MIN } }, 1, VIOLATION_FOUND, T0 + 15 * MIN, 0 },
    { "paid before arrival, still running", T0, T0 + 40 * MIN, 15 * MIN,
      { { T0 - 30 * MIN, T0 + 30 * MIN + 60 * MIN } }, 1, VIOLATION_NONE_PAID, 0, 0 },
    { "session ends exactly at t2", T0, T0 + 70 * MIN, 15 * MIN,
      { { T0 + 10 * MIN, T0 + 70 * MIN } }, 1, VIOLATION_NONE_PAID, 0, 0 },
    { "session ended 1 s before t2", T0, T0 + 70 * MIN + 1, 15 * MIN,
      { { T0 + 10 * MIN, T0 + 70 * MIN } }, 1, VIOLATION_FOUND, T0 + 70 * MIN, 0 },
    { "session stopped at minute 20", T0, T0 + 40 * MIN, 15 * MIN,
      { { T0 + 2 * MIN, T0 + 20 * MIN } }, 1, VIOLATION_FOUND, T0 + 20 * MIN, 0 },
    { "session ended before the grace ran out", T0, T0 + 40 * MIN, 15 * MIN,
      { { T0 + 2 * MIN, T0 + 10 * MIN } }, 1, VIOLATION_FOUND, T0 + 15 * MIN, 0 },
    { "two touching sessions", T0, T0 + 120 * MIN, 15 * MIN,
      { { T0 + 60 * MIN, T0 + 130 * MIN }, { T0 + 5 * MIN, T0 + 60 * MIN } }, 2,
      VIOLATION_NONE_PAID, 0, 0 },
    { "two sessions, 1 s apart", T0, T0 + 120 * MIN, 15 * MIN,
      { { T0 + 5 * MIN, T0 + 60 * MIN }, { T0 + 60 * MIN + 1, T0 + 130 * MIN } }, 2,
      VIOLATION_FOUND, T0 + 60 * MIN, 0 },
    { "overlapping sessions, any order", T0, T0 + 120 * MIN, 15 * MIN,
      { { T0 + 50 * MIN, T0 + 125 * MIN }, { T0 + 40 * MIN, T0 + 90 * MIN },
        { T0 + 1 * MIN, T0 + 45 * MIN } }, 3, VIOLATION_NONE_PAID, 0, 0 },
    { "second session too late", T0, T0 + 120 * MIN, 15 * MIN,
      { { T0 + 5 * MIN, T0 + 60 * MIN }, { T0 + 80 * MIN, T0 + 130 * MIN } }, 2,
      VIOLATION_FOUND, T0 + 60 * MIN, 0 },
    { "grace 0: seen 1 s apart", T0, T0 + 1, 0, { { 0, 0 } }, 0, VIOLATION_FOUND, T0, 0 },
    { "negative grace counts as 0", T0, T0 + 1, -5, { { 0, 0 } }, 0, VIOLATION_FOUND, T0, 0 },
    { "grace 30 min: 30:00 apart", T0, T0 + 30 * MIN, 30 * MIN, { { 0, 0 } }, 0,
      VIOLATION_NONE_SHORT, 0, 0 },

    /* paid hours: only paid time counts */
    { "seen all Sunday: free, never a violation", T0 - DAY - 2 * H, T0 - DAY + 8 * H, 15 * MIN,
      { { 0, 0 } }, 0, VIOLATION_NONE_FREE, 0, PAID_HOURS },
    { "seen Monday 20:00 to 23:00: free", T0 + 10 * H, T0 + 13 * H, 15 * MIN, { { 0, 0 } }, 0,
      VIOLATION_NONE_FREE, 0, PAID_HOURS },
    { "arrived 07:50: the grace runs from 08:00 to 08:15", T0 - 2 * H - 10 * MIN,
      T0 - 2 * H + 15 * MIN, 15 * MIN, { { 0, 0 } }, 0, VIOLATION_NONE_SHORT, 0, PAID_HOURS },
    { "arrived 07:50, seen 08:15:01 unpaid: from 08:15", T0 - 2 * H - 10 * MIN,
      T0 - 2 * H + 15 * MIN + 1, 15 * MIN, { { 0, 0 } }, 0, VIOLATION_FOUND,
      T0 - 2 * H + 15 * MIN, PAID_HOURS },
    { "arrived 07:50 and paid at 08:10", T0 - 2 * H - 10 * MIN, T0, 15 * MIN,
      { { T0 - 2 * H + 10 * MIN, T0 + H } }, 1, VIOLATION_NONE_PAID, 0, PAID_HOURS },
    { "arrived 19:50: 10 paid minutes, then free; seen until 21:00", T0 + 9 * H + 50 * MIN,
      T0 + 11 * H, 15 * MIN, { { 0, 0 } }, 0, VIOLATION_NONE_SHORT, 0, PAID_HOURS },
    { "arrived 19:50, still there Tuesday 08:06: grace ends 08:05", T0 + 9 * H + 50 * MIN,
      T0 + DAY - 2 * H + 6 * MIN, 15 * MIN, { { 0, 0 } }, 0, VIOLATION_FOUND,
      T0 + DAY - 2 * H + 5 * MIN, PAID_HOURS },
    { "paid until 20:00, seen until 21:00: the evening is free", T0 + 9 * H, T0 + 11 * H,
      15 * MIN, { { T0 + 9 * H, T0 + 10 * H } }, 1, VIOLATION_NONE_PAID, 0, PAID_HOURS },
    { "paid until 20:00, still there Tuesday 08:30: unpaid from 08:00", T0 + 9 * H,
      T0 + DAY - 2 * H + 30 * MIN, 15 * MIN, { { T0 + 9 * H, T0 + 10 * H } }, 1,
      VIOLATION_FOUND, T0 + DAY - 2 * H, PAID_HOURS },
    { "the same when Tuesday is a holiday: free until Wednesday", T0 + 9 * H,
      T0 + DAY - 2 * H + 30 * MIN, 15 * MIN, { { T0 + 9 * H, T0 + 10 * H } }, 1,
      VIOLATION_NONE_PAID, 0, PAID_HOURS | HOLIDAY },
    { "session ends 12:00 inside paid hours: unpaid from 12:00", T0, T0 + 3 * H, 15 * MIN,
      { { T0 + 5 * MIN, T0 + 2 * H } }, 1, VIOLATION_FOUND, T0 + 2 * H, PAID_HOURS },
};

static void test_decide(void **state)
{
    const struct decide_case *c = *state;
    time_t unpaid = -1;

    struct policy_set set = { DAY_POLICY, 1, HOLIDAYS, (c->hours & HOLIDAY) ? 1 : 0, &plus5 };

    localtime_fixed(&plus5, "Test/Plus5", 5 * 3600);
    assert_int_equal(violation_decide(c->hours ? &set : NULL, c->t1, c->t2, c->grace, c->paid,
                                      c->npaid, &unpaid),
                     c->want);
    if (c->want == VIOLATION_FOUND)
        assert_int_equal(unpaid, c->want_unpaid);
    else
        assert_int_equal(unpaid, -1);
}

/* ---- paid at a moment ---- */
struct paid_case { const char *name; time_t at; int want; };
static const struct violation_paid PAID_ONE[] = { { T0, T0 + 60 * MIN } };
static const struct paid_case PAID[] = {
    { "1 s before start", T0 - 1, 0 },
    { "at start", T0, 1 },
    { "inside", T0 + 30 * MIN, 1 },
    { "at paid_until", T0 + 60 * MIN, 1 },
    { "1 s after paid_until", T0 + 60 * MIN + 1, 0 },
};

static void test_paid(void **state)
{
    const struct paid_case *c = *state;
    assert_int_equal(violation_paid_at(PAID_ONE, 1, c->at), c->want);
    assert_int_equal(violation_paid_at(PAID_ONE, 0, c->at), 0);
}

/* ---- stays ---- */
struct stays_case {
    const char *name;
    struct violation_sighting s[MAXS];
    size_t n;
    time_t max_gap;
    size_t want_n;
    struct violation_stay want[MAXS];
};

static const struct stays_case STAYS[] = {
    { "no sightings", { { 0, 0 } }, 0, 7200, 0, { { 0, 0, 0, 0, 0 } } },
    { "one", { { T0, 1001 } }, 1, 7200, 1, { { 1001, 0, 1, T0, T0 } } },
    { "three in one zone", { { T0, 1001 }, { T0 + 600, 1001 }, { T0 + 1200, 1001 } }, 3, 7200,
      1, { { 1001, 0, 3, T0, T0 + 1200 } } },
    { "gap exactly max_gap joins", { { T0, 1001 }, { T0 + 7200, 1001 } }, 2, 7200,
      1, { { 1001, 0, 2, T0, T0 + 7200 } } },
    { "gap max_gap + 1 splits", { { T0, 1001 }, { T0 + 7201, 1001 } }, 2, 7200,
      2, { { 1001, 0, 1, T0, T0 }, { 1001, 1, 1, T0 + 7201, T0 + 7201 } } },
    { "another zone between splits", { { T0, 1001 }, { T0 + 60, 1002 }, { T0 + 120, 1001 } },
      3, 7200, 3, { { 1001, 0, 1, T0, T0 }, { 1002, 1, 1, T0 + 60, T0 + 60 },
                    { 1001, 2, 1, T0 + 120, T0 + 120 } } },
    { "same second, same zone", { { T0, 1003 }, { T0, 1003 } }, 2, 0,
      1, { { 1003, 0, 2, T0, T0 } } },
    { "negative gap counts as 0", { { T0, 1003 }, { T0 + 1, 1003 } }, 2, -1,
      2, { { 1003, 0, 1, T0, T0 }, { 1003, 1, 1, T0 + 1, T0 + 1 } } },
};

static void test_stays(void **state)
{
    const struct stays_case *c = *state;
    struct violation_stay got[MAXS];

    memset(got, 0, sizeof got);
    assert_int_equal(violation_stays(c->s, c->n, c->max_gap, got, MAXS), c->want_n);
    for (size_t i = 0; i < c->want_n; i++) {
        assert_int_equal(got[i].zone, c->want[i].zone);
        assert_int_equal(got[i].first, c->want[i].first);
        assert_int_equal(got[i].count, c->want[i].count);
        assert_int_equal(got[i].first_seen, c->want[i].first_seen);
        assert_int_equal(got[i].last_seen, c->want[i].last_seen);
    }
}

/* Fewer slots than stays: the count is still right, only max are written. */
static void test_stays_truncated(void **state)
{
    (void)state;
    const struct violation_sighting s[] = { { T0, 1 }, { T0 + 1, 2 }, { T0 + 2, 2 }, { T0 + 3, 3 } };
    struct violation_stay got[2] = { { 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0 } };

    assert_int_equal(violation_stays(s, 4, 60, NULL, 0), 3);
    assert_int_equal(violation_stays(s, 4, 60, got, 1), 3);
    assert_int_equal(got[0].zone, 1);
    assert_int_equal(got[0].count, 1);
    assert_int_equal(got[1].zone, 0);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(violation_verdict_name(VIOLATION_NONE_SHORT), "short");
    assert_string_equal(violation_verdict_name(VIOLATION_NONE_PAID), "paid");
    assert_string_equal(violation_verdict_name(VIOLATION_FOUND), "violation");
    assert_string_equal(violation_verdict_name(VIOLATION_NONE_FREE), "free");
}

int main(void)
{
    const struct CMUnitTest misc[] = {
        cmocka_unit_test(test_stays_truncated),
        cmocka_unit_test(test_names),
    };
    int rc = 0;

    rc |= run_table("decide", test_decide, DECIDE, sizeof DECIDE[0], N(DECIDE), NULL, NULL);
    rc |= run_table("paid_at", test_paid, PAID, sizeof PAID[0], N(PAID), NULL, NULL);
    rc |= run_table("stays", test_stays, STAYS, sizeof STAYS[0], N(STAYS), NULL, NULL);
    rc |= cmocka_run_group_tests_name("misc", misc, NULL, NULL);
    return rc;
}
