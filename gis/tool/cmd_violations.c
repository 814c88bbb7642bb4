/* cmd_violations.c: `parkzones violations`: the 15-minute rule over the sightings.
 *
 *   parkzones violations [--since TIME] [--at TIME] [--grace MIN] [--max-gap MIN]
 *                        [--status S] [--json]
 *
 * In one transaction (the violations table locked against a concurrent run): the sightings
 * of every plate seen between --since (default: a day before --at) and --at (default: now),
 * with that plate's sightings of the day before --since so that a stay is seen whole, are
 * split into stays and decided (violation.h). Stays that end before --since and stays in
 * deactivated zones are left alone. A violation is recorded once per stay: a new stay adds
 * a row; a stay that already has an open row (overlapping in time) updates it when it has
 * grown; a row that is no longer open is never changed. Then the violations whose last
 * sighting is at or after --since (with status S, when given) are listed for the fines
 * system, followed by how many were created and updated.
 * Exit status: 0, 2 usage (a bad time or option), 3 database.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "inspect.h"

#define LOOKBACK_S 86400

struct viol_opts {
    time_t now, since;
    long grace_min, gap_min;
    const char *status;
    int json;
};

struct viol_count {
    int created, updated;
};

static int viol_usage(void)
{
    fprintf(stderr, "usage: parkzones violations [--since TIME] [--at TIME] [--grace MIN] "
            "[--max-gap MIN] [--status open|sent|paid|cancelled] [--json]\n");
    return PZ_EXIT_USAGE;
}

static int viol_args(int argc, char **argv, struct viol_opts *o)
{
    const char *since = NULL, *at = NULL;
    int rc = 0;

    o->grace_min = VIOLATION_GRACE_DEFAULT / 60;
    o->gap_min = VIOLATION_MAX_GAP_DEFAULT / 60;
    for (int i = 1; i < argc && rc == 0; i++) {
        int more = i + 1 < argc;
        if (strcmp(argv[i], "--json") == 0)
            o->json = 1;
        else if (strcmp(argv[i], "--since") == 0 && more)
            since = argv[++i];
        else if (strcmp(argv[i], "--at") == 0 && more)
            at = argv[++i];
        else if (strcmp(argv[i], "--status") == 0 && more)
            o->status = argv[++i];
        else if (strcmp(argv[i], "--grace") == 0 && more)
            rc = inspect_parse_minutes("violations", "--grace", argv[++i], 1440, &o->grace_min);
        else if (strcmp(argv[i], "--max-gap") == 0 && more)
            rc = inspect_parse_minutes("violations", "--max-gap", argv[++i], 1440, &o->gap_min);
        else
            return viol_usage();
    }
    o->now = time(NULL);
    if (rc == 0 && at != NULL)
        rc = inspect_parse_time("violations", at, &o->now);
    o->since = o->now - LOOKBACK_S;
    if (rc == 0 && since != NULL)
        rc = inspect_parse_time("violations", since, &o->since);
    if (rc == 0 && o->status != NULL && strcmp(o->status, "open") != 0
        && strcmp(o->status, "sent") != 0 && strcmp(o->status, "paid") != 0
        && strcmp(o->status, "cancelled") != 0)
        return viol_usage();
    return rc;
}

static const char overlap_sql[] =
    "SELECT id, status, extract(epoch FROM first_seen_at)::bigint, "
    "       extract(epoch FROM last_seen_at)::bigint, sightings, "
    "       extract(epoch FROM unpaid_from)::bigint "
    "FROM violations WHERE plate = $1 AND zone = $2::integer "
    "  AND tstzrange(first_seen_at, last_seen_at, '[]') "
    "      && tstzrange(to_timestamp($3::bigint), to_timestamp($4::bigint), '[]')";
static const char insert_sql[] =
    "INSERT INTO violations (plate, zone, first_seen_at, last_seen_at, unpaid_from, sightings) "
    "VALUES ($1, $2::integer, to_timestamp($3::bigint), to_timestamp($4::bigint), "
    "        to_timestamp($5::bigint), $6::integer)";
static const char update_sql[] =
    "UPDATE violations SET first_seen_at = to_timestamp($3::bigint), "
    "       last_seen_at = to_timestamp($4::bigint), unpaid_from = to_timestamp($5::bigint), "
    "       sightings = $6::integer, updated_at = now() "
    "WHERE id = $7::bigint AND plate = $1 AND zone = $2::integer AND status = 'open'";

/* 1 when the open row r (of overlap_sql) already says what the stay says. */
static int row_is_current(const PGresult *r, const struct violation_stay *st, time_t unpaid)
{
    return atoll(PQgetvalue(r, 0, 2)) == (long long)st->first_seen
        && atoll(PQgetvalue(r, 0, 3)) == (long long)st->last_seen
        && atoll(PQgetvalue(r, 0, 4)) == (long long)st->count
        && atoll(PQgetvalue(r, 0, 5)) == (long long)unpaid;
}

