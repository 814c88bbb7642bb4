/* cmd_sight.c: `parkzones sight`: an inspector or camera car reports a plate in a zone.
 *
 *   parkzones sight PLATE [ZONE] [--at TIME] [--source S] [--lon X --lat Y] [--radius M]
 *                   [--grace MIN] [--max-gap MIN] [--json]
 *
 * Records the sighting (plate in canonical form; the point when --lon/--lat are given) and
 * reports whether the car is paid at that moment, and how its stay in the zone stands under
 * the 15-minute rule (violation.h; `parkzones violations` records violations). Without
 * ZONE the zone is the one whose block lies nearest to --lon/--lat, within --radius metres
 * (default 30; zonelocate.h).
 * Exit status: 0 recorded (paid or not: see the output), 1 a bad plate or zone, an unknown
 * zone, or no zone near the point (nothing recorded), 2 usage (a bad time), 3 database.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_shared.h"
#include "commands.h"
#include "inspect.h"
#include "zonedata.h"
#include "zonedb.h"
#include "zonelocate.h"

#define SIGHT_RADIUS 30.0

struct sight_opts {
    const char *plate_text, *zone_text, *source;
    time_t at;
    int has_point, json;
    double lon, lat, radius;
    long grace_min, gap_min;
};

struct sight_result {
    struct plate p;
    struct inspect_zone z;
    long long id;
    struct inspect_cover cov;
    int found;
    struct violation_stay stay;
    enum violation_verdict verdict;
    time_t unpaid_from;
    double suggested_m;              /* distance to the block that gave the zone, or -1 */
};

static int sight_usage(void)
{
    fprintf(stderr, "usage: parkzones sight PLATE [ZONE] [--at TIME] [--source S] "
            "[--lon X --lat Y] [--radius M] [--grace MIN] [--max-gap MIN] [--json]\n");
    return PZ_EXIT_USAGE;
}

static int parse_coord(const char *text, double lim, double *out)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || !isfinite(v) || fabs(v) > lim)
        return -1;
    *out = v;
    return 0;
}

static int sight_option(char **argv, int *i, int more, struct sight_opts *o, int *got)
{
    const char *a = argv[*i];

    if (strcmp(a, "--json") == 0)
        return (o->json = 1), 0;
    if (!more)
        return -1;
    if (strcmp(a, "--at") == 0)
        return inspect_parse_time("sight", argv[++*i], &o->at);
    if (strcmp(a, "--source") == 0)
        return (o->source = argv[++*i]), 0;
    if (strcmp(a, "--grace") == 0)
        return inspect_parse_minutes("sight", a, argv[++*i], 1440, &o->grace_min);
    if (strcmp(a, "--max-gap") == 0)
        return inspect_parse_minutes("sight", a, argv[++*i], 1440, &o->gap_min);
    if (strcmp(a, "--lon") == 0)
        return (*got |= 1), parse_coord(argv[++*i], 180, &o->lon) ? -1 : 0;
    if (strcmp(a, "--lat") == 0)
        return (*got |= 2), parse_coord(argv[++*i], 90, &o->lat) ? -1 : 0;
    if (strcmp(a, "--radius") == 0)
        return parse_coord(argv[++*i], 10000, &o->radius) || o->radius < 0 ? -1 : 0;
    return -1;
}

static int sight_args(int argc, char **argv, struct sight_opts *o)
{
    int got = 0;

    o->at = time(NULL);
    o->radius = SIGHT_RADIUS;
    o->grace_min = VIOLATION_GRACE_DEFAULT / 60;
    o->gap_min = VIOLATION_MAX_GAP_DEFAULT / 60;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] == '-') {
            int rc = sight_option(argv, &i, i + 1 < argc, o, &got);
            if (rc != 0)
                return rc < 0 ? sight_usage() : rc;
        } else if (o->plate_text == NULL) {
            o->plate_text = argv[i];
        } else if (o->zone_text == NULL) {
            o->zone_text = argv[i];
        } else {
            return sight_usage();
        }
    }
    if (o->plate_text == NULL || (got != 0 && got != 3) || (o->zone_text == NULL && got != 3))
        return sight_usage();
    o->has_point = got == 3;
    return 0;
}

