/* test_localtime.c: Asia/Almaty through the system tzdata, both sides of the
 * 2024-03-01 change from UTC+6 to UTC+5. Every table row is its own cmocka test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "localtime.h"
#include "table.h"

#define CHANGE ((time_t)1709229600) /* 2024-02-29 18:00:00 UTC: +06 -> +05 */

static int almaty(void **state)
{
    (void)state;
    return localtime_init("Asia/Almaty");
}

/* ---- zone selection ---- */
struct init_case { const char *name; const char *zone; const char *tzdir; int want; };
static const struct init_case INITS[] = {
    { "Asia/Almaty", "Asia/Almaty", NULL, 0 },
    { "UTC", "UTC", NULL, 0 },
    { "unknown zone", "Asia/Nowhere", NULL, -1 },
    { "empty name", "", NULL, -1 },
    { "NULL name", NULL, NULL, -1 },
    { "parent directory", "../../etc/passwd", NULL, -1 },
    { "absolute path", "/etc/localtime", NULL, -1 },
    { "a directory", "Asia", NULL, -1 },
    { "not a zone file", "zone.tab", NULL, -1 },
    { "TZDIR without the zone", "Asia/Almaty", "/nonexistent-tzdir", -1 },
};

static void test_init(void **state)
{
    const struct init_case *c = *state;
    const char *old = getenv("TZDIR");
    char *saved = old ? strdup(old) : NULL;

    if (c->tzdir)
        setenv("TZDIR", c->tzdir, 1);
    assert_int_equal(localtime_init(c->zone), c->want);
    if (saved) {
        setenv("TZDIR", saved, 1);
        free(saved);
    } else {
        unsetenv("TZDIR");
    }
    if (c->want == 0 && strcmp(c->zone, "UTC") == 0)
        assert_int_equal(localtime_utc_offset(CHANGE), 0);
    /* A failed init keeps the previous zone; leave Almaty selected. */
    assert_int_equal(localtime_init("Asia/Almaty"), 0);
    assert_int_equal(localtime_utc_offset(CHANGE), 18000);
}

/* ---- offset ---- */
struct offset_case { const char *name; time_t t; int want; };
static const struct offset_case OFFSETS[] = {
    { "2023-07-01 00:00 UTC is +06", 1688169600, 21600 },
    { "1 s before the change is +06", CHANGE - 1, 21600 },
    { "at the change is +05", CHANGE, 18000 },
    { "2025-01-01 00:00 UTC is +05", 1735689600, 18000 },
    { "1993-06-15 summer time is +07", 740145600, 25200 },
};

static void test_offset(void **state)
{
    const struct offset_case *c = *state;

    assert_int_equal(localtime_utc_offset(c->t), c->want);
}

/* ---- formatting ---- */
struct format_case { const char *name; time_t t; const char *fmt; size_t size;
                     const char *want; };
static const struct format_case FORMATS[] = {
    { "last second at +06", CHANGE - 1, "%Y-%m-%d %H:%M:%S", 64, "2024-02-29 23:59:59" },
    { "first second at +05", CHANGE, "%Y-%m-%d %H:%M:%S", 64, "2024-02-29 23:00:00" },
    { "first hour of March 2024", 1709233200, "%d.%m %H:%M", 64, "01.03 00:00" },
    { "HH:MM in 2025", 1748759400, "%H:%M", 64, "11:30" },
    { "dd.mm HH:MM in 2023", 1688169600, "%d.%m %H:%M", 64, "01.07 06:00" },
    { "numeric offset %z", CHANGE, "%z", 64, "+0500" },
    { "buffer too small", 1748759400, "%H:%M", 5, "" },
};

static void test_format(void **state)
{
    const struct format_case *c = *state;
    char buf[64];

    memset(buf, 'Z', sizeof buf);
    assert_int_equal(localtime_format(c->t, c->fmt, buf, c->size), strlen(c->want));
    assert_string_equal(buf, c->want);
}

/* ---- local wall clock -> UTC ---- */
struct utc_case { const char *name; int y, mo, d, h, mi, s; time_t want; };
static const struct utc_case UTCS[] = {
    { "2024-02-29 12:00 at +06", 2024, 2, 29, 12, 0, 0, 1709186400 },
    { "2024-03-01 12:00 at +05", 2024, 3, 1, 12, 0, 0, 1709276400 },
    { "2024-03-01 00:00 at +05", 2024, 3, 1, 0, 0, 0, 1709233200 },
    { "2024-02-29 22:59:59 at +06", 2024, 2, 29, 22, 59, 59, CHANGE - 3600 - 1 },
    { "2025-01-01 00:00", 2025, 1, 1, 0, 0, 0, 1735671600 },
    { "2025-06-01 11:30", 2025, 6, 1, 11, 30, 0, 1748759400 },
    { "1993-06-15 19:00 summer time", 1993, 6, 15, 19, 0, 0, 740145600 },
    { "30 February", 2024, 2, 30, 12, 0, 0, (time_t)-1 },
    { "month 13", 2024, 13, 1, 12, 0, 0, (time_t)-1 },
    { "month 0", 2024, 0, 1, 12, 0, 0, (time_t)-1 },
    { "hour 24", 2024, 3, 1, 24, 0, 0, (time_t)-1 },
    { "minute 60", 2024, 3, 1, 12, 60, 0, (time_t)-1 },
};

static void test_to_utc(void **state)
{
    const struct utc_case *c = *state;

    assert_int_equal(localtime_to_utc(c->y, c->mo, c->d, c->h, c->mi, c->s), c->want);
}

/* ---- reply form: HH:MM today, dd.mm HH:MM otherwise ---- */
struct reply_case { const char *name; time_t t, now; const char *want; };
static const struct reply_case REPLIES[] = {
    { "same local day", 1748759400 + 3600, 1748759400, "12:30" },
    { "next local day, same UTC day", 1748806200, 1748802600, "02.06 00:30" },
    { "previous local day", 1748759400 - 86400, 1748759400, "31.05 11:30" },
    { "across the change, same local day", CHANGE + 1800, CHANGE - 7200, "23:30" },
    { "same day a year earlier", 1748759400 - 365 * 86400, 1748759400, "01.06 11:30" },
};

static void test_reply_form(void **state)
{
    const struct reply_case *c = *state;
    char buf[32];

    assert_int_equal(localtime_format_reply(c->t, c->now, buf, sizeof buf), strlen(c->want));
    assert_string_equal(buf, c->want);
}

#define RUN(group, fn, rows) \
    run_table(group, fn, rows, sizeof(rows)[0], N(rows), almaty, NULL)

int main(void)
{
    int failed = 0;

    failed += RUN("localtime_init", test_init, INITS);
    failed += RUN("localtime_utc_offset", test_offset, OFFSETS);
    failed += RUN("localtime_format", test_format, FORMATS);
    failed += RUN("localtime_to_utc", test_to_utc, UTCS);
    failed += RUN("localtime_format_reply", test_reply_form, REPLIES);
    return failed != 0;
}
