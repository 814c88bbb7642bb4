/* commands.c: the commands sent to the service number: start, stop, extend, status,
   language, and the replies to parse errors. */
#include "step.h"

#include <stdio.h>
#include <string.h>

#include "tariff.h"
#include "utf8.h"
#include "utf8_field.h"



/* The reply to an error: the form of the command the text was taken for. */
static enum reply_key error_key(enum cmd_error e, enum cmd_kind kind)
{
    int fields = e == CMD_MISSING_FIELD || e == CMD_TOO_MANY_FIELDS;

    if (kind == CMD_EXTEND && (fields || e == CMD_BAD_HOURS || e == CMD_ZERO_HOURS ||
                               e == CMD_TOO_MANY_HOURS))
        return REPLY_err_extend;
    if (kind == CMD_STOP && fields)
        return REPLY_err_stop;
    if ((kind == CMD_STATUS || kind == CMD_HELP || kind == CMD_LANGUAGE) && fields)
        return REPLY_err_single;
    switch (e) {
    case CMD_EMPTY:           return REPLY_err_empty;
    case CMD_TOO_LONG:        return REPLY_err_too_long;
    case CMD_BAD_UTF8:        return REPLY_err_bad_utf8;
    case CMD_BAD_ZONE:        return REPLY_err_zone_format;
    case CMD_BAD_PLATE:       return REPLY_err_plate;
    case CMD_BAD_HOURS:
    case CMD_ZERO_HOURS:
    case CMD_TOO_MANY_HOURS:  return REPLY_err_hours;
    case CMD_TOO_MANY_FIELDS: return REPLY_err_too_many_fields;
    case CMD_MISSING_FIELD:   return REPLY_err_missing_field;
    case CMD_BAD_SEPARATOR:   return REPLY_err_separator;
    case CMD_WRONG_ORDER:     return REPLY_err_order;
    default:                  return REPLY_err_unknown;
    }
}

/* The character at text[pos] as UTF-8 into buf when it is a letter (Latin or Cyrillic),
   else "". */
