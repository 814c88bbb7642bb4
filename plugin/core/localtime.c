/* localtime.c: UTC <-> local time through a zone's table of offsets (no tzdata, no TZ). */
#include "localtime.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(time_t) == 8 && (time_t)-1 < 0, "a signed 64-bit time_t");
#define TIME_MIN ((time_t)INT64_MIN)
#define TIME_MAX ((time_t)INT64_MAX)
#define FORMAT_MAX 256                  /* fmt after %z and %s are expanded, with the NUL */

void localtime_fixed(struct local_zone *z, const char *name, int offset)
{
    snprintf(z->name, sizeof z->name, "%s", name ? name : "");
    z->n = 1;
    z->start[0] = TIME_MIN;
    z->offset[0] = offset;
}

int localtime_offset(const struct local_zone *z, time_t t)
{
    int lo = 0, hi;

    assert(z != NULL && z->n >= 1 && z->n <= LOCAL_ZONE_SPANS);
    hi = z->n - 1;
    while (lo < hi) {                   /* the last span that starts at or before t */
        int mid = lo + (hi - lo + 1) / 2;

        if (z->start[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return z->offset[lo];
}

/* t's local fields at offset off (tm_gmtoff and tm_zone stay UTC's). 0, or -1 when t + off
   is out of range. */
static int local_tm(time_t t, int off, struct tm *tm)
{
    if ((off > 0 && t > TIME_MAX - off) || (off < 0 && t < TIME_MIN - off))
        return -1;
    t += off;
    return gmtime_r(&t, tm) != NULL ? 0 : -1;
}

/* fmt into out[size] with %z replaced by off as +hhmm and %s by t. -1 for %Z, %z or %s with
   flags or a width (strftime would take them from the process's zone), or no room. */
static int expand_format(const char *fmt, time_t t, int off, char *out, size_t size)
{
    size_t n = 0;

    while (*fmt != '\0') {
        const char *src = fmt;
        size_t len = 1, skip = 1;
        char rep[32];

        if (*fmt == '%') {
            size_t spec = 1 + strspn(fmt + 1, "_-^#0123456789EO");
            char conv = fmt[spec];

            if (conv == 'Z' || ((conv == 'z' || conv == 's') && spec != 1))
                return -1;
            len = skip = conv != '\0' ? spec + 1 : spec;
            if (conv == 'z')
                snprintf(rep, sizeof rep, "%c%02d%02d", off < 0 ? '-' : '+',
                         (off < 0 ? -off : off) / 3600, (off < 0 ? -off : off) % 3600 / 60);
            else if (conv == 's')
                snprintf(rep, sizeof rep, "%lld", (long long)t);
            if (conv == 'z' || conv == 's')
                src = rep, len = strlen(rep);
        }
        if (len >= size - n)
            return -1;
        memcpy(out + n, src, len);
        n += len;
        fmt += skip;
    }
    out[n] = '\0';
    return 0;
}

size_t localtime_format(const struct local_zone *z, time_t t, const char *fmt, char *buf,
                        size_t size)
{
    char f[FORMAT_MAX];
    struct tm tm;
    int off;
    size_t n;

    if (buf == NULL || size == 0)
        return 0;
    buf[0] = '\0';
    if (fmt == NULL)
        return 0;
    off = localtime_offset(z, t);
    if (local_tm(t, off, &tm) != 0 || expand_format(fmt, t, off, f, sizeof f) != 0)
        return 0;
    n = strftime(buf, size, f, &tm);
    if (n == 0)
        buf[0] = '\0';
    return n;
}

static int days_in_month(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : d[m - 1];
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long long days_from_civil(long long y, int m, int d)
{
    long long era, yoe, doy;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* The instant whose local time is wall (local fields counted as if they were UTC): the
   earlier one when wall occurs twice, wall read with the offset before the jump when the
   clock jumped over it. Invariant: wall is not before span i's first local time. */
static time_t wall_to_utc(const struct local_zone *z, time_t wall)
{
    int i;

    assert(z != NULL && z->n >= 1 && z->n <= LOCAL_ZONE_SPANS);
    for (i = 0; i + 1 < z->n; i++) {
        time_t t = wall - z->offset[i];

        if (t < z->start[i + 1]                             /* wall occurs in span i */
            || wall - z->offset[i + 1] < z->start[i + 1])   /* or in the gap after it */
            return t;
    }
    return wall - z->offset[i];
}

time_t localtime_to_utc(const struct local_zone *z, int year, int mon, int day, int hour,
                        int min, int sec)
{
    long long days;

    if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) || hour < 0
        || hour > 23 || min < 0 || min > 59 || sec < 0 || sec > 60)
        return (time_t)-1;
    days = days_from_civil(year, mon, day);
    return wall_to_utc(z, (time_t)(days * 86400 + hour * 3600L + min * 60L + sec));
}

size_t localtime_format_reply(const struct local_zone *z, time_t t, time_t now, char *buf,
                              size_t size)
{
    struct tm a, b;

    if (local_tm(t, localtime_offset(z, t), &a) == 0
        && local_tm(now, localtime_offset(z, now), &b) == 0 && a.tm_year == b.tm_year
        && a.tm_yday == b.tm_yday)
        return localtime_format(z, t, "%H:%M", buf, size);
    return localtime_format(z, t, "%d.%m %H:%M", buf, size);
}
