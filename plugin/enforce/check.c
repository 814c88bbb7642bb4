/* check.c: paid, in grace or unpaid at a moment (enforce_check). */
#include <stdio.h>
#include <stdlib.h>

#include "enforce_int.h"
#include "violation.h"

#define STAY_LOOKBACK ((time_t)24 * 3600)       /* sightings older than this never start a stay */

/* The stay of plate in zone that is still going at `at` (sightings up to at, the last
   in zone and at most max_gap before at): its first sighting into *first_seen, 1; else 0. */
static int current_stay(struct enforce *e, PGconn *c, const char *plate, int zone, time_t at,
                        time_t *first_seen, struct en_error *err)
{
    char from[24], to[24];
    const char *params[3] = { plate, from, to };
    struct violation_sighting sg[2000];
    struct violation_stay stay;
    PGresult *r;
    size_t n, nstays;

    snprintf(from, sizeof from, "%lld", (long long)(at - STAY_LOOKBACK));
    snprintf(to, sizeof to, "%lld", (long long)at);
    if ((r = en_exec(e, c, ST_sightings_near, params, err)) == NULL)
        return -1;
    n = (size_t)PQntuples(r);
    for (size_t i = 0; i < n; i++)
        sg[i] = (struct violation_sighting){ (time_t)strtoll(PQgetvalue(r, (int)i, 2), NULL, 10),
                                             atoi(PQgetvalue(r, (int)i, 1)) };
    PQclear(r);
    nstays = violation_stays(sg, n, e->cfg.max_gap, NULL, 0);
    if (nstays == 0)
        return 0;
    /* the last stay only: ask for all, keep the last (at most n stays) */
    {
        struct violation_stay *all = malloc(nstays * sizeof(*all));
        if (all == NULL)
            return en_fail(err, EN_UNAVAILABLE, "out of memory"), -1;
        violation_stays(sg, n, e->cfg.max_gap, all, nstays);
        stay = all[nstays - 1];
        free(all);
    }
    if (stay.zone != zone || at - stay.last_seen > e->cfg.max_gap)
        return 0;
    *first_seen = stay.first_seen;
    return 1;
}

static json_t *paid_answer(struct enforce *e, const PGresult *r, int zone)
{
    int in_zone = PQgetvalue(r, 0, 4)[0] == 't';

    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:b}", "status", in_zone ? "paid" : "paid_elsewhere",
                     "session", en_int(r, 0, 0), "session_zone", en_int(r, 0, 1),
                     "paid_from", en_time_col(e, r, 0, 2), "paid_until", en_time_col(e, r, 0, 3),
                     "zone_matches", zone < 0 || in_zone);
}

/* No session at `at`: free when the zone's paid hours say so (with when paid time begins
   again); else in grace when the current stay began less than grace seconds of paid time
   ago, or unpaid. */
static enum en_status unpaid_answer(struct enforce *e, PGconn *c, const char *plate, int zone,
                                    time_t at, json_t **out, struct en_error *err)
{
    static _Thread_local struct en_hours hours;
    const struct policy_set *set = NULL;
    time_t first, grace_until, paid_from;
    int st;

    if (zone >= 0 && (set = en_zone_hours(e, c, zone, &hours, err)) == NULL)
        return err->status;
    if (set != NULL && (paid_from = policy_next_paid(set, at)) != at) {
        *out = json_pack("{s:s, s:o}", "status", "free", "paid_from",
                         paid_from == (time_t)-1 ? json_null() : en_time(e, paid_from));
        return EN_OK;
    }
    st = zone >= 0 ? current_stay(e, c, plate, zone, at, &first, err) : 0;
    if (st < 0)
        return err->status;
    if (st == 1) {
        grace_until = set != NULL ? policy_paid_end(set, first, e->cfg.grace)
                                  : first + e->cfg.grace;
        if (grace_until == (time_t)-1)
            grace_until = first + e->cfg.grace;
        *out = json_pack("{s:s, s:o, s:o}", "status", at <= grace_until ? "grace" : "unpaid",
                         "first_seen", en_time(e, first), "grace_until", en_time(e, grace_until));
    } else {
        *out = json_pack("{s:s, s:n, s:n}", "status", "unpaid", "first_seen", "grace_until");
    }
    return EN_OK;
}

enum en_status enforce_check(struct enforce *e, const char *plate_text, int zone, time_t at,
                             json_t **out, struct en_error *err)
{
    struct plate p;
    char zs[16], ts[24];
    const char *params[3] = { p.canonical, zs, ts };
    PGconn *c;
    PGresult *r;
    enum en_status st = EN_OK;

    if (en_plate(e, plate_text, &p, err) != EN_OK)
        return err->status;
    snprintf(zs, sizeof zs, "%d", zone);
    snprintf(ts, sizeof ts, "%lld", (long long)at);
    if (zone < 0)
        params[1] = NULL;
    if ((c = en_get(e, err)) == NULL)
        return err->status;
    if ((r = en_exec(e, c, ST_paid_at, params, err)) == NULL)
        st = err->status;
    else if (PQntuples(r) == 1 && (zone < 0 || PQgetvalue(r, 0, 4)[0] == 't'))
        *out = paid_answer(e, r, zone);
    else
        st = unpaid_answer(e, c, p.canonical, zone, at, out, err);
    if (st == EN_OK && json_object_get(*out, "status") != NULL) {
        json_object_set_new(*out, "plate", json_string(p.canonical));
        json_object_set_new(*out, "zone", zone < 0 ? json_null() : json_integer(zone));
        json_object_set_new(*out, "at", en_time(e, at));
        if (r != NULL && PQntuples(r) == 1 && zone >= 0 && PQgetvalue(r, 0, 4)[0] != 't')
            json_object_set_new(*out, "paid_elsewhere", paid_answer(e, r, zone));
    }
    PQclear(r);
    en_put(e, c);
    return st;
}
