/* test_policy.c: paid hours, holidays and billing of paid time (plugin/core/policy.h), exact
 * values at window edges, midnight, Sundays, holidays, a rate change at a window edge, a dated
 * span, Asia/Almaty as tz_load reads it (both sides of its 2024-03-01 change) and fixed zones.
 * Times in the rows are local wall-clock fields of the row's zone, turned into UTC with
 * localtime_to_utc (tested in test_localtime.c); a few rows pin raw epochs as well.
 * Every table row is its own cmocka test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "policy.h"
#include "tz_load.h"
#include "table.h"

enum { ALMATY, UTC, PLUS5, NZONES };
static struct local_zone zones[NZONES];

#define MON_SAT (POLICY_EVERY_DAY & ~POLICY_SUN)
#define H(h) ((h) * 60)

/* The sample: paid 08:00-20:00 Monday to Saturday, 100 tenge/h, free on holidays. */
static const struct policy_span day_span[] = { { MON_SAT, H(8), H(20), 0, 0 } };
static const struct policy sample[] = { { 1, 1, 10000, 1, day_span, 1 } };

/* A rate change at a window edge, decided by priority: 100 tenge/h 08:00-20:00, and from
   12:00 to 20:00 a priority-1 policy at 150 tenge/h. */
static const struct policy_span noon_span[] = { { MON_SAT, H(12), H(20), 0, 0 } };
static const struct policy stepped[] = {
    { 1, 2, 10000, 1, day_span, 1 },
    { 2, 1, 15000, 1, noon_span, 1 },
};

/* Paid across midnight: every day 22:00-24:00 and 00:00-02:00 at 50 tenge/h. */
static const struct policy_span night_spans[] = {
    { POLICY_EVERY_DAY, H(22), H(24), 0, 0 }, { POLICY_EVERY_DAY, 0, H(2), 0, 0 },
};
static const struct policy night[] = { { 1, 1, 5000, 0, night_spans, 2 } };

/* Summer only: Monday to Friday 09:00-18:00 from 1 June to 31 August 2027. */
static const struct policy_span summer_span[] = {
    { MON_SAT & ~POLICY_SAT, H(9), H(18), 20270601, 20270831 },
};
static const struct policy summer[] = { { 1, 1, 10000, 0, summer_span, 1 } };

/* A free policy of higher priority over a paid one with no spans: paid except 13:00-14:00. */
static const struct policy_span lunch_span[] = { { POLICY_EVERY_DAY, H(13), H(14), 0, 0 } };
static const struct policy lunch[] = {
    { 1, 5, 10000, 0, NULL, 0 },
    { 2, 0, 0, 0, lunch_span, 1 },
};

/* Kazakhstan's public holidays of 2027 as sql/0008_policies.sql seeds them. */
static const int32_t holidays[] = {
    20270101, 20270102, 20270107, 20270308, 20270321, 20270322, 20270323, 20270501,
    20270507, 20270509, 20270516, 20270706, 20270830, 20271025, 20271216,
};

enum { SAMPLE, STEPPED, NIGHT, SUMMER, LUNCH, NONE };
struct set_def { const struct policy *p; size_t n; };
static const struct set_def sets[] = {
    [SAMPLE] = { sample, N(sample) }, [STEPPED] = { stepped, N(stepped) },
    [NIGHT] = { night, N(night) }, [SUMMER] = { summer, N(summer) },
    [LUNCH] = { lunch, N(lunch) }, [NONE] = { NULL, 0 },
};

static struct policy_set set_of(int set, int zone)
{
    struct policy_set s = { sets[set].p, sets[set].n, holidays, N(holidays), &zones[zone] };
    return s;
}

struct lt { int y, mo, d, h, mi, s; };

static time_t at(int zone, struct lt l)
{
    time_t t = localtime_to_utc(&zones[zone], l.y, l.mo, l.d, l.h, l.mi, l.s);
    assert_true(t != (time_t)-1);
    return t;
}

static int build_zones(void **state)
{
    char err[256];

    (void)state;
    localtime_fixed(&zones[UTC], "UTC", 0);
    localtime_fixed(&zones[PLUS5], "Test/Plus5", 18000);
    if (tz_load("Asia/Almaty", &zones[ALMATY], err, sizeof err) != 0) {
        fprintf(stderr, "tz_load Asia/Almaty: %s\n", err);
        return -1;
    }
    return 0;
}

