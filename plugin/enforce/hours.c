/* hours.c: a zone's paid hours for enforcement (en_zone_hours in enforce_int.h). */
#include <stdio.h>
#include <string.h>

#include "enforce_int.h"
#include "policy_rows.h"

const struct policy_set *en_zone_hours(struct enforce *e, PGconn *c, int zone,
                                       struct en_hours *h, struct en_error *err)
{
    char zs[16];
    const char *params[1] = { zs };
    PGresult *r;

    memset(&h->ts, 0, sizeof h->ts);
    snprintf(zs, sizeof zs, "%d", zone);
    if ((r = en_exec(e, c, ST_zone_policies, params, err)) == NULL)
        return NULL;
    policy_rows_read(r, &h->ts);
    PQclear(r);
    if ((r = en_exec(e, c, ST_holidays, NULL, err)) == NULL)
        return NULL;
    policy_rows_read_holidays(r, &h->ts);
    PQclear(r);
    return dlg_zone_policies(&h->ts, e->cfg.tz, zone, -1, &h->zp);
}
