/* confirm.c: answers at the confirmation number, and starting or extending a session with
   money (booked in the ledger, charged through the payment driver). */
#include "dialogue.h"

#include <stdio.h>
#include <string.h>

#include "booking.h"
#include "tariff.h"

/* The idempotency key of a debit: the pending debit it confirms, else the MO. */
static void debit_key(const struct dlg *d, long long pending_id, char *key, size_t size)
{
    if (pending_id)
        snprintf(key, size, "pending:%lld", pending_id);
    else
        snprintf(key, size, "mo:%s", d->mo_id ? d->mo_id : "");
}

int dlg_start_session(struct dlg *d, const struct zone_row *z, const char *plate, int hours,
                      const struct debit_plan *plan, long long pending_id,
                      const char *payment_account)
{
    struct car car = { z->number, z->name, plate };
    struct debit_booking b;
    struct dlg_reply r;
    char key[160];
    time_t end = d->now + dlg_hours(d->cfg, hours);
    long long id = rec_session_insert(d->pg, d->msisdn, z, plate, hours, d->now, end,
                                      plan->amount);

    if (id == 0)
        return -1;
    debit_key(d, pending_id, key, sizeof key);
    b = (struct debit_booking){ "start", d->msisdn, id, pending_id, key, plan->from_account,
                                plan->from_payment, payment_account, d->now };
    if (book_debit(d->pg, &b) < 0)
        return -1;
    d->account -= plan->from_account;
    if (pending_id && rec_pending_close(d->pg, pending_id, "confirmed", d->now, id) < 0)
        return -1;
    dlg_reply_init(&r, "started", &car);
    dlg_field_time(&r, d, "start", d->now);
    dlg_field_time(&r, d, "end", end);
    dlg_field_money(&r, "amount", plan->amount);
    r.session_id = id;
    r.pending_id = pending_id;
    return dlg_send(d, &r);
}

int dlg_extend_session(struct dlg *d, const struct session_row *s, int hours,
                       const struct debit_plan *plan, long long pending_id,
                       const char *payment_account)
{
    struct car car = { s->zone, s->zone_name, s->plate };
    struct debit_booking b;
    struct dlg_reply r;
    char key[160];
    time_t end = s->paid_until + dlg_hours(d->cfg, hours);

    if (rec_session_extend(d->pg, s->id, hours, end, plan->amount) < 0)
        return -1;
    debit_key(d, pending_id, key, sizeof key);
    b = (struct debit_booking){ "extend", d->msisdn, s->id, pending_id, key, plan->from_account,
                                plan->from_payment, payment_account, d->now };
    if (book_debit(d->pg, &b) < 0)
        return -1;
    d->account -= plan->from_account;
    if (pending_id && rec_pending_close(d->pg, pending_id, "confirmed", d->now, 0) < 0)
        return -1;
    dlg_reply_init(&r, "extended", &car);
    dlg_field_time(&r, d, "end", end);
    dlg_field_money(&r, "amount", plan->amount);
    r.session_id = s->id;
    r.pending_id = pending_id;
    return dlg_send(d, &r);
}

/* Closes p with state and replies key about its car (amount when with_amount). */
static int close_and_reply(struct dlg *d, const struct pending_row *p, const char *state,
                           const char *key, int with_amount)
{
    struct car car = { p->zone, p->zone_name, p->plate };
    struct dlg_reply r;

    if (rec_pending_close(d->pg, p->id, state, d->now, 0) < 0)
        return -1;
    dlg_reply_init(&r, key, &car);
    if (with_amount)
        dlg_field_money(&r, "amount", p->amount);
    r.pending_id = p->id;
    r.session_id = p->session_id;
    return dlg_send(d, &r);
}

/* Charges the payment part of plan. Returns 1 charged (or nothing to charge), 0 after
   replying payment_failed, -1 on failure. */
