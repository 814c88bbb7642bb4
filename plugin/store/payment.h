/* payment.h: how a debit is charged to a subscriber's payment method.
 *
 * A driver is a struct of function pointers. The dialogue calls charge() inside the
 * transaction of the confirming command, with the subscriber row locked, and books the
 * ledger transaction itself: the driver says which ledger account the money came from
 * ("wallet:MSISDN" for the built-in wallet; an external driver uses "payment:NAME").
 * The idempotency key (e.g. "pending:42") is unique per debit: an external driver must
 * pass it to its provider so that a retried transaction never charges twice.
 */
#ifndef PARK_PAYMENT_H
#define PARK_PAYMENT_H

#include <stddef.h>
#include <stdint.h>
#include <libpq-fe.h>

enum pay_result {
    PAY_OK = 0,
    PAY_DECLINED = 1,   /* insufficient funds or refused: nothing was charged */
    PAY_ERROR = -1      /* database or provider failure: roll the transaction back */
};

struct payment_driver {
    const char *name;   /* "wallet" */
    void *ctx;          /* driver state, passed back to charge() */
    /* Charges `amount` (> 0 tiyn) to msisdn on conn (in the open transaction). On
       PAY_OK writes the source ledger account into account[accsize]; on PAY_DECLINED
       and PAY_ERROR writes a reason for the log into err[errsize]. */
    enum pay_result (*charge)(void *ctx, PGconn *conn, const char *msisdn, int64_t amount,
                              const char *idempotency_key, char *account, size_t accsize,
                              char *err, size_t errsize);
};

/* The built-in wallet: subscribers.wallet_tiyn in the same database and transaction.
   Static; never freed. Top it up with SELECT wallet_topup(msisdn, tiyn). */
const struct payment_driver *payment_wallet(void);

#endif
