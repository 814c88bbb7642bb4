/* cmd_shared.h: what several parkzones commands share: reading a number or a zone argument,
 * loading the zone set from the database, checking it as validate does, printing a finding
 * or a JSON document.
 *
 * Messages go to stderr prefixed "parkzones COMMAND: " (commands.h).
 */
#ifndef PARKZONES_CMD_SHARED_H
#define PARKZONES_CMD_SHARED_H

#include <jansson.h>

#include <stdio.h>

#include "zonecheck.h"
#include "zonedata.h"

/* A finite number from the whole of text within [lo, hi] into *out; 0, or -1 (nothing
 * reported) when text is not one. */
int cmd_parse_number(const char *text, double lo, double hi, double *out);

/* ZONE: 1 to 4 ASCII digits (0..9999), nothing else: the one parser of every command's zone
 * argument (`list --zone`, `export --zone`, `zone N`, `paid --zone`, `sight PLATE ZONE`).
 * Returns 0 with *zone set, or PZ_EXIT_DATA after reporting
 * "parkzones COMMAND: bad zone 'TEXT': a zone is a number of up to 4 digits (e.g. 1001)". */
int cmd_parse_zone(const char *command, const char *text, int *zone);

/* One finding as validate prints it: "error   too_short            block 7 (zone 1001): ..."
 * with the location when known, after indent, on f. */
void cmd_print_finding(FILE *f, const char *indent, const struct zonecheck_finding *fi);

/* Runs validate's checks (default thresholds) over s and prints, on stderr, every error that
 * concerns one of the nzones zones (zones NULL: any zone) as
 * "parkzones COMMAND: N errors ..." followed by the findings. Returns that number of errors,
 * or -1 after reporting why the checks could not run. */
long cmd_check_errors(const char *command, const struct zone_set *s, const int *zones,
                      size_t nzones, const char *consequence);

/* Connects with conninfo (NULL: the default, see zonedb.h), checks the schema and loads the
 * zone set. Returns the set (the caller destroys it with zone_set_destroy), or NULL after
 * reporting why as "parkzones COMMAND: ...". */
struct zone_set *cmd_load_zones(const char *command, const char *conninfo);

/* Prints doc on stdout, indented by 2, and releases it (takes the reference; NULL stands
 * for a document that could not be built). Returns 0, or -1 when out of memory. */
int cmd_print_json(json_t *doc);

#endif
