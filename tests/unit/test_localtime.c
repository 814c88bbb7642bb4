/* test_localtime.c: Asia/Almaty as tz_load reads it from the system tzdata, both sides of
 * the 2024-03-01 change from UTC+6 to UTC+5. Every table row is its own cmocka test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "localtime.h"
#include "tz_load.h"
#include "table.h"

#define CHANGE ((time_t)1709229600) /* 2024-02-29 18:00:00 UTC: Almaty +06 -> +05 */

/* The zones the rows name; built by the group setup. */
enum { ALMATY, NZONES };
static struct local_zone zones[NZONES];

static int build_zones(void **state)
{
    char err[256];

    (void)state;
    if (tz_load("Asia/Almaty", &zones[ALMATY], err, sizeof err) != 0) {
        fprintf(stderr, "tz_load Asia/Almaty: %s\n", err);
        return -1;
    }
    return 0;
}

/* ---- offset ---- */
struct offset_case { const char *name; int zone; time_t t; int want; };
static const struct offset_case OFFSETS[] = {
    { "2023-07-01 00:00 UTC is +06", ALMATY, 1688169600, 21600 },
    { "1 s before the change is +06", ALMATY, CHANGE - 1, 21600 },
    { "at the change is +05", ALMATY, CHANGE, 18000 },
    { "2025-01-01 00:00 UTC is +05", ALMATY, 1735689600, 18000 },
    { "1993-06-15 summer time is +07", ALMATY, 740145600, 25200 },
};

static void test_offset(void **state)
{
    const struct offset_case *c = *state;

    assert_int_equal(localtime_offset(&zones[c->zone], c->t), c->want);
}

/* ---- formatting ---- */
struct format_case { const char *name; int zone; time_t t; const char *fmt; size_t size;
                     const char *want; };
static const struct format_case FORMATS[] = {
    { "last second at +06", ALMATY, CHANGE - 1, "%Y-%m-%d %H:%M:%S", 64, "2024-02-29 23:59:59" },
    { "first second at +05", ALMATY, CHANGE, "%Y-%m-%d %H:%M:%S", 64, "2024-02-29 23:00:00" },
    { "first hour of March 2024", ALMATY, 1709233200, "%d.%m %H:%M", 64, "01.03 00:00" },
    { "HH:MM in 2025", ALMATY, 1748759400, "%H:%M", 64, "11:30" },
    { "dd.mm HH:MM in 2023", ALMATY, 1688169600, "%d.%m %H:%M", 64, "01.07 06:00" },
    { "numeric offset %z", ALMATY, CHANGE, "%z", 64, "+0500" },
    { "buffer too small", ALMATY, 1748759400, "%H:%M", 5, "" },
};

static void test_format(void **state)
{
    const struct format_case *c = *state;
    char buf[64];

    memset(buf, 'Z', sizeof buf);
    assert_int_equal(localtime_format(&zones[c->zone], c->t, c->fmt, buf, c->size),
                     strlen(c->want));
    assert_string_equal(buf, c->want);
}

/* ---- local wall clock -> UTC ---- */
struct utc_case { const char *name; int zone; int y, mo, d, h, mi, s; time_t want; };
static const struct utc_case UTCS[] = {
    { "2024-02-29 12:00 at +06", ALMATY, 2024, 2, 29, 12, 0, 0, 1709186400 },
    { "2024-03-01 12:00 at +05", ALMATY, 2024, 3, 1, 12, 0, 0, 1709276400 },
    { "2024-03-01 00:00 at +05", ALMATY, 2024, 3, 1, 0, 0, 0, 1709233200 },
    { "2024-02-29 22:59:59 at +06", ALMATY, 2024, 2, 29, 22, 59, 59, CHANGE - 3600 - 1 },
    { "2025-01-01 00:00", ALMATY, 2025, 1, 1, 0, 0, 0, 1735671600 },
    { "2025-06-01 11:30", ALMATY, 2025, 6, 1, 11, 30, 0, 1748759400 },
    { "1993-06-15 19:00 summer time", ALMATY, 1993, 6, 15, 19, 0, 0, 740145600 },
    { "30 February", ALMATY, 2024, 2, 30, 12, 0, 0, (time_t)-1 },
    { "month 13", ALMATY, 2024, 13, 1, 12, 0, 0, (time_t)-1 },
    { "month 0", ALMATY, 2024, 0, 1, 12, 0, 0, (time_t)-1 },
    { "hour 24", ALMATY, 2024, 3, 1, 24, 0, 0, (time_t)-1 },
    { "minute 60", ALMATY, 2024, 3, 1, 12, 60, 0, (time_t)-1 },
};

