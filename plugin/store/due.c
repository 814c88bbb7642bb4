/* due.c: time-driven work: expired confirmations, reminders, and sessions reaching their
   end. Rows are claimed with FOR UPDATE SKIP LOCKED so several boxes share the work and
   each item is handled once. */
#include "dialogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "booking.h"
#include "tariff.h"

/* The most rows one kind claims in one transaction. service_run_due runs the kinds in
   order (expiries, reminders, ends), each with what the earlier ones left of the
   caller's limit; with the cap above any limit a caller uses (the scheduler asks for
   100), a backlog of reminders is served before session ends get a turn, so a reminder
   is not overtaken by the end of its session while the scheduler keeps up. */
#define DUE_BATCH 256

/* Switches d to the subscriber of a due row (language read without a lock). */
static int due_subscriber(struct dlg *d, const char *msisdn)
{
    snprintf(d->msisdn, sizeof d->msisdn, "%s", msisdn);
    if (rec_language(d->pg, msisdn, d->lang) < 0)
        return -1;
    if (d->lang[0] == '\0')
        snprintf(d->lang, sizeof d->lang, "%s", d->cfg->default_language);
    return 0;
}

/* Claims up to limit (at most DUE_BATCH) rows of size bytes with fetch and handles each
   with handle, stopping at the first failure. Returns the number claimed, or -1. */
static int due_run(struct dlg *d, int limit, size_t size,
                   int (*fetch)(struct dlg *, void *, int),
                   int (*handle)(struct dlg *, const void *))
{
    int n, max = limit < 1 ? 0 : limit > DUE_BATCH ? DUE_BATCH : limit;
    char *v;

    if (max == 0)
        return 0;
    v = malloc((size_t)max * size);
    if (v == NULL)
        return -1;
    n = fetch(d, v, max);
    for (int i = 0; i < n; i++)
        if (handle(d, v + (size_t)i * size) < 0)
            n = -1;
    free(v);
    return n;
}

static int fetch_pendings(struct dlg *d, void *v, int max)
{
    return rec_due_pendings(d->pg, d->now, v, max);
}

static int expire_one(struct dlg *d, const void *row)
{
    const struct pending_row *p = row;
    struct car car = { p->zone, p->zone_name, p->plate };
    struct dlg_reply r;

    if (due_subscriber(d, p->msisdn) < 0 ||
        rec_pending_close(d->pg, p->id, "expired", d->now, 0) < 0)
        return -1;
    dlg_reply_init(&r, "pending_expired", &car);
    dlg_field_money(&r, "amount", p->amount);
    r.pending_id = p->id;
    return dlg_send(d, &r);
}

int due_expire_pendings(struct dlg *d, int limit)
{
    return due_run(d, limit, sizeof(struct pending_row), fetch_pendings, expire_one);
}

/* Sessions whose paid time ends within the reminder period and have had no reminder. */
static int fetch_reminders(struct dlg *d, void *v, int max)
{
    time_t horizon = d->now + dlg_scale(d->cfg, (time_t)d->cfg->reminder_minutes * 60);

    return rec_due_reminders(d->pg, d->now, horizon, v, max);
}

static int remind_one(struct dlg *d, const void *row)
{
    const struct session_row *s = row;
    struct car car = { s->zone, s->zone_name, s->plate };
    struct dlg_reply r;
    time_t left = dlg_unscale(d->cfg, s->paid_until - d->now);

    if (due_subscriber(d, s->msisdn) < 0 || rec_session_reminded(d->pg, s->id, d->now) < 0)
        return -1;
    dlg_reply_init(&r, "reminder", &car);
    dlg_field_time(&r, d, "end", s->paid_until);
    dlg_field_int(&r, "minutes_left", (long long)((left + 59) / 60));
    r.session_id = s->id;
    return dlg_send(d, &r);
}

int due_send_reminders(struct dlg *d, int limit)
{
    if (d->cfg->reminder_minutes <= 0)
        return 0;
    return due_run(d, limit, sizeof(struct session_row), fetch_reminders, remind_one);
}

static int fetch_ends(struct dlg *d, void *v, int max)
{
    return rec_due_ends(d->pg, d->now, v, max);
}

/* A session that reaches its end used all of its paid time: tariff_stop at paid_until
   gives cost = prepaid (and nothing to the account), computed rather than assumed. */
static int end_one(struct dlg *d, const void *row)
{
    const struct session_row *s = row;
    struct car car = { s->zone, s->zone_name, s->plate };
    struct dlg_reply r;
    struct stop_bill bill = tariff_stop(s->rate, s->prepaid, 0,
                                        dlg_unscale(d->cfg, s->paid_until - s->started));

    if (due_subscriber(d, s->msisdn) < 0 ||
        rec_session_end(d->pg, s->id, 0, s->paid_until, bill.cost, bill.to_account) < 0 ||
        book_release(d->pg, "end", s, bill.cost, bill.to_account, s->paid_until) < 0)
        return -1;
    dlg_reply_init(&r, "ended", &car);
    dlg_field_time(&r, d, "end", s->paid_until);
    r.session_id = s->id;
    return dlg_send(d, &r);
}

int due_end_sessions(struct dlg *d, int limit)
{
    return due_run(d, limit, sizeof(struct session_row), fetch_ends, end_one);
}
