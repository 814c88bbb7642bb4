/* sight.c: sightings, the violations they make, and the hand-over to the fines system. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enforce_int.h"
#include "violation.h"

#define SIGHT_WINDOW ((time_t)24 * 3600)   /* sightings this far either side may share a stay */
#define SIGHT_MAX 2000

struct stay_eval {
    const char *plate;
    int zone;
    time_t first, last, unpaid_from;
    size_t count;
    long long first_id, last_id;
    enum violation_verdict verdict;
};

/* Loads the plate's sightings around `at` and finds the stay holding sighting `id`. */
static int find_stay(struct enforce *e, PGconn *c, const char *plate, time_t at, long long id,
                     struct stay_eval *ev, struct en_error *err)
{
    static _Thread_local struct violation_sighting sg[SIGHT_MAX];
    static _Thread_local long long ids[SIGHT_MAX];
    static _Thread_local struct violation_stay stays[SIGHT_MAX];
    char from[24], to[24];
    const char *params[3] = { plate, from, to };
    PGresult *r;
    size_t n, ns;

    snprintf(from, sizeof from, "%lld", (long long)at - (long long)SIGHT_WINDOW);
    snprintf(to, sizeof to, "%lld", (long long)at + (long long)SIGHT_WINDOW);
    if ((r = en_exec(e, c, ST_sightings_near, params, err)) == NULL)
        return -1;
    n = (size_t)PQntuples(r);
    for (size_t i = 0; i < n; i++) {
        ids[i] = strtoll(PQgetvalue(r, (int)i, 0), NULL, 10);
        sg[i] = (struct violation_sighting){ (time_t)strtoll(PQgetvalue(r, (int)i, 2), NULL, 10),
                                             atoi(PQgetvalue(r, (int)i, 1)) };
    }
    PQclear(r);
    ns = violation_stays(sg, n, e->cfg.max_gap, stays, SIGHT_MAX);
    for (size_t k = 0; k < ns && k < SIGHT_MAX; k++)
        for (size_t i = stays[k].first; i < stays[k].first + stays[k].count; i++)
            if (ids[i] == id) {
                *ev = (struct stay_eval){ plate, stays[k].zone, stays[k].first_seen,
                                          stays[k].last_seen, 0, stays[k].count,
                                          ids[stays[k].first], ids[stays[k].first + stays[k].count - 1],
                                          VIOLATION_NONE_SHORT };
                return 0;
            }
    return en_fail(err, EN_CONFLICT, "the sighting is outside the evaluated window"), -1;
}

/* The verdict for the stay, from the plate's paid ranges in its zone and the zone's paid
   hours. */
static int decide(struct enforce *e, PGconn *c, struct stay_eval *ev, struct en_error *err)
{
    struct violation_paid paid[256];
    char zs[16], from[24], to[24];
    const char *params[4] = { ev->plate, zs, from, to };
    static _Thread_local struct en_hours hours;
    const struct policy_set *set;
    PGresult *r;
    size_t n;
    int rows;

    snprintf(zs, sizeof zs, "%d", ev->zone);
    snprintf(from, sizeof from, "%lld", (long long)ev->first);
    snprintf(to, sizeof to, "%lld", (long long)ev->last);
    if ((r = en_exec(e, c, ST_paid_ranges, params, err)) == NULL)
        return -1;
    rows = PQntuples(r);
    n = rows > 256 ? 256 : (size_t)rows;
    for (size_t i = 0; i < n; i++)
        paid[i] = (struct violation_paid){ (time_t)strtoll(PQgetvalue(r, (int)i, 0), NULL, 10),
                                           (time_t)strtoll(PQgetvalue(r, (int)i, 1), NULL, 10) };
    PQclear(r);
    if ((set = en_zone_hours(e, c, ev->zone, &hours, err)) == NULL)
        return -1;
    ev->verdict = violation_decide(set, ev->first, ev->last, e->cfg.grace, paid, n,
                                   &ev->unpaid_from);
    return 0;
}

/* Records the stay's violation (extending the open one of the same stay); its id or 0. */
static long long record_violation(struct enforce *e, PGconn *c, const struct stay_eval *ev,
                                  struct en_error *err)
{
    char zs[16], f[24], l[24], u[24], n[16], fi[24], li[24];
    const char *params[8] = { ev->plate, zs, f, l, u, n, fi, li };
    PGresult *r;
    long long id = 0;

