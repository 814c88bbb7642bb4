/* cmd_locate.c: `parkzones locate`: which zones' blocks lie near a point (or many points).
 *
 *   parkzones locate [--db CONNINFO] [--radius M] [--json] LON LAT
 *   parkzones locate [--db CONNINFO] [--radius M] --batch  < points
 *
 * The blocks are read from the database once and indexed in-process (zonelocate.h).
 * One point: the blocks within the radius (default 30 m), nearest first, with distances in
 * metres. Batch: stdin has "LON LAT" lines (blank lines and #comments skipped); for every
 * point one line "LINE<TAB>LON<TAB>LAT<TAB>HITS" where HITS is "ZONE:BLOCK:METRES" items,
 * nearest first, separated by spaces (empty when none).
 * A point outside the city's bounding box (zonedata.h) is said so on stderr, and when it would
 * lie inside with LON and LAT swapped (the order map sites copy), that too; batch mode counts
 * such points at the end.
 * Exit status (commands.h): one point: 0 when some block is near, 1 when none; batch: 0, or 1
 * when some lines could not be read (each reported on stderr); 2 bad usage; 3 database
 * unreachable, query failed or look-up failed.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_shared.h"
#include "commands.h"
#include "zonedata.h"
#include "zonelocate.h"

#define LOCATE_DEFAULT_RADIUS 30.0
#define LOCATE_MAX_RADIUS     10000.0
#define LOCATE_CHUNK          4096

struct locate_opts {
    const char *conninfo;
    double radius;
    int json, batch;
    double lon, lat;
};

static void locate_usage(FILE *f)
{
    fprintf(f, "usage: parkzones locate [--db CONNINFO] [--radius M] [--json] LON LAT\n"
               "       parkzones locate [--db CONNINFO] [--radius M] --batch < points\n"
               "Lists the street blocks within M metres (default %g) of the point, nearest first.\n",
            LOCATE_DEFAULT_RADIUS);
}

static int locate_positional(int argc, char **argv, struct locate_opts *o)
{
    int n = argc - optind;

    if (o->batch ? n != 0 : n != 2) {
        fprintf(stderr, "parkzones locate: %s\n", o->batch ? "--batch reads points from stdin, "
                "not from arguments" : "give LON LAT (or --batch)");
        return 2;
    }
    if (!o->batch && (cmd_parse_number(argv[optind], -180, 180, &o->lon) != 0
                      || cmd_parse_number(argv[optind + 1], -90, 90, &o->lat) != 0)) {
        fprintf(stderr, "parkzones locate: '%s %s' is not a longitude (-180..180) and a "
                "latitude (-90..90)\n", argv[optind], argv[optind + 1]);
        return 2;
    }
    return 0;
}

/* Fills *o from argv; returns 0, 1 after --help, or 2 on a usage error (reported). */
static int locate_parse(int argc, char **argv, struct locate_opts *o)
{
    static const struct option longopts[] = {
        { "db", required_argument, NULL, 'd' }, { "radius", required_argument, NULL, 'r' },
        { "json", no_argument, NULL, 'j' }, { "batch", no_argument, NULL, 'b' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
    int c;

    o->radius = LOCATE_DEFAULT_RADIUS;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o->conninfo = optarg; break;
        case 'j': o->json = 1; break;
        case 'b': o->batch = 1; break;
        case 'r':
            if (cmd_parse_number(optarg, 0, LOCATE_MAX_RADIUS, &o->radius) != 0) {
                fprintf(stderr, "parkzones locate: --radius wants metres from 0 to %g, not '%s'\n",
                        LOCATE_MAX_RADIUS, optarg);
                return 2;
            }
            break;
        case 'h': locate_usage(stdout); return 1;
        default: locate_usage(stderr); return 2;
        }
    }
    return locate_positional(argc, argv, o);
}

/* ---- points outside the city ---- */

static int in_city(double lon, double lat)
{
    return lon >= ZONE_CITY_WEST && lon <= ZONE_CITY_EAST && lat >= ZONE_CITY_SOUTH
        && lat <= ZONE_CITY_NORTH;
}