/* ---- the state at an instant ---- */
struct state_case {
    const char *name; int set, zone; struct lt t;
    int paid; tiyn_t rate; struct lt until;
};
static const struct state_case STATES[] = {
    { "Mon 07:59:59 free until 08:00", SAMPLE, ALMATY, { 2027, 1, 11, 7, 59, 59 },
      0, 0, { 2027, 1, 11, 8, 0, 0 } },
    { "Mon 08:00:00 paid until 20:00", SAMPLE, ALMATY, { 2027, 1, 11, 8, 0, 0 },
      1, 10000, { 2027, 1, 11, 20, 0, 0 } },
    { "Mon 19:59:59 paid until 20:00", SAMPLE, ALMATY, { 2027, 1, 11, 19, 59, 59 },
      1, 10000, { 2027, 1, 11, 20, 0, 0 } },
    { "Mon 20:00:00 free until midnight", SAMPLE, ALMATY, { 2027, 1, 11, 20, 0, 0 },
      0, 0, { 2027, 1, 12, 0, 0, 0 } },
    { "Sat 12:00 paid", SAMPLE, ALMATY, { 2027, 1, 9, 12, 0, 0 },
      1, 10000, { 2027, 1, 9, 20, 0, 0 } },
    { "Sun 12:00 free until Monday's midnight", SAMPLE, ALMATY, { 2027, 1, 10, 12, 0, 0 },
      0, 0, { 2027, 1, 11, 0, 0, 0 } },
    { "Mon 8 March (holiday) 12:00 free all day", SAMPLE, ALMATY, { 2027, 3, 8, 12, 0, 0 },
      0, 0, { 2027, 3, 9, 0, 0, 0 } },
    { "Thu 7 January (Christmas) 10:00 free all day", SAMPLE, ALMATY, { 2027, 1, 7, 10, 0, 0 },
      0, 0, { 2027, 1, 8, 0, 0, 0 } },
    { "Fri 8 January 10:00 paid", SAMPLE, ALMATY, { 2027, 1, 8, 10, 0, 0 },
      1, 10000, { 2027, 1, 8, 20, 0, 0 } },
    { "stepped 11:59:59 at 100 until 12:00", STEPPED, ALMATY, { 2027, 1, 11, 11, 59, 59 },
      1, 10000, { 2027, 1, 11, 12, 0, 0 } },
    { "stepped 12:00 at 150 (priority 1 wins)", STEPPED, ALMATY, { 2027, 1, 11, 12, 0, 0 },
      1, 15000, { 2027, 1, 11, 20, 0, 0 } },
    { "night 23:59:59 paid until midnight", NIGHT, ALMATY, { 2027, 1, 10, 23, 59, 59 },
      1, 5000, { 2027, 1, 11, 0, 0, 0 } },
    { "night 00:00 paid until 02:00", NIGHT, ALMATY, { 2027, 1, 11, 0, 0, 0 },
      1, 5000, { 2027, 1, 11, 2, 0, 0 } },
    { "night: holidays do not matter to it", NIGHT, ALMATY, { 2027, 1, 1, 1, 0, 0 },
      1, 5000, { 2027, 1, 1, 2, 0, 0 } },
    { "summer 31 May 10:00 free until midnight", SUMMER, ALMATY, { 2027, 5, 31, 10, 0, 0 },
      0, 0, { 2027, 6, 1, 0, 0, 0 } },
    { "summer 1 June 10:00 paid", SUMMER, ALMATY, { 2027, 6, 1, 10, 0, 0 },
      1, 10000, { 2027, 6, 1, 18, 0, 0 } },
    { "summer 31 August 17:59 paid", SUMMER, ALMATY, { 2027, 8, 31, 17, 59, 0 },
      1, 10000, { 2027, 8, 31, 18, 0, 0 } },
    { "summer 1 September 10:00 free", SUMMER, ALMATY, { 2027, 9, 1, 10, 0, 0 },
      0, 0, { 2027, 9, 2, 0, 0, 0 } },
    { "lunch 13:30 free by priority 0", LUNCH, ALMATY, { 2027, 1, 10, 13, 30, 0 },
      0, 0, { 2027, 1, 10, 14, 0, 0 } },
    { "lunch 14:00 paid again", LUNCH, ALMATY, { 2027, 1, 10, 14, 0, 0 },
      1, 10000, { 2027, 1, 11, 0, 0, 0 } },
    { "no policies: free", NONE, ALMATY, { 2027, 1, 11, 12, 0, 0 },
      0, 0, { 2027, 1, 12, 0, 0, 0 } },
    { "UTC zone Mon 08:00 paid", SAMPLE, UTC, { 2027, 1, 11, 8, 0, 0 },
      1, 10000, { 2027, 1, 11, 20, 0, 0 } },
    { "fixed +05 zone Sun free", SAMPLE, PLUS5, { 2027, 1, 10, 9, 0, 0 },
      0, 0, { 2027, 1, 11, 0, 0, 0 } },
    { "Almaty at +06: Thu 29 Feb 2024 08:00 paid", SAMPLE, ALMATY, { 2024, 2, 29, 8, 0, 0 },
      1, 10000, { 2024, 2, 29, 20, 0, 0 } },
};

