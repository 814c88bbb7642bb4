/* snapshot.c: round trip 1, the reads of a transaction (see snapshot.h). */
#include "snapshot.h"
#include "policy_rows.h"

#include <stdio.h>
#include <string.h>

/* NAMES() of statements.def: a name, then its names in these languages. */
static const char *const NAME_LANGS[] = { "ru", "kk", "en" };
#define NAMES_NCOLS 4
#define SESSION_NCOLS (10 + NAMES_NCOLS)
#define PENDING_NCOLS (12 + NAMES_NCOLS)

/* Which of NAMES()' columns replies in lang show: 1 + its place in NAME_LANGS, or 0 (the
   plain name) for a language without names of its own. */
static int names_lang(const char *lang)
{
    for (int k = 0; k < (int)(sizeof NAME_LANGS / sizeof NAME_LANGS[0]); k++)
        if (strcmp(lang, NAME_LANGS[k]) == 0)
            return 1 + k;
    return 0;
}

/* The language of the subscriber's replies, as the dialogue chooses it: its own, else the
   default. */
static int reply_names(const char *sub_lang, const char *default_lang)
{
    return names_lang(sub_lang[0] ? sub_lang : default_lang);
}

/* The column of the name that NAMES() lists from column c in row i: the one of language
   column lc (names_lang), or the plain one when that is 0 or NULL. */
static int name_col(const PGresult *r, int i, int c, int lc)
{
    return lc > 0 && !pg_isnull(r, i, c + lc) ? c + lc : c;
}

/* Columns c.. of row i as statements.def's SESSION_COLS lists them; the zone's name in the
   language of column lc. */
static void read_session(const PGresult *r, int i, int c, int lc, struct dlg_session *s)
{
    int k = c + 2 + NAMES_NCOLS;

    memset(s, 0, sizeof *s);
    s->id = pg_i64(r, i, c);
    pg_copy(s->msisdn, sizeof s->msisdn, r, i, c + 1);
    s->zone = (int)pg_i64(r, i, c + 2);
    pg_copy(s->zone_name, sizeof s->zone_name, r, i, name_col(r, i, c + 3, lc));
    s->zone_active = strcmp(pg_str(r, i, k + 1), "t") == 0;
    pg_copy(s->plate, sizeof s->plate, r, i, k + 2);
    s->rate = pg_i64(r, i, k + 3);
    s->prepaid = pg_i64(r, i, k + 4);
    s->hours = (int)pg_i64(r, i, k + 5);
    s->started = (time_t)pg_i64(r, i, k + 6);
    s->paid_until = (time_t)pg_i64(r, i, k + 7);
}

/* Columns 0.. of row i as PENDING_COLS lists them; the zone's name as read_session's. */
static void read_pending(const PGresult *r, int i, int lc, struct dlg_pending *p)
{
    int k = 2 + NAMES_NCOLS;

    memset(p, 0, sizeof *p);
    p->id = pg_i64(r, i, 0);
    p->kind = debit_kind_parse(pg_str(r, i, 1)) == DEBIT_extend ? DEBIT_extend : DEBIT_start;
    p->zone = (int)pg_i64(r, i, 2);
    pg_copy(p->zone_name, sizeof p->zone_name, r, i, name_col(r, i, 3, lc));
    p->zone_active = strcmp(pg_str(r, i, k + 1), "t") == 0;
    pg_copy(p->plate, sizeof p->plate, r, i, k + 2);
    p->hours = (int)pg_i64(r, i, k + 3);
    p->rate = pg_i64(r, i, k + 4);
    p->amount = pg_i64(r, i, k + 5);
    p->account_part = pg_i64(r, i, k + 6);
    p->payment_part = pg_i64(r, i, k + 7);
    p->session_id = pg_i64(r, i, k + 8);
    p->expires = (time_t)pg_i64(r, i, k + 9);
}

/* A street name into dst[DLG_STREET_MAX], cut at a UTF-8 character boundary. */
static void copy_name(char *dst, const PGresult *r, int row, int col)
{
    const char *v = PQgetvalue(r, row, col);
    size_t n = strlen(v);

    if (n >= DLG_STREET_MAX) {
        n = DLG_STREET_MAX - 1;
        while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, v, n);
    dst[n] = '\0';
}

