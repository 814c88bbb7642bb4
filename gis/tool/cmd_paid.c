/* cmd_paid.c: `parkzones paid PLATE [--zone N] [--at TIME] [--json]`: has the car paid?
 *
 * PAID when a session of the plate (in zone N, when given) covers the moment (now by
 * default): from its start to its paid_until, or to the stop time after S, both included.
 * Prints the zone and the paid interval in Asia/Almaty time and UTC. NOT PAID otherwise,
 * naming the zone where the car is paid when that is another one.
 * Exit status: 0 PAID, 1 NOT PAID (or a bad plate, an unknown zone), 2 usage (a bad time),
 * 3 database.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmd_shared.h"
#include "commands.h"
#include "inspect.h"

struct paid_opts {
    const char *plate_text, *zone_text, *at_text;
    int json;
};

static int paid_usage(void)
{
    fprintf(stderr, "usage: parkzones paid PLATE [--zone N] [--at TIME] [--json]\n");
    return PZ_EXIT_USAGE;
}

static int paid_args(int argc, char **argv, struct paid_opts *o)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            o->json = 1;
        else if (strcmp(argv[i], "--zone") == 0 && i + 1 < argc)
            o->zone_text = argv[++i];
        else if (strcmp(argv[i], "--at") == 0 && i + 1 < argc)
            o->at_text = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1] == '-')
            return -1;
        else if (o->plate_text == NULL)
            o->plate_text = argv[i];
        else
            return -1;
    }
    return o->plate_text == NULL ? -1 : 0;
}

static void paid_print_text(const char *plate, const struct inspect_zone *z, time_t at,
                            const struct inspect_cover *cov, int found)
{
    char a[INSPECT_TIME_MAX], b[INSPECT_TIME_MAX];

    if (found == 1) {
        printf("PAID %s zone %04d %s\n", plate, cov->zone, cov->zone_name);
        inspect_time_local(cov->from, a), inspect_time_utc(cov->from, b);
        printf("  from  %s (%s)\n", a, b);
        inspect_time_local(cov->until, a), inspect_time_utc(cov->until, b);
        printf("  until %s (%s)%s\n", a, b, cov->running ? "" : ", stopped");
        return;
    }
    inspect_time_local(at, a), inspect_time_utc(at, b);
    if (z != NULL)
        printf("NOT PAID %s zone %04d %s at %s (%s)\n", plate, z->number, z->name, a, b);
    else
        printf("NOT PAID %s at %s (%s)\n", plate, a, b);
    if (found == 2)
        printf("  paid in another zone: %04d %s until %s\n", cov->zone, cov->zone_name,
               (inspect_time_local(cov->until, a), a));
}

static json_t *time_pair(json_t *o, const char *key, time_t t)
{
    char a[INSPECT_TIME_MAX], b[INSPECT_TIME_MAX], k[32];

    inspect_time_utc(t, a);
    inspect_time_local_iso(t, b);
    snprintf(k, sizeof k, "%s_local", key);
    json_object_set_new(o, key, json_string(a));
    json_object_set_new(o, k, json_string(b));
    return o;
}

static void paid_print_json(const char *plate, const struct inspect_zone *z, time_t at,
                            const struct inspect_cover *cov, int found)
{
    json_t *o = json_pack("{s:s, s:b}", "plate", plate, "paid", found == 1);

    json_object_set_new(o, "zone", z ? json_integer(z->number)
                                     : found == 1 ? json_integer(cov->zone) : json_null());
    json_object_set_new(o, "zone_name", z ? json_string(z->name)
                                          : found == 1 ? json_string(cov->zone_name) : json_null());
    time_pair(o, "at", at);
    if (found != 0) {
        json_t *s = json_pack("{s:I, s:i, s:s, s:b}", "id", (json_int_t)cov->session,
                              "zone", cov->zone, "zone_name", cov->zone_name,
                              "running", cov->running);
        time_pair(time_pair(s, "from", cov->from), "until", cov->until);
        json_object_set_new(o, found == 1 ? "session" : "paid_elsewhere", s);
    }
    json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("\n");
    json_decref(o);
}

int cmd_paid(int argc, char **argv)
{
    struct paid_opts o = { 0 };
    struct plate p;
    struct inspect_zone z;
    struct inspect_cover cov;
    int zone = -1, found = 0, rc;
    time_t at = time(NULL);
    PGconn *c;

    if (paid_args(argc, argv, &o) != 0)
        return paid_usage();
    if ((rc = inspect_init_tz("paid")) != 0
        || (o.at_text && (rc = inspect_parse_time("paid", o.at_text, &at)) != 0)
        || (rc = inspect_parse_plate("paid", o.plate_text, &p)) != 0
        || (o.zone_text && (rc = cmd_parse_zone("paid", o.zone_text, &zone)) != 0))
        return rc;
    if ((c = inspect_connect("paid", 0)) == NULL)
        return PZ_EXIT_FAIL;
    rc = zone >= 0 ? inspect_zone_get(c, "paid", zone, &z) : 0;
    if (rc == 0)
        rc = inspect_cover_at(c, "paid", p.canonical, zone, at, &cov, &found);
    PQfinish(c);
    if (rc != 0)
        return rc;
    if (o.json)
        paid_print_json(p.canonical, zone >= 0 ? &z : NULL, at, &cov, found);
    else
        paid_print_text(p.canonical, zone >= 0 ? &z : NULL, at, &cov, found);
    return found == 1 ? PZ_EXIT_OK : PZ_EXIT_DATA;
}