static void test_state(void **state)
{
    const struct state_case *c = *state;
    struct policy_set s = set_of(c->set, c->zone);
    struct policy_state st;

    assert_int_equal(policy_at(&s, at(c->zone, c->t), &st), c->paid);
    assert_int_equal(st.paid, c->paid);
    assert_int_equal(st.rate, c->rate);
    assert_int_equal(st.until, at(c->zone, c->until));
}

/* ---- raw epochs: the zone decides what local time is ---- */
struct epoch_case { const char *name; int set, zone; time_t t; int paid; time_t until; };
static const struct epoch_case EPOCHS[] = {
    /* 2027-01-09 14:00 UTC = Sat 19:00 in Almaty (+05), Sat 14:00 in UTC */
    { "Almaty Sat 19:00", SAMPLE, ALMATY, 1799503200, 1, 1799506800 },
    { "UTC Sat 14:00", SAMPLE, UTC, 1799503200, 1, 1799524800 },
    { "fixed +05 equals Almaty in 2027", SAMPLE, PLUS5, 1799503200, 1, 1799506800 },
    /* 2024-02-29 17:59:59 UTC = 23:59:59 local at +06: free, and the state holds only until
       the zone's offset changes at 18:00:00 UTC (local 23:00 again, at +05) */
    { "Almaty's change of offset ends a state", SAMPLE, ALMATY, 1709229599, 0, 1709229600 },
    { "after the change: 23:00 at +05, until midnight", SAMPLE, ALMATY, 1709229600, 0,
      1709233200 },
};

static void test_epoch(void **state)
{
    const struct epoch_case *c = *state;
    struct policy_set s = set_of(c->set, c->zone);
    struct policy_state st;

    assert_int_equal(policy_at(&s, c->t, &st), c->paid);
    assert_int_equal(st.until, c->until);
}