    snprintf(zs, sizeof zs, "%d", ev->zone);
    snprintf(f, sizeof f, "%lld", (long long)ev->first);
    snprintf(l, sizeof l, "%lld", (long long)ev->last);
    snprintf(u, sizeof u, "%lld", (long long)ev->unpaid_from);
    snprintf(n, sizeof n, "%zu", ev->count);
    snprintf(fi, sizeof fi, "%lld", ev->first_id);
    snprintf(li, sizeof li, "%lld", ev->last_id);
    if ((r = en_exec(e, c, ST_violation_update, params, err)) == NULL)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        if ((r = en_exec(e, c, ST_violation_insert, params, err)) == NULL)
            return -1;
    }
    if (PQntuples(r) > 0)
        id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return id;
}

/* Inserts the sighting (or finds the device's earlier one): its id, *created. */
static long long insert_sighting(struct enforce *e, PGconn *c, const struct en_sighting *s,
                                 const char *plate, int *created, struct en_error *err)
{
    char zs[16], at[24], lon[32], lat[32];
    const char *params[8] = { plate, zs, at, s->source, s->has_point ? lon : NULL,
                              s->has_point ? lat : NULL, s->device, s->device_ref };
    const char *ref[2] = { s->device, s->device_ref };
    PGresult *r;
    long long id = -1;

    snprintf(zs, sizeof zs, "%d", s->zone);
    snprintf(at, sizeof at, "%lld", (long long)s->at);
    snprintf(lon, sizeof lon, "%.8f", s->lon);
    snprintf(lat, sizeof lat, "%.8f", s->lat);
    if ((r = en_exec(e, c, ST_sight_insert, params, err)) == NULL)
        return -1;
    *created = PQntuples(r) == 1;
    if (*created)
        id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    if (*created)
        return id;
    if ((r = en_exec(e, c, ST_sight_by_ref, ref, err)) == NULL)
        return -1;
    if (PQntuples(r) == 1)
        id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return id;
}

static enum en_status exec_simple(PGconn *c, const char *sql, struct en_error *err)
{
    PGresult *r = PQexec(c, sql);
    int ok = pool_ok(r);

    PQclear(r);
    return ok ? EN_OK : en_fail(err, EN_UNAVAILABLE, "the database is unavailable; try again later");
}

/* One transaction: lock the plate, insert, evaluate the stay, record a violation (none in
   a zone that takes no parking now). */
static enum en_status sight_tx(struct enforce *e, PGconn *c, const struct en_sighting *s,
                               const char *plate, int zone_active, json_t **out,
                               struct en_error *err)
{
    const char *lock[1] = { plate };
    struct stay_eval ev;
    long long id, vid = 0;
    int created = 0;
    PGresult *r;

    if (exec_simple(c, "BEGIN", err) != EN_OK)
        return err->status;
    if ((r = en_exec(e, c, ST_lock_plate, lock, err)) == NULL)
        return err->status;
    PQclear(r);
    if ((id = insert_sighting(e, c, s, plate, &created, err)) < 0)
        return err->status;
    if (find_stay(e, c, plate, s->at, id, &ev, err) != 0 || decide(e, c, &ev, err) != 0)
        return err->status;
    if (ev.verdict == VIOLATION_FOUND && zone_active && (vid = record_violation(e, c, &ev, err)) < 0)
        return err->status;
    if (exec_simple(c, "COMMIT", err) != EN_OK)
        return err->status;
    *out = json_pack("{s:I, s:b, s:s, s:i, s:o, s:{s:o, s:o, s:I, s:s}, s:o}", "id", (json_int_t)id,
                     "created", created, "plate", plate, "zone", s->zone, "seen_at", en_time(e, s->at),
                     "stay", "first_seen", en_time(e, ev.first), "last_seen", en_time(e, ev.last),
                     "sightings", (json_int_t)ev.count, "verdict", violation_verdict_name(ev.verdict),
                     "violation", vid > 0 ? json_integer(vid) : json_null());
    return EN_OK;
}

enum en_status enforce_sight(struct enforce *e, const struct en_sighting *in, json_t **out,
                             struct en_error *err)
{
    struct en_sighting s = *in;
    struct plate p;
    json_t *zone = NULL;
    PGconn *c;
    enum en_status st;

