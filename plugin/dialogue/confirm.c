/* confirm.c: the answer at the confirmation number to an open pending debit: "1"
   confirms (the checks of the moment, then the wallet charge, then the start or the
   extension), anything else declines; too late, it has expired. */
#include "step.h"

#include <string.h>

#include "tariff.h"

/* After the checks of the moment (1 passed, 0 failed and replied, -1 failure): cancels p
   when they failed; else plans its quoted amount and checks that the wallet pays the
   rest, never more than quoted (payment_failed otherwise). Returns 1 to go on, 0 when p
   is closed, -1 on failure. */
static int cancel_or_charge(struct step *st, const struct dlg_pending *p, int checks)
{
    struct debit_plan plan;

    if (checks <= 0)
        return checks < 0 ? -1 : close_pending(st, p, PENDING_cancelled, REPLY_KEY_COUNT, 0);
    plan = tariff_plan_debit(p->amount, st->account);
    if (plan.from_payment == 0 ||
        (plan.from_payment <= p->payment_part && plan.from_payment <= st->wallet))
        return 1;
    return close_pending(st, p, PENDING_failed, REPLY_payment_failed, 1);
}

static int confirm_start(struct step *st, const struct dlg_pending *p)
{
    struct dlg_zone z;
    struct car car;
    struct reply_build r;
    int f;

    if (p->has_session) {                         /* parked meanwhile, by someone */
        if (close_pending(st, p, PENDING_cancelled, REPLY_KEY_COUNT, 0) < 0)
            return -1;
        car_of_session(&car, &p->session);
        rb_init(&r, REPLY_already_parked, &car);
        rb_time(&r, st, "end", p->session.paid_until);
        r.pending_id = p->id;
        return emit(st, &r);
    }
    f = zone_open(st, p->zone, p->zone_name, p->zone_active, p->plate, 0, p->id);
    f = cancel_or_charge(st, p, f);
    if (f <= 0)
        return f;
    memset(&z, 0, sizeof z);
    z.number = p->zone;
    memcpy(z.name, p->zone_name, sizeof z.name);
    z.tariff = p->rate;                           /* the tariff quoted, not a newer one */
    z.active = 1;
    return start_session(st, &z, p->plate, p->hours, p->amount, p->id);
}

static int confirm_extend(struct step *st, const struct dlg_pending *p)
{
    const struct dlg_session *s = &p->session;
    int f;

    if (!p->has_session || s->paid_until <= st->in->now)   /* stopped or over meanwhile */
        return close_pending(st, p, PENDING_cancelled, REPLY_no_session, 0);
    f = zone_open(st, s->zone, s->zone_name, s->zone_active, s->plate, s->id, p->id);
    if (f > 0)
        f = extension_allowed(st, s, p->hours);
    f = cancel_or_charge(st, p, f);
    if (f <= 0)
        return f;
    return extend_session(st, s, p->hours, p->amount, p->id);
}

int confirm(struct step *st, int yes)
{
    const struct dlg_subscriber *sub = st->in->sub;
    const struct dlg_pending *p = &sub->pending;

    if (!sub->has_pending)
        return emit_simple(st, REPLY_no_pending);
    if (p->expires <= st->in->now)
        return close_pending(st, p, PENDING_expired, REPLY_pending_expired, 1);
    if (!yes)
        return close_pending(st, p, PENDING_declined, REPLY_declined, 0);
    return p->kind == DEBIT_extend ? confirm_extend(st, p) : confirm_start(st, p);
}
