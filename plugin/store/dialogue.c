/* dialogue.c: the commands sent to the service number (start, stop, extend, status, help,
   language) and the replies to parse errors. Confirmations are in confirm.c. */
#include "dialogue.h"

#include <stdio.h>
#include <string.h>

#include "booking.h"
#include "command.h"
#include "tariff.h"
#include "utf8_field.h"

#define MAX_CARS 16

static int reply_simple(struct dlg *d, const char *key)
{
    struct dlg_reply r;

    dlg_reply_init(&r, key, NULL);
    return dlg_send(d, &r);
}

int dialogue_temporary_failure(struct dlg *d)
{
    return reply_simple(d, "temporary_failure");
}

static const char *error_key(enum cmd_error e)
{
    switch (e) {
    case CMD_EMPTY:           return "err_empty";
    case CMD_TOO_LONG:        return "err_too_long";
    case CMD_BAD_UTF8:        return "err_bad_utf8";
    case CMD_BAD_ZONE:        return "err_zone_format";
    case CMD_BAD_PLATE:       return "err_plate";
    case CMD_BAD_HOURS:
    case CMD_ZERO_HOURS:
    case CMD_TOO_MANY_HOURS:  return "err_hours";
    case CMD_TOO_MANY_FIELDS: return "err_too_many_fields";
    case CMD_MISSING_FIELD:   return "err_missing_field";
    default:                  return "err_unknown";
    }
}

/* The plate error explained in the subscriber's language (template plate_reason_*). */
static int plate_reason(struct dlg *d, enum plate_error e, struct reply_text *out)
{
    const char *key = command_plate_reason_key(e);

    if (key != NULL && reply_render(d->cfg->templates, d->lang, key, NULL, 0, out) == 0)
        return 0;
    if (d->pg->fail == PG_FAIL_NONE) {
        d->pg->fail = PG_FAIL_OTHER;
        snprintf(d->pg->msg, sizeof d->pg->msg, "cannot render the reason of plate error %d in %s",
                 (int)e, d->lang);
    }
    return -1;
}

static int parse_error(struct dlg *d, const char *text, size_t len, const struct cmd_failure *why)
{
    struct dlg_reply r;
    struct reply_text reason;
    char plate_text[48];

    dlg_reply_init(&r, error_key(why->error), NULL);
    if (why->error == CMD_BAD_PLATE) {
        utf8_field(text, len, why->field, plate_text, sizeof plate_text);
        dlg_field(&r, "plate_text", plate_text);
        if (plate_reason(d, why->plate_error, &reason) < 0)
            return -1;
        dlg_field(&r, "reason", reason.text);
    } else if (r.key[4] == 'h') {              /* err_hours */
        dlg_field_int(&r, "max_hours", d->cfg->max_hours);
    }
    return dlg_send(d, &r);
}

static void car_of_session(struct car *c, const struct session_row *s)
{
    c->zone = s->zone;
    c->zone_name = s->zone_name;
    c->plate = s->plate;
}

static int reply_already_parked(struct dlg *d, const struct session_row *s)
{
    struct car car;
    struct dlg_reply r;

    car_of_session(&car, s);
    dlg_reply_init(&r, "already_parked", &car);
    dlg_field_time(&r, d, "end", s->paid_until);
    r.session_id = s->id;
    return dlg_send(d, &r);
}

/* Closes the subscriber's open pending debit, if any, as replaced by a newer command and
   tells the subscriber it is void ("declined"). */
int dlg_replace_pending(struct dlg *d)
{
    struct pending_row p;
    struct car car;
    struct dlg_reply r;
    int f = rec_pending_open(d->pg, d->msisdn, &p);

    if (f <= 0)
        return f;
    if (rec_pending_close(d->pg, p.id, "replaced", d->now, 0) < 0)
        return -1;
    car = (struct car){ p.zone, p.zone_name, p.plate };
    dlg_reply_init(&r, "declined", &car);
    r.pending_id = p.id;
    return dlg_send(d, &r);
}

