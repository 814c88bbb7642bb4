/* test_localtime.c: the pure local-time core (plugin/core/localtime.h) on zones built by
 * hand (fixed offsets, one jump forward, one jump back) and on Asia/Almaty as tz_load reads
 * it from the system tzdata, both sides of the 2024-03-01 change from UTC+6 to UTC+5; and
 * tz_load itself: names, files, the span table, TZ left as it was.
 * Every table row is its own cmocka test. */
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
#define FWD ((time_t)1743296400)    /* 2025-03-30 01:00:00 UTC: FORWARD +01 -> +02 */
#define BACK ((time_t)1761440400)   /* 2025-10-26 01:00:00 UTC: BACKWARD +02 -> +01 */

/* The zones the rows name; built by the group setup. */
enum { ALMATY, UTC, PLUS0530, MINUS0300, FORWARD, BACKWARD, NZONES };
static struct local_zone zones[NZONES];

/* Two spans: offset a until t, offset b from t. */
static void two_spans(struct local_zone *z, const char *name, int a, time_t t, int b)
{
    localtime_fixed(z, name, a);
    z->start[1] = t;
    z->offset[1] = b;
    z->n = 2;
}

static int build_zones(void **state)
{
    char err[256];

    (void)state;
    localtime_fixed(&zones[UTC], "UTC", 0);
    localtime_fixed(&zones[PLUS0530], "Test/Plus0530", 19800);
    localtime_fixed(&zones[MINUS0300], "Test/Minus0300", -10800);
    two_spans(&zones[FORWARD], "Test/Forward", 3600, FWD, 7200);
    two_spans(&zones[BACKWARD], "Test/Backward", 7200, BACK, 3600);
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
    { "1900-01-01 local mean time is +05:07:48", ALMATY, -2208988800, 18468 },
    { "after 2100 stays +05", ALMATY, 4200000000, 18000 },
    { "UTC", UTC, CHANGE, 0 },
    { "fixed +05:30 at the epoch", PLUS0530, 0, 19800 },
    { "fixed -03:00 at the earliest time", MINUS0300, (time_t)INT64_MIN, -10800 },
    { "forward: 1 s before the jump", FORWARD, FWD - 1, 3600 },
    { "forward: at the jump", FORWARD, FWD, 7200 },
    { "forward: the latest time", FORWARD, (time_t)INT64_MAX, 7200 },
    { "backward: 1 s before the jump", BACKWARD, BACK - 1, 7200 },
    { "backward: at the jump", BACKWARD, BACK, 3600 },
};

static void test_offset(void **state)
{
    const struct offset_case *c = *state;

    assert_int_equal(localtime_offset(&zones[c->zone], c->t), c->want);
}

/* ---- formatting ---- */
struct format_case { const char *name; int zone; time_t t; const char *fmt; size_t size;
                     const char *want; };
#define LONG_FMT "%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H" \
                 "%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H" \
                 "%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H" \
                 "%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H%H"
