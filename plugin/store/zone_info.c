/* zone_info.c: the zone information reply (ZONE alone: number, name, tariff and street
   blocks) and the check that a zone still accepts parking. */
#include "dialogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INFO_BLOCKS 64           /* blocks read; more are counted into "+N more" */
#define INFO_MAX_PARTS 3         /* SMS parts a zone_info reply may take */
#define BLOCKS_TEXT 960          /* bytes of the {blocks} value */

/* The first k blocks as "Street: From–To, From–To; Street2: From–To", then "; " and
   `more` when not NULL; "—" when there is nothing at all. Returns 0, or -1 when it does
   not fit in buf[size]. */
static int blocks_text(const struct block_row *v, int k, const char *dash, const char *more,
                       char *buf, size_t size)
{
    size_t used = 0;
    int n;

    buf[0] = '\0';
    for (int i = 0; i < k; i++) {
        if (i > 0 && strcmp(v[i].street, v[i - 1].street) == 0)
            n = snprintf(buf + used, size - used, ", %s%s%s", v[i].from, dash, v[i].to);
        else
            n = snprintf(buf + used, size - used, "%s%s: %s%s%s", i ? "; " : "", v[i].street,
                         v[i].from, dash, v[i].to);
        if (n < 0 || (size_t)n >= size - used)
            return -1;
        used += (size_t)n;
    }
    if (more != NULL)
        n = snprintf(buf + used, size - used, "%s%s", k ? "; " : "", more);
    else
        n = k ? 0 : snprintf(buf + used, size - used, "—");
    return n < 0 || (size_t)n >= size - used ? -1 : 0;
}

/* "+N more" in the subscriber's language into out; -1 when it cannot be rendered. */
static int more_text(struct dlg *d, int count, struct reply_text *out)
{
    char n[16];
    struct reply_field f = { "count", n };

    snprintf(n, sizeof n, "%d", count);
    return reply_render(d->cfg->templates, d->lang, "zone_info_more", &f, 1, out);
}

/* Fills `blocks` with as many blocks as let r's reply fit INFO_MAX_PARTS (all when they
   fit; at least none and "+N more"). The dash between cross streets is "-", or "–" when
   the reply is UCS-2 anyway. Returns 0, or -1 when not even that can be rendered. */
static int fit_blocks(struct dlg *d, struct dlg_reply *r, const struct block_row *v, int n,
                      int total, char *blocks)
{
    struct reply_text text, more;
    const char *dash = "-";
    int dash_chosen = 0;

    for (int k = n; k >= 0; k--) {
        const char *m = NULL;
        if (k < total) {
            if (more_text(d, total - k, &more) != 0)
                return -1;
            m = more.text;
        }
        if (blocks_text(v, k, dash, m, blocks, BLOCKS_TEXT) != 0 ||
            reply_render(d->cfg->templates, d->lang, r->key, r->f, r->n, &text) != 0)
            continue;
        if (!dash_chosen) {
            dash_chosen = 1;
            if (text.ucs2) {
                dash = "–";
                k++;                 /* the same blocks again with the proper dash */
                continue;
            }
        }
        if (text.parts <= INFO_MAX_PARTS || k == 0)
            return 0;
    }
    return -1;
}

/* zone_unknown, or zone_info / zone_info_inactive with the zone's blocks. */
int dlg_zone_info(struct dlg *d, int zone)
{
    struct zone_row z;
    struct car car;
    struct dlg_reply r;
    struct block_row *v;
    char blocks[BLOCKS_TEXT];
    int f = rec_zone(d->pg, zone, &z), total, rc;

    if (f < 0)
        return -1;
    if (f == 0) {
        z.name[0] = '\0';
        car = (struct car){ zone, z.name, "" };
        dlg_reply_init(&r, "zone_unknown", &car);
        return dlg_send(d, &r);
    }
    if ((v = malloc(INFO_BLOCKS * sizeof *v)) == NULL) {
        if (d->pg->fail == PG_FAIL_NONE) {
            d->pg->fail = PG_FAIL_OTHER;
            snprintf(d->pg->msg, sizeof d->pg->msg, "zone_info: out of memory");
        }
        return -1;
    }
    total = rec_zone_blocks(d->pg, zone, v, INFO_BLOCKS);
    rc = -1;
    if (total >= 0) {
        car = (struct car){ z.number, z.name, "" };
        dlg_reply_init(&r, z.active ? "zone_info" : "zone_info_inactive", &car);
        dlg_field_money(&r, "tariff", z.tariff);
        dlg_field(&r, "blocks", blocks);
        if (fit_blocks(d, &r, v, total < INFO_BLOCKS ? total : INFO_BLOCKS, total, blocks) != 0)
            blocks_text(v, 0, "-", NULL, blocks, sizeof blocks);   /* dlg_send reports it */
        rc = dlg_send(d, &r);
    }
    free(v);
    return rc;
}

/* 1 when the zone accepts parking; else replies zone_inactive (zone_unknown if the row
   is gone) about the car and returns 0; -1 on failure. */
int dlg_zone_open(struct dlg *d, int zone, const char *plate, long long session_id,
                  long long pending_id)
{
    struct zone_row z;
    struct car car;
    struct dlg_reply r;
    int f = rec_zone(d->pg, zone, &z);

    if (f < 0)
        return -1;
    if (f > 0 && z.active)
        return 1;
    if (f == 0)
        z.name[0] = '\0';
    car = (struct car){ zone, z.name, plate };
    dlg_reply_init(&r, f == 0 ? "zone_unknown" : "zone_inactive", &car);
    r.session_id = session_id;
    r.pending_id = pending_id;
    return dlg_send(d, &r) < 0 ? -1 : 0;
}
