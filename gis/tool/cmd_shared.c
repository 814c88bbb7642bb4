/* cmd_shared.c: helpers several parkzones commands share (see cmd_shared.h). */
#include "cmd_shared.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "zonedb.h"

int cmd_parse_number(const char *text, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(text, &end);

    if (end == text || *end != '\0' || !isfinite(v) || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cmd_parse_zone(const char *command, const char *text, int *zone)
{
    size_t n = strlen(text);

    if (n >= 1 && n <= 4 && strspn(text, "0123456789") == n) {
        *zone = atoi(text);
        return 0;
    }
    fprintf(stderr, "parkzones %s: bad zone '%s': a zone is a number of up to 4 digits "
            "(e.g. 1001)\n", command, text);
    return PZ_EXIT_DATA;
}

void cmd_print_finding(FILE *f, const char *indent, const struct zonecheck_finding *fi)
{
    fprintf(f, "%s%-7s %-20s ", indent, zonecheck_severity_name(fi->severity),
            zonecheck_code_name(fi->code));
    if (fi->block_id != 0)
        fprintf(f, "block %ld (zone %04d): ", fi->block_id, fi->zone);
    else
        fprintf(f, "zone %04d: ", fi->zone);
    fprintf(f, "%s", fi->reason);
    if (fi->has_location)
        fprintf(f, " at %.7f %.7f", fi->lon, fi->lat);
    fprintf(f, "\n");
}

static int concerns(const struct zonecheck_finding *fi, const int *zones, size_t nzones)
{
    for (size_t i = 0; zones != NULL && i < nzones; i++)
        if (zones[i] == fi->zone)
            return 1;
    return zones == NULL;
}

long cmd_check_errors(const char *command, const struct zone_set *s, const int *zones,
                      size_t nzones, const char *consequence)
{
    struct zonecheck_config cfg;
    char err[256];
    long n = 0;

    zonecheck_config_default(&cfg);
    struct zonecheck_report *r = zonecheck_run(s, &cfg, err, sizeof err);
    if (r == NULL) {
        fprintf(stderr, "parkzones %s: cannot check the zones: %s\n", command, err);
        return -1;
    }
    for (size_t i = 0; i < r->nfindings; i++)
        n += r->findings[i].severity == ZONECHECK_ERROR && concerns(&r->findings[i], zones, nzones);
    if (n > 0) {
        fprintf(stderr, "parkzones %s: %ld error%s that validate reports; %s\n", command, n,
                n == 1 ? "" : "s", consequence);
        for (size_t i = 0; i < r->nfindings; i++)
            if (r->findings[i].severity == ZONECHECK_ERROR
                && concerns(&r->findings[i], zones, nzones))
                cmd_print_finding(stderr, "  ", &r->findings[i]);
    }
    zonecheck_report_destroy(r);
    return n;
}

struct zone_set *cmd_load_zones(const char *command, const char *conninfo)
{
    char err[512];
    struct zone_set *s = NULL;
    PGconn *c = zonedb_connect(conninfo, err, sizeof err);

    if (c != NULL && zonedb_check_schema(c, err, sizeof err) == 0)
        s = zone_set_load_pg(c, err, sizeof err);
    if (s == NULL)
        fprintf(stderr, "parkzones %s: %s\n", command, err);
    PQfinish(c);
    return s;
}

int cmd_print_json(json_t *doc)
{
    char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                       JSON_REAL_PRECISION(10)) : NULL;

    json_decref(doc);
    if (text == NULL)
        return -1;
    printf("%s\n", text);
    free(text);
    return 0;
}
