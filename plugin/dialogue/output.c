/* output.c: building the dialogue's output: actions, ledger legs and rendered replies. */
#include "step.h"

#include <stdio.h>
#include <string.h>

#include "tariff.h"

static void fail(struct step *st, const char *fmt, const char *a, const char *b)
{
    if (!st->failed)
        snprintf(st->out->why, sizeof st->out->why, fmt, a, b);
    st->failed = 1;
}

void rb_init(struct reply_build *r, enum reply_key key, const struct car *car)
{
    memset(r, 0, sizeof *r);
    r->key = key;
    if (car == NULL)
        return;
    snprintf(r->buf[0], sizeof r->buf[0], "%04d", car->zone);   /* 4 digits, as typed */
    rb_field(r, "zone", r->buf[0]);
    rb_field(r, "zone_name", car->zone_name);
    rb_field(r, "plate", car->plate);
}

void rb_field(struct reply_build *r, const char *name, const char *value)
{
    if (r->n >= REPLY_FIELDS_MAX)
        return;
    r->f[r->n].name = name;
    r->f[r->n].value = value;
    r->n++;
}

void rb_money(struct reply_build *r, const char *name, int64_t tiyn)
{
    if (r->n >= REPLY_FIELDS_MAX)
        return;
    tariff_format_money(tiyn, r->buf[r->n], sizeof r->buf[r->n]);
    rb_field(r, name, r->buf[r->n]);
}

void rb_int(struct reply_build *r, const char *name, long long v)
{
    if (r->n >= REPLY_FIELDS_MAX)
        return;
    snprintf(r->buf[r->n], sizeof r->buf[r->n], "%lld", v);
    rb_field(r, name, r->buf[r->n]);
}

void rb_time(struct reply_build *r, const struct step *st, const char *name, time_t t)
{
    if (r->n >= REPLY_FIELDS_MAX)
        return;
    localtime_format_reply(st->cfg->zone, t, st->in->now, r->buf[r->n], sizeof r->buf[r->n]);
    rb_field(r, name, r->buf[r->n]);
}

int render(struct step *st, enum reply_key key, const struct reply_field *f, size_t n,
           struct reply_text *text)
{
    if (reply_render(st->cfg->templates, st->lang, reply_key_name(key), f, n, text) == 0)
        return 0;
    fail(st, "cannot render reply %s in %s", reply_key_name(key), st->lang);
    return -1;
}

int render_into(struct step *st, enum reply_key key, const struct reply_field *f, size_t n,
                char *buf, size_t size)
{
    struct reply_text text;

    if (render(st, key, f, n, &text) < 0)
        return -1;
    snprintf(buf, size, "%s", text.text);
    return 0;
}

void rb_car_suffix(struct reply_build *r, const char *plate, int cars)
{
    if (r->n >= REPLY_FIELDS_MAX)
        return;
    snprintf(r->buf[r->n], sizeof r->buf[r->n], "%s%s", cars > 1 ? "*" : "",
             cars > 1 ? plate : "");
    rb_field(r, "car_suffix", r->buf[r->n]);
}

enum pay_method method_of(const struct step *st)
{
    enum pay_method m = st->in->sub->method;

    return m == METHOD_default ? st->cfg->default_method : m;
}

int rb_method(struct step *st, struct reply_build *r, enum pay_method method,
              const char *last4)
{
    struct reply_field f = { "last_digits", last4 };
    enum reply_key key = method == METHOD_card ? REPLY_method_card
                       : method == METHOD_phone ? REPLY_method_phone : REPLY_method_wallet;

    if (r->n >= REPLY_FIELDS_MAX ||
        render_into(st, key, &f, key == REPLY_method_card, r->buf[r->n], sizeof r->buf[r->n]) < 0)
        return -1;
    rb_field(r, "method", r->buf[r->n]);
    return 0;
}

/* The shorter text of a reply the driver reads on the go, used when the full one takes
   more SMS parts (a long zone name, several cars): the same facts minus the zone's name. */
static enum reply_key short_of(enum reply_key key)
{
    switch (key) {
    case REPLY_started: return REPLY_started_short;
    case REPLY_reminder: return REPLY_reminder_short;
    default: return key;
    }
}

