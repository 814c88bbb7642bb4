/* booking.h: double-entry bookings of the parking money (ledger + stored balances).
 *
 * Each function writes one ledger transaction whose legs sum to zero and keeps
 * subscribers.account_tiyn equal to the ledger balance of parking:MSISDN. The wallet
 * balance is moved by the payment driver, which names the account it took money from.
 * Return 0, or -1 with the failure recorded in pg.
 */
#ifndef PARK_BOOKING_H
#define PARK_BOOKING_H

#include <stdint.h>
#include <time.h>

#include "records.h"
#include "store_pg.h"

struct debit_booking {
    const char *kind;           /* "start" or "extend" */
    const char *msisdn;
    long long session_id;
    long long pending_id;       /* 0 when no confirmation was needed */
    const char *key;            /* unique idempotency key */
    int64_t from_account;       /* parking-account use */
    int64_t from_payment;       /* charged to payment_account */
    const char *payment_account;
    time_t at;
};
/* Moves from_account + from_payment into held:SESSION. */
int book_debit(struct pg_ctx *pg, const struct debit_booking *b);
/* Releases held:SESSION (the session's prepaid): cost to revenue:ZONE, the rest to the
   parking account. kind "stop" or "end". */
int book_release(struct pg_ctx *pg, const char *kind, const struct session_row *s,
                 int64_t cost, int64_t to_account, time_t at);

#endif