    if (en_plate(e, s.plate, &p, err) != EN_OK)
        return err->status;
    if ((s.device == NULL) != (s.device_ref == NULL))
        return en_fail(err, EN_INVALID, "device and device_ref go together");
    if (s.zone < 0 && (!s.has_point || locate_zone(e, s.lon, s.lat, &s.zone, err) != EN_OK))
        return s.has_point ? err->status : en_fail(err, EN_INVALID, "give a zone or lon and lat");
    if ((c = en_get(e, err)) == NULL)
        return err->status;
    if ((st = en_zone_get(e, c, s.zone, &zone, err)) == EN_OK)
        st = sight_tx(e, c, &s, p.canonical, json_is_true(json_object_get(zone, "active")), out, err);
    json_decref(zone);
    en_put(e, c);
    return st;
}

/* --- violations -------------------------------------------------------------------- */

static json_t *evidence(const struct enforce *e, const PGresult *r, int i, int col)
{
    if (PQgetisnull(r, i, col))
        return json_null();
    (void)e;
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "sighting", en_int(r, i, col),
                     "source", en_text(r, i, col + 1), "device", en_text(r, i, col + 2),
                     "device_ref", en_text(r, i, col + 3), "lon", en_real(r, i, col + 4),
                     "lat", en_real(r, i, col + 5));
}

static json_t *violation_json(const struct enforce *e, const PGresult *r, int i)
{
    json_t *v = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "id", en_int(r, i, 0), "plate", en_text(r, i, 1), "zone", en_int(r, i, 2),
        "zone_name", en_text(r, i, 3), "first_seen", en_time_col(e, r, i, 4),
        "last_seen", en_time_col(e, r, i, 5), "unpaid_from", en_time_col(e, r, i, 6),
        "sightings", en_int(r, i, 7), "status", en_text(r, i, 8));

    json_object_set_new(v, "handed_over_at", en_time_col(e, r, i, 9));
    json_object_set_new(v, "handed_over_by", en_text(r, i, 10));
    json_object_set_new(v, "fine_ref", en_text(r, i, 11));
    json_object_set_new(v, "evidence", json_pack("{s:o, s:o}", "first", evidence(e, r, i, 12),
                                                 "last", evidence(e, r, i, 18)));
    return v;
}

enum en_status enforce_violations(struct enforce *e, time_t since, const char *status,
                                  const char *plate, long long after, int limit,
                                  json_t **out, struct en_error *err)
{
    char ss[24], ls[16], as[24];
    const char *params[5] = { ss, status, plate, ls, as };
    PGconn *c;
    PGresult *r;
    json_t *list;

    snprintf(ss, sizeof ss, "%lld", (long long)since);
    snprintf(ls, sizeof ls, "%d", limit);
    snprintf(as, sizeof as, "%lld", after);
    if ((c = en_get(e, err)) == NULL)
        return err->status;
    r = en_exec(e, c, ST_violations, params, err);
    en_put(e, c);
    if (r == NULL)
        return err->status;
    list = json_array();
    for (int i = 0; i < PQntuples(r); i++)
        json_array_append_new(list, violation_json(e, r, i));
    *out = json_pack("{s:o, s:o}", "violations", list, "next_after",
                     PQntuples(r) == limit ? en_int(r, limit - 1, 0) : json_null());
    PQclear(r);
    return EN_OK;
}

enum en_status enforce_hand_over(struct enforce *e, long long id, const char *by,
                                 const char *fine_ref, json_t **out, struct en_error *err)
{
    char is[24];
    const char *params[3] = { is, by, fine_ref }, *one[1] = { is };
    PGconn *c;
    PGresult *r;
    enum en_status st = EN_OK;

    snprintf(is, sizeof is, "%lld", id);
    if ((c = en_get(e, err)) == NULL)
        return err->status;
    if ((r = en_exec(e, c, ST_violation_hand_over, params, err)) != NULL && PQntuples(r) == 0) {
        PQclear(r);
        if ((r = en_exec(e, c, ST_violation_status, one, err)) == NULL)
            st = err->status;
        else if (PQntuples(r) == 0)
            st = en_fail(err, EN_NOT_FOUND, "violation %lld does not exist", id);
        else if (strcmp(PQgetvalue(r, 0, 0), "sent") != 0 ||
                 (fine_ref && strcmp(PQgetvalue(r, 0, 1), fine_ref) != 0))
            st = en_fail(err, EN_CONFLICT, "violation %lld is %s%s%s", id, PQgetvalue(r, 0, 0),
                         PQgetisnull(r, 0, 1) ? "" : " as ", PQgetvalue(r, 0, 1));
    } else if (r == NULL) {
        st = err->status;
    }
    PQclear(r);
    en_put(e, c);
    if (st == EN_OK)
        *out = json_pack("{s:I, s:s, s:s?}", "id", (json_int_t)id, "status", "sent", "fine_ref", fine_ref);
    return st;
}
