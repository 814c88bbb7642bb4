/* ratelimit.h: a token bucket per MSISDN in bounded memory, for the MOs to the service
 * number.
 *
 * Pure core: no I/O, no clock (the caller passes the time), no threads (the caller
 * serialises calls). Memory is fixed at creation: RATELIMIT_WAYS entries per set, `sets`
 * sets; a number that finds its set full takes the entry that has been idle longest (its
 * state is forgotten, which can only let that number through sooner).
 *
 * A bucket holds `per_minute` MOs and refills at `per_minute` MOs a minute: a driver may
 * send that many at once, then one every 60 / per_minute seconds.
 *
 * Ownership: ratelimit_create's result belongs to the caller (ratelimit_destroy, which
 * accepts NULL); keys are copied.
 */
#ifndef PARK_RATELIMIT_H
#define PARK_RATELIMIT_H

#include <stddef.h>
#include <time.h>

#define RATELIMIT_WAYS 4
#define RATELIMIT_KEY_MAX 16   /* bytes kept of a key: an E.164 number with its '+' */

enum ratelimit_verdict {
    RATELIMIT_PASS,            /* handle the MO */
    RATELIMIT_FIRST,           /* over the limit, the first time since the last pass: one reply */
    RATELIMIT_DROP             /* over the limit again: no reply */
};

struct ratelimit;

/* A limiter of per_minute (>= 1) MOs a minute per key, in `sets` sets (rounded up to a
   power of two, at least 1). Returns NULL when out of memory or per_minute < 1. */
struct ratelimit *ratelimit_create(int per_minute, size_t sets);
void ratelimit_destroy(struct ratelimit *rl);

/* Counts one MO from `key` at `now` (epoch seconds; a time before the key's last one
   counts as that time). */
enum ratelimit_verdict ratelimit_take(struct ratelimit *rl, const char *key, time_t now);

#endif
