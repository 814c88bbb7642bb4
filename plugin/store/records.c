/* records.c: SQL for the rows of the parking schema (see records.h). */
#include "records.h"

#include <stdio.h>
#include <string.h>

#define SESSION_COLS \
    "s.id, s.msisdn, s.zone, z.name, s.plate, s.rate_tiyn, s.prepaid_tiyn, s.hours, " \
    "extract(epoch FROM s.started_at)::bigint, extract(epoch FROM s.paid_until)::bigint"
#define SESSION_FROM " FROM sessions s JOIN zones z ON z.number = s.zone "

#define PENDING_COLS \
    "p.id, p.msisdn, p.kind, p.zone, z.name, p.plate, p.hours, p.rate_tiyn, p.amount_tiyn, " \
    "p.account_part, p.payment_part, p.session_id, extract(epoch FROM p.expires_at)::bigint"
#define PENDING_FROM " FROM pending_debits p JOIN zones z ON z.number = p.zone "

/* Each reader fills one row struct (passed as void * for query_rows) from result row i. */
static void read_session(const PGresult *r, int i, void *row)
{
    struct session_row *s = row;

    s->id = pg_i64(r, i, 0);
    pg_copy(s->msisdn, sizeof s->msisdn, r, i, 1);
    s->zone = (int)pg_i64(r, i, 2);
    pg_copy(s->zone_name, sizeof s->zone_name, r, i, 3);
    pg_copy(s->plate, sizeof s->plate, r, i, 4);
    s->rate = pg_i64(r, i, 5);
    s->prepaid = pg_i64(r, i, 6);
    s->hours = (int)pg_i64(r, i, 7);
    s->started = (time_t)pg_i64(r, i, 8);
    s->paid_until = (time_t)pg_i64(r, i, 9);
}

static void read_pending(const PGresult *r, int i, void *row)
{
    struct pending_row *p = row;

    p->id = pg_i64(r, i, 0);
    pg_copy(p->msisdn, sizeof p->msisdn, r, i, 1);
    p->is_extend = strcmp(pg_str(r, i, 2), "extend") == 0;
    p->zone = (int)pg_i64(r, i, 3);
    pg_copy(p->zone_name, sizeof p->zone_name, r, i, 4);
    pg_copy(p->plate, sizeof p->plate, r, i, 5);
    p->hours = (int)pg_i64(r, i, 6);
    p->rate = pg_i64(r, i, 7);
    p->amount = pg_i64(r, i, 8);
    p->account_part = pg_i64(r, i, 9);
    p->payment_part = pg_i64(r, i, 10);
    p->session_id = pg_i64(r, i, 11);
    p->expires = (time_t)pg_i64(r, i, 12);
}

static void read_zone(const PGresult *r, int i, void *row)
{
    struct zone_row *z = row;

    z->number = (int)pg_i64(r, i, 0);
    pg_copy(z->name, sizeof z->name, r, i, 1);
    z->tariff = pg_i64(r, i, 2);
    z->active = strcmp(pg_str(r, i, 3), "t") == 0;
}

/* Runs a query and reads at most max of its rows, each with read, into the array v of
   rows of size bytes; returns the row count (which may exceed max) or -1. */
static int query_rows(struct pg_ctx *pg, const char *sql, const struct pg_params *p,
                      void (*read)(const PGresult *, int, void *), void *v, size_t size,
                      int max)
{
    PGresult *r = pg_query(pg, sql, p);
    int n;

    if (r == NULL)
        return -1;
    n = PQntuples(r);
    for (int i = 0; i < n && i < max; i++)
        read(r, i, (char *)v + (size_t)i * size);
    PQclear(r);
    return n;
}

static int query_sessions(struct pg_ctx *pg, const char *sql, const struct pg_params *p,
                          struct session_row *v, int max)
{
    return query_rows(pg, sql, p, read_session, v, sizeof *v, max);
}

static int query_pendings(struct pg_ctx *pg, const char *sql, const struct pg_params *p,
                          struct pending_row *v, int max)
{
    return query_rows(pg, sql, p, read_pending, v, sizeof *v, max);
}

/* Runs a query with one bigint result column (INSERT ... RETURNING id): 0 on failure. */
static long long query_id(struct pg_ctx *pg, const char *sql, const struct pg_params *p)
{
    PGresult *r = pg_query(pg, sql, p);
    long long id = 0;

    if (r == NULL)
        return 0;
    if (PQntuples(r) == 1)
        id = pg_i64(r, 0, 0);
    PQclear(r);
    return id;
}

/* A row count as a "find" result: 1 found, 0 not found, -1 failure. */
static int found(int n)
{
    return n < 0 ? -1 : n > 0;
}

