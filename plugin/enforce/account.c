/* account.c: sessions by plate or MSISDN, accounts and their adjustments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enforce_int.h"

json_t *en_session_json(const struct enforce *e, const PGresult *r, int i)
{
    json_t *s = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "id", en_int(r, i, 0), "msisdn", en_text(r, i, 1), "zone", en_int(r, i, 2),
        "zone_name", en_text(r, i, 3), "plate", en_text(r, i, 4), "rate_tiyn", en_int(r, i, 5),
        "hours", en_int(r, i, 6));

    json_object_set_new(s, "started_at", en_time_col(e, r, i, 7));
    json_object_set_new(s, "paid_until", en_time_col(e, r, i, 8));
    json_object_set_new(s, "stopped_at", en_time_col(e, r, i, 9));
    json_object_set_new(s, "ended_at", en_time_col(e, r, i, 10));
    json_object_set_new(s, "end_reason", en_text(r, i, 11));
    json_object_set_new(s, "active", json_boolean(PQgetisnull(r, i, 10)));
    json_object_set_new(s, "prepaid_tiyn", en_int(r, i, 12));
    json_object_set_new(s, "cost_tiyn", en_int(r, i, 13));
    json_object_set_new(s, "to_account_tiyn", en_int(r, i, 14));
    return s;
}

/* Runs a paged list statement (key, limit, offset) and turns each row into JSON. */
json_t *en_page(struct enforce *e, enum stmt st, const char *key, int limit, int offset,
                json_t *(*row)(const struct enforce *, const PGresult *, int),
                struct en_error *err)
{
    char ls[16], os[16];
    const char *params[3] = { key, ls, os };
    PGconn *c = en_get(e, err);
    PGresult *r;
    json_t *list;

    if (c == NULL)
        return NULL;
    snprintf(ls, sizeof ls, "%d", limit);
    snprintf(os, sizeof os, "%d", offset);
    r = en_exec(e, c, st, params, err);
    en_put(e, c);
    if (r == NULL)
        return NULL;
    list = json_array();
    for (int i = 0; i < PQntuples(r); i++)
        json_array_append_new(list, row(e, r, i));
    PQclear(r);
    return list;
}

enum en_status enforce_sessions(struct enforce *e, const char *plate_text, const char *msisdn,
                                int limit, int offset, json_t **out, struct en_error *err)
{
    struct plate p;
    json_t *list;

    if (plate_text != NULL && en_plate(e, plate_text, &p, err) != EN_OK)
        return err->status;
    list = en_page(e, plate_text ? ST_sessions_by_plate : ST_sessions_by_msisdn,
                   plate_text ? p.canonical : msisdn, limit, offset, en_session_json, err);
    if (list == NULL)
        return err->status;
    *out = json_pack("{s:o, s:i, s:i}", "sessions", list, "limit", limit, "offset", offset);
    return EN_OK;
}

json_t *en_movement_json(const struct enforce *e, const PGresult *r, int i)
{
    json_t *m = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "tx", en_int(r, i, 0),
                          "kind", en_text(r, i, 1), "at", en_time_col(e, r, i, 2),
                          "amount_tiyn", en_int(r, i, 3), "session", en_int(r, i, 4),
                          "receipt", en_int(r, i, 5));

    if (!PQgetisnull(r, i, 6))
        json_object_set_new(m, "adjustment", json_pack("{s:o, s:o, s:o}", "kind", en_text(r, i, 6),
                                                       "reason", en_text(r, i, 7),
                                                       "operator", en_text(r, i, 8)));
    return m;
}

/* The subscriber's row as JSON; EN_NOT_FOUND when the MSISDN never wrote. */
enum en_status en_account_row(struct enforce *e, const char *msisdn, json_t **out,
                              struct en_error *err)
{
    const char *params[1] = { msisdn };
    PGconn *c = en_get(e, err);
    PGresult *r;

    if (c == NULL)
        return err->status;
    r = en_exec(e, c, ST_account, params, err);
    en_put(e, c);
    if (r == NULL)
        return err->status;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return en_fail(err, EN_NOT_FOUND, "no subscriber %.32s", msisdn);
    }
    *out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "msisdn", en_text(r, 0, 0),
                     "parking_account_tiyn", en_int(r, 0, 1), "wallet_tiyn", en_int(r, 0, 2),
                     "payment_method", en_text(r, 0, 3), "card_last4", en_text(r, 0, 4),
                     "language", en_text(r, 0, 5));
    PQclear(r);
    return EN_OK;
}