/* Records the violation of one stay: insert, update the open row, or leave it. */
static int viol_record(PGconn *c, const char *plate, const struct violation_stay *st,
                       time_t unpaid, struct viol_count *n)
{
    char b[6][24];
    const char *params[7] = { plate, b[0], b[1], b[2], b[3], b[4], NULL };
    const char *sql = NULL;
    PGresult *r;
    int rc = 0;

    snprintf(b[0], 24, "%d", st->zone);
    snprintf(b[1], 24, "%lld", (long long)st->first_seen);
    snprintf(b[2], 24, "%lld", (long long)st->last_seen);
    snprintf(b[3], 24, "%lld", (long long)unpaid);
    snprintf(b[4], 24, "%zu", st->count);
    r = PQexecParams(c, overlap_sql, 4, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        inspect_db_error(c, r, "violations", "violations");
        PQclear(r);
        return PZ_EXIT_FAIL;
    }
    if (PQntuples(r) == 0) {
        sql = insert_sql, n->created++;
    } else if (PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 1), "open") == 0
               && !row_is_current(r, st, unpaid)) {
        snprintf(b[5], 24, "%s", PQgetvalue(r, 0, 0));
        params[6] = b[5];
        sql = update_sql, n->updated++;
    }
    PQclear(r);
    if (sql != NULL) {
        r = PQexecParams(c, sql, params[6] ? 7 : 6, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            inspect_db_error(c, r, "violations", "violations");
            rc = PZ_EXIT_FAIL;
        }
        PQclear(r);
    }
    return rc;
}

/* Decides every stay of one plate's sightings (rows first .. first+n-1 of r). */
static int viol_plate(PGconn *c, const PGresult *r, int first, int n, const struct viol_opts *o,
                      struct viol_count *cnt)
{
    const char *plate = PQgetvalue(r, first, 0);
    struct violation_sighting *s = calloc((size_t)n, sizeof *s);
    struct violation_stay *st = calloc((size_t)n, sizeof *st);
    size_t nst;
    int rc = 0;

    if (s == NULL || st == NULL) {
        free(s), free(st);
        fprintf(stderr, "parkzones violations: out of memory\n");
        return PZ_EXIT_FAIL;
    }
    for (int i = 0; i < n; i++)
        s[i] = (struct violation_sighting){ (time_t)atoll(PQgetvalue(r, first + i, 2)),
                                            atoi(PQgetvalue(r, first + i, 1)) };
    nst = violation_stays(s, (size_t)n, o->gap_min * 60, st, (size_t)n);
    for (size_t k = 0; k < nst && rc == 0; k++) {
        const char *active = PQgetvalue(r, first + (int)st[k].first, 3);
        struct violation_paid *paid;
        size_t npaid;
        time_t unpaid;
        if (st[k].last_seen < o->since || strcmp(active, "t") != 0)
            continue;
        rc = inspect_load_paid(c, "violations", plate, st[k].zone, st[k].first_seen,
                               st[k].last_seen, &paid, &npaid);
        if (rc == 0 && violation_decide(st[k].first_seen, st[k].last_seen, o->grace_min * 60,
                                        paid, npaid, &unpaid) == VIOLATION_FOUND)
            rc = viol_record(c, plate, &st[k], unpaid, cnt);
        free(paid);
    }
    free(s);
    free(st);
    return rc;
}

static const char sightings_sql[] =
    "SELECT s.plate, s.zone, extract(epoch FROM s.seen_at)::bigint, z.active "
    "FROM sightings s JOIN zones z ON z.number = s.zone "
    "WHERE s.plate IN (SELECT plate FROM sightings WHERE seen_at >= to_timestamp($1::bigint) "
    "                  AND seen_at <= to_timestamp($2::bigint)) "
    "  AND s.seen_at >= to_timestamp($1::bigint) - interval '1 day' "
    "  AND s.seen_at <= to_timestamp($2::bigint) "
    "ORDER BY s.plate, s.seen_at, s.id";

static int viol_evaluate(PGconn *c, const struct viol_opts *o, struct viol_count *cnt)
{
    char a[24], b[24];
    const char *params[2] = { a, b };
    PGresult *r;
    int rc = 0, n;

    snprintf(a, sizeof a, "%lld", (long long)o->since);
    snprintf(b, sizeof b, "%lld", (long long)o->now);
    r = PQexecParams(c, sightings_sql, 2, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        inspect_db_error(c, r, "violations", "sightings");
        PQclear(r);
        return PZ_EXIT_FAIL;
    }
    n = PQntuples(r);
    for (int i = 0, j; i < n && rc == 0; i = j) {
        for (j = i + 1; j < n && strcmp(PQgetvalue(r, j, 0), PQgetvalue(r, i, 0)) == 0; j++)
            ;
        rc = viol_plate(c, r, i, j - i, o, cnt);
    }
    PQclear(r);
    return rc;
}

