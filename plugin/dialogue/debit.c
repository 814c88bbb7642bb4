/* debit.c: the money of a session: starting and extending it (the debit's ledger
   transaction: the parking account first, the rest from the payment method into the
   session's held account), and ending it (the held money to revenue and the parking
   account), with the session's row and the reply. */
#include "step.h"

#include <stdio.h>

#include "tariff.h"

/* The ledger account a method's money comes from: the wallet's own, or the provider's. */
static void payment_account(const struct step *st, enum pay_method method, char *buf,
                            size_t size)
{
    if (method == METHOD_phone || method == METHOD_card)
        snprintf(buf, size, "payment:%s", pay_method_name(method));
    else
        account_name(buf, size, "wallet", st->in->sub->msisdn);
}

/* Books plan into the held account of session_id (DLG_NEW: the one being started), the
   payment part from method. The idempotency key is the pending debit it confirms, else
   the MO. */
static int debit(struct step *st, enum debit_kind kind, long long session_id,
                 long long pending_id, const struct debit_plan *plan, enum pay_method method)
{
    const char *msisdn = st->in->sub->msisdn;
    char key[96], account[64];
    struct dlg_action *a;

    if (pending_id)
        snprintf(key, sizeof key, "pending:%lld", pending_id);
    else
        snprintf(key, sizeof key, "mo:%s", st->in->mo_id ? st->in->mo_id : "");
    if ((a = act_ledger(st, debit_kind_name(kind), session_id, pending_id, key)) == NULL)
        return -1;
    a->at = st->in->now;
    leg(a, DLG_HELD, plan->amount);
    account_name(account, sizeof account, "parking", msisdn);
    leg(a, account, -plan->from_account);
    payment_account(st, method, account, sizeof account);
    leg(a, account, -plan->from_payment);
    st->account -= plan->from_account;
    if (method != METHOD_phone && method != METHOD_card)
        st->wallet -= plan->from_payment;
    return 0;
}

/* The {payment} field of started / extended: the receipt number of a payment (the
   pending debit's id), or that the parking account paid it all and what is left on it. */
static int rb_payment(struct step *st, struct reply_build *r, long long pending_id)
{
    char value[24];
    struct reply_field f = { pending_id ? "receipt" : "balance", value };

    if (r->n >= REPLY_FIELDS_MAX)
        return -1;
    if (pending_id)
        snprintf(value, sizeof value, "%lld", pending_id);
    else
        tariff_format_money(st->account, value, sizeof value);   /* what is left */
    if (render_into(st, pending_id ? REPLY_paid_receipt : REPLY_paid_from_account, &f, 1,
                    r->buf[r->n], sizeof r->buf[r->n]) < 0)
        return -1;
    rb_field(r, "payment", r->buf[r->n]);
    return 0;
}

static int close_confirmed(struct step *st, long long pending_id, long long session_id)
{
    struct dlg_action *a;

    if (pending_id == 0)
        return 0;
    if ((a = act(st, ACT_PENDING_CLOSE)) == NULL)
        return -1;
    a->pending_id = pending_id;
    a->state = PENDING_confirmed;
    a->session_id = session_id;
    return 0;
}

int start_session(struct step *st, const struct dlg_zone *z, const char *plate, int hours,
                  const struct debit_plan *plan, enum pay_method method, long long pending_id)
{
    struct dlg_action *a = act(st, ACT_SESSION_INSERT);
    struct dlg_zone_policies zp;
    struct dlg_session *s;
    struct car car = { z->number, z->name, plate };
    struct reply_build r;

    if (a == NULL)
        return -1;
    s = &a->session;
    s->id = DLG_NEW;
    snprintf(s->msisdn, sizeof s->msisdn, "%s", st->in->sub->msisdn);
    s->zone = z->number;
    snprintf(s->zone_name, sizeof s->zone_name, "%s", z->name);
    s->zone_active = 1;
    snprintf(s->plate, sizeof s->plate, "%s", plate);
    s->rate = z->tariff;
    s->prepaid = plan->amount;
    s->hours = hours;
    s->started = st->in->now;
    s->paid_until = paid_end(policies_of(st, z->number, z->tariff, &zp), st->in->now, hours);
    if (debit(st, DEBIT_start, DLG_NEW, pending_id, plan, method) < 0 ||
        close_confirmed(st, pending_id, DLG_NEW) < 0)
        return -1;
    rb_init(&r, REPLY_started, &car);
    rb_time(&r, st, "start", s->started);
    rb_time(&r, st, "end", s->paid_until);
    rb_money(&r, "amount", plan->amount);
    if (rb_payment(st, &r, pending_id) < 0)
        return -1;
    rb_car_suffix(&r, plate, st->in->sub->nsessions + 1);
    r.session_id = DLG_NEW;
    r.pending_id = pending_id;
    return emit(st, &r);
}

