/* outbox.c: outbox rows and reply lists (see outbox.h). */
#include "outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void replies_clear(struct replies *r)
{
    free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}

void replies_take(struct replies *r, struct mt **out, size_t *nout)
{
    *out = r->n ? r->v : NULL;
    *nout = r->n;
    if (r->n == 0)
        free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}

struct mt *replies_push(struct pg_ctx *pg, struct replies *r)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4;
        struct mt *v = realloc(r->v, cap * sizeof *v);
        if (v == NULL) {
            pg->fail = PG_FAIL_OTHER;
            snprintf(pg->msg, sizeof pg->msg, "out of memory for replies");
            return NULL;
        }
        r->v = v;
        r->cap = cap;
    }
    memset(&r->v[r->n], 0, sizeof r->v[r->n]);
    return &r->v[r->n++];
}

int replies_add_row(struct pg_ctx *pg, struct replies *r, const PGresult *res, int i)
{
    struct mt *m = replies_push(pg, r);

    if (m == NULL)
        return -1;
    m->outbox_id = pg_i64(res, i, 0);
    pg_copy(m->from, sizeof m->from, res, i, 1);
    pg_copy(m->to, sizeof m->to, res, i, 2);
    pg_copy(m->text, sizeof m->text, res, i, 3);
    m->ucs2 = strcmp(pg_str(res, i, 4), "t") == 0;
    return 0;
}

static int push_all(struct pg_ctx *pg, struct replies *r, PGresult *res)
{
    int rc = 0;

    if (res == NULL)
        return -1;
    for (int i = 0; i < PQntuples(res) && rc == 0; i++)
        rc = replies_add_row(pg, r, res, i);
    PQclear(res);
    return rc;
}

#define MT_COLS "id, sender, receiver, text, ucs2"

int outbox_claim_unsent(struct pg_ctx *pg, struct replies *r, int age, int limit)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_i64(&p, age);
    pg_p_i64(&p, limit);
    return push_all(pg, r, pg_query(pg,
        "UPDATE outbox SET claimed_at = now() WHERE id IN ("
        " SELECT id FROM outbox WHERE sent_at IS NULL AND dlr_status IS NULL"
        " AND created_at <= now() - make_interval(secs => $1::int)"
        " AND (claimed_at IS NULL OR claimed_at <= now() - make_interval(secs => $1::int))"
        " ORDER BY created_at LIMIT $2::int FOR UPDATE SKIP LOCKED) "
        "RETURNING " MT_COLS, &p));
}

/* "{1,2,3}": ids as a PostgreSQL array literal (malloc'd), or NULL when out of memory. */
static char *id_array(const long long *ids, size_t n)
{
    char *s = malloc(n * 21 + 3), *p = s;

    if (s == NULL)
        return NULL;
    *p++ = '{';
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s%lld", i ? "," : "", ids[i]);
    strcpy(p, "}");
    return s;
}

/* Records out of memory in pg; returns -1. */
static int no_memory(struct pg_ctx *pg, const char *what)
{
    pg->fail = PG_FAIL_OTHER;
    snprintf(pg->msg, sizeof pg->msg, "out of memory for %s", what);
    return -1;
}

int outbox_mark_sent(struct pg_ctx *pg, const long long *ids, size_t n)
{
    struct pg_params p;
    char *arr = id_array(ids, n);
    long rc;

    if (arr == NULL)
        return no_memory(pg, "the ids to mark sent");
    pg_p_reset(&p);
    pg_p_str(&p, arr);
    rc = pg_exec(pg, "UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[]) "
                     "AND sent_at IS NULL", &p);
    free(arr);
    return rc < 0 ? -1 : 0;
}

int outbox_record_dlr(struct pg_ctx *pg, long long id, const char *status)
{
    struct pg_params p;
    PGresult *r;
    int changed;

    pg_p_reset(&p);
    pg_p_i64(&p, id);
    pg_p_str(&p, status);
    r = pg_query(pg, "SELECT outbox_record_dlr($1::bigint, $2)", &p);
    if (r == NULL)
        return -1;
    changed = strcmp(pg_str(r, 0, 0), "t") == 0;
    PQclear(r);
    return changed;
}

/* Per outbox row, the status that applying the batch's reports one by one in order with
   outbox_record_dlr() would leave: the first final one (delivered, failed), else the
   last; a row that already has a final status, or has that status, does not change.
   A report proves that bearerbox took the message: a row not yet marked sent (its mark
   was lost with a crash) is marked sent too, and is never resent. */
#define DLRS_SQL \
    "WITH r AS (SELECT DISTINCT ON (id) id, status" \
    " FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS t(id, status, ord)" \
    " ORDER BY id, status IN ('delivered', 'failed') DESC," \
    " CASE WHEN status IN ('delivered', 'failed') THEN ord ELSE -ord END) " \
    "UPDATE outbox o SET dlr_status = r.status, dlr_at = now(), " \
    " sent_at = coalesce(o.sent_at, now()), delivered_at = CASE WHEN r.status = 'delivered' THEN now() END " \
    "FROM r WHERE o.id = r.id AND o.dlr_status IS DISTINCT FROM r.status " \
    " AND (o.dlr_status IS NULL OR o.dlr_status NOT IN ('delivered', 'failed'))"

/* "{delivered,failed}": known status names as an array literal (malloc'd). */
static char *status_array(const char *const *status, size_t n)
{
    size_t len = 3;
    char *s, *p;

    for (size_t i = 0; i < n; i++)
        len += strlen(status[i]) + 1;
    if ((s = p = malloc(len)) == NULL)
        return NULL;
    *p++ = '{';
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s%s", i ? "," : "", status[i]);
    strcpy(p, "}");
    return s;
}

long outbox_record_dlrs(struct pg_ctx *pg, const long long *ids, const char *const *status,
                        size_t n)
{
    char *a = id_array(ids, n), *b = status_array(status, n);
    struct pg_params p;
    long rc = -1;

    if (a == NULL || b == NULL)
        no_memory(pg, "delivery reports");
    else {
        pg_p_reset(&p);
        pg_p_str(&p, a);
        pg_p_str(&p, b);
        rc = pg_exec(pg, DLRS_SQL, &p);
    }
    free(a);
    free(b);
    return rc;
}
