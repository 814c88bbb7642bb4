/* zone_info.c: the zone information reply (ZONE alone: number, name, tariff, paid hours
   and street blocks), shortened with "+N more: ZONE*ALL" to fit INFO_MAX_PARTS SMS parts;
   and ZONE*ALL: every street block, in as many zone_blocks messages of at most
   INFO_MAX_PARTS parts as it takes (at most ALL_MAX_MESSAGES). */
#include "step.h"

#include <stdio.h>
#include <string.h>

#define INFO_MAX_PARTS 2         /* SMS parts a zone information message may take */
#define ALL_MAX_MESSAGES 16      /* messages of one ZONE*ALL (< DLG_MAX_REPLIES) */
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

/* "+N more: ZONE*ALL" in the subscriber's language; in a ZONE*ALL message (key
   zone_blocks), "+N more" alone. */
static int more_text(struct step *st, enum reply_key key, int count, struct reply_text *out)
{
    char n[16], zone[8];
    struct reply_field f[2] = { { "count", n }, { "zone", zone } };

    snprintf(n, sizeof n, "%d", count);
    snprintf(zone, sizeof zone, "%04d", st->in->cmd->zone);
    return render(st, key == REPLY_zone_blocks ? REPLY_zone_blocks_more : REPLY_zone_info_more,
                  f, 2, out);
}

/* Fills `blocks` (a field of r) with as many of the blocks v[0..n) as let the reply fit
   INFO_MAX_PARTS: all when they fit, else the most that do, followed by "+N more" (N counts
   up to `total`, the blocks left in the zone from v on; 0: never "more"); at least `least`. The dash between
   cross streets is "-", or "–" when the reply is UCS-2 anyway. Returns how many blocks it
   took, or -1 when not even that can be rendered. */
static int fit_blocks(struct step *st, const struct reply_build *r, const struct dlg_block *v,
                      int n, int total, int least, char *blocks)
{
    struct reply_text text, more;
    const char *dash = "-";
    int dash_chosen = 0;

    for (int k = n; k >= least; k--) {
        const char *m = NULL;
        if (k < total) {
            if (more_text(st, r->key, total - k, &more) != 0)
                return -1;
            m = more.text;
        }
        if (blocks_text(v, k, dash, m, blocks, BLOCKS_TEXT) != 0 ||
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
        if (text.parts <= INFO_MAX_PARTS || k == least)
            return k;
    }
    return -1;
}

/* ZONE*ALL: the blocks read, message after message ("part/parts"), the last one saying how
   many are left when the store did not read them all or the messages ran out. */
static int all_blocks(struct step *st, struct reply_build *r)
{
    const struct dlg_named *nm = st->in->named;
    int n = nm->nblocks < DLG_MAX_BLOCKS ? nm->nblocks : DLG_MAX_BLOCKS;
    int first[ALL_MAX_MESSAGES + 1], messages = 0, at = 0, k;
    char blocks[BLOCKS_TEXT], part[8], parts[8];

    rb_field(r, "blocks", blocks);
    rb_field(r, "part", part);
    rb_field(r, "parts", parts);
    snprintf(part, sizeof part, "%d", ALL_MAX_MESSAGES);     /* the widest, for the split */
    snprintf(parts, sizeof parts, "%d", ALL_MAX_MESSAGES);
    while (at < n && messages < ALL_MAX_MESSAGES) {
        if (messages + 1 == ALL_MAX_MESSAGES)
            k = fit_blocks(st, r, nm->blocks + at, n - at, nm->total_blocks - at, 1, blocks);
        else
            k = fit_blocks(st, r, nm->blocks + at, n - at, 0, 1, blocks);   /* no "more" */
        if (k <= 0)
            return -1;
        first[messages++] = at;
        at += k;
    }
    first[messages] = at;
    snprintf(parts, sizeof parts, "%d", messages);
    for (int i = 0; i < messages; i++) {
        int last = i + 1 == messages;
        k = first[i + 1] - first[i];
        snprintf(part, sizeof part, "%d", i + 1);
        if (fit_blocks(st, r, nm->blocks + first[i], k,
                       last ? nm->total_blocks - first[i] : 0, k, blocks) < 0 ||
            emit(st, r) != 0)
            return -1;
    }
    return 0;
}

int zone_info(struct step *st)
{
    const struct dlg_named *nm = st->in->named;
    struct car car = { st->in->cmd->zone, "", "" };
    struct reply_build r;
    struct dlg_zone_policies zp;
    char blocks[BLOCKS_TEXT];
    int n = nm->nblocks < DLG_MAX_BLOCKS ? nm->nblocks : DLG_MAX_BLOCKS;

    if (!nm->zone_found) {
        rb_init(&r, REPLY_zone_unknown, &car);
        return emit(st, &r);
    }
    car.zone_name = nm->zone.name;
    if (st->in->cmd->all_blocks && nm->nblocks > 0) {
        rb_init(&r, REPLY_zone_blocks, &car);
        return all_blocks(st, &r);
    }
    rb_init(&r, nm->zone.active ? REPLY_zone_info : REPLY_zone_info_inactive, &car);
    rb_money(&r, "tariff", nm->zone.tariff);
    rb_paid_hours(st, &r, policies_of(st, nm->zone.number, nm->zone.tariff, &zp));
    rb_field(&r, "blocks", blocks);
    if (fit_blocks(st, &r, nm->blocks, n, nm->total_blocks, 0, blocks) < 0)
        blocks_text(nm->blocks, 0, "-", NULL, blocks, sizeof blocks);   /* emit reports it */
    return emit(st, &r);
}