/* ---- buying N paid hours ---- */
struct buy_case {
    const char *name; int set; struct lt start; int hours;
    int ok; struct lt from, until; tiyn_t amount;
};
static const struct buy_case BUYS[] = {
    { "3 h at Sat 19:00 run until Mon 10:00", SAMPLE, { 2027, 1, 9, 19, 0, 0 }, 3,
      1, { 2027, 1, 9, 19, 0, 0 }, { 2027, 1, 11, 10, 0, 0 }, 30000 },
    { "12 h at Mon 08:00 end at 20:00 sharp", SAMPLE, { 2027, 1, 11, 8, 0, 0 }, 12,
      1, { 2027, 1, 11, 8, 0, 0 }, { 2027, 1, 11, 20, 0, 0 }, 120000 },
    { "13 h at Mon 08:00 end Tue 09:00", SAMPLE, { 2027, 1, 11, 8, 0, 0 }, 13,
      1, { 2027, 1, 11, 8, 0, 0 }, { 2027, 1, 12, 9, 0, 0 }, 130000 },
    { "1 h at Mon 07:00 (free) begins at 08:00", SAMPLE, { 2027, 1, 11, 7, 0, 0 }, 1,
      1, { 2027, 1, 11, 8, 0, 0 }, { 2027, 1, 11, 9, 0, 0 }, 10000 },
    { "1 h on Sunday begins Monday 08:00", SAMPLE, { 2027, 1, 10, 12, 0, 0 }, 1,
      1, { 2027, 1, 11, 8, 0, 0 }, { 2027, 1, 11, 9, 0, 0 }, 10000 },
    { "2 h on New Year's Day skip the holidays and Sunday", SAMPLE, { 2027, 1, 1, 10, 0, 0 }, 2,
      1, { 2027, 1, 4, 8, 0, 0 }, { 2027, 1, 4, 10, 0, 0 }, 20000 },
    { "1 h at Sat 6 Mar 19:30 skip Sunday and 8 March", SAMPLE, { 2027, 3, 6, 19, 30, 0 }, 1,
      1, { 2027, 3, 6, 19, 30, 0 }, { 2027, 3, 9, 8, 30, 0 }, 10000 },
    { "seconds are kept: 1 h at 10:00:17", SAMPLE, { 2027, 1, 11, 10, 0, 17 }, 1,
      1, { 2027, 1, 11, 10, 0, 17 }, { 2027, 1, 11, 11, 0, 17 }, 10000 },
    { "12 h at Mon 10:00:17 over the night", SAMPLE, { 2027, 1, 11, 10, 0, 17 }, 12,
      1, { 2027, 1, 11, 10, 0, 17 }, { 2027, 1, 12, 10, 0, 17 }, 120000 },
    { "rate change: 2 h at 11:00 = 100 + 150", STEPPED, { 2027, 1, 11, 11, 0, 0 }, 2,
      1, { 2027, 1, 11, 11, 0, 0 }, { 2027, 1, 11, 13, 0, 0 }, 25000 },
    { "rate change: 1 h at 11:30:20 = 30 min at each", STEPPED, { 2027, 1, 11, 11, 30, 20 }, 1,
      1, { 2027, 1, 11, 11, 30, 20 }, { 2027, 1, 11, 12, 30, 20 }, 12500 },
    { "rate change over the weekend: 150 then 100", STEPPED, { 2027, 1, 9, 19, 30, 0 }, 1,
      1, { 2027, 1, 9, 19, 30, 0 }, { 2027, 1, 11, 8, 30, 0 }, 12500 },
    { "over midnight: 3 h at 23:00 until 02:00", NIGHT, { 2027, 1, 10, 23, 0, 0 }, 3,
      1, { 2027, 1, 10, 23, 0, 0 }, { 2027, 1, 11, 2, 0, 0 }, 15000 },
    { "night: 3 h at 01:00 until 22:00 + 2 h", NIGHT, { 2027, 1, 11, 1, 0, 0 }, 3,
      1, { 2027, 1, 11, 1, 0, 0 }, { 2027, 1, 12, 0, 0, 0 }, 15000 },
    { "dated: 1 h on 31 Aug 17:30 finds 30 min: refused", SUMMER, { 2027, 8, 31, 17, 30, 0 },
      1, 0, { 0 }, { 0 }, 0 },
    { "dated: 1 h on 31 Aug 17:00 ends at 18:00", SUMMER, { 2027, 8, 31, 17, 0, 0 }, 1,
      1, { 2027, 8, 31, 17, 0, 0 }, { 2027, 8, 31, 18, 0, 0 }, 10000 },
    { "no paid time at all", NONE, { 2027, 1, 11, 10, 0, 0 }, 1, 0, { 0 }, { 0 }, 0 },
    { "0 hours", SAMPLE, { 2027, 1, 11, 10, 0, 0 }, 0, 0, { 0 }, { 0 }, 0 },
};

static void test_buy(void **state)
{
    const struct buy_case *c = *state;
    struct policy_set s = set_of(c->set, ALMATY);
    struct policy_purchase p = { 1, 2, 3 };

    assert_int_equal(policy_buy(&s, at(ALMATY, c->start), c->hours, &p), c->ok ? 0 : -1);
    if (!c->ok) {
        assert_int_equal(p.paid_from, 1);       /* untouched */
        return;
    }
    assert_int_equal(p.paid_from, at(ALMATY, c->from));
    assert_int_equal(p.paid_until, at(ALMATY, c->until));
    assert_int_equal(p.amount, c->amount);
    /* stopping at the end costs exactly the price; the paid time is exactly N hours */
    struct stop_bill b = policy_stop(&s, p.amount, at(ALMATY, c->start), p.paid_until);
    assert_int_equal(b.cost, c->amount);
    assert_int_equal(b.to_account, 0);
    assert_int_equal(b.minutes, c->hours * 60);
    assert_int_equal(policy_paid_seconds(&s, at(ALMATY, c->start), p.paid_until),
                     (int64_t)c->hours * 3600);
}

