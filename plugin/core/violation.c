/* violation.c: the 15-minute rule as pure functions (see violation.h). */
#include "violation.h"

size_t violation_stays(const struct violation_sighting *s, size_t n, time_t max_gap,
                       struct violation_stay *out, size_t max)
{
    size_t nstays = 0;

    if (max_gap < 0)
        max_gap = 0;
    for (size_t i = 0; i < n; i++) {
        int same = i > 0 && s[i].zone == s[i - 1].zone && s[i].at - s[i - 1].at <= max_gap;
        if (!same) {
            if (nstays < max)
                out[nstays] = (struct violation_stay){ s[i].zone, i, 0, s[i].at, s[i].at };
            nstays++;
        }
        if (nstays <= max) {
            out[nstays - 1].count++;
            out[nstays - 1].last_seen = s[i].at;
        }
    }
    return nstays;
}

int violation_paid_at(const struct violation_paid *p, size_t n, time_t t)
{
    for (size_t i = 0; i < n; i++)
        if (p[i].from <= t && t <= p[i].until)
            return 1;
    return 0;
}

/* The furthest end of a session that covers t, or t - 1 when none does. */
static time_t covered_to(const struct violation_paid *p, size_t n, time_t t)
{
    time_t best = t - 1;

    for (size_t i = 0; i < n; i++)
        if (p[i].from <= t && t <= p[i].until && p[i].until > best)
            best = p[i].until;
    return best;
}

enum violation_verdict violation_decide(const struct policy_set *set, time_t first_seen,
                                        time_t last_seen, time_t grace,
                                        const struct violation_paid *p, size_t n,
                                        time_t *unpaid_from)
{
    time_t cur;

    if (grace < 0)
        grace = 0;
    if (set != NULL && policy_paid_seconds(set, first_seen, last_seen + 1) == 0)
        return VIOLATION_NONE_FREE;
    cur = set != NULL ? policy_paid_end(set, first_seen, grace) : first_seen + grace;
    if (cur == (time_t)-1 || last_seen <= cur)
        return VIOLATION_NONE_SHORT;
    for (;;) {
        time_t to = covered_to(p, n, cur);
        if (to >= last_seen)
            return VIOLATION_NONE_PAID;
        if (to > cur) {
            cur = to;
            continue;
        }
        if (set != NULL) {               /* no session goes on: is the next moment free? */
            time_t probe = to == cur ? cur + 1 : cur;
            time_t paid = policy_next_paid(set, probe);
            if (paid == (time_t)-1 || paid > last_seen)
                return VIOLATION_NONE_PAID;
            if (paid > probe) {
                cur = paid;
                continue;
            }
        }
        if (unpaid_from != NULL)
            *unpaid_from = cur;
        return VIOLATION_FOUND;
    }
}

const char *violation_verdict_name(enum violation_verdict v)
{
    switch (v) {
    case VIOLATION_NONE_SHORT: return "short";
    case VIOLATION_NONE_PAID: return "paid";
    case VIOLATION_FOUND: return "violation";
    case VIOLATION_NONE_FREE: return "free";
    }
    return "?";
}
