/* portal.c: the portal's payment method, balance and history (portal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enforce_int.h"
#include "portal.h"

int portal_msisdn_ok(const char *m)
{
    size_t n;

    if (m == NULL)
        return -1;
    m += m[0] == '+';
    n = strlen(m);
    return n >= 10 && n <= 15 && strspn(m, "0123456789") == n ? 0 : -1;
}

static enum en_status method_check(const char *method, const char *token, const char *last4,
                                   struct en_error *err)
{
    int card = method && strcmp(method, "card") == 0;

    if (method == NULL || (!card && strcmp(method, "phone") != 0 && strcmp(method, "default") != 0))
        return en_fail(err, EN_INVALID, "method must be phone, card or default");
    if (card && (token == NULL || token[0] == '\0' || strlen(token) > 200))
        return en_fail(err, EN_INVALID, "a card needs the gateway's token");
    if (card && (last4 == NULL || strlen(last4) != 4 || strspn(last4, "0123456789") != 4))
        return en_fail(err, EN_INVALID, "a card needs its last four digits");
    if (!card && (token != NULL || last4 != NULL))
        return en_fail(err, EN_INVALID, "token and last4 are for a card only");
    return EN_OK;
}

enum en_status portal_method_set(struct enforce *e, const char *msisdn, const char *method,
                                 const char *token, const char *last4, json_t **out,
                                 struct en_error *err)
{
    const char *params[4] = { msisdn, method, token, last4 };
    PGconn *c;
    PGresult *r;

    if (portal_msisdn_ok(msisdn) != 0)
        return en_fail(err, EN_INVALID, "bad msisdn: 10 to 15 digits");
    if (method_check(method, token, last4, err) != EN_OK)
        return err->status;
    if ((c = en_get(e, err)) == NULL)
        return err->status;
    r = en_exec(e, c, ST_method_set, params, err);
    en_put(e, c);
    if (r == NULL)
        return err->status;
    PQclear(r);
    *out = json_pack("{s:s, s:s, s:s?}", "msisdn", msisdn, "payment_method", method,
                     "card_last4", last4);
    return EN_OK;
}

enum en_status portal_balance(struct enforce *e, const char *msisdn, json_t **out,
                              struct en_error *err)
{
    json_t *row;

    if (portal_msisdn_ok(msisdn) != 0)
        return en_fail(err, EN_INVALID, "bad msisdn: 10 to 15 digits");
    if (en_account_row(e, msisdn, &row, err) != EN_OK)
        return err->status;
    *out = json_pack("{s:O, s:O, s:O, s:O}", "msisdn", json_object_get(row, "msisdn"),
                     "parking_account_tiyn", json_object_get(row, "parking_account_tiyn"),
                     "payment_method", json_object_get(row, "payment_method"),
                     "card_last4", json_object_get(row, "card_last4"));
    json_decref(row);
    return EN_OK;
}

static json_t *payment_json(const struct enforce *e, const PGresult *r, int i)
{
    json_t *p = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "receipt", en_int(r, i, 0),
                          "kind", en_text(r, i, 1), "zone", en_int(r, i, 2),
                          "plate", en_text(r, i, 3), "hours", en_int(r, i, 4),
                          "amount_tiyn", en_int(r, i, 5));

    json_object_set_new(p, "parking_account_tiyn", en_int(r, i, 6));
    json_object_set_new(p, "paid_tiyn", en_int(r, i, 7));
    json_object_set_new(p, "method", en_text(r, i, 8));
    json_object_set_new(p, "card_last4", en_text(r, i, 9));
    json_object_set_new(p, "at", en_time_col(e, r, i, 10));
    json_object_set_new(p, "session", en_int(r, i, 11));
    return p;
}

enum en_status portal_history(struct enforce *e, const char *msisdn, const char *what,
                              int limit, int offset, json_t **out, struct en_error *err)
{
    json_t *list;

    if (portal_msisdn_ok(msisdn) != 0)
        return en_fail(err, EN_INVALID, "bad msisdn: 10 to 15 digits");
    if (strcmp(what, "sessions") == 0)
        list = en_page(e, ST_sessions_by_msisdn, msisdn, limit, offset, en_session_json, err);
    else if (strcmp(what, "payments") == 0)
        list = en_page(e, ST_payments, msisdn, limit, offset, payment_json, err);
    else if (strcmp(what, "movements") == 0)
        list = en_page(e, ST_ledger_parking, msisdn, limit, offset, en_movement_json, err);
    else
        return en_fail(err, EN_NOT_FOUND, "no history '%.20s': sessions, payments or movements", what);
    if (list == NULL)
        return err->status;
    *out = json_pack("{s:s, s:o, s:i, s:i}", "msisdn", msisdn, what, list, "limit", limit,
                     "offset", offset);
    return EN_OK;
}
