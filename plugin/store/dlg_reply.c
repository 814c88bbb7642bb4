/* dlg_reply.c: rendering a reply from the templates and queueing it in the outbox. */
#include "dialogue.h"

#include <stdio.h>
#include <string.h>

#include "localtime.h"
#include "tariff.h"

time_t dlg_hours(const struct service_config *cfg, int hours)
{
    return (time_t)hours * cfg->hour_seconds;
}

time_t dlg_scale(const struct service_config *cfg, time_t seconds)
{
    time_t t = (seconds * cfg->hour_seconds + 3599) / 3600;

    return seconds > 0 && t < 1 ? 1 : t;
}

time_t dlg_unscale(const struct service_config *cfg, time_t seconds)
{
    if (seconds <= 0)
        return 0;
    return (seconds * 3600 + cfg->hour_seconds - 1) / cfg->hour_seconds;
}

void dlg_reply_init(struct dlg_reply *r, const char *key, const struct car *car)
{
    memset(r, 0, sizeof *r);
    r->key = key;
    r->car = car;
    if (car == NULL)
        return;
    snprintf(r->buf[0], sizeof r->buf[0], "%04d", car->zone);   /* 4 digits, as typed */
    dlg_field(r, "zone", r->buf[0]);
    dlg_field(r, "zone_name", car->zone_name);
    dlg_field(r, "plate", car->plate);
}

void dlg_field(struct dlg_reply *r, const char *name, const char *value)
{
    if (r->n >= DLG_MAXFIELDS)
        return;
    r->f[r->n].name = name;
    r->f[r->n].value = value;
    r->n++;
}

void dlg_field_money(struct dlg_reply *r, const char *name, int64_t tiyn)
{
    if (r->n >= DLG_MAXFIELDS)
        return;
    tariff_format_money(tiyn, r->buf[r->n], sizeof r->buf[r->n]);
    dlg_field(r, name, r->buf[r->n]);
}

void dlg_field_time(struct dlg_reply *r, const struct dlg *d, const char *name, time_t t)
{
    if (r->n >= DLG_MAXFIELDS)
        return;
    localtime_format_reply(d->cfg->zone, t, d->now, r->buf[r->n], sizeof r->buf[r->n]);
    dlg_field(r, name, r->buf[r->n]);
}

void dlg_field_int(struct dlg_reply *r, const char *name, long long v)
{
    if (r->n >= DLG_MAXFIELDS)
        return;
    snprintf(r->buf[r->n], sizeof r->buf[r->n], "%lld", v);
    dlg_field(r, name, r->buf[r->n]);
}

/* A template that cannot be rendered is an installation error: the transaction fails
   (PG_FAIL_OTHER) so that the caller answers temporary_failure instead. */
int dlg_send(struct dlg *d, struct dlg_reply *r)
{
    struct reply_text text;
    struct outbox_msg m;

    if (reply_render(d->cfg->templates, d->lang, r->key, r->f, r->n, &text) != 0) {
        if (d->pg->fail == PG_FAIL_NONE) {
            d->pg->fail = PG_FAIL_OTHER;
            snprintf(d->pg->msg, sizeof d->pg->msg, "cannot render reply %s in %s", r->key,
                     d->lang);
        }
        return -1;
    }
    m.mo_id = d->mo_id;
    m.session_id = r->session_id;
    m.pending_id = r->pending_id;
    m.kind = r->key;
    m.sender = r->from_confirm ? d->cfg->confirm_number : d->cfg->service_number;
    m.receiver = d->msisdn;
    return outbox_add(d->pg, d->out, &m, &text);
}
