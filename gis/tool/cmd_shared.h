/* cmd_shared.h: what several parkzones commands share: reading a number argument, loading
 * the zone set from the database, printing a JSON document.
 *
 * Messages go to stderr prefixed "parkzones COMMAND: " (commands.h).
 */
#ifndef PARKZONES_CMD_SHARED_H
#define PARKZONES_CMD_SHARED_H

#include <jansson.h>

#include "zonedata.h"

/* A finite number from the whole of text within [lo, hi] into *out; 0, or -1 (nothing
 * reported) when text is not one. */
int cmd_parse_number(const char *text, double lo, double hi, double *out);

/* Connects with conninfo (NULL: the default, see zonedb.h), checks the schema and loads the
 * zone set. Returns the set (the caller destroys it with zone_set_destroy), or NULL after
 * reporting why as "parkzones COMMAND: ...". */
struct zone_set *cmd_load_zones(const char *command, const char *conninfo);

/* Prints doc on stdout, indented by 2, and releases it (takes the reference; NULL stands
 * for a document that could not be built). Returns 0, or -1 when out of memory. */
int cmd_print_json(json_t *doc);

#endif
