/* test_box_backoff.c: the box's doubling back-offs (plugin/box/backoff.h) as
 * the bearerbox link (1 -> 8 s) and the workers (0.25 -> 4 s) use them, and
 * mt_array_free (NULL and a malloc'd array). Every table row is its own cmocka test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backoff.h"
#include "mt_array.h"
#include "service.h"
#include "table.h"

struct step_row { const char *name; double pause, max, want; };

static const struct step_row step_rows[] = {
    { "link 1 -> 2", 1.0, 8.0, 2.0 },
    { "link 2 -> 4", 2.0, 8.0, 4.0 },
    { "link 4 -> 8", 4.0, 8.0, 8.0 },
    { "link 8 stays 8", 8.0, 8.0, 8.0 },
    { "link 5 capped at 8", 5.0, 8.0, 8.0 },
    { "link above max comes down", 20.0, 8.0, 8.0 },
    { "worker 0.25 -> 0.5", 0.25, 4.0, 0.5 },
    { "worker 0.5 -> 1", 0.5, 4.0, 1.0 },
    { "worker 2 -> 4", 2.0, 4.0, 4.0 },
    { "worker 3 capped at 4", 3.0, 4.0, 4.0 },
    { "worker 4 stays 4", 4.0, 4.0, 4.0 },
    { "zero stays zero", 0.0, 8.0, 0.0 },
};

static void test_step(void **state)
{
    const struct step_row *r = *state;

    /* the values are exact in binary, so equality is meant */
    assert_true(backoff_next(r->pause, r->max) == r->want);
}

struct seq_row { const char *name; double first, max; double want[8]; };

static const struct seq_row seq_rows[] = {
    { "bearerbox reconnect", 1.0, 8.0, { 1, 2, 4, 8, 8, 8, 8, 8 } },
    { "MO held for the database", 0.25, 4.0, { 0.25, 0.5, 1, 2, 4, 4, 4, 4 } },
};

static void test_sequence(void **state)
{
    const struct seq_row *r = *state;
    double pause = r->first;

    for (size_t i = 0; i < N(r->want); i++) {
        assert_true(pause == r->want[i]);
        pause = backoff_next(pause, r->max);
    }
}

static void test_mt_array_free(void **state)
{
    struct mt *a = malloc(3 * sizeof(*a));   /* as the service allocates them */

    (void)state;
    assert_non_null(a);
    a[2].outbox_id = 3;
    mt_array_free(a);                         /* the sanitizer build sees a leak */
    mt_array_free(NULL);
}

int main(void)
{
    const struct CMUnitTest misc[] = { cmocka_unit_test(test_mt_array_free) };
    int failed = 0;

    failed += run_table("backoff_next", test_step, step_rows, sizeof(step_rows[0]), N(step_rows),
                        NULL, NULL);
    failed += run_table("backoff_sequence", test_sequence, seq_rows, sizeof(seq_rows[0]),
                        N(seq_rows), NULL, NULL);
    failed += cmocka_run_group_tests_name("mt_array", misc, NULL, NULL);
    return failed;
}
