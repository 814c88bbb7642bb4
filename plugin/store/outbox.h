/* outbox.h: the outbox of SMS replies, and the list of replies a call returns.
 *
 * Every message the service sends is first an outbox row written in the transaction
 * that decided it (the audit of outgoing messages); the box sends it and marks it sent.
 */
#ifndef PARK_OUTBOX_H
#define PARK_OUTBOX_H

#include <stddef.h>

#include "reply.h"
#include "service.h"
#include "store_pg.h"

/* A growing array of struct mt, handed to the caller of the service as is. */
struct replies {
    struct mt *v;
    size_t n;
    size_t cap;
};
void replies_clear(struct replies *r);      /* frees v and empties the list */
/* Moves the list to *out / *nout (NULL, 0 when empty); r is left empty. */
void replies_take(struct replies *r, struct mt **out, size_t *nout);

/* Appends an empty message (the caller fills it); NULL when out of memory (recorded in
   pg as PG_FAIL_OTHER). */
struct mt *replies_push(struct pg_ctx *pg, struct replies *r);
/* Appends row i of an outbox query (id, sender, receiver, text, ucs2). Returns 0 or -1. */
int replies_add_row(struct pg_ctx *pg, struct replies *r, const PGresult *res, int i);

/* Claims unsent rows (not marked sent, no delivery report) created more than age
   seconds ago and not claimed in the last age seconds; appends them. Returns 0 or -1. */
int outbox_claim_unsent(struct pg_ctx *pg, struct replies *r, int age, int limit);
/* Sets sent_at on the rows among ids not yet marked, in one statement. Returns 0 or -1. */
int outbox_mark_sent(struct pg_ctx *pg, const long long *ids, size_t n);
/* Records a delivery report ("delivered", "failed", "buffered", "smsc_accepted",
   "smsc_rejected") on row id, through outbox_record_dlr() (sql/0004_delivery.sql): a
   duplicate, a report after a final status or an unknown id changes nothing. Returns
   1 when the row changed, 0 when not, -1 on failure (in pg). */
int outbox_record_dlr(struct pg_ctx *pg, long long id, const char *status);
/* Records n delivery reports (ids[i] with status[i], names as above, in the order they
   arrived) in one statement, leaving every row as outbox_record_dlr() applied to each
   report in turn would. Returns the number of rows changed, or -1 on failure (in pg). */
long outbox_record_dlrs(struct pg_ctx *pg, const long long *ids, const char *const *status,
                        size_t n);

#endif