/* ---- stopping early ---- */
struct stop_case {
    const char *name; int set; tiyn_t prepaid; struct lt start, stop;
    int64_t minutes; tiyn_t cost;
};
static const struct stop_case STOPS[] = {
    { "1 s paid bills 1 minute", SAMPLE, 10000, { 2027, 1, 11, 8, 0, 0 },
      { 2027, 1, 11, 8, 0, 1 }, 1, 167 },
    { "free 07:50-08:00 is not billed", SAMPLE, 10000, { 2027, 1, 11, 7, 50, 0 },
      { 2027, 1, 11, 8, 10, 0 }, 10, 1667 },
    { "stop at 08:00 after a free start costs nothing", SAMPLE, 10000,
      { 2027, 1, 11, 7, 50, 0 }, { 2027, 1, 11, 8, 0, 0 }, 0, 0 },
    { "Sat 19:00 to Mon 08:30: 60 + 30 minutes", SAMPLE, 30000, { 2027, 1, 9, 19, 0, 0 },
      { 2027, 1, 11, 8, 30, 0 }, 90, 15000 },
    { "a Sunday costs nothing", SAMPLE, 10000, { 2027, 1, 10, 10, 0, 0 },
      { 2027, 1, 10, 18, 0, 0 }, 0, 0 },
    { "a holiday costs nothing", SAMPLE, 10000, { 2027, 3, 8, 9, 0, 0 },
      { 2027, 3, 8, 18, 0, 0 }, 0, 0 },
    { "a partial minute over the night is one minute", SAMPLE, 10000,
      { 2027, 1, 11, 19, 59, 30 }, { 2027, 1, 12, 8, 0, 30 }, 1, 167 },
    { "rate change: 29:59 paid from 11:30:20 all at 100", STEPPED, 12500,
      { 2027, 1, 11, 11, 30, 20 }, { 2027, 1, 11, 12, 0, 19 }, 30, 5000 },
    { "rate change: 30:01 bills the 31st minute at 150", STEPPED, 12500,
      { 2027, 1, 11, 11, 30, 20 }, { 2027, 1, 11, 12, 0, 21 }, 31, 5250 },
    { "rate change: 11:59:30-12:00:30 is one minute at 100", STEPPED, 12500,
      { 2027, 1, 11, 11, 59, 30 }, { 2027, 1, 11, 12, 0, 30 }, 1, 167 },
    { "rate change: 11:59:30-12:00:31 adds a minute at 150", STEPPED, 12500,
      { 2027, 1, 11, 11, 59, 30 }, { 2027, 1, 11, 12, 0, 31 }, 2, 417 },
    { "cost never exceeds the prepayment", SAMPLE, 5000, { 2027, 1, 11, 8, 0, 0 },
      { 2027, 1, 11, 9, 0, 0 }, 60, 5000 },
    { "over midnight at 50/h: 23:30-00:30", NIGHT, 5000, { 2027, 1, 10, 23, 30, 0 },
      { 2027, 1, 11, 0, 30, 0 }, 60, 5000 },
    { "stop before start", SAMPLE, 10000, { 2027, 1, 11, 9, 0, 0 },
      { 2027, 1, 11, 8, 0, 0 }, 0, 0 },
};

static void test_stop(void **state)
{
    const struct stop_case *c = *state;
    struct policy_set s = set_of(c->set, ALMATY);
    struct stop_bill b = policy_stop(&s, c->prepaid, at(ALMATY, c->start), at(ALMATY, c->stop));

    assert_int_equal(b.minutes, c->minutes);
    assert_int_equal(b.cost, c->cost);
    assert_int_equal(b.to_account, c->prepaid - c->cost);
}