int snapshot_queue_mo(struct pg_ctx *pg, struct pg_batch *b, const char *msisdn,
                      const char *mo_id, const struct dlg_needs *needs)
{
    struct pg_params *p;

    if (pg_batch_add(pg, b, STMT_BEGIN) == NULL ||
        (p = pg_batch_add(pg, b, STMT_SUB_CREATE)) == NULL)
        return -1;
    pg_p_str(p, msisdn);
    if ((p = pg_batch_add(pg, b, STMT_SUB_LOCK)) == NULL)
        return -1;
    pg_p_str(p, msisdn);
    pg_p_str(p, mo_id);
    if ((p = pg_batch_add(pg, b, STMT_MO_REPLIES)) == NULL)
        return -1;
    pg_p_str(p, mo_id);
    if ((p = pg_batch_add(pg, b, STMT_POLICIES)) == NULL)
        return -1;
    pg_p_str(p, msisdn);
    pg_p_i64(p, needs->zone);
    if (pg_batch_add(pg, b, STMT_HOLIDAYS) == NULL)
        return -1;
    if ((p = pg_batch_add(pg, b, STMT_SUB_SESSIONS)) == NULL)
        return -1;
    pg_p_str(p, msisdn);
    if ((p = pg_batch_add(pg, b, STMT_SUB_PENDING)) == NULL)
        return -1;
    pg_p_str(p, msisdn);
    if (needs->zone >= 0) {
        if ((p = pg_batch_add(pg, b, STMT_ZONE)) == NULL)
            return -1;
        pg_p_i64(p, needs->zone);
    }
    if (needs->plate != NULL) {
        if ((p = pg_batch_add(pg, b, STMT_PLATE_SESSION)) == NULL)
            return -1;
        pg_p_str(p, needs->plate);
    }
    if (needs->blocks) {
        if ((p = pg_batch_add(pg, b, STMT_ZONE_BLOCKS)) == NULL)
            return -1;
        pg_p_i64(p, needs->zone);
        pg_p_i64(p, DLG_MAX_BLOCKS);
    }
    return 0;
}

static void read_subscriber(const PGresult *r, struct mo_snapshot *snap)
{
    int m = pay_method_parse(pg_str(r, 0, 4));

    snprintf(snap->sub.lang, sizeof snap->sub.lang, "%s", pg_str(r, 0, 0));
    snap->sub.account = pg_i64(r, 0, 1);
    snap->sub.wallet = pg_i64(r, 0, 2);
    snap->seen = strcmp(pg_str(r, 0, 3), "t") == 0;
    snap->sub.method = m < 0 ? METHOD_default : (enum pay_method)m;
    pg_copy(snap->sub.card_token, sizeof snap->sub.card_token, r, 0, 5);
    pg_copy(snap->sub.card_last4, sizeof snap->sub.card_last4, r, 0, 6);
}

static void read_sessions(const PGresult *r, int lc, struct dlg_subscriber *sub)
{
    sub->nsessions = PQntuples(r);
    for (int i = 0; i < sub->nsessions && i < DLG_MAX_CARS; i++)
        read_session(r, i, 0, lc, &sub->sessions[i]);
}

/* The charge columns c.. of SUB_PENDING (id, method, amount, key, token, last4,
   attempts, next try). */
static void read_charge(const PGresult *r, int c, struct dlg_charge *ch)
{
    memset(ch, 0, sizeof *ch);
    ch->id = pg_i64(r, 0, c);
    ch->method = pay_method_parse(pg_str(r, 0, c + 1)) == METHOD_card ? METHOD_card
                                                                      : METHOD_phone;
    ch->amount = pg_i64(r, 0, c + 2);
    pg_copy(ch->key, sizeof ch->key, r, 0, c + 3);
    pg_copy(ch->card_token, sizeof ch->card_token, r, 0, c + 4);
    pg_copy(ch->card_last4, sizeof ch->card_last4, r, 0, c + 5);
    ch->attempts = (int)pg_i64(r, 0, c + 6);
    ch->next_try = (time_t)pg_i64(r, 0, c + 7);
}

