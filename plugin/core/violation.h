/* violation.h: the 15-minute rule: from sightings of a car and its paid sessions to a
 * violation, as pure functions.
 *
 * Pure core: no I/O, no allocation, no global state. Every array is borrowed; results go
 * into caller-owned structs. Times are time_t UTC seconds.
 *
 * The rule, exactly:
 *  - A session covers the closed interval [from, until]: from = started_at, until = the
 *    stop time for a stopped session, else paid_until. A car seen at its session's start
 *    or at its paid_until is paid; one second later it is not.
 *  - A stay is a maximal run of sightings of one plate, in time order, all in the same
 *    zone, each at most max_gap seconds after the previous one. A sighting in another
 *    zone, or a gap longer than max_gap, starts a new stay.
 *  - A stay from t1 (first sighting) to t2 (last) is a violation when t2 - t1 > grace
 *    (strictly: a car seen exactly grace apart is not) and the interval [t1 + grace, t2]
 *    is not wholly covered by the union of the plate's sessions in that zone (touching
 *    sessions cover; a gap of one second does not). So a session started within the first
 *    grace seconds covers the stay while it runs; a session that ended before t2 does not;
 *    a session in another zone never does. The first uncovered moment is unpaid_from.
 *  - With the zone's paid hours (a policy set): only paid time counts. The grace period is
 *    grace seconds of paid time from t1 (a car that arrives during free hours has its
 *    grace begin when paid time does: seen from 07:50 in a zone paid from 08:00, it may
 *    stand until 08:15), free time counts as covered, and a stay without any paid time is
 *    never a violation (VIOLATION_NONE_FREE).
 */
#ifndef PARK_VIOLATION_H
#define PARK_VIOLATION_H

#include <stddef.h>
#include <time.h>

#include "policy.h"

#define VIOLATION_GRACE_DEFAULT   (15 * 60)    /* seconds to pay after arrival */
#define VIOLATION_MAX_GAP_DEFAULT (120 * 60)   /* longest gap between sightings of one stay */

struct violation_sighting {
    time_t at;
    int zone;
};

struct violation_paid {             /* one session, closed interval */
    time_t from, until;
};

struct violation_stay {
    int zone;
    size_t first;                   /* index of its first sighting */
    size_t count;                   /* number of sightings */
    time_t first_seen, last_seen;
};

enum violation_verdict {
    VIOLATION_NONE_SHORT,           /* seen for grace seconds or less: still time to pay */
    VIOLATION_NONE_PAID,            /* [t1 + grace, t2] is covered */
    VIOLATION_FOUND,                /* unpaid beyond the grace period */
    VIOLATION_NONE_FREE             /* no paid time at all in [t1, t2] */
};

/* Splits n sightings of one plate, sorted by time (ties keep their order), into stays
 * (see above) and writes at most max of them to out (may be NULL when max is 0). Returns
 * the number of stays in all; 0 when n is 0. A negative max_gap counts as 0. */
size_t violation_stays(const struct violation_sighting *s, size_t n, time_t max_gap,
                       struct violation_stay *out, size_t max);

/* 1 when some of the n sessions covers t, else 0. */
int violation_paid_at(const struct violation_paid *p, size_t n, time_t t);

/* The verdict for a stay from first_seen to last_seen (first_seen <= last_seen) in a zone
 * with the paid hours `set` (NULL: paid at every time) and the n sessions (any order; those
 * of other zones must be left out by the caller). A negative grace counts as 0. On
 * VIOLATION_FOUND *unpaid_from (may be NULL) is the first moment after the grace period
 * that neither a session nor free time covers: the end of the grace period, the end of the
 * coverage that reaches it, or when paid time begins again. Otherwise *unpaid_from is left
 * alone. */
enum violation_verdict violation_decide(const struct policy_set *set, time_t first_seen,
                                        time_t last_seen, time_t grace,
                                        const struct violation_paid *p, size_t n,
                                        time_t *unpaid_from);

/* "short", "paid", "violation", "free" */
const char *violation_verdict_name(enum violation_verdict v);

#endif
