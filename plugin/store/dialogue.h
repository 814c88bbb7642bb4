/* dialogue.h: the parking dialogue over the store, one command or one due item at a time.
 *
 * The service (service.c) opens the transaction, locks the subscriber and then calls
 * these functions; they read and change rows through records.h, book money through
 * booking.h and write their replies to the outbox. They return 0, or -1 after a database
 * failure recorded in d->pg (the caller rolls back and decides whether to retry).
 */
#ifndef PARK_DIALOGUE_H
#define PARK_DIALOGUE_H

#include <stdint.h>
#include <time.h>

#include "outbox.h"
#include "payment.h"
#include "records.h"
#include "service.h"
#include "store_pg.h"

struct dlg {
    const struct service_config *cfg;
    const struct payment_driver *pay;
    struct pg_ctx *pg;
    struct replies *out;
    const char *mo_id;          /* the MO being handled; NULL for due work */
    char msisdn[MSISDN_MAX];
    time_t now;
    char lang[3];               /* the subscriber's language, or the default */
    int64_t account;            /* parking-account balance (subscriber locked) */
};

/* Handles the text of one MO (subscriber locked, MO recorded). to_confirm: the MO was
   sent to the confirmation number. */
int dialogue_command(struct dlg *d, const char *text, size_t len, int to_confirm);
/* Replies temporary_failure (used when a command cannot be completed). */
int dialogue_temporary_failure(struct dlg *d);

/* Shared by dialogue.c and confirm.c (same return convention). */
struct debit_plan;
int dlg_confirm(struct dlg *d, int yes);              /* "1" (yes) or anything else */
int dlg_replace_pending(struct dlg *d);               /* closes an open pending as replaced */
int dlg_check_extension(struct dlg *d, const struct session_row *s, int hours); /* 1 = ok */
/* Start or extend now with plan's money (payment part from payment_account), booking
   under pending_id (0: no confirmation was needed), and reply started/extended. */
int dlg_start_session(struct dlg *d, const struct zone_row *z, const char *plate, int hours,
                      const struct debit_plan *plan, long long pending_id,
                      const char *payment_account);
int dlg_extend_session(struct dlg *d, const struct session_row *s, int hours,
                       const struct debit_plan *plan, long long pending_id,
                       const char *payment_account);

/* ZONE alone: zone_unknown, or zone_info (zone_info_inactive for a deactivated zone) with
   the tariff and the street blocks, shortened with "+N more" to fit 3 SMS parts. */
int dlg_zone_info(struct dlg *d, int zone);
/* 1 when the zone accepts new parking or extensions; else replies zone_inactive about the
   car (zone, its name, plate; tagged with session_id / pending_id) and returns 0; -1 on
   failure. */
int dlg_zone_open(struct dlg *d, int zone, const char *plate, long long session_id,
                  long long pending_id);

/* Due work, each claimed with SKIP LOCKED; returns the number handled or -1. */
int due_expire_pendings(struct dlg *d, int limit);
int due_send_reminders(struct dlg *d, int limit);
int due_end_sessions(struct dlg *d, int limit);

/* Scaled durations: config seconds/minutes in "hours" of hour_seconds seconds. */
time_t dlg_hours(const struct service_config *cfg, int hours);
time_t dlg_scale(const struct service_config *cfg, time_t seconds);
/* Real elapsed seconds -> seconds on the tariff's clock (for billing minutes). */
time_t dlg_unscale(const struct service_config *cfg, time_t seconds);

/* Rendering and sending a reply about a car (zone/zone_name/plate added to fields). */
struct car {
    int zone;
    const char *zone_name;
    const char *plate;
};
#define DLG_MAXFIELDS 12
struct dlg_reply {
    const char *key;
    int from_confirm;           /* sent from the confirmation number */
    long long session_id;
    long long pending_id;
    const struct car *car;      /* NULL: no car fields */
    struct reply_field f[DLG_MAXFIELDS];
    size_t n;
    char buf[DLG_MAXFIELDS][64];
};
void dlg_reply_init(struct dlg_reply *r, const char *key, const struct car *car);
void dlg_field(struct dlg_reply *r, const char *name, const char *value);   /* borrowed */
void dlg_field_money(struct dlg_reply *r, const char *name, int64_t tiyn);
void dlg_field_time(struct dlg_reply *r, const struct dlg *d, const char *name, time_t t);
void dlg_field_int(struct dlg_reply *r, const char *name, long long v);
int dlg_send(struct dlg *d, struct dlg_reply *r);

#endif