enum en_status enforce_account(struct enforce *e, const char *msisdn, json_t **out,
                               struct en_error *err)
{
    json_t *acct = NULL, *moves;
    enum en_status st = en_account_row(e, msisdn, &acct, err);

    if (st != EN_OK || acct == NULL)
        return st != EN_OK ? st : EN_UNAVAILABLE;
    if ((moves = en_page(e, ST_ledger_parking, msisdn, 20, 0, en_movement_json, err)) == NULL) {
        json_decref(acct);
        return err->status;
    }
    json_object_set_new(acct, "movements", moves);
    *out = acct;
    return EN_OK;
}

enum en_status enforce_accounts_by_plate(struct enforce *e, const char *plate_text, json_t **out,
                                         struct en_error *err)
{
    struct plate p;
    const char *params[1] = { p.canonical };
    PGconn *c;
    PGresult *r;
    json_t *list, *one;

    if (en_plate(e, plate_text, &p, err) != EN_OK || (c = en_get(e, err)) == NULL)
        return err->status;
    r = en_exec(e, c, ST_msisdns_by_plate, params, err);
    en_put(e, c);
    if (r == NULL)
        return err->status;
    list = json_array();
    for (int i = 0; i < PQntuples(r); i++) {
        one = NULL;
        if (enforce_account(e, PQgetvalue(r, i, 0), &one, err) != EN_OK || one == NULL) {
            PQclear(r);
            json_decref(list);
            return err->status;
        }
        json_array_append_new(list, one);
    }
    PQclear(r);
    *out = json_pack("{s:s, s:o}", "plate", p.canonical, "accounts", list);
    return EN_OK;
}

enum en_status enforce_adjust(struct enforce *e, const char *msisdn, const char *kind,
                              long long amount, const char *reason, const char *operator_id,
                              const char *key, json_t **out, struct en_error *err)
{
    char as[24];
    const char *params[6] = { msisdn, kind, as, reason, operator_id, key };
    PGconn *c;
    PGresult *r;

    if (strcmp(kind, "goodwill") != 0 && strcmp(kind, "correction") != 0)
        return en_fail(err, EN_INVALID, "kind must be goodwill or correction");
    if (amount == 0 || (strcmp(kind, "goodwill") == 0 && amount < 0))
        return en_fail(err, EN_INVALID, "amount_tiyn must be %s", amount == 0 ? "non-zero" : "positive for goodwill");
    if (reason == NULL || reason[0] == '\0' || key == NULL || key[0] == '\0' || strlen(key) > 100)
        return en_fail(err, EN_INVALID, "reason and key (up to 100 characters) are required");
    snprintf(as, sizeof as, "%lld", amount);
    if ((c = en_get(e, err)) == NULL)
        return err->status;
    r = PQexecPrepared(c, "adjust", 6, params, NULL, NULL, 0);
    if (!pool_ok(r)) {
        const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        if (code && strcmp(code, "P0002") == 0)
            en_fail(err, EN_NOT_FOUND, "no subscriber %.32s", msisdn);
        else if (code && strcmp(code, "23514") == 0)
            en_fail(err, EN_CONFLICT, "the parking account would go below zero");
        else
            enforce_log(e, "adjust", PQresultErrorMessage(r)),
            en_fail(err, EN_UNAVAILABLE, "the adjustment could not be recorded");
        PQclear(r);
        en_put(e, c);
        return err->status;
    }
    *out = json_pack("{s:o, s:s, s:s, s:I, s:s, s:s, s:o, s:o}", "tx", en_int(r, 0, 0),
                     "msisdn", msisdn, "kind", kind, "amount_tiyn", (json_int_t)amount,
                     "reason", reason, "operator", operator_id,
                     "parking_account_tiyn", en_int(r, 0, 1), "created", en_bool(r, 0, 2));
    PQclear(r);
    en_put(e, c);
    return EN_OK;
}
