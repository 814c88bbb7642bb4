/* cmd_validate.c: `parkzones validate`: run the zone checks over the database, report them.
 *
 *   parkzones validate [--db CONNINFO] [--json] [--min-length M] [--cross-street M]
 *                      [--bbox WEST,SOUTH,EAST,NORTH]
 *
 * Exit status (commands.h): 0 no errors (warnings allowed), 1 errors found, 2 bad usage,
 * 3 database unreachable or query failed.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmd_shared.h"
#include "commands.h"
#include "zonecheck.h"
#include "zonedata.h"

struct validate_opts {
    const char *conninfo;
    int json;
    struct zonecheck_config cfg;
};

static void validate_usage(FILE *f)
{
    fprintf(f, "usage: parkzones validate [--db CONNINFO] [--json] [--min-length M]\n"
               "                          [--cross-street M] [--bbox WEST,SOUTH,EAST,NORTH]\n"
               "Checks every street block and zone; exit status 1 when there are errors.\n");
}

/* A finite number >= 0 from the whole of text; 0 on success. */
static int parse_metres(const char *text, double *out)
{
    return cmd_parse_number(text, 0, HUGE_VAL, out);
}

static int parse_bbox(const char *text, double bbox[4])
{
    double b[4];
    int used = 0;

    if (sscanf(text, "%lf,%lf,%lf,%lf%n", &b[0], &b[1], &b[2], &b[3], &used) != 4
        || text[used] != '\0' || !(b[0] < b[2] && b[1] < b[3])
        || b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90)
        return -1;
    memcpy(bbox, b, sizeof b);
    return 0;
}

/* Fills *o from argv; returns 0, 1 after --help, or 2 on a usage error (reported). */
static int validate_parse(int argc, char **argv, struct validate_opts *o)
{
    static const struct option longopts[] = {
        { "db", required_argument, NULL, 'd' }, { "json", no_argument, NULL, 'j' },
        { "min-length", required_argument, NULL, 'm' },
        { "cross-street", required_argument, NULL, 'c' },
        { "bbox", required_argument, NULL, 'b' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 } };
    int c;

    zonecheck_config_default(&o->cfg);
    optind = 0;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'd': o->conninfo = optarg; break;
        case 'j': o->json = 1; break;
        case 'm': bad = parse_metres(optarg, &o->cfg.min_length_m); break;
        case 'c': bad = parse_metres(optarg, &o->cfg.cross_street_m); break;
        case 'b': bad = parse_bbox(optarg, o->cfg.bbox); break;
        case 'h': validate_usage(stdout); return 1;
        default: validate_usage(stderr); return 2;
        }
        if (bad) {
            fprintf(stderr, "parkzones validate: bad value '%s' for --%s\n", optarg,
                    c == 'b' ? "bbox (want WEST,SOUTH,EAST,NORTH)" : c == 'm' ? "min-length" : "cross-street");
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "parkzones validate: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    return 0;
}

static void print_human(const struct zone_set *s, const struct zonecheck_report *r)
{
    printf("%zu zones, %zu street blocks, %zu intersections checked\n",
           s->nzones, s->nblocks, s->nintersections);
    for (size_t i = 0; i < r->nfindings; i++)
        cmd_print_finding(stdout, "", &r->findings[i]);
    printf("%zu error%s, %zu warning%s\n", r->nerrors, r->nerrors == 1 ? "" : "s",
           r->nwarnings, r->nwarnings == 1 ? "" : "s");
}

static json_t *finding_json(const struct zonecheck_finding *f)
{
    return json_pack("{s:s, s:s, s:o, s:i, s:o, s:s, s:o}",
                     "severity", zonecheck_severity_name(f->severity),
                     "code", zonecheck_code_name(f->code),
                     "block", f->block_id ? json_integer(f->block_id) : json_null(),
                     "zone", f->zone,
                     "other_block", f->other_block_id ? json_integer(f->other_block_id) : json_null(),
                     "reason", f->reason,
                     "location", f->has_location ? json_pack("[f, f]", f->lon, f->lat) : json_null());
}

/* Returns 0, or -1 when out of memory. */
static int print_json(const struct zone_set *s, const struct zonecheck_report *r)
{
    json_t *list = json_array();

    for (size_t i = 0; list != NULL && i < r->nfindings; i++)
        if (json_array_append_new(list, finding_json(&r->findings[i])) != 0)
            break;
    return cmd_print_json(json_pack("{s:I, s:I, s:I, s:I, s:I, s:o}",
                                    "zones", (json_int_t)s->nzones,
                                    "blocks", (json_int_t)s->nblocks,
                                    "intersections", (json_int_t)s->nintersections,
                                    "errors", (json_int_t)r->nerrors,
                                    "warnings", (json_int_t)r->nwarnings, "findings", list));
}

int cmd_validate(int argc, char **argv)
{
    struct validate_opts o = { 0 };
    struct zone_set *s;
    struct zonecheck_report *r;
    char err[256];
    int rc = validate_parse(argc, argv, &o);

    if (rc != 0)
        return rc == 1 ? PZ_EXIT_OK : PZ_EXIT_USAGE;
    s = cmd_load_zones("validate", o.conninfo);
    if (s == NULL)
        return PZ_EXIT_FAIL;
    r = zonecheck_run(s, &o.cfg, err, sizeof err);
    if (r == NULL) {
        fprintf(stderr, "parkzones validate: %s\n", err);
        rc = PZ_EXIT_FAIL;
    } else if (o.json ? print_json(s, r) != 0 : (print_human(s, r), 0)) {
        fprintf(stderr, "parkzones validate: out of memory\n");
        rc = PZ_EXIT_FAIL;
    } else {
        rc = r->nerrors > 0 ? PZ_EXIT_DATA : PZ_EXIT_OK;
    }
    zonecheck_report_destroy(r);
    zone_set_destroy(s);
    return rc;
}
