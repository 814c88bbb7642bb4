/* clock.c: the box's clock (see clock.h). */
#include "clock.h"

static time_t origin;           /* real time the fast clock started */
static long speed = 1;          /* box seconds per real second */

void clock_setup(long hour_seconds, long start)
{
    origin = start > 0 ? (time_t)start : time(NULL);
    speed = hour_seconds > 0 && hour_seconds < 3600 ? 3600 / hour_seconds : 1;
}

time_t clock_at(time_t real)
{
    return speed == 1 ? real : origin + (real - origin) * speed;
}

time_t clock_now(void)
{
    return clock_at(time(NULL));
}
