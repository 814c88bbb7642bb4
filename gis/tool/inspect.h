/* inspect.h: what the operators' input commands (plate, zone) share: the reasons a plate
 * is not one, with exact error texts (zone numbers: cmd_parse_zone in cmd_shared.h). Enforcement (paid at a time,
 * sightings, violations) is parkctl's (plugin/enforce/, docs/api.md).
 *
 * Every function that can fail prints the reason on stderr, prefixed "parkzones CMD: ",
 * and returns the exit status to use (commands.h), or 0 on success.
 */
#ifndef PARKZONES_INSPECT_H
#define PARKZONES_INSPECT_H

#include <stddef.h>

#include "plate.h"

/* "reason (at character N)" for plate error e at byte pos of text (N counts UTF-8
 * characters from 1; the position is left out for errors that have none). */
void inspect_plate_problem(const char *text, enum plate_error e, size_t pos, char *buf,
                           size_t size);

#endif
