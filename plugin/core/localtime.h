/* localtime.h: UTC <-> local wall-clock time through the system's tzdata.
 *
 * The zone is process-wide (TZ environment variable + tzset()): call
 * localtime_init() once at start, before any threads. The other functions are
 * thread-safe afterwards (localtime_r, strftime, mktime). No hard-coded offsets:
 * Asia/Almaty is UTC+6 until 2024-03-01 00:00 local and UTC+5 since, and the
 * answers follow whatever the installed tzdata says. */
#ifndef PARK_LOCALTIME_H
#define PARK_LOCALTIME_H

#include <stddef.h>
#include <time.h>

/* Select the IANA zone (e.g. "Asia/Almaty") from the system's tzdata: sets TZ and
 * calls tzset(); returns 0, or -1 if the zone file does not exist under $TZDIR
 * (default /usr/share/zoneinfo), or the name is empty, absolute or contains "..".
 * Call once at start, before threads. On failure the previous zone stays. */
int localtime_init(const char *zone);

/* Format t in the selected zone with strftime, e.g. fmt "%H:%M" or "%d.%m %H:%M".
 * Returns the length written (0 with buf = "" if it does not fit or t is out of
 * range). */
size_t localtime_format(time_t t, const char *fmt, char *buf, size_t size);

/* Local wall-clock fields (year e.g. 2024, mon 1..12, day 1..31) -> UTC time_t
 * (mktime in the zone, DST decided by the tzdata). Returns (time_t)-1 on failure. */
time_t localtime_to_utc(int year, int mon, int day, int hour, int min, int sec);

/* Seconds east of UTC at t in the selected zone (e.g. 18000 for UTC+5). */
int localtime_utc_offset(time_t t);

/* "HH:MM" when t falls on the same local day as now, "dd.mm HH:MM" otherwise:
 * the form the reply templates expect. Returns the length written. */
size_t localtime_format_reply(time_t t, time_t now, char *buf, size_t size);

#endif
