/* test_tariff.c: tariff and billing arithmetic, exact values at the boundaries.
 * Every table row is its own cmocka test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tariff.h"
#include "table.h"

#define T0 ((time_t)1748759400) /* 2025-06-01 06:30:00 UTC */
#define MIN 60
#define HOUR 3600

/* ---- started minutes ---- */
struct minutes_case { const char *name; time_t start, stop; int64_t want; };
static const struct minutes_case MINUTES[] = {
    { "0 s", T0, T0, 0 },
    { "1 s", T0, T0 + 1, 1 },
    { "59 s", T0, T0 + 59, 1 },
    { "60 s", T0, T0 + 60, 1 },
    { "61 s", T0, T0 + 61, 2 },
    { "59 min", T0, T0 + 59 * MIN, 59 },
    { "60 min", T0, T0 + 60 * MIN, 60 },
    { "61 min", T0, T0 + 61 * MIN, 61 },
    { "60 min + 1 s", T0, T0 + 60 * MIN + 1, 61 },
    { "stop before start", T0, T0 - 30, 0 },
    { "whole time_t range", INT64_MIN, INT64_MAX, 307445734561825861LL },
};

static void test_minutes(void **state)
{
    const struct minutes_case *c = *state;

    assert_int_equal(tariff_started_minutes(c->start, c->stop), c->want);
}

/* ---- cost ---- */
struct cost_case { const char *name; tiyn_t rate; int64_t minutes; tiyn_t want; };
static const struct cost_case COSTS[] = {
    { "100/h 0 min", 10000, 0, 0 },
    { "100/h 1 min", 10000, 1, 167 },
    { "100/h 59 min", 10000, 59, 9834 },
    { "100/h 60 min", 10000, 60, 10000 },
    { "100/h 61 min", 10000, 61, 10167 },
    { "100/h 42 min", 10000, 42, 7000 },
    { "150/h 0 min", 15000, 0, 0 },
    { "150/h 1 min", 15000, 1, 250 },
    { "150/h 59 min", 15000, 59, 14750 },
    { "150/h 60 min", 15000, 60, 15000 },
    { "150/h 61 min", 15000, 61, 15250 },
    { "1 tiyn/h 1 min rounds up", 1, 1, 1 },
    { "61 tiyn/h 61 min", 61, 61, 63 },
    { "59 tiyn/h 120 min", 59, 120, 118 },
    { "negative rate", -10000, 30, 0 },
    { "negative minutes", 10000, -5, 0 },
    { "huge rate clamps", INT64_MAX, 1, TARIFF_MAX },
    { "huge minutes clamp", 59, INT64_MAX, TARIFF_MAX },
    { "both huge clamp", INT64_MAX, INT64_MAX, TARIFF_MAX },
};

static void test_cost(void **state)
{
    const struct cost_case *c = *state;

    assert_int_equal(tariff_cost(c->rate, c->minutes), c->want);
}

/* ---- prepayment ---- */
struct prepay_case { const char *name; tiyn_t rate; int hours; tiyn_t want; };
static const struct prepay_case PREPAYS[] = {
    { "100/h 1 h", 10000, 1, 10000 },
    { "150/h 3 h", 15000, 3, 45000 },
    { "100/h 12 h", 10000, 12, 120000 },
    { "0 h", 10000, 0, 0 },
    { "negative hours", 10000, -1, 0 },
    { "negative rate", -1, 2, 0 },
    { "clamped", TARIFF_MAX, 2, TARIFF_MAX },
    { "INT64_MAX x INT_MAX clamped", INT64_MAX, INT_MAX, TARIFF_MAX },
};

static void test_prepay(void **state)
{
    const struct prepay_case *c = *state;

    assert_int_equal(tariff_prepay(c->rate, c->hours), c->want);
}

/* ---- debit plan (parking-account credit) ---- */
struct plan_case { const char *name; tiyn_t amount, balance, amt, acct, pay; int confirm; };
static const struct plan_case PLANS[] = {
    { "zero credit", 10000, 0, 10000, 0, 10000, 1 },
    { "credit equal", 10000, 10000, 10000, 10000, 0, 0 },
    { "credit larger", 10000, 25000, 10000, 10000, 0, 0 },
    { "credit smaller", 10000, 3000, 10000, 3000, 7000, 1 },
    { "credit 1 tiyn short", 15000, 14999, 15000, 14999, 1, 1 },
    { "zero amount", 0, 500, 0, 0, 0, 0 },
    { "negative balance is none", 10000, -5, 10000, 0, 10000, 1 },
    { "negative amount is none", -5, 100, 0, 0, 0, 0 },
};

static void test_plan(void **state)
{
    const struct plan_case *c = *state;
    struct debit_plan p = tariff_plan_debit(c->amount, c->balance);

    assert_int_equal(p.amount, c->amt);
    assert_int_equal(p.from_account, c->acct);
    assert_int_equal(p.from_payment, c->pay);
    assert_int_equal(p.needs_confirmation, c->confirm);
}

