/* parkzones.c: the planners' command: global options, usage and dispatch to the commands.
 * The inspectors' commands (paid, sight, violations) moved to parkctl; their old names say
 * where they went. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "zonedb.h"

static const char usage_text[] =
"usage: parkzones [--db CONNINFO] COMMAND [ARGS]\n"
"\n"
"Commands:\n"
"  import [--dry-run] [--force] FILE\n"
"                               load zones, street blocks and intersections from GeoJSON;\n"
"                               all or nothing, every problem reported by feature and property;\n"
"                               what validate calls an error is refused unless --force\n"
"  validate [--json]            check the blocks (geometry, lengths, cross streets, overlaps,\n"
"                               duplicates, empty zones, city bounds); exit 1 on errors\n"
"  export --format geojson|kml|svg|png|cds [--zone N] [--width PIXELS] [--force] [-o FILE]\n"
"                               write the zones as GeoJSON (RFC 7946), KML, an SVG map, a PNG,\n"
"                               or a Curb Data Specification feed (-o DIR: zones.json,\n"
"                               areas.json, policies.json); refused when validate finds errors\n"
"                               unless --force\n"
"  locate LON LAT [--radius M]  zones whose blocks lie within M metres, nearest first\n"
"  locate --batch [--radius M]  the same for \"LON LAT\" lines read from stdin\n"
"  list [--json] [--zone N]     zones with names, tariffs and blocks\n"
"\n"
"Checking what people type (guide: docs/inspectors.md):\n"
"  plate [--json] [--allow-other] TEXT...\n"
"                               normalise and check plates: canonical form, format, region,\n"
"                               or why it is invalid; no database; exit 1 if any is invalid\n"
"  zone [--json] N              one zone: number, name, tariff, active, blocks; exit 1 unknown\n"
"\n"
"Enforcement (paid, sight, violations) is parkctl's, and the HTTP API's (docs/api.md).\n"
"\n"
"Connection: --db takes a libpq connection string or URI, e.g.\n"
"  --db \"host=127.0.0.1 port=55432 user=postgres dbname=parking\"\n"
"Without --db the PG* environment variables apply; the database defaults to `parking`.\n"
"Planner's guide: docs/gis.md.\n"
"\n"
"Exit status: 0 success, 1 problems in the input or the data, 2 usage, 3 database or\n"
"system failure.\n";

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
    { "import", cmd_import },
    { "validate", cmd_validate },
    { "export", cmd_export },
    { "locate", cmd_locate },
    { "list", cmd_list },
    { "zone", cmd_zone },
    { "plate", cmd_plate },
};

/* Commands that moved, and where. */
static const struct { const char *name, *now; } moved[] = {
    { "paid", "parkctl check PLATE [ZONE] [--at TIME]" },
    { "sight", "parkctl sight PLATE ZONE|--lon X --lat Y [--at TIME] [--device D --ref R]" },
    { "violations", "parkctl violations [--since TIME] [--status S] [--csv]; the fines system: "
                    "GET /v1/violations" },
};

/* PZ_EXIT_USAGE after saying where a moved command went; -1 when name did not move. */
static int say_moved(const char *name)
{
    for (size_t m = 0; m < sizeof moved / sizeof moved[0]; m++)
        if (strcmp(name, moved[m].name) == 0) {
            fprintf(stderr, "parkzones %s: moved to parkctl: %s (docs/api.md)\n", name, moved[m].now);
            return PZ_EXIT_USAGE;
        }
    return -1;
}

int main(int argc, char **argv)
{
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage_text, stdout);
            return PZ_EXIT_OK;
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            zonedb_set_default(argv[i + 1]);
            i += 2;
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            zonedb_set_default(argv[i] + 5);
            i++;
        } else {
            fprintf(stderr, "parkzones: unknown option %s\n\n%s", argv[i], usage_text);
            return PZ_EXIT_USAGE;
        }
    }
    if (i == argc) {
        fputs(usage_text, stderr);
        return PZ_EXIT_USAGE;
    }
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++)
        if (strcmp(argv[i], commands[c].name) == 0)
            return commands[c].run(argc - i, argv + i);
    if (say_moved(argv[i]) != -1)
        return PZ_EXIT_USAGE;
    if (strcmp(argv[i], "help") == 0) {
        fputs(usage_text, stdout);
        return PZ_EXIT_OK;
    }
    fprintf(stderr, "parkzones: unknown command \"%s\"\n\n%s", argv[i], usage_text);
    return PZ_EXIT_USAGE;
}
