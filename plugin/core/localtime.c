/* localtime.c: UTC <-> local time of the selected IANA zone via the system tzdata. */
#include "localtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZONEINFO_DEFAULT "/usr/share/zoneinfo"

/* 1 when name is a plausible relative zone name: not empty, not absolute,
 * no "..", only the characters IANA names use. */
static int zone_name_ok(const char *zone)
{
    const char *p;

    if (zone == NULL || zone[0] == '\0' || zone[0] == '/' || strstr(zone, "..") != NULL)
        return 0;
    for (p = zone; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')
              || *p == '/' || *p == '_' || *p == '-' || *p == '+'))
            return 0;
    return 1;
}

/* 1 when dir/zone is a compiled zone file (starts with the "TZif" magic). This
 * only checks what tzset() would otherwise silently replace with UTC. */
static int zone_file_ok(const char *zone)
{
    const char *dir = getenv("TZDIR");
    char path[512], magic[4];
    FILE *f;
    int ok;

    if (dir == NULL || dir[0] == '\0')
        dir = ZONEINFO_DEFAULT;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, zone) >= sizeof path)
        return 0;
    f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    ok = fread(magic, 1, sizeof magic, f) == sizeof magic && memcmp(magic, "TZif", 4) == 0;
    fclose(f);
    return ok;
}

int localtime_init(const char *zone)
{
    if (!zone_name_ok(zone) || !zone_file_ok(zone))
        return -1;
    if (setenv("TZ", zone, 1) != 0)
        return -1;
    tzset();
    return 0;
}

size_t localtime_format(time_t t, const char *fmt, char *buf, size_t size)
{
    struct tm tm;
    size_t n;

    if (buf == NULL || size == 0)
        return 0;
    buf[0] = '\0';
    if (fmt == NULL || localtime_r(&t, &tm) == NULL)
        return 0;
    n = strftime(buf, size, fmt, &tm);
    if (n == 0)
        buf[0] = '\0';
    return n;
}

time_t localtime_to_utc(int year, int mon, int day, int hour, int min, int sec)
{
    struct tm tm;
    time_t t;

    if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || min < 0
        || min > 59 || sec < 0 || sec > 60)
        return (time_t)-1;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = year - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = min;
    tm.tm_sec = sec;
    tm.tm_isdst = -1;
    t = mktime(&tm);
    /* mktime normalises 31 February into March: reject such dates. */
    if (t == (time_t)-1 || tm.tm_year != year - 1900 || tm.tm_mon != mon - 1
        || tm.tm_mday != day)
        return (time_t)-1;
    return t;
}

int localtime_utc_offset(time_t t)
{
    struct tm tm;

    if (localtime_r(&t, &tm) == NULL)
        return 0;
    return (int)tm.tm_gmtoff;
}

size_t localtime_format_reply(time_t t, time_t now, char *buf, size_t size)
{
    struct tm a, b;

    if (localtime_r(&t, &a) != NULL && localtime_r(&now, &b) != NULL
        && a.tm_year == b.tm_year && a.tm_yday == b.tm_yday)
        return localtime_format(t, "%H:%M", buf, size);
    return localtime_format(t, "%d.%m %H:%M", buf, size);
}
