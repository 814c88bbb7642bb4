/* clock.h: the box's clock, the only place parkbox reads the time of day for the
 * dialogue. Normally real UTC time. For tests and demos (`hour-seconds` below 3600) it
 * runs 3600/hour-seconds times faster than real time from the moment the box started,
 * so that a paid hour passes in hour-seconds real seconds: the dialogue and its money
 * arithmetic never know (they take `now` as it comes).
 *
 * clock_setup() once at start, before threads; the rest is thread-safe.
 */
#ifndef PARK_BOX_CLOCK_H
#define PARK_BOX_CLOCK_H

#include <time.h>

void clock_setup(long hour_seconds, long origin);
time_t clock_now(void);
/* The box's time for a real time t (a message's arrival). */
time_t clock_at(time_t real);

#endif