/* The zone of the block nearest to the point, within the radius (zonelocate.h). */
static int sight_locate(PGconn *c, const struct sight_opts *o, int *zone, double *dist)
{
    char err[512];
    struct zone_set *s = zone_set_load_pg(c, err, sizeof err);
    struct zonelocate *z = s ? zonelocate_create(s, NULL, err, sizeof err) : NULL;
    struct zonelocate_hit hit;
    long n = z ? zonelocate_query(z, o->lon, o->lat, o->radius, &hit, 1) : -1;
    int rc = 0;

    if (s == NULL || z == NULL || n < 0) {
        fprintf(stderr, "parkzones sight: locating the zone failed: %s\n", s && z ? "look-up" : err);
        rc = PZ_EXIT_FAIL;
    } else if (n == 0) {
        fprintf(stderr, "parkzones sight: no zone's block within %g m of %.7f %.7f: give the "
                "zone\n", o->radius, o->lon, o->lat);
        rc = PZ_EXIT_DATA;
    } else {
        *zone = hit.zone;
        *dist = hit.distance_m;
    }
    zonelocate_destroy(z);
    zone_set_destroy(s);
    return rc;
}

static const char insert_sql[] =
    "INSERT INTO sightings (plate, zone, seen_at, source, location) "
    "VALUES ($1, $2::integer, to_timestamp($3::bigint), $4, "
    "        CASE WHEN $5::float8 IS NULL THEN NULL "
    "             ELSE ST_SetSRID(ST_MakePoint($5::float8, $6::float8), 4326) END) RETURNING id";

static int sight_insert(PGconn *c, const struct sight_opts *o, struct sight_result *res)
{
    char z[16], t[24], x[32], y[32];
    const char *params[6] = { res->p.canonical, z, t, o->source, o->has_point ? x : NULL,
                              o->has_point ? y : NULL };
    PGresult *r;

    snprintf(z, sizeof z, "%d", res->z.number);
    snprintf(t, sizeof t, "%lld", (long long)o->at);
    snprintf(x, sizeof x, "%.7f", o->lon);
    snprintf(y, sizeof y, "%.7f", o->lat);
    r = PQexecParams(c, insert_sql, 6, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        inspect_db_error(c, r, "sight", "sightings");
        PQclear(r);
        return PZ_EXIT_FAIL;
    }
    res->id = atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    return 0;
}

static const char stay_sql[] =
    "SELECT zone, extract(epoch FROM seen_at)::bigint FROM sightings "
    "WHERE plate = $1 AND seen_at BETWEEN to_timestamp($2::bigint) - interval '1 day' "
    "                                 AND to_timestamp($2::bigint) "
    "ORDER BY seen_at, id";

/* The stay this sighting ends (the plate's sightings up to it) and its verdict. */
static int sight_stay(PGconn *c, const struct sight_opts *o, struct sight_result *res)
{
    char t[24];
    const char *params[2] = { res->p.canonical, t };
    PGresult *r;
    struct violation_paid *paid = NULL;
    size_t npaid;
    int n, rc;

    snprintf(t, sizeof t, "%lld", (long long)o->at);
    r = PQexecParams(c, stay_sql, 2, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || (n = PQntuples(r)) == 0) {
        inspect_db_error(c, r, "sight", "sightings");
        PQclear(r);
        return PZ_EXIT_FAIL;
    }
    struct violation_sighting *s = calloc((size_t)n, sizeof *s);
    struct violation_stay *st = calloc((size_t)n, sizeof *st);
    for (int i = 0; s && st && i < n; i++)
        s[i] = (struct violation_sighting){ (time_t)atoll(PQgetvalue(r, i, 1)),
                                            atoi(PQgetvalue(r, i, 0)) };
    PQclear(r);
    size_t nst = s && st ? violation_stays(s, (size_t)n, o->gap_min * 60, st, (size_t)n) : 0;
    rc = nst == 0 ? PZ_EXIT_FAIL : 0;
    if (rc == 0) {
        res->stay = st[nst - 1];
        rc = inspect_load_paid(c, "sight", res->p.canonical, res->stay.zone,
                               res->stay.first_seen, res->stay.last_seen, &paid, &npaid);
    }
    if (rc == 0)
        res->verdict = violation_decide(res->stay.first_seen, res->stay.last_seen,
                                        o->grace_min * 60, paid, npaid, &res->unpaid_from);
    free(paid), free(s), free(st);
    return rc;
}

static const char *stay_words(const struct sight_result *res, long grace_min, char *buf,
                              size_t size)
{
    char t[INSPECT_TIME_MAX];

    if (res->verdict == VIOLATION_NONE_SHORT)
        snprintf(buf, size, "within the %ld minutes to pay", grace_min);
    else if (res->verdict == VIOLATION_NONE_PAID)
        snprintf(buf, size, "paid beyond the %ld minutes to pay", grace_min);
    else
        snprintf(buf, size, "VIOLATION: unpaid since %s", (inspect_time_local(res->unpaid_from, t), t));
    return buf;
}