static const struct format_case FORMATS[] = {
    { "last second at +06", ALMATY, CHANGE - 1, "%Y-%m-%d %H:%M:%S", 64, "2024-02-29 23:59:59" },
    { "first second at +05", ALMATY, CHANGE, "%Y-%m-%d %H:%M:%S", 64, "2024-02-29 23:00:00" },
    { "first hour of March 2024", ALMATY, 1709233200, "%d.%m %H:%M", 64, "01.03 00:00" },
    { "HH:MM in 2025", ALMATY, 1748759400, "%H:%M", 64, "11:30" },
    { "dd.mm HH:MM in 2023", ALMATY, 1688169600, "%d.%m %H:%M", 64, "01.07 06:00" },
    { "numeric offset %z", ALMATY, CHANGE, "%z", 64, "+0500" },
    { "buffer too small", ALMATY, 1748759400, "%H:%M", 5, "" },
    { "%z of local mean time drops the seconds", ALMATY, -2208988800, "%H:%M:%S %z", 64,
      "05:07:48 +0507" },
    { "%s is the epoch second", ALMATY, CHANGE, "%s", 64, "1709229600" },
    { "%% stays a percent sign", ALMATY, CHANGE, "100%% %%z at %H", 64, "100% %z at 23" },
    { "%Z is not supported", ALMATY, CHANGE, "%H:%M %Z", 64, "" },
    { "%z with a flag is not supported", ALMATY, CHANGE, "%-z", 64, "" },
    { "%s with a width is not supported", ALMATY, CHANGE, "%12s", 64, "" },
    { "format longer than 255 bytes", ALMATY, CHANGE, LONG_FMT, 64, "" },
    { "NULL format", ALMATY, CHANGE, NULL, 64, "" },
    { "out of range", ALMATY, (time_t)INT64_MAX, "%H", 64, "" },
    { "UTC", UTC, CHANGE, "%Y-%m-%d %H:%M:%S %z", 64, "2024-02-29 18:00:00 +0000" },
    { "fixed +05:30", PLUS0530, CHANGE, "%d.%m %H:%M %z", 64, "29.02 23:30 +0530" },
    { "fixed -03:00", MINUS0300, CHANGE, "%d.%m %H:%M %z", 64, "29.02 15:00 -0300" },
    { "fixed -03:00 before 1970", MINUS0300, -2, "%Y-%m-%d %H:%M:%S", 64,
      "1969-12-31 20:59:58" },
    { "forward: 1 s before the jump", FORWARD, FWD - 1, "%Y-%m-%d %H:%M:%S %z", 64,
      "2025-03-30 01:59:59 +0100" },
    { "forward: at the jump", FORWARD, FWD, "%Y-%m-%d %H:%M:%S %z", 64,
      "2025-03-30 03:00:00 +0200" },
    { "backward: 1 s before the jump", BACKWARD, BACK - 1, "%Y-%m-%d %H:%M:%S %z", 64,
      "2025-10-26 02:59:59 +0200" },
    { "backward: at the jump", BACKWARD, BACK, "%Y-%m-%d %H:%M:%S %z", 64,
      "2025-10-26 02:00:00 +0100" },
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
    { "31 February", ALMATY, 2024, 2, 31, 12, 0, 0, (time_t)-1 },
    { "29 February 2023", ALMATY, 2023, 2, 29, 12, 0, 0, (time_t)-1 },
    { "29 February 2024", ALMATY, 2024, 2, 29, 0, 0, 0, 1709143200 },
    { "31 April", ALMATY, 2024, 4, 31, 12, 0, 0, (time_t)-1 },
    { "day 0", ALMATY, 2024, 4, 0, 12, 0, 0, (time_t)-1 },
    { "second 61", ALMATY, 2024, 3, 1, 12, 0, 61, (time_t)-1 },
    { "second 60 is the next minute", ALMATY, 2024, 3, 1, 12, 0, 60, 1709276460 },
    { "2024-02-29 23:30 occurs twice: the first (+06)", ALMATY, 2024, 2, 29, 23, 30, 0,
      CHANGE - 1800 },
    { "2004-10-31 02:30 occurs twice: the first (+07)", ALMATY, 2004, 10, 31, 2, 30, 0,
      1099164600 },
    { "2004-03-28 02:30 does not occur: read at +06", ALMATY, 2004, 3, 28, 2, 30, 0,
      1080419400 },
    { "UTC 2000-02-29 (400-year leap)", UTC, 2000, 2, 29, 0, 0, 0, 951782400 },
    { "UTC 1900-02-29 (100-year rule)", UTC, 1900, 2, 29, 0, 0, 0, (time_t)-1 },
    { "UTC before 1970", UTC, 1969, 12, 31, 23, 59, 58, -2 },
    { "UTC 1600-03-01", UTC, 1600, 3, 1, 0, 0, 0, -11670912000 },
    { "UTC leap second", UTC, 2016, 12, 31, 23, 59, 60, 1483228800 },
    { "fixed +05:30", PLUS0530, 2024, 3, 1, 0, 0, 0, CHANGE + 1800 },
    { "fixed -03:00", MINUS0300, 2024, 2, 29, 15, 0, 0, CHANGE },
    { "forward: before the gap", FORWARD, 2025, 3, 30, 1, 59, 59, FWD - 1 },
    { "forward: gap start reads at +01", FORWARD, 2025, 3, 30, 2, 0, 0, FWD },
    { "forward: in the gap reads at +01", FORWARD, 2025, 3, 30, 2, 30, 0, FWD + 1800 },
    { "forward: after the gap", FORWARD, 2025, 3, 30, 3, 0, 0, FWD },
    { "forward: 03:30 after the gap", FORWARD, 2025, 3, 30, 3, 30, 0, FWD + 1800 },
    { "forward: January at +01", FORWARD, 2025, 1, 1, 0, 0, 0, 1735686000 },
    { "backward: before the overlap", BACKWARD, 2025, 10, 26, 1, 59, 59, BACK - 3601 },
    { "backward: overlap start is the first", BACKWARD, 2025, 10, 26, 2, 0, 0, BACK - 3600 },
    { "backward: in the overlap the first", BACKWARD, 2025, 10, 26, 2, 30, 0, BACK - 1800 },
    { "backward: overlap end", BACKWARD, 2025, 10, 26, 2, 59, 59, BACK - 1 },
    { "backward: after the overlap", BACKWARD, 2025, 10, 26, 3, 0, 0, BACK + 3600 },
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
    { "UTC: same day", UTC, CHANGE + 3600, CHANGE, "19:00" },
    { "-03:00: same UTC day, previous local day", MINUS0300, CHANGE, 1709172000,
      "29.02 15:00" },
    { "+05:30: 23:59 seen at 00:01", PLUS0530, 1709231340, 1709231340 + 120, "29.02 23:59" },
    { "backward: both in the repeated hour", BACKWARD, BACK + 1800, BACK - 1800, "02:30" },
};