/* A statement that must change exactly one row: anything else is a failure. */
static int one_row(struct pg_ctx *pg, long n, const char *what)
{
    if (n == 1)
        return 0;
    if (n >= 0 && pg->fail == PG_FAIL_NONE) {
        pg->fail = PG_FAIL_OTHER;
        snprintf(pg->msg, sizeof pg->msg, "%s: %ld rows changed, expected 1", what, n);
    }
    return -1;
}

int rec_lock_subscriber(struct pg_ctx *pg, const char *msisdn, char lang[3], int64_t *account)
{
    struct pg_params p;
    PGresult *r;
    int ok;

    pg_p_reset(&p);
    pg_p_str(&p, msisdn);
    if (pg_exec(pg, "INSERT INTO subscribers (msisdn) VALUES ($1) ON CONFLICT DO NOTHING", &p) < 0)
        return -1;
    r = pg_query(pg, "SELECT coalesce(language, ''), account_tiyn FROM subscribers "
                     "WHERE msisdn = $1 FOR UPDATE", &p);
    if (r == NULL)
        return -1;
    ok = PQntuples(r) == 1;
    if (ok) {
        snprintf(lang, 3, "%s", pg_str(r, 0, 0));
        *account = pg_i64(r, 0, 1);
    }
    PQclear(r);
    return ok ? 0 : -1;
}

int rec_language(struct pg_ctx *pg, const char *msisdn, char lang[3])
{
    struct pg_params p;
    PGresult *r;

    pg_p_reset(&p);
    pg_p_str(&p, msisdn);
    r = pg_query(pg, "SELECT coalesce(language, '') FROM subscribers WHERE msisdn = $1", &p);
    if (r == NULL)
        return -1;
    snprintf(lang, 3, "%s", PQntuples(r) == 1 ? pg_str(r, 0, 0) : "");
    PQclear(r);
    return 0;
}

int rec_set_language(struct pg_ctx *pg, const char *msisdn, const char *lang)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_str(&p, msisdn);
    pg_p_str(&p, lang);
    return one_row(pg, pg_exec(pg, "UPDATE subscribers SET language = $2 WHERE msisdn = $1", &p), __func__);
}

int rec_account_add(struct pg_ctx *pg, const char *msisdn, int64_t delta)
{
    struct pg_params p;

    if (delta == 0)
        return 0;
    pg_p_reset(&p);
    pg_p_str(&p, msisdn);
    pg_p_i64(&p, delta);
    return one_row(pg, pg_exec(pg, "UPDATE subscribers SET account_tiyn = account_tiyn + $2::bigint "
                       "WHERE msisdn = $1", &p), __func__);
}

int rec_mo_seen(struct pg_ctx *pg, const char *mo_id)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_str(&p, mo_id);
    return found((int)pg_exec(pg, "SELECT 1 FROM processed_mo WHERE mo_id = $1", &p));
}

int rec_mo_record(struct pg_ctx *pg, const char *mo_id, const char *msisdn, time_t at)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_str(&p, mo_id);
    pg_p_str(&p, msisdn);
    pg_p_time(&p, at);
    return one_row(pg, pg_exec(pg, "INSERT INTO processed_mo (mo_id, msisdn, at) "
                       "VALUES ($1, $2, to_timestamp($3::bigint))", &p), __func__);
}

int rec_zone(struct pg_ctx *pg, int number, struct zone_row *out)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_i64(&p, number);
    return found(query_rows(pg, "SELECT number, name, tariff_tiyn, active FROM zones "
                                "WHERE number = $1::int", &p, read_zone, out, sizeof *out, 1));
}

/* A street name into dst[STREET_MAX], cut at a UTF-8 character boundary if too long. */
static void copy_name(char *dst, const PGresult *r, int row, int col)
{
    const char *v = PQgetvalue(r, row, col);
    size_t n = strlen(v);

    if (n >= STREET_MAX) {
        n = STREET_MAX - 1;
        while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, v, n);
    dst[n] = '\0';
}

/* max must be at least 1 (the count comes with the rows). */
int rec_zone_blocks(struct pg_ctx *pg, int zone, struct block_row *v, int max)
{
    struct pg_params p;
    PGresult *r;
    int n, total;

    pg_p_reset(&p);
    pg_p_i64(&p, zone);
    pg_p_i64(&p, max);
    r = pg_query(pg, "SELECT street, from_street, to_street, count(*) OVER () FROM street_blocks "
                     "WHERE zone = $1::int ORDER BY street, from_street, to_street, id "
                     "LIMIT $2::int", &p);
    if (r == NULL)
        return -1;
    n = PQntuples(r);
    total = n > 0 ? (int)pg_i64(r, 0, 3) : 0;
    for (int i = 0; i < n && i < max; i++) {
        copy_name(v[i].street, r, i, 0);
        copy_name(v[i].from, r, i, 1);
        copy_name(v[i].to, r, i, 2);
    }
    PQclear(r);
    return total;
}

