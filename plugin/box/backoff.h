/* backoff.h: the next pause of a doubling back-off with a ceiling.
 *
 * Used by the bearerbox link (reconnect: 1, 2, 4, 8, 8... s) and the workers
 * (an MO held for the database: 0.25 s doubling to 4 s). Pure arithmetic.
 */
#ifndef PARKBOX_BACKOFF_H
#define PARKBOX_BACKOFF_H

/* Twice `pause`, but never more than `max`. */
static inline double backoff_next(double pause, double max)
{
    return pause * 2 > max ? max : pause * 2;
}

#endif
