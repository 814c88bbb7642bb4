/* inspect.h: what the operators' and inspectors' commands (plate, zone, paid, sight,
 * violations) share: input parsing with exact error texts, times shown in Asia/Almaty and
 * UTC, the database connection, zone and paid-session look-ups.
 *
 * Every function that can fail prints the reason on stderr, prefixed "parkzones CMD: ",
 * and returns the exit status to use (commands.h), or 0 on success.
 * Paid means: a session of the plate covers the moment, closed interval from started_at to
 * the stop time (stopped sessions) or paid_until (violation.h states the rule).
 */
#ifndef PARKZONES_INSPECT_H
#define PARKZONES_INSPECT_H

#include <stddef.h>
#include <time.h>
#include <libpq-fe.h>

#include "plate.h"
#include "violation.h"

#define INSPECT_TZ "Asia/Almaty"
#define INSPECT_TIME_MAX 40        /* buffer size for inspect_time_local/_utc */

/* Loads Asia/Almaty from the system's tzdata (tz_load, once; call before threads) for the
 * local times below; PZ_EXIT_FAIL when the tzdata lacks it. The process's TZ is unchanged. */
int inspect_init_tz(const char *cmd);

/* TIME: "now", "@EPOCH", or YYYY-MM-DD[T| ]HH:MM[:SS] in Asia/Almaty, or the same followed
 * by Z or +HH:MM / -HH:MM / +HHMM / +HH (that offset). PZ_EXIT_USAGE when it is none of
 * these or not a real date ("2025-02-30"). */
int inspect_parse_time(const char *cmd, const char *text, time_t *out);

/* A whole number of minutes in 0..max for option opt. PZ_EXIT_USAGE otherwise. */
int inspect_parse_minutes(const char *cmd, const char *opt, const char *text, long max,
                          long *out);

/* A plate in Kazakhstan format (plate_normalise, KZ only). PZ_EXIT_DATA with the reason
 * and the position of what is wrong. */
int inspect_parse_plate(const char *cmd, const char *text, struct plate *p);

/* "reason (at character N)" for plate error e at byte pos of text (N counts UTF-8
 * characters from 1; the position is left out for errors that have none). */
void inspect_plate_problem(const char *text, enum plate_error e, size_t pos, char *buf,
                           size_t size);

/* "2025-06-16T05:00:10Z" and "2025-06-16 10:00:10 +05:00" (Asia/Almaty). */
void inspect_time_utc(time_t t, char buf[INSPECT_TIME_MAX]);
void inspect_time_local(time_t t, char buf[INSPECT_TIME_MAX]);
/* RFC 3339 with the local offset: "2025-06-16T10:00:10+05:00". */
void inspect_time_local_iso(time_t t, char buf[INSPECT_TIME_MAX]);

/* Connects (parkzones --db or PG*) and checks for the zone tables and, when inspections is
 * set, for sightings and violations (migration 0003). NULL after printing why. */
PGconn *inspect_connect(const char *cmd, int inspections);

struct inspect_zone {
    int number;
    char name[128];
    int active;
};

/* Reads zone number into *z. 0; PZ_EXIT_DATA "zone N does not exist"; PZ_EXIT_FAIL. */
int inspect_zone_get(PGconn *c, const char *cmd, int number, struct inspect_zone *z);

struct inspect_cover {
    long long session;
    int zone;
    char zone_name[128];
    time_t from, until;            /* closed interval */
    int running;                   /* the session has not ended */
};

/* The session of plate covering at: one in zone when zone >= 0 (*found = 1), else (or when
 * the zone has none) one in any zone (*found = 2 when zone >= 0, i.e. paid elsewhere;
 * 1 when zone < 0); *found = 0 when none. The latest start wins. 0 or PZ_EXIT_FAIL. */
int inspect_cover_at(PGconn *c, const char *cmd, const char *plate, int zone, time_t at,
                     struct inspect_cover *cov, int *found);

/* The sessions of plate in zone that overlap [from, to], as closed paid intervals, into
 * *out (malloc'd, the caller frees; never NULL on success) and *n. 0 or PZ_EXIT_FAIL. */
int inspect_load_paid(PGconn *c, const char *cmd, const char *plate, int zone, time_t from,
                      time_t to, struct violation_paid **out, size_t *n);

/* Runs a statement without results ("BEGIN", ...). 0 or PZ_EXIT_FAIL (printed). */
int inspect_exec(PGconn *c, const char *cmd, const char *sql);

/* Prints "parkzones CMD: WHAT: <the server's message>" for a failed result. */
void inspect_db_error(PGconn *c, const PGresult *r, const char *cmd, const char *what);

#endif
