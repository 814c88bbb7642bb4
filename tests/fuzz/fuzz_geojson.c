/* fuzz_geojson.c: libFuzzer target for the GeoJSON import (gis/lib/geojson_in.c) and, for
 * what it accepts, the GeoJSON export (gis/lib/export_geojson.c).
 *
 * The input is parsed twice: with no zone lookup, and with one that knows the odd zone
 * numbers (as the database would). Checks: a set comes back exactly when the report is empty;
 * each problem's path and text are NUL-terminated and the report keeps at most
 * GEOJSON_MAX_PROBLEMS; a block's zone is in the set or known; an accepted set, exported as
 * GeoJSON and imported again, is accepted with the same zones, blocks and intersections.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "geojson_in.h"

static int odd_zone_known(void *arg, int number)
{
    (void)arg;
    return number % 2 != 0;
}

static int zone_in(const struct zone_set *s, int number)
{
    for (size_t i = 0; i < s->nzones; i++)
        if (s->zones[i].number == number)
            return 1;
    return 0;
}

static void check_report(const struct geojson_report *r, const struct zone_set *s)
{
    if ((s != NULL) != (geojson_report_count(r) == 0) || r->nproblems > GEOJSON_MAX_PROBLEMS ||
        r->nproblems + r->dropped != geojson_report_count(r))
        abort();
    for (size_t i = 0; i < r->nproblems; i++)
        if (memchr(r->problems[i].where, '\0', GEOJSON_WHERE_MAX) == NULL ||
            memchr(r->problems[i].what, '\0', GEOJSON_WHAT_MAX) == NULL ||
            r->problems[i].what[0] == '\0' || r->problems[i].feature < -1)
            abort();
}

/* Exports s and imports the text again (same options). */
static void check_round_trip(const struct zone_set *s, const struct geojson_options *opt)
{
    struct zone_set *copy = zone_set_create(), *back;
    struct export_data *d;
    struct geojson_report r;
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    if (copy == NULL)
        return;
    /* export_data_from_set takes a set over: give it a copy built from s */
    for (size_t i = 0; i < s->nzones; i++) {
        const struct zone_info *z = &s->zones[i];
        if (!zone_set_add_zone(copy, z->number, z->name, z->tariff_tiyn, z->active,
                               z->paid_hours, z->note))
            abort();
    }
    for (size_t i = 0; i < s->nblocks; i++) {
        const struct zone_block *b = &s->blocks[i];
        if (!zone_set_add_block(copy, b->id, b->zone, b->street, b->from_street, b->to_street,
                                b->side, b->source, b->approximate, b->xy, b->npoints))
            abort();
    }
    for (size_t i = 0; i < s->nintersections; i++) {
        const struct zone_intersection *x = &s->intersections[i];
        if (!zone_set_add_intersection(copy, x->name_a, x->name_b, x->lon, x->lat))
            abort();
    }
    if ((d = export_data_from_set(copy)) == NULL || (f = open_memstream(&text, &len)) == NULL)
        abort();
    if (export_geojson(f, d) != 0 || fclose(f) != 0)
        abort();
    geojson_report_init(&r);
    back = geojson_parse(text, len, opt, &r);
    if (back == NULL || back->nzones != s->nzones || back->nblocks != s->nblocks ||
        back->nintersections != s->nintersections)
        abort();
    for (size_t i = 0; i < s->nzones; i++)
        if (back->zones[i].number != s->zones[i].number)
            abort();
    zone_set_destroy(back);
    geojson_report_clear(&r);
    export_data_destroy(d);
    free(text);
}

static void check(const char *text, size_t len, const struct geojson_options *opt)
{
    struct geojson_report r;
    struct zone_set *s;

    geojson_report_init(&r);
    s = geojson_parse(text, len, opt, &r);
    check_report(&r, s);
    if (s != NULL) {
        for (size_t i = 0; i < s->nblocks; i++)
            if (!zone_in(s, s->blocks[i].zone) &&
                !(opt && opt->zone_known(opt->arg, s->blocks[i].zone)))
                abort();
        check_round_trip(s, opt);
    }
    zone_set_destroy(s);
    geojson_report_clear(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct geojson_options odd = { odd_zone_known, NULL };

    check((const char *)data, size, NULL);
    check((const char *)data, size, &odd);
    return 0;
}
