/* checks.c: what a start or an extension checks at the moment it would take money: the
   zone still takes parking, the session stays within max-hours. */
#include "step.h"

#include "tariff.h"

/* 1 when the zone accepts parking and extensions; else replies zone_inactive about the
   car and returns 0. */
int zone_open(struct step *st, int zone, const char *name, int active, const char *plate,
              long long session_id, long long pending_id)
{
    struct car car = { zone, name, plate };
    struct reply_build r;

    if (active)
        return 1;
    rb_init(&r, REPLY_zone_inactive, &car);
    r.session_id = session_id;
    r.pending_id = pending_id;
    return emit(st, &r) < 0 ? -1 : 0;
}

/* 1 when s may be extended by hours within max_hours of paid time (free time between
   does not count); else replies max_duration. */
int extension_allowed(struct step *st, const struct dlg_session *s, int hours)
{
    struct dlg_zone_policies zp;
    int64_t paid = policy_paid_seconds(policies_of(st, s->zone, s->rate, &zp), s->started,
                                       s->paid_until);
    struct car car;
    struct reply_build r;

    if (hours >= 1 && paid + (int64_t)hours * 3600 <= (int64_t)st->cfg->max_hours * 3600)
        return 1;
    car_of_session(&car, s);
    rb_init(&r, REPLY_max_duration, &car);
    rb_int(&r, "max_hours", st->cfg->max_hours);
    r.session_id = s->id;
    return emit(st, &r) < 0 ? -1 : 0;
}
