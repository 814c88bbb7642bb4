/* charge.c: paying through the phone account or the card. At "1" the dialogue asks for
   a charge (the store commits the request before it goes out) and the pending debit is
   charging; the provider's answer comes back as DLG_CHARGE: charged starts or extends
   the session, a definite refusal closes the debit with its reason, no answer keeps it
   charging and asks again later. Money charged for a debit that can no longer be made
   (the car was parked or the session ended meanwhile) goes to the parking account. */
#include "step.h"

#include <stdio.h>
#include <string.h>

int charge_request(struct step *st, const struct dlg_pending *p, int64_t amount,
                   enum pay_method method)
{
    const struct dlg_subscriber *sub = st->in->sub;
    struct dlg_action *a = act(st, ACT_PENDING_CHARGING), *c;

    if (a == NULL || (c = act(st, ACT_CHARGE_REQUEST)) == NULL)
        return -1;
    a->pending_id = p->id;
    c->pending_id = p->id;
    c->charge.id = DLG_NEW;
    c->charge.method = method;
    c->charge.amount = amount;
    snprintf(c->charge.key, sizeof c->charge.key, "parkbox;%lld;%lld", p->id,
             (long long)st->in->now);
    if (method == METHOD_card) {
        memcpy(c->charge.card_token, sub->card_token, sizeof c->charge.card_token);
        memcpy(c->charge.card_last4, sub->card_last4, sizeof c->charge.card_last4);
    }
    c->charge.next_try = st->in->now + st->cfg->retry_seconds;
    return 0;
}

static struct dlg_action *settle(struct step *st, const struct dlg_charge *c,
                                 enum charge_state state)
{
    struct dlg_action *a = act(st, ACT_CHARGE_SETTLE);

    if (a == NULL)
        return NULL;
    a->charge = *c;
    a->charge_state = state;
    a->outcome = st->in->outcome;
    snprintf(a->reference, sizeof a->reference, "%s",
             st->in->reference ? st->in->reference : "");
    return a;
}

/* A reply about p's car with the charge's amount and method. */
static int reply_charge(struct step *st, const struct dlg_pending *p, enum reply_key key)
{
    struct car car;
    struct reply_build r;

    car_of_pending(&car, p);
    rb_init(&r, key, &car);
    rb_money(&r, "amount", p->charge.amount);
    if (rb_method(st, &r, p->charge.method, p->charge.card_last4) < 0)
        return -1;
    r.pending_id = p->id;
    r.session_id = p->session_id;
    return emit(st, &r);
}

/* The charged money to the parking account: the debit can no longer be made. */
static int credit(struct step *st, const struct dlg_pending *p)
{
    char key[64], account[64];
    struct dlg_action *a;
    struct car car;
    struct reply_build r;

    snprintf(key, sizeof key, "credit:%lld", p->id);
    if (close_pending(st, p, PENDING_cancelled, REPLY_KEY_COUNT, NO_AMOUNT) < 0 ||
        (a = act_ledger(st, DLG_LEDGER_CREDIT, 0, 0, key)) == NULL)
        return -1;
    a->at = st->in->now;
    snprintf(account, sizeof account, "payment:%s", pay_method_name(p->charge.method));
    leg(a, account, -p->charge.amount);
    account_name(account, sizeof account, "parking", st->in->sub->msisdn);
    leg(a, account, p->charge.amount);
    st->account += p->charge.amount;
    car_of_pending(&car, p);
    rb_init(&r, REPLY_payment_credited, &car);
    rb_money(&r, "amount", p->charge.amount);
    rb_money(&r, "balance", st->account);
    r.pending_id = p->id;
    return emit(st, &r);
}

/* Charged: the start or the extension, with the parking account's part as quoted. */
static int charged(struct step *st, const struct dlg_pending *p)
{
    struct debit_plan plan = { p->amount, p->amount - p->charge.amount, p->charge.amount, 1 };
    const struct dlg_session *s = &p->session;
    struct dlg_zone z;

    if (settle(st, &p->charge, CHARGE_charged) == NULL)
        return -1;
    if (plan.from_account > st->account)          /* cannot happen while charging: kept safe */
        return credit(st, p);
    if (p->kind == DEBIT_extend) {
        if (!p->has_session || s->paid_until <= st->in->now)
            return credit(st, p);
        return extend_session(st, s, p->hours, &plan, p->charge.method, p->id);
    }
    if (p->has_session)                           /* parked meanwhile, by someone */
        return credit(st, p);
    memset(&z, 0, sizeof z);
    z.number = p->zone;
    memcpy(z.name, p->zone_name, sizeof z.name);
    z.tariff = p->rate;
    z.active = 1;
    return start_session(st, &z, p->plate, p->hours, &plan, p->charge.method, p->id);
}

/* No definite answer: ask again later (the wait doubles, up to 16 times retry_seconds);
   the first time the driver is told the payment is being checked. */
static int unknown(struct step *st, const struct dlg_pending *p)
{
    struct dlg_action *a = act(st, ACT_CHARGE_RETRY);
    int n = p->charge.attempts < 4 ? p->charge.attempts : 4;

    if (a == NULL)
        return -1;
    a->charge = p->charge;
    a->outcome = OUTCOME_unknown;
    a->charge.next_try = st->in->now + (time_t)st->cfg->retry_seconds * (1 << n);
    return p->charge.attempts == 0 ? reply_charge(st, p, REPLY_payment_checking) : 0;
}

int charge_outcome(struct step *st)
{
    const struct dlg_subscriber *sub = st->in->sub;
    const struct dlg_pending *p = &sub->pending;
    enum reply_key key;

    if (!sub->has_pending || p->state != PENDING_charging || !p->has_charge)
        return 0;                                 /* settled already: nothing to do */
    switch (st->in->outcome) {
    case OUTCOME_charged:      return charged(st, p);
    case OUTCOME_unknown:      return unknown(st, p);
    case OUTCOME_no_funds:     key = REPLY_payment_no_funds; break;
    case OUTCOME_denied:       key = REPLY_payment_denied; break;
    case OUTCOME_unknown_user: key = REPLY_payment_unknown_user; break;
    default:                   key = REPLY_payment_unavailable; break;
    }
    if (settle(st, &p->charge, CHARGE_failed) == NULL ||
        close_pending(st, p, PENDING_failed, REPLY_KEY_COUNT, NO_AMOUNT) < 0)
        return -1;
    return reply_charge(st, p, key);
}