/* Says on stderr that LON LAT lies outside the city, and whether swapped it lies inside. */
static void hint_outside(double lon, double lat)
{
    if (in_city(lon, lat))
        return;
    fprintf(stderr, "parkzones locate: %.7f %.7f lies outside the city (longitude %g..%g, "
            "latitude %g..%g)", lon, lat, ZONE_CITY_WEST, ZONE_CITY_EAST, ZONE_CITY_SOUTH,
            ZONE_CITY_NORTH);
    if (in_city(lat, lon))
        fprintf(stderr, "; longitude and latitude may be swapped: %.7f %.7f lies inside "
                "(give LON first, then LAT)", lat, lon);
    fputc('\n', stderr);
}

/* ---- one point ---- */

static const char *zone_name(const struct zone_set *s, int number)
{
    const struct zone_info *z = zone_set_find_zone(s, number);
    return z && z->name ? z->name : "?";
}

static void print_hits_human(const struct zone_set *s, const struct locate_opts *o,
                             const struct zonelocate_hit *h, long n)
{
    printf("%.7f %.7f: %ld block%s within %g m\n", o->lon, o->lat, n, n == 1 ? "" : "s", o->radius);
    for (long i = 0; i < n; i++) {
        const struct zone_block *b = &s->blocks[h[i].block_index];
        printf("  %8.1f m  zone %04d %-22s block %ld: %s (%s - %s), %s\n", h[i].distance_m,
               h[i].zone, zone_name(s, h[i].zone), b->id, b->street,
               b->from_street ? b->from_street : "?", b->to_street ? b->to_street : "?",
               b->side ? b->side : "both");
    }
}

static json_t *hit_json(const struct zone_set *s, const struct zonelocate_hit *h)
{
    const struct zone_block *b = &s->blocks[h->block_index];
    return json_pack("{s:I, s:i, s:s, s:f, s:s, s:s?, s:s?, s:s?}", "block", (json_int_t)b->id,
                     "zone", h->zone, "zone_name", zone_name(s, h->zone),
                     "distance_m", round(h->distance_m * 100) / 100, "street", b->street,
                     "from_street", b->from_street, "to_street", b->to_street, "side", b->side);
}

static int print_hits_json(const struct zone_set *s, const struct locate_opts *o,
                           const struct zonelocate_hit *h, long n)
{
    json_t *list = json_array();

    for (long i = 0; list != NULL && i < n; i++)
        json_array_append_new(list, hit_json(s, &h[i]));
    return cmd_print_json(json_pack("{s:f, s:f, s:f, s:o}", "lon", o->lon, "lat", o->lat,
                                    "radius_m", o->radius, "blocks", list));
}

static int locate_one(const struct zone_set *s, struct zonelocate *z, const struct locate_opts *o)
{
    long n = zonelocate_query(z, o->lon, o->lat, o->radius, NULL, 0);
    struct zonelocate_hit *h = n > 0 ? calloc((size_t)n, sizeof *h) : NULL;
    int rc;

    if (n < 0 || (n > 0 && h == NULL)) {
        fprintf(stderr, "parkzones locate: the look-up failed\n");
        free(h);
        return PZ_EXIT_FAIL;
    }
    zonelocate_query(z, o->lon, o->lat, o->radius, h, (size_t)n);
    hint_outside(o->lon, o->lat);
    if (o->json)
        rc = print_hits_json(s, o, h, n) == 0 ? (n == 0) : PZ_EXIT_FAIL;
    else
        rc = (print_hits_human(s, o, h, n), n == 0);
    free(h);
    return rc;
}

/* ---- batch ---- */

struct chunk {
    double xy[2 * LOCATE_CHUNK];
    unsigned long line[LOCATE_CHUNK];
    size_t n;
    unsigned long outside, swapped;   /* points outside the city; inside when swapped */
};

