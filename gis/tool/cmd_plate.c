/* cmd_plate.c: operators' input checks.
 *
 *   parkzones plate [--json] [--allow-other] TEXT...   normalise and validate plates (no database)
 *   parkzones zone [--json] N                          one zone: `list --zone N` after a strict
 *                                                      check of N
 *
 * plate: one line (or JSON object) per TEXT: the canonical plate, its format and region, or
 * the reason it is invalid. Exit 0 when all are valid, 1 when any is not, 2 bad usage.
 * zone: exit 0, 1 when N is not a zone number or no such zone exists, 2, 3 (cmd_list).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmd_shared.h"
#include "commands.h"
#include "inspect.h"
#include "plate.h"

/* Regions of the 2012 plates (the two digits at the end). */
static const char *const region_names[21] = {
    NULL, "Astana", "Almaty", "Akmola Region", "Aktobe Region", "Almaty Region",
    "Atyrau Region", "West Kazakhstan Region", "Jambyl Region", "Karaganda Region",
    "Kostanay Region", "Kyzylorda Region", "Mangystau Region", "Turkistan Region",
    "Pavlodar Region", "North Kazakhstan Region", "East Kazakhstan Region", "Shymkent",
    "Abai Region", "Jetisu Region", "Ulytau Region",
};

struct plate_check {
    const char *input;
    enum plate_error error;
    struct plate p;
    char region[64];
    char problem[160];
};

static void plate_check(const char *text, enum plate_policy policy, struct plate_check *c)
{
    size_t pos = 0;

    memset(c, 0, sizeof *c);
    c->input = text;
    c->error = plate_normalise_at(text, strlen(text), policy, &c->p, &pos);
    if (c->error != PLATE_OK)
        inspect_plate_problem(text, c->error, pos, c->problem, sizeof c->problem);
    else if (c->p.region >= 1 && c->p.region <= 20)
        snprintf(c->region, sizeof c->region, "%02d %s", c->p.region, region_names[c->p.region]);
    else if (c->p.region_letter != 0)
        snprintf(c->region, sizeof c->region, "%c", c->p.region_letter);
}

static void plate_print_text(const struct plate_check *c)
{
    if (c->error != PLATE_OK)
        printf("%s\tINVALID\t%s\n", c->input, c->problem);
    else
        printf("%s\t%s\t%s\t%s%s\n", c->input, c->p.canonical, plate_format_name(c->p.format),
               c->region[0] ? "region " : "", c->region[0] ? c->region : "-");
}

static json_t *plate_json(const struct plate_check *c)
{
    if (c->error != PLATE_OK)
        return json_pack("{s:s, s:b, s:s}", "input", c->input, "valid", 0, "reason", c->problem);
    return json_pack("{s:s, s:b, s:s, s:s, s:o, s:o}", "input", c->input, "valid", 1,
                     "plate", c->p.canonical, "format", plate_format_name(c->p.format),
                     "region", c->p.region ? json_integer(c->p.region)
                         : c->p.region_letter ? json_stringn(&c->p.region_letter, 1) : json_null(),
                     "region_name", c->p.region ? json_string(region_names[c->p.region])
                                                : json_null());
}

int cmd_plate(int argc, char **argv)
{
    int json = 0, first = 1, bad = 0;
    enum plate_policy policy = PLATE_POLICY_KZ_ONLY;
    json_t *list = json_array();

    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
        if (strcmp(argv[first], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[first], "--allow-other") == 0) {
            policy = PLATE_POLICY_ALLOW_OTHER;
        } else if (strcmp(argv[first], "--") == 0) {
            first++;
            break;
        } else {
            first = argc;           /* usage below */
            break;
        }
    }
    if (first >= argc) {
        json_decref(list);
        fprintf(stderr, "usage: parkzones plate [--json] [--allow-other] TEXT...\n");
        return PZ_EXIT_USAGE;
    }
    for (int i = first; i < argc; i++) {
        struct plate_check c;
        plate_check(argv[i], policy, &c);
        bad += c.error != PLATE_OK;
        if (json)
            json_array_append_new(list, plate_json(&c));
        else
            plate_print_text(&c);
    }
    if (json) {
        json_t *root = json_pack("{s:o}", "plates", list);
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("\n");
        json_decref(root);
    } else {
        json_decref(list);
    }
    return bad ? PZ_EXIT_DATA : PZ_EXIT_OK;
}

int cmd_zone(int argc, char **argv)
{
    int json = argc > 1 && strcmp(argv[1], "--json") == 0, zone;
    char num[8];

    if (argc != 2 + json) {
        fprintf(stderr, "usage: parkzones zone [--json] N\n");
        return PZ_EXIT_USAGE;
    }
    if (cmd_parse_zone("zone", argv[1 + json], &zone) != 0)
        return PZ_EXIT_DATA;
    snprintf(num, sizeof num, "%d", zone);
    char *list_argv[] = { "list", "--zone", num, json ? "--json" : NULL, NULL };
    return cmd_list(3 + json, list_argv);
}