/* Asks for "1" from the confirmation number; p is filled but for id and expires. */
static int ask_confirmation(struct dlg *d, struct pending_row *p)
{
    struct car car = { p->zone, p->zone_name, p->plate };
    struct dlg_reply r;

    p->expires = d->now + dlg_scale(d->cfg, d->cfg->confirm_timeout);
    p->id = rec_pending_insert(d->pg, p, d->mo_id, d->now);
    if (p->id == 0)
        return -1;
    dlg_reply_init(&r, p->is_extend ? "confirm_extend" : "confirm_start", &car);
    dlg_field_money(&r, "amount", p->amount);
    dlg_field_money(&r, "account_used", p->account_part);
    dlg_field_money(&r, "to_pay", p->payment_part);
    dlg_field_int(&r, "hours", p->hours);
    r.from_confirm = 1;
    r.pending_id = p->id;
    r.session_id = p->session_id;
    return dlg_send(d, &r);
}

static int cmd_start(struct dlg *d, const struct command *c)
{
    struct zone_row z;
    struct session_row s;
    struct pending_row p;
    struct debit_plan plan;
    int f = rec_zone(d->pg, c->zone, &z);
    struct dlg_reply r;

    if (f < 0)
        return -1;
    if (f == 0)
        z.name[0] = '\0';
    if (f == 0 || !z.active) {
        struct car car = { c->zone, z.name, c->plate.canonical };
        dlg_reply_init(&r, f == 0 ? "zone_unknown" : "zone_inactive", &car);
        r.n = f == 0 ? 1 : 2;                  /* zone [, zone_name] */
        return dlg_send(d, &r);
    }
    f = rec_session_by_plate(d->pg, c->plate.canonical, &s);
    if (f != 0)
        return f < 0 ? -1 : reply_already_parked(d, &s);
    if (dlg_replace_pending(d) < 0)
        return -1;
    plan = tariff_plan_debit(tariff_prepay(z.tariff, c->hours), d->account);
    if (!plan.needs_confirmation)
        return dlg_start_session(d, &z, c->plate.canonical, c->hours, &plan, 0, NULL);
    memset(&p, 0, sizeof p);
    snprintf(p.msisdn, sizeof p.msisdn, "%s", d->msisdn);
    p.zone = z.number;
    snprintf(p.zone_name, sizeof p.zone_name, "%s", z.name);
    snprintf(p.plate, sizeof p.plate, "%s", c->plate.canonical);
    p.hours = c->hours;
    p.rate = z.tariff;
    p.amount = plan.amount;
    p.account_part = plan.from_account;
    p.payment_part = plan.from_payment;
    return ask_confirmation(d, &p);
}

/* Picks the session a stop or extend is about: returns 1 with *s filled, 0 after replying
   no_session or which_car, -1 on failure. */
static int pick_session(struct dlg *d, const struct command *c, struct session_row *s)
{
    struct session_row v[MAX_CARS];
    struct dlg_reply r;
    char plates[256] = "";
    int n = rec_sessions_of(d->pg, d->msisdn, c->has_plate ? c->plate.canonical : NULL,
                            v, MAX_CARS);

    if (n < 0)
        return -1;
    if (n == 1) {
        *s = v[0];
        return 1;
    }
    if (n == 0)
        return reply_simple(d, "no_session") < 0 ? -1 : 0;
    for (int i = 0; i < n && i < MAX_CARS; i++) {
        size_t used = strlen(plates);
        snprintf(plates + used, sizeof plates - used, "%s%s", i ? ", " : "", v[i].plate);
    }
    dlg_reply_init(&r, "which_car", NULL);
    dlg_field(&r, "plates", plates);
    return dlg_send(d, &r) < 0 ? -1 : 0;
}

static int cmd_stop(struct dlg *d, const struct command *c)
{
    struct session_row s;
    struct stop_bill bill;
    struct car car;
    struct dlg_reply r;
    time_t at;
    int f = pick_session(d, c, &s);

    if (f <= 0)
        return f;
    at = d->now < s.paid_until ? d->now : s.paid_until;
    bill = tariff_stop(s.rate, s.prepaid, 0, dlg_unscale(d->cfg, at - s.started));
    if (rec_session_end(d->pg, s.id, 1, at, bill.cost, bill.to_account) < 0 ||
        book_release(d->pg, "stop", &s, bill.cost, bill.to_account, at) < 0)
        return -1;
    d->account += bill.to_account;
    car_of_session(&car, &s);
    dlg_reply_init(&r, "stopped", &car);
    dlg_field_int(&r, "minutes", bill.minutes);
    dlg_field_money(&r, "cost", bill.cost);
    dlg_field_money(&r, "to_account", bill.to_account);
    dlg_field_money(&r, "balance", d->account);
    r.session_id = s.id;
    return dlg_send(d, &r);
}