/* ---- paid seconds, the grace period, when paid time begins and ends ---- */
enum walk_kind { PAID_SECONDS, PAID_END, NEXT_PAID, NEXT_FREE };
struct walk_case {
    const char *name; int set; enum walk_kind kind; struct lt from, to; int64_t arg;
    int64_t want_seconds; struct lt want; int none;
};
static const struct walk_case WALKS[] = {
    { "paid seconds Sat 19:00 to Mon 10:00", SAMPLE, PAID_SECONDS, { 2027, 1, 9, 19, 0, 0 },
      { 2027, 1, 11, 10, 0, 0 }, 0, 10800, { 0 }, 0 },
    { "paid seconds over a holiday weekend", SAMPLE, PAID_SECONDS, { 2026, 12, 31, 19, 0, 0 },
      { 2027, 1, 4, 9, 0, 0 }, 0, 7200, { 0 }, 0 },
    { "paid seconds to <= from is 0", SAMPLE, PAID_SECONDS, { 2027, 1, 11, 10, 0, 0 },
      { 2027, 1, 11, 9, 0, 0 }, 0, 0, { 0 }, 0 },
    { "grace from 07:50 ends at 08:15", SAMPLE, PAID_END, { 2027, 1, 11, 7, 50, 0 }, { 0 },
      900, 0, { 2027, 1, 11, 8, 15, 0 }, 0 },
    { "grace from 10:00 ends at 10:15", SAMPLE, PAID_END, { 2027, 1, 11, 10, 0, 0 }, { 0 },
      900, 0, { 2027, 1, 11, 10, 15, 0 }, 0 },
    { "grace from Sat 19:50 ends Mon 08:05", SAMPLE, PAID_END, { 2027, 1, 9, 19, 50, 0 },
      { 0 }, 900, 0, { 2027, 1, 11, 8, 5, 0 }, 0 },
    { "grace from Sunday ends Mon 08:15", SAMPLE, PAID_END, { 2027, 1, 10, 3, 0, 0 }, { 0 },
      900, 0, { 2027, 1, 11, 8, 15, 0 }, 0 },
    { "paid end of 0 s is the start", SAMPLE, PAID_END, { 2027, 1, 10, 3, 0, 0 }, { 0 },
      0, 0, { 2027, 1, 10, 3, 0, 0 }, 0 },
    { "free until Mon 08:00 after Sat 20:00", SAMPLE, NEXT_PAID, { 2027, 1, 9, 20, 0, 0 },
      { 0 }, 0, 0, { 2027, 1, 11, 8, 0, 0 }, 0 },
    { "paid now: next paid is now", SAMPLE, NEXT_PAID, { 2027, 1, 11, 12, 0, 0 }, { 0 },
      0, 0, { 2027, 1, 11, 12, 0, 0 }, 0 },
    { "New Year: free until Mon 4 Jan 08:00", SAMPLE, NEXT_PAID, { 2027, 1, 1, 0, 0, 0 },
      { 0 }, 0, 0, { 2027, 1, 4, 8, 0, 0 }, 0 },
    { "nothing paid: no next paid time", NONE, NEXT_PAID, { 2027, 1, 1, 0, 0, 0 }, { 0 },
      0, 0, { 0 }, 1 },
    { "paid until 20:00", SAMPLE, NEXT_FREE, { 2027, 1, 11, 10, 0, 0 }, { 0 }, 0, 0,
      { 2027, 1, 11, 20, 0, 0 }, 0 },
    { "stepped: paid until 20:00 across the rate change", STEPPED, NEXT_FREE,
      { 2027, 1, 11, 10, 0, 0 }, { 0 }, 0, 0, { 2027, 1, 11, 20, 0, 0 }, 0 },
    { "night: paid until 02:00 across midnight", NIGHT, NEXT_FREE, { 2027, 1, 10, 22, 0, 0 },
      { 0 }, 0, 0, { 2027, 1, 11, 2, 0, 0 }, 0 },
};

static void test_walk(void **state)
{
    const struct walk_case *c = *state;
    struct policy_set s = set_of(c->set, ALMATY);
    time_t from = at(ALMATY, c->from), got = 0;

    switch (c->kind) {
    case PAID_SECONDS:
        assert_int_equal(policy_paid_seconds(&s, from, at(ALMATY, c->to)), c->want_seconds);
        return;
    case PAID_END: got = policy_paid_end(&s, from, c->arg); break;
    case NEXT_PAID: got = policy_next_paid(&s, from); break;
    case NEXT_FREE: got = policy_next_free(&s, from); break;
    }
    assert_int_equal(got, c->none ? (time_t)-1 : at(ALMATY, c->want));
}

/* ---- the paid hours as text ---- */
static const struct policy_span sat_sun[] = { { POLICY_SAT | POLICY_SUN, H(10), H(18), 0, 0 } };
static const struct policy_span odd_days[] = {
    { POLICY_MON | POLICY_WED | POLICY_FRI, H(8), H(20), 0, 0 },
    { POLICY_EVERY_DAY, H(9), 1440, 0, 0 },
    { POLICY_SUN, 0, 1440, 0, 0 },
};
static const struct policy weekend[] = { { 1, 1, 10000, 0, sat_sun, 1 } };
static const struct policy odd[] = { { 1, 1, 10000, 0, odd_days, 3 } };

