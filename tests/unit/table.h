/* table.h: runs a table of cases as a cmocka group, one test per row.
 *
 * Each row is a struct whose first member is `const char *name` (the test's name); the test
 * function gets the row as *state. Include after <cmocka.h> and, in tests that use gwlib,
 * before gwlib/gwlib.h (its gwmem.h turns calloc and free into errors). */
#ifndef PARK_TEST_TABLE_H
#define PARK_TEST_TABLE_H

#include <stdlib.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Runs fn once per row of rows[n] (rows of size bytes) as the group `group`, with setup and
   teardown (either may be NULL) around the group. Returns the number of failed tests. */
static inline int run_table(const char *group, CMUnitTestFunction fn, const void *rows,
                            size_t size, size_t n, CMFixtureFunction setup,
                            CMFixtureFunction teardown)
{
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    int rc;

    assert_non_null(tests);
    for (size_t i = 0; i < n; i++) {
        const void *row = (const char *)rows + i * size;
        /* every row of a table is initialised; the analyzer loses that through the cast */
        // NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Assign)
        tests[i].name = *(const char *const *)row;
        tests[i].test_func = fn;
        tests[i].initial_state = (void *)row;
    }
    rc = _cmocka_run_group_tests(group, tests, n, setup, teardown);
    free(tests);
    return rc;
}

#endif
