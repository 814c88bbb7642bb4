/* pay_wallet.c: the built-in wallet payment driver (balance in subscribers.wallet_tiyn). */
#include "payment.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ledger leg is written by the caller with the account we name; here we only move
   the stored balance, refusing to go below zero. */
static enum pay_result wallet_charge(void *ctx, PGconn *conn, const char *msisdn,
                                     int64_t amount, const char *key, char *account,
                                     size_t accsize, char *err, size_t errsize)
{
    char amt[24];
    const char *params[2] = { msisdn, amt };
    PGresult *r;
    enum pay_result res;

    (void)ctx;
    (void)key;   /* the same transaction books the ledger under this key */
    if (amount <= 0) {
        snprintf(err, errsize, "wallet: amount must be positive");
        return PAY_ERROR;
    }
    snprintf(amt, sizeof amt, "%" PRId64, amount);
    r = PQexecParams(conn,
                     "UPDATE subscribers SET wallet_tiyn = wallet_tiyn - $2::bigint "
                     "WHERE msisdn = $1 AND wallet_tiyn >= $2::bigint",
                     2, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        snprintf(err, errsize, "wallet: %s", PQresultErrorMessage(r));
        err[strcspn(err, "\n")] = '\0';
        res = PAY_ERROR;
    } else if (strcmp(PQcmdTuples(r), "1") != 0) {
        snprintf(err, errsize, "wallet: insufficient balance for %" PRId64 " tiyn", amount);
        res = PAY_DECLINED;
    } else {
        snprintf(account, accsize, "wallet:%s", msisdn);
        res = PAY_OK;
    }
    PQclear(r);
    return res;
}

static const struct payment_driver wallet_driver = {
    .name = "wallet",
    .ctx = NULL,
    .charge = wallet_charge,
};

const struct payment_driver *payment_wallet(void)
{
    return &wallet_driver;
}
