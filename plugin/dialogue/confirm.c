/* confirm.c: the answer at the confirmation number to an open pending debit: "1"
   confirms (the checks of the moment, then the payment: the wallet at once, or a charge
   requested from the phone account or the card, whose answer comes as DLG_CHARGE, then
   the start or the extension), anything else declines; too late, it has expired. */
#include "step.h"

#include <string.h>

#include "tariff.h"

/* After the checks of the moment (1 passed, 0 failed and replied, -1 failure): cancels p
   when they failed; else plans its quoted amount into *plan: what the parking account
   does not cover is paid by the wallet at once (1: go on), or requested from the phone
   account or the card (0: the answer will come), never more than quoted
   (payment_failed with the amount that failed, 0). -1 on failure. */
static int cancel_or_charge(struct step *st, const struct dlg_pending *p, int checks,
                            struct debit_plan *plan)
{
    enum pay_method method = method_of(st);

    if (checks <= 0)
        return checks < 0 ? -1 : close_pending(st, p, PENDING_cancelled, REPLY_KEY_COUNT,
                                               NO_AMOUNT);
    *plan = tariff_plan_debit(p->amount, st->account);
    if (plan->from_payment == 0)
        return 1;
    if (plan->from_payment > p->payment_part ||
        (method == METHOD_wallet && plan->from_payment > st->wallet))
        return close_pending(st, p, PENDING_failed, REPLY_payment_failed, plan->from_payment);
    if (method == METHOD_wallet)
        return 1;
    return charge_request(st, p, plan->from_payment, method) < 0 ? -1 : 0;
}

static int confirm_start(struct step *st, const struct dlg_pending *p)
{
    struct debit_plan plan;
    struct dlg_zone z;
    int f;

    if (p->has_session) {                         /* parked meanwhile, by someone */
        if (close_pending(st, p, PENDING_cancelled, REPLY_KEY_COUNT, NO_AMOUNT) < 0)
            return -1;
        return reply_already_parked(st, &p->session, p->id);
    }
    f = zone_open(st, p->zone, p->zone_name, p->zone_active, p->plate, 0, p->id);
    f = cancel_or_charge(st, p, f, &plan);
    if (f <= 0)
        return f;
    memset(&z, 0, sizeof z);
    z.number = p->zone;
    memcpy(z.name, p->zone_name, sizeof z.name);
    z.tariff = p->rate;                           /* the tariff quoted, not a newer one */
    z.active = 1;
    return start_session(st, &z, p->plate, p->hours, &plan, METHOD_wallet, p->id);
}

static int confirm_extend(struct step *st, const struct dlg_pending *p)
{
    const struct dlg_session *s = &p->session;
    struct debit_plan plan;
    int f;

    if (!p->has_session || s->paid_until <= st->in->now)   /* stopped or over meanwhile */
        return close_pending(st, p, PENDING_cancelled, REPLY_no_session, NO_AMOUNT);
    f = zone_open(st, s->zone, s->zone_name, s->zone_active, s->plate, s->id, p->id);
    if (f > 0)
        f = extension_allowed(st, s, p->hours);
    f = cancel_or_charge(st, p, f, &plan);
    if (f <= 0)
        return f;
    return extend_session(st, s, p->hours, &plan, METHOD_wallet, p->id);
}

/* An answer that is neither yes nor no: the debit stays open; how to answer, until when. */
static int confirm_how(struct step *st, const struct dlg_pending *p, enum reply_key key)
{
    struct car car;
    struct reply_build r;

    car_of_pending(&car, p);
    rb_init(&r, key, &car);
    rb_money(&r, "amount", p->amount);
    rb_time(&r, st, "until", p->expires);
    r.pending_id = p->id;
    return emit(st, &r);
}

int confirm_elsewhere(struct step *st)
{
    const struct dlg_subscriber *sub = st->in->sub;

    if (!sub->has_pending || sub->pending.state != PENDING_open ||
        sub->pending.expires <= st->in->now)
        return 0;
    return confirm_how(st, &sub->pending, REPLY_confirm_elsewhere) < 0 ? -1 : 1;
}

int confirm(struct step *st, enum cmd_kind answer)
{
    const struct dlg_subscriber *sub = st->in->sub;
    const struct dlg_pending *p = &sub->pending;

    if (!sub->has_pending)
        return emit_simple(st, REPLY_no_pending);
    if (p->state == PENDING_charging)             /* its answer will come: nothing to do */
        return reply_in_progress(st, p);
    if (p->expires <= st->in->now)
        return close_pending(st, p, PENDING_expired, REPLY_pending_expired, p->amount);
    if (answer == CMD_UNCLEAR)
        return confirm_how(st, p, REPLY_confirm_how);
    if (answer == CMD_DECLINE)
        return close_pending(st, p, PENDING_declined, REPLY_declined, NO_AMOUNT);
    return p->kind == DEBIT_extend ? confirm_extend(st, p) : confirm_start(st, p);
}
