/* apply.c: round trip 2, the writes of a transaction (see apply.h). Parameters borrow
   from the dialogue output and the msisdn, which must outlive the round trip; what the
   `sent` list holds is copied (the list may move as it grows). */
#include "apply.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define ARRAY_TEXT 192

/* A reference to a row: an id, DLG_NEW (-1: inserted by this transaction) or 0 (NULL). */
static void p_ref(struct pg_params *p, long long ref)
{
    pg_p_id(p, ref);
}

static int queue_pending_insert(struct pg_ctx *pg, struct pg_batch *b, const char *msisdn,
                                const char *mo_id, time_t now, const struct dlg_pending *d)
{
    struct pg_params *p = pg_batch_add(pg, b, STMT_PENDING_INSERT);

    if (p == NULL)
        return -1;
    pg_p_str(p, msisdn);
    pg_p_str(p, debit_kind_name(d->kind));
    pg_p_i64(p, d->zone);
    pg_p_str(p, d->plate);
    pg_p_i64(p, d->hours);
    pg_p_i64(p, d->rate);
    pg_p_i64(p, d->amount);
    pg_p_i64(p, d->account_part);
    pg_p_i64(p, d->payment_part);
    p_ref(p, d->session_id);
    pg_p_str(p, mo_id);
    pg_p_time(p, now);
    pg_p_time(p, d->expires);
    return 0;
}

static int queue_session_insert(struct pg_ctx *pg, struct pg_batch *b,
                                const struct dlg_session *s)
{
    struct pg_params *p = pg_batch_add(pg, b, STMT_SESSION_INSERT);

    if (p == NULL)
        return -1;
    pg_p_str(p, s->msisdn);
    pg_p_i64(p, s->zone);
    pg_p_str(p, s->plate);
    pg_p_i64(p, s->rate);
    pg_p_i64(p, s->hours);
    pg_p_time(p, s->started);
    pg_p_time(p, s->paid_until);
    pg_p_i64(p, s->prepaid);
    return 0;
}

/* The legs as two array literals, {"held:","parking:+7701"} and {100,-100}. Account
   names are made by the dialogue from digits, '+' and fixed words: no quoting needed
   beyond the double quotes. */
static int queue_ledger(struct pg_ctx *pg, struct pg_batch *b, const char *msisdn,
                        const struct dlg_action *a)
{
    struct pg_params *p = pg_batch_add(pg, b, STMT_LEDGER);
    char accounts[ARRAY_TEXT] = "{", amounts[ARRAY_TEXT] = "{";

    if (p == NULL)
        return -1;
    for (int i = 0; i < a->nlegs; i++) {
        size_t u = strlen(accounts), v = strlen(amounts);
        snprintf(accounts + u, sizeof accounts - u, "%s\"%s\"", i ? "," : "", a->legs[i].account);
        snprintf(amounts + v, sizeof amounts - v, "%s%" PRId64, i ? "," : "", a->legs[i].amount);
    }
    strcat(accounts, "}");
    strcat(amounts, "}");
    pg_p_str(p, a->ledger_kind);
    pg_p_str(p, msisdn);
    p_ref(p, a->session_id);
    p_ref(p, a->pending_id);
    if (pg_p_copy(p, a->key) < 0)
        return -1;
    pg_p_time(p, a->at);
    if (pg_p_copy(p, accounts) < 0 || pg_p_copy(p, amounts) < 0)
        return -1;
    return 0;
}

/* The charge actions: recorded as requested (with what it is sent with), settled with
   the provider's answer, or left requested with the next try. */
static int queue_charge(struct pg_ctx *pg, struct pg_batch *b, const char *msisdn,
                        time_t now, const struct dlg_action *a)
{
    const struct dlg_charge *c = &a->charge;
    struct pg_params *p = pg_batch_add(pg, b, a->kind == ACT_CHARGE_REQUEST ? STMT_CHARGE_INSERT
                                             : a->kind == ACT_CHARGE_SETTLE ? STMT_CHARGE_SETTLE
                                             : STMT_CHARGE_RETRY);

    if (p == NULL)
        return -1;
    if (a->kind == ACT_CHARGE_REQUEST) {
        p_ref(p, a->pending_id);
        pg_p_str(p, msisdn);
        pg_p_str(p, pay_method_name(c->method));
        pg_p_i64(p, c->amount);
        pg_p_str(p, c->key);
        pg_p_str(p, c->card_token);
        pg_p_str(p, c->card_last4);
        pg_p_time(p, now);
        pg_p_time(p, c->next_try);
    } else if (a->kind == ACT_CHARGE_SETTLE) {
        p_ref(p, c->id);
        pg_p_str(p, charge_state_name(a->charge_state));
        pg_p_str(p, charge_outcome_name(a->outcome));
        pg_p_str(p, a->reference);
        pg_p_time(p, now);
    } else {
        p_ref(p, c->id);
        pg_p_time(p, c->next_try);
    }
    return 0;
}