int rec_session_by_plate(struct pg_ctx *pg, const char *plate, struct session_row *out)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_str(&p, plate);
    return found(query_sessions(pg, "SELECT " SESSION_COLS SESSION_FROM
                                    "WHERE s.plate = $1 AND s.ended_at IS NULL", &p, out, 1));
}

int rec_sessions_of(struct pg_ctx *pg, const char *msisdn, const char *plate,
                    struct session_row *v, int max)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_str(&p, msisdn);
    pg_p_str(&p, plate);
    return query_sessions(pg, "SELECT " SESSION_COLS SESSION_FROM
                              "WHERE s.msisdn = $1 AND s.ended_at IS NULL "
                              "AND ($2::text IS NULL OR s.plate = $2) "
                              "ORDER BY s.started_at, s.id FOR UPDATE OF s", &p, v, max);
}

int rec_session_locked(struct pg_ctx *pg, long long id, struct session_row *out)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_id(&p, id);
    return found(query_sessions(pg, "SELECT " SESSION_COLS SESSION_FROM
                                    "WHERE s.id = $1::bigint AND s.ended_at IS NULL "
                                    "FOR UPDATE OF s", &p, out, 1));
}

long long rec_session_insert(struct pg_ctx *pg, const char *msisdn, const struct zone_row *z,
                             const char *plate, int hours, time_t start, time_t paid_until,
                             int64_t prepaid)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_str(&p, msisdn);
    pg_p_i64(&p, z->number);
    pg_p_str(&p, plate);
    pg_p_i64(&p, z->tariff);
    pg_p_i64(&p, hours);
    pg_p_time(&p, start);
    pg_p_time(&p, paid_until);
    pg_p_i64(&p, prepaid);
    return query_id(pg, "INSERT INTO sessions (msisdn, zone, plate, rate_tiyn, hours, "
                        "started_at, paid_until, prepaid_tiyn) VALUES ($1, $2::int, $3, "
                        "$4::bigint, $5::int, to_timestamp($6::bigint), to_timestamp($7::bigint), "
                        "$8::bigint) RETURNING id", &p);
}

int rec_session_extend(struct pg_ctx *pg, long long id, int hours, time_t paid_until,
                       int64_t amount)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_id(&p, id);
    pg_p_i64(&p, hours);
    pg_p_time(&p, paid_until);
    pg_p_i64(&p, amount);
    /* a new end deserves a new reminder */
    return one_row(pg, pg_exec(pg, "UPDATE sessions SET hours = hours + $2::int, "
                       "paid_until = to_timestamp($3::bigint), "
                       "prepaid_tiyn = prepaid_tiyn + $4::bigint, reminder_sent_at = NULL "
                       "WHERE id = $1::bigint AND ended_at IS NULL", &p), __func__);
}

int rec_session_end(struct pg_ctx *pg, long long id, int stopped, time_t at, int64_t cost,
                    int64_t to_account)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_id(&p, id);
    pg_p_str(&p, stopped ? "stopped" : "expired");
    pg_p_time(&p, at);
    pg_p_i64(&p, cost);
    pg_p_i64(&p, to_account);
    return one_row(pg, pg_exec(pg, "UPDATE sessions SET ended_at = to_timestamp($3::bigint), end_reason = $2, "
                       "stopped_at = CASE WHEN $2 = 'stopped' THEN to_timestamp($3::bigint) END, "
                       "cost_tiyn = $4::bigint, to_account_tiyn = $5::bigint "
                       "WHERE id = $1::bigint AND ended_at IS NULL", &p), __func__);
}

int rec_session_reminded(struct pg_ctx *pg, long long id, time_t at)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_id(&p, id);
    pg_p_time(&p, at);
    return one_row(pg, pg_exec(pg, "UPDATE sessions SET reminder_sent_at = to_timestamp($2::bigint) "
                       "WHERE id = $1::bigint", &p), __func__);
}

int rec_pending_open(struct pg_ctx *pg, const char *msisdn, struct pending_row *out)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_str(&p, msisdn);
    return found(query_pendings(pg, "SELECT " PENDING_COLS PENDING_FROM
                                    "WHERE p.msisdn = $1 AND p.state = 'open' FOR UPDATE OF p",
                                &p, out, 1));
}