static void test_reply_form(void **state)
{
    const struct reply_case *c = *state;
    char buf[32];

    assert_int_equal(localtime_format_reply(&zones[c->zone], c->t, c->now, buf, sizeof buf),
                     strlen(c->want));
    assert_string_equal(buf, c->want);
}

/* ---- the core ignores the process's TZ ---- */
static void test_process_tz_ignored(void **state)
{
    const char *old = getenv("TZ");
    char *saved = old ? strdup(old) : NULL, buf[64];

    (void)state;
    setenv("TZ", "America/New_York", 1);
    tzset();
    assert_int_equal(localtime_format(&zones[ALMATY], CHANGE, "%H:%M %z", buf, sizeof buf), 11);
    assert_string_equal(buf, "23:00 +0500");
    assert_int_equal(localtime_to_utc(&zones[ALMATY], 2024, 3, 1, 0, 0, 0), 1709233200);
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved);
}

/* ---- tz_load: names and files ---- */
#define NAME64 "America/Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
struct load_case { const char *name; const char *zone; const char *tzdir; int want;
                   int offset; const char *err; };
static const struct load_case LOADS[] = {
    { "Asia/Almaty", "Asia/Almaty", NULL, 0, 18000, "" },
    { "UTC", "UTC", NULL, 0, 0, "" },
    { "TZDIR with the zone", "Asia/Almaty", "/usr/share/zoneinfo", 0, 18000, "" },
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
    { "a space", "Asia/Al maty", NULL, -1, 0,
      "'Asia/Al maty' is not a zone name (an IANA name such as Asia/Almaty)" },
    { "a directory", "Asia", NULL, -1, 0,
      "no zone 'Asia' under /usr/share/zoneinfo (install tzdata)" },
    { "a dot", "zone.tab", NULL, -1, 0,
      "'zone.tab' is not a zone name (an IANA name such as Asia/Almaty)" },
    { "not a zone file", "passwd", "/etc", -1, 0, "no zone 'passwd' under /etc (install tzdata)" },
    { "TZDIR without the zone", "Asia/Almaty", "/nonexistent-tzdir", -1, 0,
      "no zone 'Asia/Almaty' under /nonexistent-tzdir (install tzdata)" },
    { "name of 64 bytes", NAME64, NULL, -1, 0,
      "zone name '" NAME64 "' is longer than 63 bytes" },
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

/* ---- tz_load: Asia/Almaty's span table ---- */
enum where { ANYWHERE, FIRST, LAST };
struct span_case { const char *name; time_t start; int before, after; enum where where; };
static const struct span_case SPANS[] = {
    { "the earliest span is local mean time", (time_t)INT64_MIN, 0, 18468, FIRST },
    { "1924-05-02 local mean time -> +05", -1441170468, 18468, 18000, ANYWHERE },
    { "1930-06-21 +05 -> +06", -1247547600, 18000, 21600, ANYWHERE },
    { "1981-04-01 first summer time +07", 354909600, 21600, 25200, ANYWHERE },
    { "2004-03-28 last summer time +07", 1080417600, 21600, 25200, ANYWHERE },
    { "2004-10-31 back to +06", 1099166400, 25200, 21600, ANYWHERE },
    { "2024-03-01 +06 -> +05, the last change", CHANGE, 21600, 18000, LAST },
};

static void test_span(void **state)
{
    const struct span_case *c = *state;
    const struct local_zone *z = &zones[ALMATY];
    int i = 0;

    assert_string_equal(z->name, "Asia/Almaty");
    while (i < z->n && z->start[i] != c->start)
        i++;
    assert_in_range(i, 0, z->n - 1);
    assert_int_equal(z->offset[i], c->after);
    if (i > 0)
        assert_int_equal(z->offset[i - 1], c->before);
    if (c->where == FIRST)
        assert_int_equal(i, 0);
    if (c->where == LAST)
        assert_int_equal(i, z->n - 1);
}

/* ---- tz_load: TZ afterwards is what it was ---- */
#define AS_BEFORE (-1)      /* the zone TZ selects depends on /etc/localtime */
struct keep_case { const char *name; const char *tz; const char *zone; int want; int gmtoff; };
static const struct keep_case KEEPS[] = {
    { "TZ unset, Asia/Almaty loaded", NULL, "Asia/Almaty", 0, AS_BEFORE },
    { "TZ unset, a bad name", NULL, "../Asia/Almaty", -1, AS_BEFORE },
    { "TZ unset, an unknown zone", NULL, "Asia/Nowhere", -1, AS_BEFORE },
    { "TZ=Europe/Berlin, Asia/Almaty loaded", "Europe/Berlin", "Asia/Almaty", 0, 3600 },
    { "TZ=Europe/Berlin, an unknown zone", "Europe/Berlin", "Asia/Nowhere", -1, 3600 },
    { "TZ=:Asia/Tokyo, Asia/Almaty loaded", ":Asia/Tokyo", "Asia/Almaty", 0, 32400 },
    { "TZ=UTC0 (POSIX form), Asia/Almaty loaded", "UTC0", "Asia/Almaty", 0, 0 },
    { "TZ empty, Asia/Almaty loaded", "", "Asia/Almaty", 0, 0 },
};

/* Seconds east of UTC at CHANGE in the process's zone. */
static long process_offset(void)
{
    time_t t = CHANGE;
    struct tm tm;

    assert_non_null(localtime_r(&t, &tm));
    return tm.tm_gmtoff;
}

static void test_keep_tz(void **state)
{
    const struct keep_case *c = *state;
    static struct local_zone z;
    char err[256], *outer, *before;
    const char *after, *tz;
    long off_before, off_after;

    swap_env("TZ", c->tz, &outer);
    tzset();
    before = (tz = getenv("TZ")) != NULL ? strdup(tz) : NULL;
    off_before = process_offset();
    assert_int_equal(tz_load(c->zone, &z, err, sizeof err), c->want);
    after = getenv("TZ");
    off_after = process_offset();
    if (outer)
        setenv("TZ", outer, 1);
    else
        unsetenv("TZ");
    tzset();
    free(outer);
    if (c->tz == NULL) {
        assert_null(before);
        assert_null(after);
    } else {
        assert_non_null(after);
        assert_string_equal(after, before);
    }
    free(before);
    assert_int_equal(off_after, off_before);
    if (c->gmtoff != AS_BEFORE)
        assert_int_equal(off_after, c->gmtoff);
}

#define RUN(group, fn, rows) \
    run_table(group, fn, rows, sizeof(rows)[0], N(rows), build_zones, NULL)

int main(void)
{
    const struct CMUnitTest pure[] = { cmocka_unit_test(test_process_tz_ignored) };
    int failed = 0;

    failed += RUN("localtime_offset", test_offset, OFFSETS);
    failed += RUN("localtime_format", test_format, FORMATS);
    failed += RUN("localtime_to_utc", test_to_utc, UTCS);
    failed += RUN("localtime_format_reply", test_reply_form, REPLIES);
    failed += cmocka_run_group_tests_name("localtime without TZ", pure, build_zones, NULL);
    failed += RUN("tz_load", test_load, LOADS);
    failed += RUN("tz_load Asia/Almaty spans", test_span, SPANS);
    failed += RUN("tz_load keeps TZ", test_keep_tz, KEEPS);
    return failed != 0;
}