static int charge(struct dlg *d, const struct pending_row *p, const struct debit_plan *plan,
                  char *account, size_t accsize)
{
    char key[48], why[256];
    enum pay_result res;

    account[0] = '\0';
    if (plan->from_payment == 0)
        return 1;
    snprintf(key, sizeof key, "pending:%lld", p->id);
    why[0] = '\0';
    res = plan->from_payment > p->payment_part ? PAY_DECLINED   /* never more than quoted */
        : d->pay->charge(d->pay->ctx, d->pg->conn, d->msisdn, plan->from_payment, key,
                         account, accsize, why, sizeof why);
    if (res == PAY_OK)
        return 1;
    if (res == PAY_ERROR) {
        if (d->pg->fail == PG_FAIL_NONE)
            d->pg->fail = PQstatus(d->pg->conn) == CONNECTION_OK ? PG_FAIL_OTHER : PG_FAIL_CONN;
        snprintf(d->pg->msg, sizeof d->pg->msg, "%s", why);
        return -1;
    }
    return close_and_reply(d, p, "failed", "payment_failed", 1) < 0 ? -1 : 0;
}

/* What both confirmations do after their checks (checks: 1 passed, 0 failed and replied,
   -1 failure): cancels p when they failed, else plans the quoted amount into *plan and
   charges it. Returns 1 charged (go on), 0 when p is closed (cancelled, or payment_failed
   sent), -1 on failure. */
static int cancel_or_charge(struct dlg *d, const struct pending_row *p, int checks,
                            struct debit_plan *plan, char *account, size_t accsize)
{
    if (checks == 0)
        return rec_pending_close(d->pg, p->id, "cancelled", d->now, 0) < 0 ? -1 : 0;
    if (checks < 0)
        return -1;
    *plan = tariff_plan_debit(p->amount, d->account);
    return charge(d, p, plan, account, accsize);
}

static int confirm_start(struct dlg *d, const struct pending_row *p)
{
    struct session_row s;
    struct zone_row z;
    struct debit_plan plan;
    char account[96];
    int f = rec_session_by_plate(d->pg, p->plate, &s);

    if (f < 0)
        return -1;
    if (f > 0) {                      /* parked meanwhile, by someone */
        if (rec_pending_close(d->pg, p->id, "cancelled", d->now, 0) < 0)
            return -1;
        struct car car = { s.zone, s.zone_name, s.plate };
        struct dlg_reply r;
        dlg_reply_init(&r, "already_parked", &car);
        dlg_field_time(&r, d, "end", s.paid_until);
        r.pending_id = p->id;
        return dlg_send(d, &r);
    }
    f = dlg_zone_open(d, p->zone, p->plate, 0, p->id);   /* deactivated meanwhile */
    f = cancel_or_charge(d, p, f, &plan, account, sizeof account);
    if (f <= 0)
        return f;
    z.number = p->zone;
    snprintf(z.name, sizeof z.name, "%s", p->zone_name);
    z.tariff = p->rate;               /* the tariff quoted, not a newer one */
    z.active = 1;
    return dlg_start_session(d, &z, p->plate, p->hours, &plan, p->id, account);
}

static int confirm_extend(struct dlg *d, const struct pending_row *p)
{
    struct session_row s;
    struct debit_plan plan;
    char account[96];
    int f = rec_session_locked(d->pg, p->session_id, &s);

    if (f < 0)
        return -1;
    if (f == 0 || s.paid_until <= d->now)   /* stopped or over meanwhile */
        return close_and_reply(d, p, "cancelled", "no_session", 0);
    f = dlg_zone_open(d, s.zone, s.plate, s.id, p->id);  /* deactivated meanwhile */
    if (f > 0)
        f = dlg_check_extension(d, &s, p->hours);
    f = cancel_or_charge(d, p, f, &plan, account, sizeof account);
    if (f <= 0)
        return f;
    return dlg_extend_session(d, &s, p->hours, &plan, p->id, account);
}

int dlg_confirm(struct dlg *d, int yes)
{
    struct pending_row p;
    struct dlg_reply r;
    int f = rec_pending_open(d->pg, d->msisdn, &p);

    if (f < 0)
        return -1;
    if (f == 0) {
        dlg_reply_init(&r, "no_pending", NULL);
        return dlg_send(d, &r);
    }
    if (p.expires <= d->now)
        return close_and_reply(d, &p, "expired", "pending_expired", 1);
    if (!yes)
        return close_and_reply(d, &p, "declined", "declined", 0);
    return p.is_extend ? confirm_extend(d, &p) : confirm_start(d, &p);
}
