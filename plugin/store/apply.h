/* apply.h: round trip 2 of a transaction: the dialogue's output written to PostgreSQL.
 *
 * apply_queue adds, for one dialogue output, the statements of its actions in order,
 * the change of the subscriber's balances and one outbox row per reply; the caller adds
 * the MO's record before and the COMMIT after, and makes the round trip. The replies are
 * appended to `sent` at once (outbox_id 0); apply_read_ids fills in their outbox ids
 * from the round trip's results, in order.
 */
#ifndef PARK_APPLY_H
#define PARK_APPLY_H

#include "dialogue.h"
#include "outbox.h"
#include "store_pg.h"

/* mo_id: the MO (NULL for due work). Returns 0, or -1 with the failure in pg. */
int apply_queue(struct pg_ctx *pg, struct pg_batch *b, const struct dlg_config *cfg,
                const char *msisdn, const char *mo_id, time_t now,
                const struct dlg_output *out, struct replies *sent);
/* Queues the record of a handled MO (before its outbox rows). */
int apply_queue_mo(struct pg_ctx *pg, struct pg_batch *b, const char *mo_id,
                   const char *msisdn, time_t at);
/* Sets the outbox ids of the replies appended since index `first` of sent. */
int apply_read_ids(struct pg_ctx *pg, const struct pg_batch *b, struct replies *sent,
                   size_t first);

#endif
