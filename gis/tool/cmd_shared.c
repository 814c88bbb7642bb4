/* cmd_shared.c: helpers several parkzones commands share (see cmd_shared.h). */
#include "cmd_shared.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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