static void read_open_pending(const PGresult *r, int lc, struct dlg_subscriber *sub)
{
    struct dlg_pending *p = &sub->pending;
    int c = PENDING_NCOLS + SESSION_NCOLS;

    sub->has_pending = PQntuples(r) > 0;
    if (!sub->has_pending)
        return;
    read_pending(r, 0, lc, p);
    p->has_session = !pg_isnull(r, 0, PENDING_NCOLS);
    if (p->has_session)
        read_session(r, 0, PENDING_NCOLS, lc, &p->session);
    p->state = pending_state_parse(pg_str(r, 0, c)) == PENDING_charging ? PENDING_charging
                                                                         : PENDING_open;
    p->has_charge = !pg_isnull(r, 0, c + 1);
    if (p->has_charge)
        read_charge(r, c + 1, &p->charge);
}

/* POLICY_ROWS_COLS rows, grouped into each zone's policies and their spans. */
void policy_rows_read(const PGresult *r, struct dlg_tariffs *ts)
{
    struct dlg_tariff *t = NULL;
    struct dlg_policy *p = NULL;

    for (int i = 0; i < PQntuples(r); i++) {
        int zone = (int)pg_i64(r, i, 0);
        long id = (long)pg_i64(r, i, 1);
        if (t == NULL || t->zone != zone) {
            if (ts->n == DLG_MAX_TARIFFS)
                return;
            t = &ts->t[ts->n++];
            t->zone = zone;
            p = NULL;
        }
        if (p == NULL || p->id != id) {
            if (t->npolicies == DLG_MAX_POLICIES)
                continue;
            p = &t->policies[t->npolicies++];
            *p = (struct dlg_policy){ id, (int)pg_i64(r, i, 2), pg_i64(r, i, 3),
                                      strcmp(pg_str(r, i, 4), "t") == 0, t->nspans, 0,
                                      strcmp(pg_str(r, i, 11), "t") == 0 };
        }
        if (strcmp(pg_str(r, i, 5), "t") != 0 || t->nspans == DLG_MAX_SPANS)
            continue;
        t->spans[t->nspans++] = (struct policy_span){ (unsigned)pg_i64(r, i, 6),
                                                      (int)pg_i64(r, i, 7), (int)pg_i64(r, i, 8),
                                                      (int32_t)pg_i64(r, i, 9),
                                                      (int32_t)pg_i64(r, i, 10) };
        p->nspans++;
    }
}

void policy_rows_read_holidays(const PGresult *r, struct dlg_tariffs *ts)
{
    for (int i = 0; i < PQntuples(r) && ts->nholidays < DLG_MAX_HOLIDAYS; i++)
        ts->holidays[ts->nholidays++] = (int32_t)pg_i64(r, i, 0);
}

/* ZONE_BLOCKS: the names of street, from_street and to_street, then the count. */
static void read_blocks(const PGresult *r, int lc, struct dlg_named *nm)
{
    nm->nblocks = PQntuples(r);
    nm->total_blocks = nm->nblocks > 0 ? (int)pg_i64(r, 0, 3 * NAMES_NCOLS) : 0;
    for (int i = 0; i < nm->nblocks && i < DLG_MAX_BLOCKS; i++) {
        copy_name(nm->blocks[i].street, r, i, name_col(r, i, 0, lc));
        copy_name(nm->blocks[i].from, r, i, name_col(r, i, NAMES_NCOLS, lc));
        copy_name(nm->blocks[i].to, r, i, name_col(r, i, 2 * NAMES_NCOLS, lc));
    }
}

static void read_zone(const PGresult *r, int lc, struct dlg_named *nm)
{
    nm->zone_found = PQntuples(r) == 1;
    if (!nm->zone_found)
        return;
    nm->zone.number = (int)pg_i64(r, 0, 0);
    pg_copy(nm->zone.name, sizeof nm->zone.name, r, 0, name_col(r, 0, 1, lc));
    nm->zone.tariff = pg_i64(r, 0, 1 + NAMES_NCOLS);
    nm->zone.active = strcmp(pg_str(r, 0, 2 + NAMES_NCOLS), "t") == 0;
}