int emit(struct step *st, const struct reply_build *r)
{
    struct dlg_output *out = st->out;
    struct dlg_reply *y;
    struct reply_text brief;

    if (out->nreplies >= DLG_MAX_REPLIES) {
        fail(st, "more than the replies one step may send (%s%s)", reply_key_name(r->key), "");
        return -1;
    }
    y = &out->replies[out->nreplies];
    if (render(st, r->key, r->f, r->n, &y->text) < 0)
        return -1;
    if (y->text.parts > 1 && short_of(r->key) != r->key) {
        if (render(st, short_of(r->key), r->f, r->n, &brief) < 0)
            return -1;
        if (brief.parts < y->text.parts)
            y->text = brief;
    }
    y->key = r->key;
    y->from_confirm = r->from_confirm;
    y->session_id = r->session_id;
    y->pending_id = r->pending_id;
    out->nreplies++;
    return 0;
}

int emit_simple(struct step *st, enum reply_key key)
{
    struct reply_build r;

    rb_init(&r, key, NULL);
    return emit(st, &r);
}

struct dlg_action *act(struct step *st, enum dlg_action_kind kind)
{
    struct dlg_action *a;

    if (st->out->nactions >= DLG_MAX_ACTIONS) {
        fail(st, "more than the actions one step may take%s%s", "", "");
        return NULL;
    }
    a = &st->out->actions[st->out->nactions++];
    memset(a, 0, sizeof *a);
    a->kind = kind;
    return a;
}

struct dlg_action *act_ledger(struct step *st, const char *kind, long long session_id,
                              long long pending_id, const char *key)
{
    struct dlg_action *a = act(st, ACT_LEDGER);

    if (a == NULL)
        return NULL;
    a->ledger_kind = kind;
    a->session_id = session_id;
    a->pending_id = pending_id;
    snprintf(a->key, sizeof a->key, "%s", key);
    return a;
}

void leg(struct dlg_action *a, const char *account, int64_t amount)
{
    if (amount == 0 || a->nlegs >= DLG_MAX_LEGS)
        return;
    snprintf(a->legs[a->nlegs].account, sizeof a->legs[a->nlegs].account, "%s", account);
    a->legs[a->nlegs].amount = amount;
    a->nlegs++;
}

void account_name(char *buf, size_t size, const char *prefix, const char *msisdn)
{
    snprintf(buf, size, "%s:%s", prefix, msisdn);
}

void car_of_session(struct car *c, const struct dlg_session *s)
{
    *c = (struct car){ s->zone, s->zone_name, s->plate };
}

void car_of_pending(struct car *c, const struct dlg_pending *p)
{
    *c = (struct car){ p->zone, p->zone_name, p->plate };
}

int close_pending(struct step *st, const struct dlg_pending *p, enum pending_state state,
                  enum reply_key key, int64_t amount)
{
    struct dlg_action *a = act(st, ACT_PENDING_CLOSE);
    struct car car;
    struct reply_build r;

    if (a == NULL)
        return -1;
    a->pending_id = p->id;
    a->state = state;
    if (key == REPLY_KEY_COUNT)
        return 0;
    car_of_pending(&car, p);
    rb_init(&r, key, &car);
    if (amount >= 0)
        rb_money(&r, "amount", amount);
    r.pending_id = p->id;
    r.session_id = p->session_id;
    return emit(st, &r);
}

int reply_in_progress(struct step *st, const struct dlg_pending *p)
{
    struct car car;
    struct reply_build r;

    car_of_pending(&car, p);
    rb_init(&r, REPLY_payment_in_progress, &car);
    r.pending_id = p->id;
    return emit(st, &r);
}

const struct policy_set *policies_of(const struct step *st, int zone, int64_t tariff,
                                     struct dlg_zone_policies *zp)
{
    return dlg_zone_policies(st->in->tariffs, st->cfg->zone, zone, tariff, zp);
}

time_t paid_end(const struct policy_set *set, time_t from, int hours)
{
    time_t end = policy_paid_end(set, from, (int64_t)hours * 3600);

    return end == (time_t)-1 ? from + (time_t)hours * 3600 : end;
}

void rb_paid_hours(const struct step *st, struct reply_build *r, const struct policy_set *set)
{
    enum policy_lang lang = strcmp(st->lang, "kk") == 0 ? POLICY_LANG_KK
                          : strcmp(st->lang, "en") == 0 ? POLICY_LANG_EN : POLICY_LANG_RU;

    if (r->n >= REPLY_FIELDS_MAX)
        return;
    policy_format_hours(set, lang, r->buf[r->n], sizeof r->buf[r->n]);
    rb_field(r, "paid_hours", r->buf[r->n]);
}
