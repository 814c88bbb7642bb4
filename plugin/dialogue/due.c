/* due.c: the events time brings: a confirmation that was not given in time, the
   reminder before a session's end, and the end of its paid time. */
#include "step.h"

static int remind(struct step *st, const struct dlg_session *s)
{
    struct dlg_action *a = act(st, ACT_SESSION_REMINDED);
    time_t left = s->paid_until - st->in->now;
    struct car car;
    struct reply_build r;

    if (a == NULL)
        return -1;
    a->session_id = s->id;
    a->at = st->in->now;
    car_of_session(&car, s);
    rb_init(&r, REPLY_reminder, &car);
    rb_time(&r, st, "end", s->paid_until);
    rb_int(&r, "minutes_left", left > 0 ? (long long)((left + 59) / 60) : 0);
    rb_car_suffix(&r, s->plate, st->in->sub->nsessions);
    r.session_id = s->id;
    return emit(st, &r);
}

int due_event(struct step *st)
{
    switch (st->in->event) {
    case DLG_EXPIRE: return close_pending(st, st->in->due_pending, PENDING_expired,
                                          REPLY_pending_expired, st->in->due_pending->amount);
    case DLG_REMIND: return remind(st, st->in->due_session);
    case DLG_END:    return session_end(st, st->in->due_session, RELEASE_end);
    default:         return emit_simple(st, REPLY_err_unknown);
    }
}
