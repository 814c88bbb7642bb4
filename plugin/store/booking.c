/* booking.c: ledger transactions for debits and session ends (see booking.h). */
#include "booking.h"

#include <stdio.h>

int book_debit(struct pg_ctx *pg, const struct debit_booking *b)
{
    char held[32], parking[48];
    long long tx = rec_ledger_tx(pg, b->kind, b->msisdn, b->session_id, b->pending_id,
                                 b->key, b->at);

    if (tx == 0)
        return -1;
    snprintf(held, sizeof held, "held:%lld", b->session_id);
    snprintf(parking, sizeof parking, "parking:%s", b->msisdn);
    if (rec_ledger_leg(pg, tx, held, b->from_account + b->from_payment) < 0 ||
        rec_ledger_leg(pg, tx, parking, -b->from_account) < 0 ||
        rec_ledger_leg(pg, tx, b->payment_account ? b->payment_account : "payment",
                       -b->from_payment) < 0)
        return -1;
    return rec_account_add(pg, b->msisdn, -b->from_account);
}

int book_release(struct pg_ctx *pg, const char *kind, const struct session_row *s,
                 int64_t cost, int64_t to_account, time_t at)
{
    char held[32], parking[48], revenue[24], key[48];
    long long tx;

    snprintf(key, sizeof key, "%s:%lld", kind, s->id);
    tx = rec_ledger_tx(pg, kind, s->msisdn, s->id, 0, key, at);
    if (tx == 0)
        return -1;
    snprintf(held, sizeof held, "held:%lld", s->id);
    snprintf(parking, sizeof parking, "parking:%s", s->msisdn);
    snprintf(revenue, sizeof revenue, "revenue:%04d", s->zone);
    if (rec_ledger_leg(pg, tx, held, -(cost + to_account)) < 0 ||
        rec_ledger_leg(pg, tx, revenue, cost) < 0 ||
        rec_ledger_leg(pg, tx, parking, to_account) < 0)
        return -1;
    return rec_account_add(pg, s->msisdn, to_account);
}