/* SUB_LOCK's result: the subscriber, read before the names in its language. */
static int read_lock(const struct pg_batch *b, struct mo_snapshot *snap)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->q[i]->stmt == STMT_SUB_LOCK) {
            if (PQntuples(b->q[i]->res) != 1)
                return -1;
            read_subscriber(b->q[i]->res, snap);
            return 0;
        }
    return -1;
}

int snapshot_read_mo(struct pg_ctx *pg, const struct pg_batch *b, const char *default_lang,
                     struct mo_snapshot *snap, struct replies *stored)
{
    struct dlg_named *nm = &snap->named;
    int lc;

    if (read_lock(b, snap) < 0)
        return -1;
    lc = reply_names(snap->sub.lang, default_lang);
    for (size_t i = 0; i < b->n; i++) {
        const PGresult *r = b->q[i]->res;
        switch (b->q[i]->stmt) {
        case STMT_MO_REPLIES:
            for (int k = 0; snap->seen && k < PQntuples(r); k++)
                if (replies_add_row(pg, stored, r, k) < 0)
                    return -1;
            break;
        case STMT_SUB_SESSIONS: read_sessions(r, lc, &snap->sub); break;
        case STMT_SUB_PENDING: read_open_pending(r, lc, &snap->sub); break;
        case STMT_ZONE: read_zone(r, lc, nm); break;
        case STMT_PLATE_SESSION:
            nm->plate_parked = PQntuples(r) > 0;
            if (nm->plate_parked)
                read_session(r, 0, 0, lc, &nm->plate_session);
            break;
        case STMT_ZONE_BLOCKS: read_blocks(r, lc, nm); break;
        case STMT_POLICIES: policy_rows_read(r, &snap->tariffs); break;
        case STMT_HOLIDAYS: policy_rows_read_holidays(r, &snap->tariffs); break;
        default: break;
        }
    }
    return 0;
}

static const enum stmt DUE_STMT[DUE_KIND_COUNT] = { STMT_DUE_PENDINGS, STMT_DUE_REMINDERS,
                                                     STMT_DUE_ENDS };

int snapshot_queue_due(struct pg_ctx *pg, struct pg_batch *b, enum due_kind kind, time_t now,
                       int reminder_minutes, int limit)
{
    struct pg_params *p;

    if (pg_batch_add(pg, b, STMT_BEGIN) == NULL ||
        (p = pg_batch_add(pg, b, DUE_STMT[kind])) == NULL)
        return -1;
    pg_p_time(p, kind == DUE_REMIND ? now + (time_t)reminder_minutes * 60 : now);
    pg_p_i64(p, limit);
    if (kind == DUE_END)
        pg_p_str(p, reminder_minutes > 0 ? "t" : "f");
    return 0;
}

int snapshot_read_due(struct pg_ctx *pg, const struct pg_batch *b, enum due_kind kind,
                      const char *default_lang, struct due_row *v, int max)
{
    const PGresult *r = NULL;
    int n;

    (void)pg;
    for (size_t i = 0; i < b->n; i++)
        if (b->q[i]->stmt == DUE_STMT[kind])
            r = b->q[i]->res;
    if (r == NULL)
        return -1;
    n = PQntuples(r) < max ? PQntuples(r) : max;
    for (int i = 0; i < n; i++) {
        memset(&v[i].sub, 0, sizeof v[i].sub);
        if (kind == DUE_EXPIRE) {
            pg_copy(v[i].sub.msisdn, sizeof v[i].sub.msisdn, r, i, PENDING_NCOLS);
            pg_copy(v[i].sub.lang, sizeof v[i].sub.lang, r, i, PENDING_NCOLS + 1);
            read_pending(r, i, reply_names(v[i].sub.lang, default_lang), &v[i].pending);
        } else {
            pg_copy(v[i].sub.lang, sizeof v[i].sub.lang, r, i, SESSION_NCOLS);
            read_session(r, i, 0, reply_names(v[i].sub.lang, default_lang), &v[i].session);
            memcpy(v[i].sub.msisdn, v[i].session.msisdn, sizeof v[i].sub.msisdn);
            v[i].sub.nsessions = kind == DUE_REMIND ? (int)pg_i64(r, i, SESSION_NCOLS + 1) : 1;
        }
    }
    return n;
}
