/* localtime.h: UTC <-> local wall-clock time of one zone, given as a table of offsets.
 *
 * Pure: no I/O, no environment, no global state. A zone is a list of spans, each with one
 * offset from UTC; the adapter tz_load() (plugin/store/tz_load.h) fills it from the system's
 * tzdata at start, localtime_fixed() builds a zone with one offset (tests, UTC). No
 * hard-coded offsets: Asia/Almaty, as loaded, is UTC+6 until 2024-03-01 00:00 local and
 * UTC+5 since.
 *
 * Ownership: the zone is borrowed and only read. Thread-safety: every function may be
 * called from several threads at once on the same zone.
 * A malformed zone (n outside 1..LOCAL_ZONE_SPANS, starts not increasing) is a programming
 * error and trips an assert.
 */
#ifndef PARK_LOCALTIME_H
#define PARK_LOCALTIME_H

#include <stddef.h>
#include <time.h>

#define LOCAL_ZONE_SPANS 512
struct local_zone {
    char name[64];                      /* "Asia/Almaty" */
    int n;                              /* spans in use, >= 1 */
    time_t start[LOCAL_ZONE_SPANS];     /* span i begins at start[i] (UTC); start[0] is the
                                           earliest representable time */
    int offset[LOCAL_ZONE_SPANS];       /* seconds east of UTC during span i */
};

/* A zone with a fixed offset (tests, UTC): one span, name copied (cut to 63 bytes). */
void localtime_fixed(struct local_zone *z, const char *name, int offset);

/* Seconds east of UTC at t (e.g. 18000 for UTC+5). */
int localtime_offset(const struct local_zone *z, time_t t);

/* Formats t in the zone with strftime on the shifted broken-down time (gmtime_r(t + offset)),
 * e.g. fmt "%H:%M" or "%d.%m %H:%M". %z is the zone's offset ("+0500"), %s the seconds since
 * the epoch. %Z is not supported (the zone has no abbreviations): it makes the call fail, as
 * do %z and %s with flags or a width. Returns the length written; 0 with buf = "" when it
 * does not fit, fmt expands beyond 255 bytes, t + offset is out of range or fmt is NULL. */
size_t localtime_format(const struct local_zone *z, time_t t, const char *fmt, char *buf,
                        size_t size);

/* Local wall-clock fields (year e.g. 2024, mon 1..12, day 1..31, hour 0..23, min 0..59,
 * sec 0..60; 60 reads as the next minute's first second) -> UTC time_t. Returns (time_t)-1
 * for fields out of range and days the month does not have (31 February).
 * A wall-clock time that occurs twice (the clock was set back) gives the earlier instant;
 * one that does not occur (the clock jumped forward over it) is read with the offset in force
 * before the jump, so it lands that far after the jump: with a one-hour jump at 02:00,
 * 02:30 gives the instant shown as 03:30. */
time_t localtime_to_utc(const struct local_zone *z, int year, int mon, int day, int hour,
                        int min, int sec);

/* "HH:MM" when t falls on the same local day as now, "dd.mm HH:MM" otherwise: the form the
 * reply templates expect. Returns the length written (0 with buf = "" if it does not fit). */
size_t localtime_format_reply(const struct local_zone *z, time_t t, time_t now, char *buf,
                              size_t size);

#endif
