/* records.h: the rows of the parking schema and the SQL that reads and writes them.
 *
 * Every function runs one parameterised statement (or a few) on ctx inside the caller's
 * transaction. Failures are recorded in ctx (see store_pg.h) and reported as -1; a
 * "find" function returns 1 found, 0 not found, -1 failure. Times are UTC epoch seconds.
 */
#ifndef PARK_RECORDS_H
#define PARK_RECORDS_H

#include <stdint.h>
#include <time.h>

#include "plate.h"
#include "store_pg.h"

#define MSISDN_MAX 33
#define ZONE_NAME_MAX 256

struct zone_row {
    int number;
    char name[ZONE_NAME_MAX];
    int64_t tariff;          /* tiyn per hour */
    int active;
};

struct session_row {
    long long id;
    char msisdn[MSISDN_MAX];
    int zone;
    char zone_name[ZONE_NAME_MAX];
    char plate[PLATE_MAX];
    int64_t rate;
    int64_t prepaid;
    int hours;
    time_t started;
    time_t paid_until;
};

struct pending_row {
    long long id;
    char msisdn[MSISDN_MAX];
    int is_extend;
    int zone;
    char zone_name[ZONE_NAME_MAX];
    char plate[PLATE_MAX];
    int hours;
    int64_t rate;
    int64_t amount;
    int64_t account_part;
    int64_t payment_part;
    long long session_id;    /* extend: the session; 0 for a start */
    time_t expires;
};

/* Creates the subscriber if new and locks its row; fills its language ("" = default)
   and parking-account balance. */
int rec_lock_subscriber(struct pg_ctx *pg, const char *msisdn, char lang[3], int64_t *account);
int rec_language(struct pg_ctx *pg, const char *msisdn, char lang[3]);    /* no lock */
int rec_set_language(struct pg_ctx *pg, const char *msisdn, const char *lang);
/* Adds delta to the parking account (the ledger leg is booked separately). */
int rec_account_add(struct pg_ctx *pg, const char *msisdn, int64_t delta);

int rec_mo_seen(struct pg_ctx *pg, const char *mo_id);
int rec_mo_record(struct pg_ctx *pg, const char *mo_id, const char *msisdn, time_t at);

int rec_zone(struct pg_ctx *pg, int number, struct zone_row *out);

#define STREET_MAX 128
struct block_row {
    char street[STREET_MAX];
    char from[STREET_MAX];
    char to[STREET_MAX];
};
/* The zone's street blocks (table street_blocks), sorted by street, from, to, id; at
   most max are filled. Returns the zone's block count (which may exceed max) or -1.
   Names longer than STREET_MAX-1 bytes are cut at a character boundary. */
int rec_zone_blocks(struct pg_ctx *pg, int zone, struct block_row *v, int max);

/* The active session of a plate (anyone's), not locked. */
int rec_session_by_plate(struct pg_ctx *pg, const char *plate, struct session_row *out);
/* The subscriber's active sessions (only plate's when plate is not NULL), oldest first,
   locked; at most max are filled. Returns the count (which may exceed max) or -1. */
int rec_sessions_of(struct pg_ctx *pg, const char *msisdn, const char *plate,
                    struct session_row *v, int max);
int rec_session_locked(struct pg_ctx *pg, long long id, struct session_row *out); /* active only */
long long rec_session_insert(struct pg_ctx *pg, const char *msisdn, const struct zone_row *z,
                             const char *plate, int hours, time_t start, time_t paid_until,
                             int64_t prepaid);
int rec_session_extend(struct pg_ctx *pg, long long id, int hours, time_t paid_until,
                       int64_t amount);
int rec_session_end(struct pg_ctx *pg, long long id, int stopped, time_t at, int64_t cost,
                    int64_t to_account);
int rec_session_reminded(struct pg_ctx *pg, long long id, time_t at);

/* The subscriber's open pending debit, locked. */
int rec_pending_open(struct pg_ctx *pg, const char *msisdn, struct pending_row *out);
long long rec_pending_insert(struct pg_ctx *pg, const struct pending_row *p, const char *mo_id,
                             time_t created);
/* Closes an open pending debit with state ("confirmed", "declined", ...). */
int rec_pending_close(struct pg_ctx *pg, long long id, const char *state, time_t at,
                      long long session_id);

/* Due work, claimed with FOR UPDATE SKIP LOCKED, at most max rows; returns the count. */
int rec_due_pendings(struct pg_ctx *pg, time_t now, struct pending_row *v, int max);
int rec_due_reminders(struct pg_ctx *pg, time_t now, time_t horizon, struct session_row *v,
                      int max);
int rec_due_ends(struct pg_ctx *pg, time_t now, struct session_row *v, int max);

/* Ledger: a transaction header, then its legs (a zero amount writes nothing). */
long long rec_ledger_tx(struct pg_ctx *pg, const char *kind, const char *msisdn,
                        long long session_id, long long pending_id, const char *key, time_t at);
int rec_ledger_leg(struct pg_ctx *pg, long long tx, const char *account, int64_t amount);

#endif