static int emit_line(size_t i, const struct zonelocate_hit *h, long n, void *arg)
{
    const struct chunk *c = arg;

    printf("%lu\t%.7f\t%.7f\t", c->line[i], c->xy[2 * i], c->xy[2 * i + 1]);
    for (long k = 0; k < n; k++)
        printf(k ? " %d:%ld:%.2f" : "%d:%ld:%.2f", h[k].zone, h[k].block_id, h[k].distance_m);
    putchar('\n');
    return 0;
}

/* Parses "LON LAT" (spaces, tabs or one comma between); 1 point, 0 skip, -1 bad. */
static int parse_point_line(char *line, double *lon, double *lat)
{
    char *p = line + strspn(line, " \t\r\n"), *end;

    if (*p == '\0' || *p == '#')
        return 0;
    *lon = strtod(p, &end);
    if (end == p)
        return -1;
    p = end + strspn(end, " \t");
    p += *p == ',';
    *lat = strtod(p, &end);
    if (end == p || end[strspn(end, " \t\r\n")] != '\0')
        return -1;
    return isfinite(*lon) && isfinite(*lat) && fabs(*lon) <= 180 && fabs(*lat) <= 90 ? 1 : -1;
}

static int flush_chunk(struct zonelocate *z, struct chunk *c, double radius)
{
    int rc = zonelocate_batch(z, c->xy, c->n, radius, emit_line, c);
    c->n = 0;
    return rc;
}

static int locate_batch(struct zonelocate *z, const struct locate_opts *o)
{
    struct chunk *c = calloc(1, sizeof *c);
    char *line = NULL;
    size_t cap = 0;
    unsigned long lineno = 0, bad = 0;
    int rc = 0;

    if (c == NULL)
        return PZ_EXIT_FAIL;
    while (rc == 0 && getline(&line, &cap, stdin) != -1) {
        int r = parse_point_line(line, &c->xy[2 * c->n], &c->xy[2 * c->n + 1]);
        lineno++;
        if (r < 0 && bad++ < 20)
            fprintf(stderr, "parkzones locate: line %lu: expected 'LON LAT' (degrees)\n", lineno);
        if (r <= 0)
            continue;
        c->outside += !in_city(c->xy[2 * c->n], c->xy[2 * c->n + 1]);
        c->swapped += !in_city(c->xy[2 * c->n], c->xy[2 * c->n + 1])
                      && in_city(c->xy[2 * c->n + 1], c->xy[2 * c->n]);
        c->line[c->n++] = lineno;
        if (c->n == LOCATE_CHUNK)
            rc = flush_chunk(z, c, o->radius);
    }
    if (rc == 0)
        rc = flush_chunk(z, c, o->radius);
    if (c->outside > 0)
        fprintf(stderr, "parkzones locate: %lu point%s outside the city; %lu of them inside "
                "with longitude and latitude swapped (give LON first, then LAT)\n", c->outside,
                c->outside == 1 ? " lies" : "s lie", c->swapped);
    free(line);
    free(c);
    if (rc != 0) {
        fprintf(stderr, "parkzones locate: the look-up failed\n");
        return PZ_EXIT_FAIL;
    }
    if (bad > 0)
        fprintf(stderr, "parkzones locate: %lu line%s not read\n", bad, bad == 1 ? "" : "s");
    return bad > 0;
}

int cmd_locate(int argc, char **argv)
{
    struct locate_opts o = { 0 };
    struct zone_set *s;
    struct zonelocate *z;
    char err[256];
    int rc = locate_parse(argc, argv, &o);

    if (rc != 0)
        return rc == 1 ? PZ_EXIT_OK : PZ_EXIT_USAGE;
    if ((s = cmd_load_zones("locate", o.conninfo)) == NULL)
        return PZ_EXIT_FAIL;
    z = zonelocate_create(s, NULL, err, sizeof err);
    if (z == NULL) {
        fprintf(stderr, "parkzones locate: %s\n", err);
        rc = PZ_EXIT_FAIL;
    } else if (o.batch) {
        static char outbuf[1 << 16];
        setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
        rc = locate_batch(z, &o);
        fflush(stdout);
    } else {
        rc = locate_one(s, z, &o);
    }
    zonelocate_destroy(z);
    zone_set_destroy(s);
    return rc;
}