struct text_case {
    const char *name; const struct policy *p; size_t n; enum policy_lang lang; size_t size;
    const char *want; size_t want_len;
};
static const struct text_case TEXTS[] = {
    { "ru sample", sample, 1, POLICY_LANG_RU, 64, "пн–сб 08:00–20:00", 0 },
    { "kk sample", sample, 1, POLICY_LANG_KK, 64, "дс–сб 08:00–20:00", 0 },
    { "en sample", sample, 1, POLICY_LANG_EN, 64, "Mon-Sat 08:00-20:00", 0 },
    { "stepped windows merge", stepped, 2, POLICY_LANG_RU, 64, "пн–сб 08:00–20:00", 0 },
    { "night spans", night, 1, POLICY_LANG_RU, 64, "22:00–24:00, 00:00–02:00", 0 },
    { "two days", weekend, 1, POLICY_LANG_RU, 64, "сб, вс 10:00–18:00", 0 },
    { "odd days, every day, whole day", odd, 1, POLICY_LANG_RU, 128,
      "пн, ср, пт 08:00–20:00, 09:00–24:00, вс круглосуточно", 0 },
    { "paid at every time", lunch, 2, POLICY_LANG_RU, 64, "круглосуточно", 0 },
    { "paid at every time (en)", lunch, 2, POLICY_LANG_EN, 64, "24 h", 0 },
    { "nothing paid", NULL, 0, POLICY_LANG_RU, 64, "", 0 },
    { "cut before a whole character", sample, 1, POLICY_LANG_RU, 6, "пн",
      sizeof "пн–сб 08:00–20:00" - 1 },
};

static void test_text(void **state)
{
    const struct text_case *c = *state;
    struct policy_set s = { c->p, c->n, holidays, N(holidays), &zones[ALMATY] };
    char buf[128];

    size_t len = policy_format_hours(&s, c->lang, buf, c->size);
    assert_string_equal(buf, c->want);
    assert_int_equal(len, c->want_len ? c->want_len : strlen(c->want));
}

/* ---- local dates ---- */
struct date_case { const char *name; int zone; time_t t; int32_t date; unsigned weekday; };
static const struct date_case DATES[] = {
    { "epoch is a Thursday", UTC, 0, 19700101, POLICY_THU },
    { "1 s before the epoch", UTC, -1, 19691231, POLICY_WED },
    { "Almaty 2027-01-09 19:00", ALMATY, 1799503200, 20270109, POLICY_SAT },
    { "Almaty 2027-01-09 23:59:59 +05", ALMATY, 1799521199, 20270109, POLICY_SAT },
    { "Almaty 2027-01-10 00:00 +05", ALMATY, 1799521200, 20270110, POLICY_SUN },
    { "29 February 2028", UTC, 1835395200, 20280229, POLICY_TUE },
};

static void test_date(void **state)
{
    const struct date_case *c = *state;
    unsigned wd = 0;

    assert_int_equal(policy_local_date(&zones[c->zone], c->t, &wd), c->date);
    assert_int_equal(wd, c->weekday);
}

int main(void)
{
    int failed = 0;
    failed += run_table("policy state", test_state, STATES, sizeof STATES[0], N(STATES),
                        build_zones, NULL);
    failed += run_table("policy epochs", test_epoch, EPOCHS, sizeof EPOCHS[0], N(EPOCHS),
                        build_zones, NULL);
    failed += run_table("policy buy", test_buy, BUYS, sizeof BUYS[0], N(BUYS), build_zones,
                        NULL);
    failed += run_table("policy stop", test_stop, STOPS, sizeof STOPS[0], N(STOPS),
                        build_zones, NULL);
    failed += run_table("policy walk", test_walk, WALKS, sizeof WALKS[0], N(WALKS),
                        build_zones, NULL);
    failed += run_table("policy text", test_text, TEXTS, sizeof TEXTS[0], N(TEXTS),
                        build_zones, NULL);
    failed += run_table("policy dates", test_date, DATES, sizeof DATES[0], N(DATES),
                        build_zones, NULL);
    return failed != 0;
}
