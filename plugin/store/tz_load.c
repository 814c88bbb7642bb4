/* tz_load.c: an IANA zone's offsets from the system tzdata, read through localtime_r(). */
#include "tz_load.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ZONEINFO_DEFAULT "/usr/share/zoneinfo"
#define SAMPLE_FROM ((time_t)-5364662400LL)    /* 1800-01-01 00:00 UTC */
#define SAMPLE_TO ((time_t)4102444800LL)       /* 2100-01-01 00:00 UTC */
#define DAY 86400

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

/* The tzdata folder the C library reads: $TZDIR, or /usr/share/zoneinfo. */
static const char *zone_dir(void)
{
    const char *dir = getenv("TZDIR");

    return dir != NULL && dir[0] != '\0' ? dir : ZONEINFO_DEFAULT;
}

/* 1 when dir/zone is a compiled zone file (starts with the "TZif" magic). This
 * only checks what tzset() would otherwise silently replace with UTC. */
static int zone_file_ok(const char *zone)
{
    char path[512], magic[4];
    FILE *f;
    int ok;

    if ((size_t)snprintf(path, sizeof path, "%s/%s", zone_dir(), zone) >= sizeof path)
        return 0;
    f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    ok = fread(magic, 1, sizeof magic, f) == sizeof magic && memcmp(magic, "TZif", 4) == 0;
    fclose(f);
    return ok;
}

/* Seconds east of UTC at t in the zone TZ selects; 0 if localtime_r fails, which it does not
   between SAMPLE_FROM and SAMPLE_TO (checked before sampling). */
static long offset_at(time_t t)
{
    struct tm tm;

    return localtime_r(&t, &tm) != NULL ? tm.tm_gmtoff : 0;
}

/* The first second in (a, b] whose offset is not off_a, given that b's is not. */
static time_t first_change(time_t a, time_t b, long off_a)
{
    while (b - a > 1) {
        time_t mid = a + (b - a) / 2;

        if (offset_at(mid) == off_a)
            a = mid;
        else
            b = mid;
    }
    return b;
}

/* Fills z from the zone TZ selects: day by day from SAMPLE_FROM to SAMPLE_TO, each change
   bisected to the second. -1 when the spans do not fit. */
static int sample(const char *zone, struct local_zone *z, char *err, size_t errsize)
{
    time_t t = SAMPLE_FROM;
    long off = offset_at(t);

    localtime_fixed(z, zone, (int)off);
    while (t < SAMPLE_TO) {
        time_t next = t + DAY;

        if (offset_at(next) == off) {
            t = next;
            continue;
        }
        if (z->n == LOCAL_ZONE_SPANS) {
            snprintf(err, errsize, "zone '%s' changes its offset more than %d times between "
                     "1800 and 2100", zone, LOCAL_ZONE_SPANS - 1);
            return -1;
        }
        t = first_change(t, next, off);
        off = offset_at(t);
        z->start[z->n] = t;
        z->offset[z->n] = (int)off;
        z->n++;
    }
    return 0;
}

/* TZ = zone, then the sampling, then TZ as saved (NULL: unset). */
static int sample_with_tz(const char *zone, const char *saved, struct local_zone *out,
                          char *err, size_t errsize)
{
    time_t ends[2] = { SAMPLE_FROM, SAMPLE_TO };
    struct tm tm;
    int rc = -1;

    if (setenv("TZ", zone, 1) != 0) {
        snprintf(err, errsize, "cannot set TZ: out of memory");
        return -1;
    }
    tzset();
    if (localtime_r(&ends[0], &tm) == NULL || localtime_r(&ends[1], &tm) == NULL)
        snprintf(err, errsize, "the C library cannot convert the years 1800 to 2100");
    else
        rc = sample(zone, out, err, errsize);
    if ((saved != NULL ? setenv("TZ", saved, 1) : unsetenv("TZ")) != 0) {
        snprintf(err, errsize, "cannot restore TZ: out of memory");
        rc = -1;
    }
    tzset();
    return rc;
}

int tz_load(const char *zone, struct local_zone *out, char *err, size_t errsize)
{
    const char *old;
    char *saved = NULL;
    int rc;

    if (!zone_name_ok(zone)) {
        snprintf(err, errsize, "'%s' is not a zone name (an IANA name such as Asia/Almaty)",
                 zone ? zone : "");
        return -1;
    }
    if (strlen(zone) >= sizeof out->name) {
        snprintf(err, errsize, "zone name '%s' is longer than %zu bytes", zone,
                 sizeof out->name - 1);
        return -1;
    }
    if (!zone_file_ok(zone)) {
        snprintf(err, errsize, "no zone '%s' under %s (install tzdata)", zone, zone_dir());
        return -1;
    }
    old = getenv("TZ");
    if (old != NULL && (saved = strdup(old)) == NULL) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    rc = sample_with_tz(zone, saved, out, err, errsize);
    free(saved);
    return rc;
}