static void sight_print_text(const struct sight_opts *o, const struct sight_result *res)
{
    char a[INSPECT_TIME_MAX], b[INSPECT_TIME_MAX], words[128];
    long mins = (long)(res->stay.last_seen - res->stay.first_seen) / 60;

    inspect_time_local(o->at, a), inspect_time_utc(o->at, b);
    printf("sighting %lld: %s zone %04d %s at %s (%s)%s\n", res->id, res->p.canonical,
           res->z.number, res->z.name, a, b, res->z.active ? "" : " (zone deactivated)");
    if (res->suggested_m >= 0)
        printf("  zone from the location: block %.1f m away\n", res->suggested_m);
    if (res->found == 1) {
        inspect_time_local(res->cov.until, a);
        printf("PAID until %s\n", a);
    } else {
        printf("NOT PAID\n");
    }
    inspect_time_local(res->stay.first_seen, a);
    printf("  in the zone since %s (%ld min, %zu sighting%s): %s\n", a, mins, res->stay.count,
           res->stay.count == 1 ? "" : "s", stay_words(res, o->grace_min, words, sizeof words));
}

static void sight_print_json(const struct sight_opts *o, const struct sight_result *res)
{
    char a[INSPECT_TIME_MAX], b[INSPECT_TIME_MAX], c[INSPECT_TIME_MAX];
    json_t *j;

    inspect_time_utc(o->at, a);
    inspect_time_local_iso(o->at, b);
    inspect_time_utc(res->stay.first_seen, c);
    j = json_pack("{s:I, s:s, s:i, s:s, s:b, s:s, s:s, s:b, s:s, s:I, s:s}", "id",
                  (json_int_t)res->id, "plate", res->p.canonical, "zone", res->z.number,
                  "zone_name", res->z.name, "zone_active", res->z.active, "at", a,
                  "at_local", b, "paid", res->found == 1, "stay_since", c,
                  "stay_sightings", (json_int_t)res->stay.count,
                  "stay", violation_verdict_name(res->verdict));
    if (res->found == 1) {
        inspect_time_utc(res->cov.until, a);
        json_object_set_new(j, "paid_until", json_string(a));
    }
    if (res->verdict == VIOLATION_FOUND) {
        inspect_time_utc(res->unpaid_from, a);
        json_object_set_new(j, "unpaid_from", json_string(a));
    }
    if (res->suggested_m >= 0)
        json_object_set_new(j, "located_m", json_real(round(res->suggested_m * 10) / 10));
    json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("\n");
    json_decref(j);
}

static int sight_run(PGconn *c, const struct sight_opts *o, struct sight_result *res)
{
    int zone = -1, rc = 0;

    if (o->zone_text != NULL)
        rc = cmd_parse_zone("sight", o->zone_text, &zone);
    else
        rc = sight_locate(c, o, &zone, &res->suggested_m);
    if (rc == 0)
        rc = inspect_zone_get(c, "sight", zone, &res->z);
    if (rc == 0)
        rc = sight_insert(c, o, res);
    if (rc == 0)
        rc = inspect_cover_at(c, "sight", res->p.canonical, zone, o->at, &res->cov, &res->found);
    if (rc == 0)
        rc = sight_stay(c, o, res);
    return rc;
}

int cmd_sight(int argc, char **argv)
{
    struct sight_opts o = { 0 };
    struct sight_result res;
    PGconn *c;
    int rc;

    memset(&res, 0, sizeof res);
    res.suggested_m = -1;
    if ((rc = inspect_init_tz("sight")) != 0 || (rc = sight_args(argc, argv, &o)) != 0
        || (rc = inspect_parse_plate("sight", o.plate_text, &res.p)) != 0)
        return rc;
    if (o.zone_text != NULL && (rc = cmd_parse_zone("sight", o.zone_text, &(int){ 0 })) != 0)
        return rc;
    if ((c = inspect_connect("sight", 1)) == NULL)
        return PZ_EXIT_FAIL;
    rc = sight_run(c, &o, &res);
    PQfinish(c);
    if (rc != 0)
        return rc;
    if (o.json)
        sight_print_json(&o, &res);
    else
        sight_print_text(&o, &res);
    return PZ_EXIT_OK;
}