static void test_to_utc(void **state)
{
    const struct utc_case *c = *state;

    assert_int_equal(localtime_to_utc(&zones[c->zone], c->y, c->mo, c->d, c->h, c->mi, c->s),
                     c->want);
}

/* ---- reply form: HH:MM today, dd.mm HH:MM otherwise ---- */
struct reply_case { const char *name; int zone; time_t t, now; const char *want; };
static const struct reply_case REPLIES[] = {
    { "same local day", ALMATY, 1748759400 + 3600, 1748759400, "12:30" },
    { "next local day, same UTC day", ALMATY, 1748806200, 1748802600, "02.06 00:30" },
    { "previous local day", ALMATY, 1748759400 - 86400, 1748759400, "31.05 11:30" },
    { "across the change, same local day", ALMATY, CHANGE + 1800, CHANGE - 7200, "23:30" },
    { "same day a year earlier", ALMATY, 1748759400 - 365 * 86400, 1748759400, "01.06 11:30" },
};

static void test_reply_form(void **state)
{
    const struct reply_case *c = *state;
    char buf[32];

    assert_int_equal(localtime_format_reply(&zones[c->zone], c->t, c->now, buf, sizeof buf),
                     strlen(c->want));
    assert_string_equal(buf, c->want);
}

/* ---- tz_load: names and files ---- */
struct load_case { const char *name; const char *zone; const char *tzdir; int want;
                   int offset; const char *err; };
static const struct load_case LOADS[] = {
    { "Asia/Almaty", "Asia/Almaty", NULL, 0, 18000, "" },
    { "UTC", "UTC", NULL, 0, 0, "" },
    { "unknown zone", "Asia/Nowhere", NULL, -1, 0,
      "no zone 'Asia/Nowhere' under /usr/share/zoneinfo (install tzdata)" },
    { "empty name", "", NULL, -1, 0,
      "'' is not a zone name (an IANA name such as Asia/Almaty)" },
    { "NULL name", NULL, NULL, -1, 0,
      "'' is not a zone name (an IANA name such as Asia/Almaty)" },
    { "parent directory", "../../etc/passwd", NULL, -1, 0,
      "'../../etc/passwd' is not a zone name (an IANA name such as Asia/Almaty)" },
    { "absolute path", "/etc/localtime", NULL, -1, 0,
      "'/etc/localtime' is not a zone name (an IANA name such as Asia/Almaty)" },
    { "a directory", "Asia", NULL, -1, 0,
      "no zone 'Asia' under /usr/share/zoneinfo (install tzdata)" },
    { "a dot", "zone.tab", NULL, -1, 0,
      "'zone.tab' is not a zone name (an IANA name such as Asia/Almaty)" },
    { "TZDIR without the zone", "Asia/Almaty", "/nonexistent-tzdir", -1, 0,
      "no zone 'Asia/Almaty' under /nonexistent-tzdir (install tzdata)" },
};

/* setenv(name, value) or unsetenv(name) when value is NULL; the old value, copied, in *old. */
static void swap_env(const char *name, const char *value, char **old)
{
    const char *v = getenv(name);

    *old = v ? strdup(v) : NULL;
    if (value)
        setenv(name, value, 1);
    else
        unsetenv(name);
}

static void test_load(void **state)
{
    const struct load_case *c = *state;
    static struct local_zone z;
    char err[256] = "", *tzdir;
    int rc;

    swap_env("TZDIR", c->tzdir, &tzdir);
    rc = tz_load(c->zone, &z, err, sizeof err);
    if (tzdir)
        setenv("TZDIR", tzdir, 1);
    else
        unsetenv("TZDIR");
    free(tzdir);
    assert_int_equal(rc, c->want);
    assert_string_equal(err, c->err);
    if (rc == 0) {
        assert_string_equal(z.name, c->zone);
        assert_int_equal(localtime_offset(&z, CHANGE), c->offset);
    }
}

#define RUN(group, fn, rows) \
    run_table(group, fn, rows, sizeof(rows)[0], N(rows), build_zones, NULL)

int main(void)
{
    int failed = 0;

    failed += RUN("localtime_offset", test_offset, OFFSETS);
    failed += RUN("localtime_format", test_format, FORMATS);
    failed += RUN("localtime_to_utc", test_to_utc, UTCS);
    failed += RUN("localtime_format_reply", test_reply_form, REPLIES);
    failed += RUN("tz_load", test_load, LOADS);
    return failed != 0;
}
