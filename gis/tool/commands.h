/* commands.h: the parkzones sub-commands and their exit statuses.
 *
 * Each command gets the arguments from its own name on: argv[0] is "import", "validate", ...
 * It connects with zonedb_connect(NULL, ...), which uses `parkzones --db CONNINFO` when given,
 * else the PG* environment (database `parking` by default). Messages go to stderr prefixed
 * "parkzones COMMAND: "; results go to stdout (or -o FILE).
 */
#ifndef PARKZONES_COMMANDS_H
#define PARKZONES_COMMANDS_H

enum {
    PZ_EXIT_OK = 0,        /* done; validate: no errors */
    PZ_EXIT_DATA = 1,      /* problems in the input or the data (validation errors, bad file) */
    PZ_EXIT_USAGE = 2,     /* bad command line */
    PZ_EXIT_FAIL = 3       /* database unreachable, query failed, output not writable */
};

int cmd_import(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_locate(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_zone(int argc, char **argv);         /* cmd_plate.c */
int cmd_plate(int argc, char **argv);

#endif