/* max_duration when the session cannot be extended by hours; returns 1 if allowed. */
int dlg_check_extension(struct dlg *d, const struct session_row *s, int hours)
{
    struct car car;
    struct dlg_reply r;

    if (tariff_extension_allowed_hs(s->started, s->paid_until, hours, d->cfg->max_hours,
                                    d->cfg->hour_seconds))
        return 1;
    car_of_session(&car, s);
    dlg_reply_init(&r, "max_duration", &car);
    dlg_field_int(&r, "max_hours", d->cfg->max_hours);
    r.session_id = s->id;
    return dlg_send(d, &r) < 0 ? -1 : 0;
}

static int cmd_extend(struct dlg *d, const struct command *c)
{
    struct session_row s;
    struct pending_row p;
    struct debit_plan plan;
    int f = pick_session(d, c, &s);

    if (f > 0 && s.paid_until <= d->now)     /* over; due work has not ended it yet */
        return reply_simple(d, "no_session");
    if (f > 0)
        f = dlg_zone_open(d, s.zone, s.plate, s.id, 0);
    if (f > 0)
        f = dlg_check_extension(d, &s, c->hours);
    if (f <= 0)
        return f;
    if (dlg_replace_pending(d) < 0)
        return -1;
    plan = tariff_plan_debit(tariff_prepay(s.rate, c->hours), d->account);
    if (!plan.needs_confirmation)
        return dlg_extend_session(d, &s, c->hours, &plan, 0, NULL);
    memset(&p, 0, sizeof p);
    snprintf(p.msisdn, sizeof p.msisdn, "%s", d->msisdn);
    p.is_extend = 1;
    p.zone = s.zone;
    snprintf(p.zone_name, sizeof p.zone_name, "%s", s.zone_name);
    snprintf(p.plate, sizeof p.plate, "%s", s.plate);
    p.hours = c->hours;
    p.rate = s.rate;
    p.amount = plan.amount;
    p.account_part = plan.from_account;
    p.payment_part = plan.from_payment;
    p.session_id = s.id;
    return ask_confirmation(d, &p);
}

static int cmd_status(struct dlg *d)
{
    struct session_row v[MAX_CARS];
    struct car car;
    struct dlg_reply r;
    int n = rec_sessions_of(d->pg, d->msisdn, NULL, v, MAX_CARS);

    if (n < 0)
        return -1;
    for (int i = 0; i < n && i < MAX_CARS; i++) {
        car_of_session(&car, &v[i]);
        dlg_reply_init(&r, "status_session", &car);
        dlg_field_time(&r, d, "end", v[i].paid_until);
        r.session_id = v[i].id;
        if (dlg_send(d, &r) < 0)
            return -1;
    }
    dlg_reply_init(&r, n == 0 ? "status_none" : "status_balance", NULL);
    dlg_field_money(&r, "balance", d->account);
    return dlg_send(d, &r);
}

static int cmd_language(struct dlg *d, const char *lang)
{
    if (rec_set_language(d->pg, d->msisdn, lang) < 0)
        return -1;
    snprintf(d->lang, sizeof d->lang, "%s", lang);
    return reply_simple(d, "language_set");
}

int dialogue_command(struct dlg *d, const char *text, size_t len, int to_confirm)
{
    struct cmd_options opt = { d->cfg->max_hours, d->cfg->plate_policy };
    struct command c;
    struct cmd_failure why;

    if (to_confirm)
        return dlg_confirm(d, command_parse_confirmation(text, len) == CMD_CONFIRM);
    memset(&why, 0, sizeof why);
    if (command_parse(text, len, &opt, &c, &why) != CMD_OK)
        return parse_error(d, text, len, &why);
    switch (c.kind) {
    case CMD_START:    return cmd_start(d, &c);
    case CMD_STOP:     return cmd_stop(d, &c);
    case CMD_EXTEND:   return cmd_extend(d, &c);
    case CMD_STATUS:   return cmd_status(d);
    case CMD_HELP:     return reply_simple(d, "help");
    case CMD_LANGUAGE: return cmd_language(d, c.lang);
    case CMD_ZONE_INFO: return dlg_zone_info(d, c.zone);
    default:           return reply_simple(d, "err_unknown");
    }
}
