/* tariffs.c: a zone's paid hours, as the store read them, as the core's policy set. */
#include <string.h>

#include "dialogue.h"

const struct policy_set *dlg_zone_policies(const struct dlg_tariffs *ts,
                                           const struct local_zone *tz, int zone,
                                           int64_t tariff, struct dlg_zone_policies *zp)
{
    const struct dlg_tariff *t = NULL;

    for (int i = 0; ts != NULL && i < ts->n && t == NULL; i++)
        if (ts->t[i].zone == zone && ts->t[i].npolicies > 0)
            t = &ts->t[i];
    memset(zp, 0, sizeof *zp);
    zp->set.policies = zp->p;
    zp->set.zone = tz;
    if (ts != NULL) {
        zp->set.holidays = ts->holidays;
        zp->set.nholidays = (size_t)ts->nholidays;
    }
    if (t == NULL) {                      /* paid at every time at the tariff */
        zp->p[0] = (struct policy){ 0, 0, tariff > 0 ? tariff : 1, 0, NULL, 0 };
        zp->set.npolicies = 1;
        return &zp->set;
    }
    for (int i = 0; i < t->npolicies; i++) {
        const struct dlg_policy *d = &t->policies[i];
        zp->p[i] = (struct policy){ d->id, d->priority,
                                    d->is_default && tariff >= 0 ? tariff : d->rate,
                                    d->holidays_free,
                                    d->nspans ? &t->spans[d->first_span] : NULL,
                                    (size_t)d->nspans };
    }
    zp->set.npolicies = (size_t)t->npolicies;
    return &zp->set;
}
