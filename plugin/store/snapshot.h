/* snapshot.h: round trip 1 of a transaction: BEGIN and everything the dialogue needs to
 * decide, read in one pipeline.
 *
 * For an MO: the subscriber (created if new, then locked before anything else is read),
 * whether the MO was handled before and its stored replies, the subscriber's active
 * sessions (locked) and open pending debit (locked, with the session it concerns), and
 * what the command names (dialogue_needs). For due work: a batch of due rows claimed
 * with FOR UPDATE SKIP LOCKED, with their subscribers' languages.
 * The queue functions add statements to a batch; the read functions take the results
 * after pg_round_trip. They return 0, or -1 with the failure recorded in pg.
 */
#ifndef PARK_SNAPSHOT_H
#define PARK_SNAPSHOT_H

#include "dialogue.h"
#include "outbox.h"
#include "store_pg.h"

struct mo_snapshot {
    int seen;                        /* the MO was handled before */
    struct dlg_subscriber sub;
    struct dlg_named named;
    struct dlg_tariffs tariffs;      /* the paid hours of the zones it concerns */
};

int snapshot_queue_mo(struct pg_ctx *pg, struct pg_batch *b, const char *msisdn,
                      const char *mo_id, const struct dlg_needs *needs);
/* Fills *snap, the names of zones and streets in the language of the subscriber's replies
   (its own, else default_lang; the plain name where that language has none); when the MO
   was seen, appends its stored replies to stored. */
int snapshot_read_mo(struct pg_ctx *pg, const struct pg_batch *b, const char *default_lang,
                     struct mo_snapshot *snap, struct replies *stored);


enum due_kind { DUE_EXPIRE, DUE_REMIND, DUE_END, DUE_KIND_COUNT };

/* One claimed due row: the session or pending debit, and its subscriber's language. */
struct due_row {
    struct dlg_subscriber sub;       /* msisdn and lang only */
    struct dlg_session session;      /* DUE_REMIND, DUE_END */
    struct dlg_pending pending;      /* DUE_EXPIRE */
};

/* Claims at most limit rows of kind due at now; reminders are due reminder_minutes
   before the end and stay due until the session ends; with reminder_minutes > 0 a
   session ends only once reminded. */
int snapshot_queue_due(struct pg_ctx *pg, struct pg_batch *b, enum due_kind kind, time_t now,
                       int reminder_minutes, int limit);
/* The claimed rows into v[max], zone names as snapshot_read_mo's; returns their number,
   or -1. */
int snapshot_read_due(struct pg_ctx *pg, const struct pg_batch *b, enum due_kind kind,
                      const char *default_lang, struct due_row *v, int max);

#endif