long long rec_pending_insert(struct pg_ctx *pg, const struct pending_row *pd, const char *mo_id,
                             time_t created)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_str(&p, pd->msisdn);
    pg_p_str(&p, pd->is_extend ? "extend" : "start");
    pg_p_i64(&p, pd->zone);
    pg_p_str(&p, pd->plate);
    pg_p_i64(&p, pd->hours);
    pg_p_i64(&p, pd->rate);
    pg_p_i64(&p, pd->amount);
    pg_p_i64(&p, pd->account_part);
    pg_p_i64(&p, pd->payment_part);
    pg_p_id(&p, pd->session_id);
    pg_p_str(&p, mo_id);
    pg_p_time(&p, created);
    pg_p_time(&p, pd->expires);
    return query_id(pg, "INSERT INTO pending_debits (msisdn, kind, zone, plate, hours, rate_tiyn, "
                        "amount_tiyn, account_part, payment_part, session_id, mo_id, created_at, "
                        "expires_at) VALUES ($1, $2, $3::int, $4, $5::int, $6::bigint, $7::bigint, "
                        "$8::bigint, $9::bigint, $10::bigint, $11, to_timestamp($12::bigint), "
                        "to_timestamp($13::bigint)) RETURNING id", &p);
}

int rec_pending_close(struct pg_ctx *pg, long long id, const char *state, time_t at,
                      long long session_id)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_id(&p, id);
    pg_p_str(&p, state);
    pg_p_time(&p, at);
    pg_p_id(&p, session_id);
    return one_row(pg, pg_exec(pg, "UPDATE pending_debits SET state = $2, closed_at = to_timestamp($3::bigint), "
                       "session_id = coalesce($4::bigint, session_id) "
                       "WHERE id = $1::bigint AND state = 'open'", &p), __func__);
}

int rec_due_pendings(struct pg_ctx *pg, time_t now, struct pending_row *v, int max)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_time(&p, now);
    pg_p_i64(&p, max);
    return query_pendings(pg, "SELECT " PENDING_COLS PENDING_FROM
                              "WHERE p.state = 'open' AND p.expires_at <= to_timestamp($1::bigint) "
                              "ORDER BY p.expires_at LIMIT $2::int FOR UPDATE OF p SKIP LOCKED",
                          &p, v, max);
}

int rec_due_reminders(struct pg_ctx *pg, time_t now, time_t horizon, struct session_row *v,
                      int max)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_time(&p, now);
    pg_p_time(&p, horizon);
    pg_p_i64(&p, max);
    return query_sessions(pg, "SELECT " SESSION_COLS SESSION_FROM
                              "WHERE s.ended_at IS NULL AND s.reminder_sent_at IS NULL "
                              "AND s.paid_until <= to_timestamp($2::bigint) "
                              "AND s.paid_until > to_timestamp($1::bigint) "
                              "ORDER BY s.paid_until LIMIT $3::int FOR UPDATE OF s SKIP LOCKED",
                          &p, v, max);
}

int rec_due_ends(struct pg_ctx *pg, time_t now, struct session_row *v, int max)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_time(&p, now);
    pg_p_i64(&p, max);
    return query_sessions(pg, "SELECT " SESSION_COLS SESSION_FROM
                              "WHERE s.ended_at IS NULL AND s.paid_until <= to_timestamp($1::bigint) "
                              "ORDER BY s.paid_until LIMIT $2::int FOR UPDATE OF s SKIP LOCKED",
                          &p, v, max);
}

long long rec_ledger_tx(struct pg_ctx *pg, const char *kind, const char *msisdn,
                        long long session_id, long long pending_id, const char *key, time_t at)
{
    struct pg_params p;

    pg_p_reset(&p);
    pg_p_str(&p, kind);
    pg_p_str(&p, msisdn);
    pg_p_id(&p, session_id);
    pg_p_id(&p, pending_id);
    pg_p_str(&p, key);
    pg_p_time(&p, at);
    return query_id(pg, "INSERT INTO ledger_tx (kind, msisdn, session_id, pending_id, "
                        "idempotency_key, at) VALUES ($1, $2, $3::bigint, $4::bigint, $5, "
                        "to_timestamp($6::bigint)) RETURNING id", &p);
}

int rec_ledger_leg(struct pg_ctx *pg, long long tx, const char *account, int64_t amount)
{
    struct pg_params p;

    if (amount == 0)
        return 0;
    pg_p_reset(&p);
    pg_p_id(&p, tx);
    pg_p_str(&p, account);
    pg_p_i64(&p, amount);
    return one_row(pg, pg_exec(pg, "INSERT INTO ledger_legs (tx_id, account, amount) "
                       "VALUES ($1::bigint, $2, $3::bigint)", &p), __func__);
}