static int queue_action(struct pg_ctx *pg, struct pg_batch *b, const char *msisdn,
                        const char *mo_id, time_t now, const struct dlg_action *a)
{
    struct pg_params *p;

    switch (a->kind) {
    case ACT_PENDING_INSERT:
        return queue_pending_insert(pg, b, msisdn, mo_id, now, &a->pending);
    case ACT_SESSION_INSERT:
        return queue_session_insert(pg, b, &a->session);
    case ACT_LEDGER:
        return queue_ledger(pg, b, msisdn, a);
    case ACT_CHARGE_REQUEST:
    case ACT_CHARGE_SETTLE:
    case ACT_CHARGE_RETRY:
        return queue_charge(pg, b, msisdn, now, a);
    case ACT_PENDING_CHARGING:
        if ((p = pg_batch_add(pg, b, STMT_PENDING_CHARGING)) == NULL)
            return -1;
        p_ref(p, a->pending_id);
        return 0;
    default:
        break;
    }
    if ((p = pg_batch_add(pg, b, a->kind == ACT_LANGUAGE ? STMT_SUB_LANGUAGE
                                : a->kind == ACT_PENDING_CLOSE ? STMT_PENDING_CLOSE
                                : a->kind == ACT_SESSION_EXTEND ? STMT_SESSION_EXTEND
                                : a->kind == ACT_SESSION_END ? STMT_SESSION_END
                                : STMT_SESSION_REMINDED)) == NULL)
        return -1;
    switch (a->kind) {
    case ACT_LANGUAGE:
        pg_p_str(p, msisdn);
        pg_p_copy(p, a->lang);
        break;
    case ACT_PENDING_CLOSE:
        p_ref(p, a->pending_id);
        pg_p_str(p, pending_state_name(a->state));
        pg_p_time(p, now);
        p_ref(p, a->session_id);
        break;
    case ACT_SESSION_EXTEND:
        p_ref(p, a->session_id);
        pg_p_i64(p, a->hours);
        pg_p_time(p, a->at);
        pg_p_i64(p, a->amount);
        break;
    case ACT_SESSION_END:
        p_ref(p, a->session_id);
        pg_p_str(p, end_reason_name(a->reason));
        pg_p_time(p, a->at);
        pg_p_i64(p, a->amount);
        pg_p_i64(p, a->to_account);
        break;
    default:                                  /* ACT_SESSION_REMINDED */
        p_ref(p, a->session_id);
        pg_p_time(p, a->at);
        break;
    }
    return 0;
}

static int queue_reply(struct pg_ctx *pg, struct pg_batch *b, const struct dlg_config *cfg,
                       const char *msisdn, const char *mo_id, const struct dlg_reply *y,
                       struct replies *sent)
{
    struct pg_params *p = pg_batch_add(pg, b, STMT_OUTBOX_INSERT);
    struct mt *m;

    if (p == NULL || (m = replies_push(pg, sent)) == NULL)
        return -1;
    snprintf(m->from, sizeof m->from, "%s", y->from_confirm ? cfg->confirm_number
                                                            : cfg->service_number);
    snprintf(m->to, sizeof m->to, "%s", msisdn);
    memcpy(m->text, y->text.text, sizeof m->text);
    m->ucs2 = y->text.ucs2;
    pg_p_str(p, mo_id);
    p_ref(p, y->session_id);
    p_ref(p, y->pending_id);
    pg_p_str(p, reply_key_name(y->key));
    if (pg_p_copy(p, m->from) < 0 || pg_p_copy(p, m->to) < 0)
        return -1;
    pg_p_str(p, y->text.text);
    pg_p_str(p, y->text.ucs2 ? "t" : "f");
    return 0;
}

int apply_queue(struct pg_ctx *pg, struct pg_batch *b, const struct dlg_config *cfg,
                const char *msisdn, const char *mo_id, time_t now,
                const struct dlg_output *out, struct replies *sent)
{
    struct pg_params *p;

    for (int i = 0; i < out->nactions; i++)
        if (queue_action(pg, b, msisdn, mo_id, now, &out->actions[i]) < 0)
            return -1;
    if (out->account_delta != 0 || out->wallet_delta != 0) {
        if ((p = pg_batch_add(pg, b, STMT_SUB_BALANCES)) == NULL)
            return -1;
        pg_p_str(p, msisdn);
        pg_p_i64(p, out->account_delta);
        pg_p_i64(p, out->wallet_delta);
    }
    for (int i = 0; i < out->nreplies; i++)
        if (queue_reply(pg, b, cfg, msisdn, mo_id, &out->replies[i], sent) < 0)
            return -1;
    return 0;
}

int apply_queue_mo(struct pg_ctx *pg, struct pg_batch *b, const char *mo_id,
                   const char *msisdn, time_t at)
{
    struct pg_params *p = pg_batch_add(pg, b, STMT_MO_RECORD);

    if (p == NULL)
        return -1;
    pg_p_str(p, mo_id);
    pg_p_str(p, msisdn);
    pg_p_time(p, at);
    return 0;
}

int apply_read_ids(struct pg_ctx *pg, const struct pg_batch *b, struct replies *sent,
                   size_t first)
{
    size_t k = first;

    for (size_t i = 0; i < b->n; i++) {
        if (b->q[i]->stmt != STMT_OUTBOX_INSERT)
            continue;
        if (k >= sent->n || PQntuples(b->q[i]->res) != 1) {
            if (pg->fail == PG_FAIL_NONE) {
                pg->fail = PG_FAIL_OTHER;
                snprintf(pg->msg, sizeof pg->msg, "outbox rows and replies differ");
            }
            return -1;
        }
        sent->v[k++].outbox_id = pg_i64(b->q[i]->res, 0, 0);
    }
    return 0;
}
