/* cmd_list.c: `parkzones list [--json] [--zone N]` — zones with names, tariffs and blocks. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmd_shared.h"
#include "commands.h"
#include "tariff.h"

/* Length of a lon/lat line in metres (local equirectangular, good to well under 1 % for
 * blocks of a few hundred metres). */
static double block_length_m(const struct zone_block *b)
{
    const double r = 6371008.8, rad = M_PI / 180.0;
    double len = 0;
    for (size_t i = 1; i < b->npoints; i++) {
        double lat = (b->xy[2 * i + 1] + b->xy[2 * i - 1]) / 2 * rad;
        double dx = (b->xy[2 * i] - b->xy[2 * i - 2]) * rad * cos(lat) * r;
        double dy = (b->xy[2 * i + 1] - b->xy[2 * i - 1]) * rad * r;
        len += sqrt(dx * dx + dy * dy);
    }
    return len;
}

static void print_text(const struct zone_set *s, int only)
{
    for (size_t i = 0; i < s->nzones; i++) {
        const struct zone_info *z = &s->zones[i];
        char money[32];
        if (only >= 0 && z->number != only)
            continue;
        tariff_format_money(z->tariff_tiyn, money, sizeof money);
        size_t nb = zone_set_count_blocks(s, z->number);
        printf("%04d  %s  %s tenge/h  %s  %zu block%s", z->number, z->name, money,
               z->active ? "active" : "INACTIVE", nb, nb == 1 ? "" : "s");
        if (z->paid_hours > 0)
            printf("  paid %d h/day", z->paid_hours);
        printf("\n");
        for (size_t j = 0; j < s->nblocks; j++) {
            const struct zone_block *b = &s->blocks[j];
            if (b->zone != z->number)
                continue;
            printf("      #%ld %s: %s - %s, %s side%s, %.0f m%s\n", b->id, b->street,
                   b->from_street, b->to_street, b->side ? b->side : "both",
                   b->side && strcmp(b->side, "both") == 0 ? "s" : "", block_length_m(b),
                   b->approximate ? " (approximate)" : "");
        }
    }
}

static json_t *zone_json(const struct zone_set *s, const struct zone_info *z)
{
    json_t *blocks = json_array();
    for (size_t j = 0; j < s->nblocks; j++) {
        const struct zone_block *b = &s->blocks[j];
        if (b->zone != z->number)
            continue;
        json_array_append_new(blocks, json_pack("{s:I, s:s, s:s, s:s, s:s?, s:b, s:s?, s:I}",
            "id", (json_int_t)b->id, "street", b->street, "from_street", b->from_street,
            "to_street", b->to_street, "side", b->side, "approximate", b->approximate,
            "source", b->source, "length_m", (json_int_t)lround(block_length_m(b))));
    }
    return json_pack("{s:i, s:s, s:I, s:b, s:o, s:s?, s:o}", "number", z->number,
                     "name", z->name, "tariff_tiyn", (json_int_t)z->tariff_tiyn,
                     "active", z->active,
                     "paid_hours", z->paid_hours > 0 ? json_integer(z->paid_hours) : json_null(),
                     "note", z->note, "blocks", blocks);
}

static int print_json(const struct zone_set *s, int only)
{
    json_t *zones = json_array();
    for (size_t i = 0; i < s->nzones; i++)
        if (only < 0 || s->zones[i].number == only)
            json_array_append_new(zones, zone_json(s, &s->zones[i]));
    return cmd_print_json(json_pack("{s:o}", "zones", zones));
}

int cmd_list(int argc, char **argv)
{
    int json = 0, only = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--zone") == 0 && i + 1 < argc) {
            if (cmd_parse_zone("list", argv[++i], &only) != 0)
                return PZ_EXIT_DATA;
        } else {
            fprintf(stderr, "usage: parkzones list [--json] [--zone N]\n");
            return PZ_EXIT_USAGE;
        }
    }
    struct zone_set *s = cmd_load_zones("list", NULL);
    if (s == NULL)
        return PZ_EXIT_FAIL;
    int status = PZ_EXIT_OK;
    if (only >= 0 && zone_set_find_zone(s, only) == NULL) {
        fprintf(stderr, "parkzones list: zone %d does not exist\n", only);
        status = PZ_EXIT_DATA;
    } else if (json) {
        status = print_json(s, only) == 0 ? PZ_EXIT_OK : PZ_EXIT_FAIL;
    } else {
        print_text(s, only);
    }
    zone_set_destroy(s);
    return status;
}