/* ---- stop bill ---- */
struct stop_case { const char *name; tiyn_t rate, prepaid; time_t secs; int64_t min;
                   tiyn_t cost, back; };
static const struct stop_case STOPS[] = {
    { "100/h stop at 0 s", 10000, 10000, 0, 0, 0, 10000 },
    { "100/h stop at 1 s", 10000, 10000, 1, 1, 167, 9833 },
    { "100/h stop at 59 s", 10000, 10000, 59, 1, 167, 9833 },
    { "100/h stop at 60 s", 10000, 10000, 60, 1, 167, 9833 },
    { "100/h stop at 61 s", 10000, 10000, 61, 2, 334, 9666 },
    { "100/h stop at 59 min", 10000, 10000, 59 * MIN, 59, 9834, 166 },
    { "100/h stop at 60 min", 10000, 10000, 60 * MIN, 60, 10000, 0 },
    { "100/h late stop capped by prepaid", 10000, 10000, 61 * MIN, 61, 10000, 0 },
    { "150/h 2 h prepaid, 42 min", 15000, 30000, 42 * MIN, 42, 10500, 19500 },
    { "150/h 2 h prepaid, 61 min", 15000, 30000, 61 * MIN, 61, 15250, 14750 },
    { "stop before start", 10000, 10000, -10, 0, 0, 10000 },
    { "nothing prepaid", 10000, 0, 30 * MIN, 30, 0, 0 },
};

static void test_stop(void **state)
{
    const struct stop_case *c = *state;
    struct stop_bill b = tariff_stop(c->rate, c->prepaid, T0, T0 + c->secs);

    assert_int_equal(b.minutes, c->min);
    assert_int_equal(b.cost, c->cost);
    assert_int_equal(b.to_account, c->back);
    assert_int_equal(b.cost + b.to_account, c->prepaid);
}

/* ---- extension within the maximum duration ---- */
struct ext_case { const char *name; time_t paid; int hours, max, want; };
static const struct ext_case EXTS[] = {
    { "1 h paid, +1 of max 3", 1 * HOUR, 1, 3, 1 },
    { "1 h paid, +2 reaches max 3", 1 * HOUR, 2, 3, 1 },
    { "1 h paid, +3 beyond max 3", 1 * HOUR, 3, 3, 0 },
    { "3 h paid, +1 beyond max 3", 3 * HOUR, 1, 3, 0 },
    { "2 h 59 min paid, +1 beyond max 3", 3 * HOUR - MIN, 1, 3, 0 },
    { "0 hours", 1 * HOUR, 0, 3, 0 },
    { "negative hours", 1 * HOUR, -1, 3, 0 },
    { "max 0", 0, 1, 0, 0 },
    { "paid_until before start", -1, 1, 3, 0 },
    { "already beyond max", 5 * HOUR, 1, 3, 0 },
    { "huge hours and max", 0, INT_MAX, INT_MAX, 1 },
    { "exactly max after 1 s short", 3 * HOUR - 1, 1, 4, 1 },
};

static void test_extension(void **state)
{
    const struct ext_case *c = *state;

    assert_int_equal(tariff_extension_allowed(T0, T0 + c->paid, c->hours, c->max), c->want);
}

/* ---- money formatting ---- */
struct money_case { const char *name; tiyn_t amount; size_t size; const char *want; int len; };
static const struct money_case MONEY[] = {
    { "zero", 0, 32, "0", 1 },
    { "150 tenge", 15000, 32, "150", 3 },
    { "150.50", 15050, 32, "150.50", 6 },
    { "1 tiyn", 1, 32, "0.01", 4 },
    { "5 tiyn", 5, 32, "0.05", 4 },
    { "10 tiyn", 10, 32, "0.10", 4 },
    { "1 tenge", 100, 32, "1", 1 },
    { "negative", -320, 32, "-3.20", 5 },
    { "INT64_MAX", INT64_MAX, 32, "92233720368547758.07", 20 },
    { "INT64_MIN", INT64_MIN, 32, "-92233720368547758.08", 21 },
    { "truncated", 15050, 4, "150", 6 },
};

static void test_money(void **state)
{
    const struct money_case *c = *state;
    char buf[32];

    memset(buf, 'Z', sizeof buf);
    assert_int_equal(tariff_format_money(c->amount, buf, c->size), c->len);
    assert_string_equal(buf, c->want);
}

#define RUN(group, fn, rows) run_table(group, fn, rows, sizeof(rows)[0], N(rows), NULL, NULL)

int main(void)
{
    int failed = 0;

    failed += RUN("tariff_started_minutes", test_minutes, MINUTES);
    failed += RUN("tariff_cost", test_cost, COSTS);
    failed += RUN("tariff_prepay", test_prepay, PREPAYS);
    failed += RUN("tariff_plan_debit", test_plan, PLANS);
    failed += RUN("tariff_stop", test_stop, STOPS);
    failed += RUN("tariff_extension_allowed", test_extension, EXTS);
    failed += RUN("tariff_format_money", test_money, MONEY);
    return failed != 0;
}
