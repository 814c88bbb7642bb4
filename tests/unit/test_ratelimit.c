/* test_ratelimit.c: the per-MSISDN token bucket (plugin/core/ratelimit.c): each row is a
 * sequence of MOs (key and second) and the verdicts wanted, one cmocka test per row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "table.h"
#include "ratelimit.h"

#define P RATELIMIT_PASS
#define F RATELIMIT_FIRST
#define D RATELIMIT_DROP
#define MAX_STEPS 16

struct step { const char *key; time_t at; enum ratelimit_verdict want; };
struct seq_row {
    const char *name;
    int per_minute;
    size_t sets;
    struct step steps[MAX_STEPS];   /* up to the first with a NULL key */
};

static const struct seq_row seq_rows[] = {
    { "burst of three then one reply then drops", 3, 64,
      { { "77010000001", 0, P }, { "77010000001", 0, P }, { "77010000001", 0, P },
        { "77010000001", 0, F }, { "77010000001", 1, D }, { "77010000001", 19, D } } },
    { "one back every 60/per_minute s", 3, 64,
      { { "77010000001", 0, P }, { "77010000001", 0, P }, { "77010000001", 0, P },
        { "77010000001", 0, F }, { "77010000001", 20, P }, { "77010000001", 20, F },
        { "77010000001", 39, D }, { "77010000001", 40, P } } },
    { "a pass lets the reply be given again", 1, 64,
      { { "7", 0, P }, { "7", 0, F }, { "7", 0, D }, { "7", 60, P }, { "7", 60, F } } },
    { "refill stops at the burst", 2, 64,
      { { "7", 0, P }, { "7", 1000, P }, { "7", 1000, P }, { "7", 1000, F } } },
    { "numbers are counted apart", 1, 64,
      { { "77010000001", 0, P }, { "77010000002", 0, P }, { "77010000001", 0, F },
        { "77010000002", 0, F } } },
    { "a clock going back refills nothing", 1, 64,
      { { "7", 100, P }, { "7", 50, F }, { "7", 159, D }, { "7", 160, P } } },
    { "a full set forgets the longest idle", 1, 1,
      { { "a", 0, P }, { "b", 1, P }, { "c", 2, P }, { "d", 3, P }, { "a", 3, F },
        { "e", 4, P }, { "b", 4, P }, { "a", 4, D } } },   /* b was idle longest */
    { "keys cut at 16 bytes are one key", 1, 64,
      { { "12345678901234567", 0, P }, { "12345678901234568", 0, F } } },
};

static void test_seq(void **state)
{
    const struct seq_row *r = *state;
    struct ratelimit *rl = ratelimit_create(r->per_minute, r->sets);

    assert_non_null(rl);
    for (int i = 0; i < MAX_STEPS && r->steps[i].key; i++) {
        enum ratelimit_verdict v = ratelimit_take(rl, r->steps[i].key, r->steps[i].at);
        if (v != r->steps[i].want)
            fail_msg("step %d (%s at %lld): verdict %d, want %d", i + 1, r->steps[i].key,
                     (long long)r->steps[i].at, v, r->steps[i].want);
    }
    ratelimit_destroy(rl);
}

static void test_create_refuses_zero(void **state)
{
    (void)state;
    assert_null(ratelimit_create(0, 64));
    assert_null(ratelimit_create(-1, 64));
    ratelimit_destroy(NULL);
}

/* The flood: 50 starts in 2 s from one phone at the default 10 a minute give
   10 passes, one reply and 39 drops. */
static void test_flood(void **state)
{
    struct ratelimit *rl = ratelimit_create(10, 1024);
    int n[3] = { 0, 0, 0 };

    (void)state;
    for (int i = 0; i < 50; i++)
        n[ratelimit_take(rl, "+77010000001", 1750050000 + i / 25)]++;
    assert_int_equal(n[P], 10);
    assert_int_equal(n[F], 1);
    assert_int_equal(n[D], 39);
    ratelimit_destroy(rl);
}

int main(void)
{
    const struct CMUnitTest misc[] = {
        cmocka_unit_test(test_create_refuses_zero),
        cmocka_unit_test(test_flood),
    };
    int failed = 0;

    failed += run_table("ratelimit_take", test_seq, seq_rows, sizeof(seq_rows[0]),
                        N(seq_rows), NULL, NULL);
    failed += cmocka_run_group_tests_name("ratelimit_misc", misc, NULL, NULL);
    return failed;
}