static const char list_sql[] =
    "SELECT v.id, v.plate, v.zone, z.name, extract(epoch FROM v.first_seen_at)::bigint, "
    "       extract(epoch FROM v.last_seen_at)::bigint, "
    "       extract(epoch FROM v.unpaid_from)::bigint, v.sightings, v.status "
    "FROM violations v JOIN zones z ON z.number = v.zone "
    "WHERE v.last_seen_at >= to_timestamp($1::bigint) AND ($2::text IS NULL OR v.status = $2) "
    "ORDER BY v.first_seen_at, v.id";

static json_t *row_json(const PGresult *r, int i)
{
    static const char *const keys[] = { "first_seen", "last_seen", "unpaid_from" };
    json_t *o = json_pack("{s:I, s:s, s:i, s:s}", "id", (json_int_t)atoll(PQgetvalue(r, i, 0)),
                          "plate", PQgetvalue(r, i, 1), "zone", atoi(PQgetvalue(r, i, 2)),
                          "zone_name", PQgetvalue(r, i, 3));

    for (int k = 0; k < 3; k++) {
        char u[INSPECT_TIME_MAX], l[INSPECT_TIME_MAX], lk[32];
        time_t t = (time_t)atoll(PQgetvalue(r, i, 4 + k));
        inspect_time_utc(t, u);
        inspect_time_local_iso(t, l);
        snprintf(lk, sizeof lk, "%s_local", keys[k]);
        json_object_set_new(o, keys[k], json_string(u));
        json_object_set_new(o, lk, json_string(l));
    }
    json_object_set_new(o, "sightings", json_integer(atoi(PQgetvalue(r, i, 7))));
    json_object_set_new(o, "status", json_string(PQgetvalue(r, i, 8)));
    return o;
}

static void row_text(const PGresult *r, int i)
{
    char t[3][INSPECT_TIME_MAX];

    for (int k = 0; k < 3; k++)
        inspect_time_local((time_t)atoll(PQgetvalue(r, i, 4 + k)), t[k]);
    printf("%s\t%s\t%s %s\tseen %s to %s\tunpaid from %s\t%s sightings\t%s\n",
           PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3),
           t[0], t[1], t[2], PQgetvalue(r, i, 7), PQgetvalue(r, i, 8));
}

static int viol_list(PGconn *c, const struct viol_opts *o, const struct viol_count *cnt)
{
    char a[24];
    const char *params[2] = { a, o->status };
    PGresult *r;

    snprintf(a, sizeof a, "%lld", (long long)o->since);
    r = PQexecParams(c, list_sql, 2, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        inspect_db_error(c, r, "violations", "violations");
        PQclear(r);
        return PZ_EXIT_FAIL;
    }
    if (o->json) {
        json_t *list = json_array();
        for (int i = 0; i < PQntuples(r); i++)
            json_array_append_new(list, row_json(r, i));
        json_t *root = json_pack("{s:i, s:i, s:o}", "created", cnt->created,
                                 "updated", cnt->updated, "violations", list);
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("\n");
        json_decref(root);
    } else {
        for (int i = 0; i < PQntuples(r); i++)
            row_text(r, i);
        printf("# %d violation%s; created %d, updated %d\n", PQntuples(r),
               PQntuples(r) == 1 ? "" : "s", cnt->created, cnt->updated);
    }
    PQclear(r);
    return 0;
}

int cmd_violations(int argc, char **argv)
{
    struct viol_opts o = { 0 };
    struct viol_count cnt = { 0, 0 };
    PGconn *c;
    int rc;

    if ((rc = inspect_init_tz("violations")) != 0 || (rc = viol_args(argc, argv, &o)) != 0)
        return rc;
    if ((c = inspect_connect("violations", 1)) == NULL)
        return PZ_EXIT_FAIL;
    rc = inspect_exec(c, "violations", "BEGIN");
    if (rc == 0)
        rc = inspect_exec(c, "violations", "LOCK TABLE violations IN SHARE ROW EXCLUSIVE MODE");
    if (rc == 0)
        rc = viol_evaluate(c, &o, &cnt);
    if (rc == 0)
        rc = inspect_exec(c, "violations", "COMMIT");
    if (rc == 0)
        rc = viol_list(c, &o, &cnt);
    PQfinish(c);
    return rc;
}