static void letter_at(const char *text, size_t len, size_t pos, char *buf, size_t size)
{
    size_t end = pos;
    uint32_t cp = pos < len ? utf8_decode(text, len, &end) : UTF8_INVALID;
    int letter = (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
                 (cp >= 0x0400 && cp <= 0x04FF);

    buf[0] = '\0';
    if (letter && end - pos < size)
        snprintf(buf, size, "%.*s", (int)(end - pos), text + pos);
}

/* The plate error explained in the subscriber's language into reason: the letter that
   plates do not use, or the plate_reason_* text of the error. */
static int plate_reason(struct step *st, struct reply_text *reason)
{
    const struct cmd_failure *why = st->in->why;
    const char *key = command_plate_reason_key(why->plate_error);
    char letter[8];
    struct reply_field f = { "letter", letter };

    letter_at(st->in->text, st->in->len, why->position, letter, sizeof letter);
    if (why->plate_error == PLATE_BAD_CHAR && letter[0])
        return render(st, REPLY_plate_reason_letter, &f, 1, reason);
    if (key == NULL || reply_render(st->cfg->templates, st->lang, key, NULL, 0, reason) != 0) {
        snprintf(st->out->why, sizeof st->out->why, "cannot render the reason of plate "
                 "error %d in %s", (int)why->plate_error, st->lang);
        st->failed = 1;
        return -1;
    }
    return 0;
}

/* The error reply; a bad plate quotes the field as sent and says what is wrong with it,
   a bad number of hours gives the maximum, an error in another command shows its form. */
int parse_error(struct step *st)
{
    const struct cmd_failure *why = st->in->why;
    struct reply_build r;
    struct reply_text reason;
    char plate_text[48];

    rb_init(&r, error_key(why->error, why->kind), NULL);
    if (r.key == REPLY_err_plate) {
        utf8_field(st->in->text, st->in->len, why->field, plate_text, sizeof plate_text);
        rb_field(&r, "plate_text", plate_text);
        if (plate_reason(st, &reason) < 0)
            return -1;
        rb_field(&r, "reason", reason.text);
    } else if (r.key == REPLY_err_hours || r.key == REPLY_err_extend) {
        rb_int(&r, "max_hours", st->cfg->max_hours);
    }
    return emit(st, &r);
}

int reply_already_parked(struct step *st, const struct dlg_session *s, long long pending_id)
{
    struct car car;
    struct reply_build r;

    if (strcmp(s->msisdn, st->in->sub->msisdn) != 0) {   /* nothing about another's car */
        rb_init(&r, REPLY_parked_by_other, NULL);
        rb_field(&r, "plate", s->plate);
        r.pending_id = pending_id;
        return emit(st, &r);
    }
    car_of_session(&car, s);
    rb_init(&r, REPLY_already_parked, &car);
    rb_time(&r, st, "end", s->paid_until);
    rb_car_suffix(&r, s->plate, st->in->sub->nsessions);
    r.session_id = pending_id ? 0 : s->id;
    r.pending_id = pending_id;
    return emit(st, &r);
}

/* Closes the subscriber's open pending debit, if any, as replaced by a newer command
   and says so (pending_replaced): 0. A debit whose charge is under way cannot be
   replaced: replies payment_in_progress and returns 1. -1 on failure. */
static int replace_pending(struct step *st)
{
    const struct dlg_pending *p = &st->in->sub->pending;

    if (!st->in->sub->has_pending)
        return 0;
    if (p->state == PENDING_charging)
        return reply_in_progress(st, p) < 0 ? -1 : 1;
    return close_pending(st, p, PENDING_replaced, REPLY_pending_replaced, NO_AMOUNT);
}

/* Asks for "1" from the confirmation number; p is the pending debit but for its id
   and expiry, which are set here. */
static int ask_confirmation(struct step *st, struct dlg_pending *p)
{
    struct dlg_action *a = act(st, ACT_PENDING_INSERT);
    int extend = p->kind == DEBIT_extend, plain = p->account_part == 0;
    struct car car;
    struct reply_build r;

    if (a == NULL)
        return -1;
    p->id = DLG_NEW;
    p->expires = st->in->now + st->cfg->confirm_timeout;
    a->pending = *p;
    car_of_pending(&car, p);
    rb_init(&r, extend ? (plain ? REPLY_confirm_extend_plain : REPLY_confirm_extend)
                       : (plain ? REPLY_confirm_start_plain : REPLY_confirm_start), &car);
    rb_money(&r, "amount", p->amount);
    if (!plain)
        rb_money(&r, "account_used", p->account_part);
    rb_money(&r, "to_pay", p->payment_part);
    rb_int(&r, "hours", p->hours);
    rb_time(&r, st, "until", p->expires);
    if (rb_method(st, &r, method_of(st), st->in->sub->card_last4) < 0)
        return -1;
    r.from_confirm = 1;
    r.pending_id = DLG_NEW;
    r.session_id = p->session_id;
    return emit(st, &r);
}

/* A pending debit for plan, about car, hours at rate. */
static void pending_of(struct dlg_pending *p, enum debit_kind kind, const struct car *car,
                       int hours, int64_t rate, const struct debit_plan *plan,
                       long long session_id)
{
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->zone = car->zone;
    snprintf(p->zone_name, sizeof p->zone_name, "%s", car->zone_name);
    p->zone_active = 1;
    snprintf(p->plate, sizeof p->plate, "%s", car->plate);
    p->hours = hours;
    p->rate = rate;
    p->amount = plan->amount;
    p->account_part = plan->from_account;
    p->payment_part = plan->from_payment;
    p->session_id = session_id;
}

/* What hours bought at `from` cost (the paid time they buy, at the policies' rates); the
   tariff times hours when the policies hold too little paid time. */
static int64_t price(const struct policy_set *set, time_t from, int hours, int64_t tariff)
{
    struct policy_purchase buy;

    return policy_buy(set, from, hours, &buy) == 0 ? buy.amount : tariff_prepay(tariff, hours);
}

/* A start while parking is free: nothing is taken, not even for the next paid window;
   the reply says until when it is free, and the zone's paid hours. */
static int reply_free_now(struct step *st, const struct dlg_zone *z, const char *plate,
                          const struct policy_set *set)
{
    struct car car = { z->number, z->name, plate };
    struct reply_build r;
    time_t next = policy_next_paid(set, st->in->now);

    rb_init(&r, REPLY_free_now, &car);
    if (next == (time_t)-1)
        rb_field(&r, "until", "—");
    else
        rb_time(&r, st, "until", next);
    rb_paid_hours(st, &r, set);
    return emit(st, &r);
}

int cmd_start(struct step *st)
{
    const struct command *c = st->in->cmd;
    const struct dlg_named *nm = st->in->named;
    const struct dlg_zone *z = &nm->zone;
    struct car car = { c->zone, nm->zone_found ? z->name : "", c->plate.canonical };
    struct debit_plan plan;
    struct dlg_pending p;
    struct reply_build r;
    struct dlg_zone_policies zp;
    struct policy_state now_state;
    const struct policy_set *set;
    int f;

    if (!nm->zone_found || !z->active) {
        rb_init(&r, nm->zone_found ? REPLY_zone_inactive : REPLY_zone_unknown, &car);
        r.n = nm->zone_found ? 2 : 1;                 /* zone [, zone_name] */
        return emit(st, &r);
    }
    if (nm->plate_parked)
        return reply_already_parked(st, &nm->plate_session, 0);
    set = policies_of(st, z->number, z->tariff, &zp);
    if (!policy_at(set, st->in->now, &now_state))   /* nothing to pay now: no money taken */
        return reply_free_now(st, z, c->plate.canonical, set);
    if ((f = replace_pending(st)) != 0)
        return f < 0 ? -1 : 0;
    plan = tariff_plan_debit(price(set, st->in->now, c->hours, z->tariff), st->account);
    if (!plan.needs_confirmation)
        return start_session(st, z, c->plate.canonical, c->hours, &plan, METHOD_wallet, 0);
    pending_of(&p, DEBIT_start, &car, c->hours, z->tariff, &plan, 0);
    return ask_confirmation(st, &p);
}

/* The session a stop or extend is about: 1 with *s set, 0 after replying no_session,
   not_parked (a plate that is not among the subscriber's parked cars) or which_car, -1
   on failure. */
static int pick_session(struct step *st, const struct dlg_session **s)
{
    const struct command *c = st->in->cmd;
    const struct dlg_subscriber *sub = st->in->sub;
    int n = sub->nsessions < DLG_MAX_CARS ? sub->nsessions : DLG_MAX_CARS, found = 0;
    char plates[256] = "";
    struct reply_build r;

    for (int i = 0; i < n; i++) {
        if (c->has_plate && strcmp(sub->sessions[i].plate, c->plate.canonical) != 0)
            continue;
        size_t used = strlen(plates);
        snprintf(plates + used, sizeof plates - used, "%s%s", found ? ", " : "",
                 sub->sessions[i].plate);
        *s = &sub->sessions[i];
        found++;
    }
    if (found == 1)
        return 1;
    if (found == 0 && c->has_plate && n > 0) {   /* that car is not parked: name theirs */
        for (int i = 0; i < n; i++) {
            size_t used = strlen(plates);
            snprintf(plates + used, sizeof plates - used, "%s%s", i ? ", " : "",
                     sub->sessions[i].plate);
        }
        rb_init(&r, REPLY_not_parked, NULL);
        rb_field(&r, "plate", c->plate.canonical);
        rb_field(&r, "plates", plates);
        return emit(st, &r) < 0 ? -1 : 0;
    }
    if (found == 0)
        return emit_simple(st, REPLY_no_session) < 0 ? -1 : 0;
    rb_init(&r, REPLY_which_car, NULL);
    rb_field(&r, "plates", plates);
    return emit(st, &r) < 0 ? -1 : 0;
}



int cmd_stop(struct step *st)
{
    const struct dlg_session *s;
    int f = pick_session(st, &s);

    return f <= 0 ? f : session_end(st, s, RELEASE_stop);
}



int cmd_extend(struct step *st)
{
    const struct command *c = st->in->cmd;
    const struct dlg_session *s;
    struct dlg_zone_policies zp;
    struct debit_plan plan;
    struct dlg_pending p;
    struct car car;
    int f = pick_session(st, &s);

    if (f > 0 && s->paid_until <= st->in->now)      /* over; due work has not ended it yet */
        return emit_simple(st, REPLY_no_session);
    if (f > 0)
        f = zone_open(st, s->zone, s->zone_name, s->zone_active, s->plate, s->id, 0);
    if (f > 0)
        f = extension_allowed(st, s, c->hours);
    if (f <= 0)
        return f;
    if ((f = replace_pending(st)) != 0)
        return f < 0 ? -1 : 0;
    plan = tariff_plan_debit(price(policies_of(st, s->zone, s->rate, &zp), s->paid_until,
                                   c->hours, s->rate), st->account);
    if (!plan.needs_confirmation)
        return extend_session(st, s, c->hours, &plan, METHOD_wallet, 0);
    car_of_session(&car, s);
    pending_of(&p, DEBIT_extend, &car, c->hours, s->rate, &plan, s->id);
    return ask_confirmation(st, &p);
}

/* The open pending debit in a status: what waits for "1" and until when. */
static int status_pending(struct step *st)
{
    const struct dlg_pending *p = &st->in->sub->pending;
    struct car car;
    struct reply_build r;

    if (!st->in->sub->has_pending)
        return 0;
    if (p->state == PENDING_charging)
        return reply_in_progress(st, p);
    car_of_pending(&car, p);
    rb_init(&r, REPLY_status_pending, &car);
    rb_money(&r, "amount", p->amount);
    rb_time(&r, st, "until", p->expires);
    r.pending_id = p->id;
    return emit(st, &r);
}

/* Up to STATUS_LIST_MAX cars in one reply (status_list: each car as status_car), more
   one reply each (status_session), then the balance. */
#define STATUS_LIST_MAX 2
int cmd_status(struct step *st)
{
    const struct dlg_subscriber *sub = st->in->sub;
    int n = sub->nsessions < DLG_MAX_CARS ? sub->nsessions : DLG_MAX_CARS;
    char cars[2 * REPLY_MAX / 4] = "";
    struct car car;
    struct reply_build r;

    for (int i = 0; i < n; i++) {
        car_of_session(&car, &sub->sessions[i]);
        rb_init(&r, n <= STATUS_LIST_MAX ? REPLY_status_car : REPLY_status_session, &car);
        rb_time(&r, st, "end", sub->sessions[i].paid_until);
        r.session_id = sub->sessions[i].id;
        if (n > STATUS_LIST_MAX) {
            if (emit(st, &r) < 0)
                return -1;
            continue;
        }
        size_t used = strlen(cars);
        if (render_into(st, r.key, r.f, r.n, cars + used + (i ? 2 : 0),
                        sizeof cars - used - 2) < 0)
            return -1;
        if (i)
            memcpy(cars + used, "; ", 2);
    }
    if (status_pending(st) < 0)
        return -1;
    rb_init(&r, n == 0 ? REPLY_status_none : n <= STATUS_LIST_MAX ? REPLY_status_list
                                                                  : REPLY_status_balance, NULL);
    if (n > 0 && n <= STATUS_LIST_MAX)
        rb_field(&r, "cars", cars);
    rb_money(&r, "balance", st->account);
    return emit(st, &r);
}

int cmd_language(struct step *st, const char *lang)
{
    struct dlg_action *a = act(st, ACT_LANGUAGE);

    if (a == NULL)
        return -1;
    snprintf(a->lang, sizeof a->lang, "%s", lang);
    snprintf(st->lang, sizeof st->lang, "%s", lang);
    return emit_simple(st, REPLY_language_set);
}




