/* tz_load.h: loads an IANA time zone from the system's tzdata into a struct local_zone.
 *
 * The adapter between the C library's tzdata support and the pure plugin/core/localtime.h:
 * it reads the zone through localtime_r() once, at start, and the rest of the program only
 * reads the table it filled.
 *
 * Threads: call it at start-up, before any thread exists. It sets TZ and calls tzset() for
 * the duration of the call, so a thread that formats a local time (gwlib's log does) at the
 * same moment would see the loaded zone. When it returns, TZ is exactly as it was (unset if
 * it was unset) and tzset() has been called again: the process's time zone is unchanged.
 *
 * Span table: every offset change found from 1800-01-01 to 2100-01-01 UTC, sampled day by day
 * and bisected to the second (two changes less than a day apart that cancel out are not
 * seen). Before the first change the offset is the one in force on 1800-01-01; after
 * 2100-01-01 the one in force then.
 */
#ifndef PARK_TZ_LOAD_H
#define PARK_TZ_LOAD_H

#include <stddef.h>

#include "localtime.h"

/* Loads the IANA zone (e.g. "Asia/Almaty") from the system tzdata through the C library into
   *out. Returns 0, or -1 with a reason in err (bad name, no such zone file under $TZDIR or
   /usr/share/zoneinfo, too many transitions). *out is undefined after a failure. */
int tz_load(const char *zone, struct local_zone *out, char *err, size_t errsize);

#endif