int extend_session(struct step *st, const struct dlg_session *s, int hours,
                   const struct debit_plan *plan, enum pay_method method, long long pending_id)
{
    struct dlg_action *a = act(st, ACT_SESSION_EXTEND);
    struct dlg_zone_policies zp;
    struct car car;
    struct reply_build r;

    if (a == NULL)
        return -1;
    a->session_id = s->id;
    a->hours = hours;
    a->at = paid_end(policies_of(st, s->zone, s->rate, &zp), s->paid_until, hours);
    a->amount = plan->amount;
    if (debit(st, DEBIT_extend, s->id, pending_id, plan, method) < 0 ||
        close_confirmed(st, pending_id, 0) < 0)
        return -1;
    car_of_session(&car, s);
    rb_init(&r, REPLY_extended, &car);
    rb_time(&r, st, "end", a->at);
    rb_money(&r, "amount", plan->amount);
    if (rb_payment(st, &r, pending_id) < 0)
        return -1;
    r.session_id = s->id;
    r.pending_id = pending_id;
    return emit(st, &r);
}

/* Releases a session's held money: cost to the zone's revenue, the rest to the parking
   account. */
static int release(struct step *st, enum release_kind kind, const struct dlg_session *s,
                   time_t at, const struct stop_bill *bill)
{
    struct dlg_action *a = act(st, ACT_SESSION_END);
    char key[48], account[64];

    if (a == NULL)
        return -1;
    a->session_id = s->id;
    a->reason = kind == RELEASE_stop ? END_stopped : END_expired;
    a->at = at;
    a->amount = bill->cost;
    a->to_account = bill->to_account;
    snprintf(key, sizeof key, "%s:%lld", release_kind_name(kind), s->id);
    if ((a = act_ledger(st, release_kind_name(kind), s->id, 0, key)) == NULL)
        return -1;
    a->at = at;
    leg(a, DLG_HELD, -(bill->cost + bill->to_account));
    snprintf(account, sizeof account, "revenue:%04d", s->zone);
    leg(a, account, bill->cost);
    account_name(account, sizeof account, "parking", s->msisdn);
    leg(a, account, bill->to_account);
    st->account += bill->to_account;
    return 0;
}

int session_end(struct step *st, const struct dlg_session *s, enum release_kind kind)
{
    time_t now = st->in->now, at = kind == RELEASE_end || now > s->paid_until ? s->paid_until
                                                                               : now;
    struct dlg_zone_policies zp;
    struct stop_bill bill = policy_stop(policies_of(st, s->zone, s->rate, &zp), s->prepaid,
                                        s->started, at);
    struct car car;
    struct reply_build r;

    if (release(st, kind, s, at, &bill) < 0)
        return -1;
    car_of_session(&car, s);
    if (kind == RELEASE_end) {
        rb_init(&r, REPLY_ended, &car);
        rb_time(&r, st, "end", s->paid_until);
    } else {
        rb_init(&r, REPLY_stopped, &car);
        rb_int(&r, "minutes", bill.minutes);
        rb_money(&r, "cost", bill.cost);
        rb_money(&r, "to_account", bill.to_account);
        rb_money(&r, "balance", st->account);
    }
    r.session_id = s->id;
    return emit(st, &r);
}
