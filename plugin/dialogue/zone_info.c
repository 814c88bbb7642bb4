/* zone_info.c: the zone information reply (ZONE alone: number, name, tariff and street
   blocks), shortened with "+N more" to fit INFO_MAX_PARTS SMS parts. */
#include "step.h"

#include <stdio.h>
#include <string.h>

#define INFO_MAX_PARTS 3         /* SMS parts a zone_info reply may take */
#define BLOCKS_TEXT 960          /* bytes of the {blocks} value */

/* The first k blocks as "Street: From–To, From–To; Street2: From–To", then "; " and
   `more` when not NULL; "—" when there is nothing at all. Returns 0, or -1 when it does
   not fit in buf[size]. */
static int blocks_text(const struct dlg_block *v, int k, const char *dash, const char *more,
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

/* "+N more" in the subscriber's language. */
static int more_text(struct step *st, int count, struct reply_text *out)
{
    char n[16];
    struct reply_field f = { "count", n };

    snprintf(n, sizeof n, "%d", count);
    return render(st, REPLY_zone_info_more, &f, 1, out);
}

/* Fills `blocks` (a field of r) with as many blocks as let the reply fit INFO_MAX_PARTS
   (all when they fit; at least none and "+N more"). The dash between cross streets is
   "-", or "–" when the reply is UCS-2 anyway. Returns 0, or -1 when not even that can
   be rendered. */
static int fit_blocks(struct step *st, const struct reply_build *r, const struct dlg_named *nm,
                      char *blocks)
{
    struct reply_text text, more;
    const char *dash = "-";
    int dash_chosen = 0, n = nm->nblocks < DLG_MAX_BLOCKS ? nm->nblocks : DLG_MAX_BLOCKS;

    for (int k = n; k >= 0; k--) {
        const char *m = NULL;
        if (k < nm->total_blocks) {
            if (more_text(st, nm->total_blocks - k, &more) != 0)
                return -1;
            m = more.text;
        }
        if (blocks_text(nm->blocks, k, dash, m, blocks, BLOCKS_TEXT) != 0 ||
            reply_render(st->cfg->templates, st->lang, reply_key_name(r->key), r->f, r->n,
                         &text) != 0)
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

int zone_info(struct step *st)
{
    const struct dlg_named *nm = st->in->named;
    struct car car = { st->in->cmd->zone, "", "" };
    struct reply_build r;
    struct zone_policies zp;
    char blocks[BLOCKS_TEXT];

    if (!nm->zone_found) {
        rb_init(&r, REPLY_zone_unknown, &car);
        return emit(st, &r);
    }
    car.zone_name = nm->zone.name;
    rb_init(&r, nm->zone.active ? REPLY_zone_info : REPLY_zone_info_inactive, &car);
    rb_money(&r, "tariff", nm->zone.tariff);
    rb_paid_hours(st, &r, policies_of(st, nm->zone.number, nm->zone.tariff, &zp));
    rb_field(&r, "blocks", blocks);
    if (fit_blocks(st, &r, nm, blocks) != 0)
        blocks_text(nm->blocks, 0, "-", NULL, blocks, sizeof blocks);   /* emit reports it */
    return emit(st, &r);
}
