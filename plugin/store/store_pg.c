/* store_pg.c: libpq connection pool and query helpers (see store_pg.h). */
#include "store_pg.h"
#include "policy_rows.h"   /* POLICY_ROWS_* in statements.def */

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_ulong round_trips;   /* network round trips of every transaction so far */

unsigned long pg_round_trips(void)
{
    return atomic_load(&round_trips);
}

void pg_p_reset(struct pg_params *p)
{
    p->n = 0;
    p->used = 0;
}

int pg_p_copy(struct pg_params *p, const char *s)
{
    size_t len = strlen(s) + 1;

    if (p->n >= PG_MAXPARAMS || len > sizeof p->scratch - p->used)
        return -1;
    memcpy(p->scratch + p->used, s, len);
    p->v[p->n++] = p->scratch + p->used;
    p->used += len;
    return 0;
}

void pg_p_str(struct pg_params *p, const char *s)
{
    if (p->n < PG_MAXPARAMS)
        p->v[p->n++] = s;
}

void pg_p_i64(struct pg_params *p, int64_t v)
{
    if (p->n >= PG_MAXPARAMS)
        return;
    snprintf(p->buf[p->n], sizeof p->buf[p->n], "%" PRId64, v);
    p->v[p->n] = p->buf[p->n];
    p->n++;
}

void pg_p_time(struct pg_params *p, time_t t)
{
    pg_p_i64(p, (int64_t)t);
}

void pg_p_id(struct pg_params *p, long long id)
{
    if (id == 0)
        pg_p_str(p, NULL);
    else
        pg_p_i64(p, (int64_t)id);
}

static enum pg_fail classify(PGconn *conn, const char *state)
{
    if (PQstatus(conn) != CONNECTION_OK)
        return PG_FAIL_CONN;
    if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)
        return PG_FAIL_CONN;          /* connection exception, admin shutdown */
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "23505") == 0)
        return PG_FAIL_RETRY;
    return PG_FAIL_OTHER;
}

static void record_failure(struct pg_ctx *ctx, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(ctx->conn);

    snprintf(ctx->sqlstate, sizeof ctx->sqlstate, "%s", state ? state : "");
    snprintf(ctx->msg, sizeof ctx->msg, "%s", msg && *msg ? msg : "no result");
    ctx->msg[strcspn(ctx->msg, "\n")] = '\0';
    ctx->fail = classify(ctx->conn, ctx->sqlstate);
}

PGresult *pg_query(struct pg_ctx *ctx, const char *sql, const struct pg_params *p)
{
    PGresult *r;
    ExecStatusType st;

    if (ctx->fail != PG_FAIL_NONE)
        return NULL;
    atomic_fetch_add(&round_trips, 1);
    r = PQexecParams(ctx->conn, sql, p ? p->n : 0, NULL, p ? p->v : NULL, NULL, NULL, 0);
    st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
        return r;
    record_failure(ctx, r);
    PQclear(r);
    return NULL;
}

long pg_exec(struct pg_ctx *ctx, const char *sql, const struct pg_params *p)
{
    PGresult *r = pg_query(ctx, sql, p);
    long n;

    if (r == NULL)
        return -1;
    n = atol(PQcmdTuples(r));
    PQclear(r);
    return n;
}

void pg_ctx_reset(struct pg_ctx *ctx)
{
    ctx->fail = PG_FAIL_NONE;
    ctx->sqlstate[0] = ctx->msg[0] = '\0';
}

int pg_begin(struct pg_ctx *ctx)
{
    pg_ctx_reset(ctx);
    return pg_exec(ctx, "BEGIN", NULL) < 0 ? -1 : 0;
}

int pg_commit(struct pg_ctx *ctx)
{
    return pg_exec(ctx, "COMMIT", NULL) < 0 ? -1 : 0;
}

void pg_rollback(struct pg_ctx *ctx)
{
    PGresult *r;

    if (PQstatus(ctx->conn) != CONNECTION_OK)
        return;
    atomic_fetch_add(&round_trips, 1);
    r = PQexec(ctx->conn, "ROLLBACK");
    PQclear(r);
}

int64_t pg_i64(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

const char *pg_str(const PGresult *r, int row, int col)
{
    return PQgetvalue(r, row, col);   /* "" for NULL */
}

int pg_isnull(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col);
}

void pg_copy(char *dst, size_t size, const PGresult *r, int row, int col)
{
    snprintf(dst, size, "%s", PQgetvalue(r, row, col));
}

/* ---- prepared statements and pipelines ---- */

struct stmt_def {
    const char *name;
    int nparams;
    const char *sql;
};
#define STMT(name, nparams, sql) { #name, nparams, sql },
static const struct stmt_def STMTS[] = {
#include "statements.def"
};
#undef STMT

int pg_prepare_all(PGconn *conn, char *err, size_t errsize)
{
    for (size_t i = 0; i < STMT_COUNT; i++) {
        PGresult *r = PQprepare(conn, STMTS[i].name, STMTS[i].sql, STMTS[i].nparams, NULL);
        int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok) {
            snprintf(err, errsize, "cannot prepare statement %s: %s", STMTS[i].name,
                     PQresultErrorMessage(r));
            err[strcspn(err, "\n")] = '\0';
        }
        PQclear(r);
        if (!ok)
            return -1;
    }
    return 0;
}

int pg_reconnect(PGconn *conn)
{
    char err[256];

    PQreset(conn);
    if (PQstatus(conn) != CONNECTION_OK)
        return -1;
    PQclear(PQexec(conn, "SET TIME ZONE 'UTC'"));
    return pg_prepare_all(conn, err, sizeof err);
}

static int batch_grow(struct pg_batch *b)
{
    struct pg_queued **q, *e;

    if (b->have == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        /* an array of pointers: the size of a pointer is meant */
        // NOLINTNEXTLINE(bugprone-sizeof-expression)
        if ((q = realloc(b->q, cap * sizeof *q)) == NULL)
            return -1;
        b->q = q;
        b->cap = cap;
    }
    if ((e = malloc(sizeof *e)) == NULL)
        return -1;
    b->q[b->have++] = e;
    return 0;
}

struct pg_params *pg_batch_add(struct pg_ctx *ctx, struct pg_batch *b, enum stmt stmt)
{
    struct pg_queued *q;

    if (b->n == b->have && batch_grow(b) < 0) {
        if (ctx->fail == PG_FAIL_NONE) {
            ctx->fail = PG_FAIL_OTHER;
            snprintf(ctx->msg, sizeof ctx->msg, "out of memory for a pipeline");
        }
        return NULL;
    }
    q = b->q[b->n++];
    q->stmt = stmt;
    q->res = NULL;
    pg_p_reset(&q->p);
    return &q->p;
}

/* Reads the result of one statement sent in the pipeline (and the NULL that follows
   it). Returns 0 when it succeeded (kept in q->res), -1 otherwise; the first failure
   is recorded. -2: nothing came (the connection broke). */
static int read_one(struct pg_ctx *ctx, struct pg_queued *q)
{
    PGresult *r = PQgetResult(ctx->conn), *end;
    ExecStatusType st;

    if (r == NULL) {
        if (ctx->fail == PG_FAIL_NONE)
            record_failure(ctx, NULL);
        return -2;
    }
    st = PQresultStatus(r);
    while ((end = PQgetResult(ctx->conn)) != NULL)   /* one result per statement */
        PQclear(end);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        q->res = r;
        return 0;
    }
    if (ctx->fail == PG_FAIL_NONE && st != PGRES_PIPELINE_ABORTED)
        record_failure(ctx, r);
    PQclear(r);
    return -1;
}

int pg_round_trip(struct pg_ctx *ctx, struct pg_batch *b)
{
    PGconn *c = ctx->conn;
    PGresult *sync;
    size_t sent = 0;
    int failed = 0;

    if (ctx->fail != PG_FAIL_NONE)
        return -1;
    if (PQenterPipelineMode(c) != 1) {
        record_failure(ctx, NULL);
        return -1;
    }
    for (; sent < b->n; sent++) {
        const struct pg_queued *q = b->q[sent];
        if (!PQsendQueryPrepared(c, STMTS[q->stmt].name, q->p.n, q->p.v, NULL, NULL, 0))
            break;
    }
    atomic_fetch_add(&round_trips, 1);
    if (sent < b->n || PQpipelineSync(c) != 1) {
        record_failure(ctx, NULL);
        return -1;                /* left in pipeline mode: the pool drops it */
    }
    for (size_t i = 0; i < sent; i++) {
        int rc = read_one(ctx, b->q[i]);
        if (rc == -2)
            return -1;
        failed |= rc < 0;
    }
    sync = PQgetResult(c);
    if (PQresultStatus(sync) != PGRES_PIPELINE_SYNC) {
        PQclear(sync);
        if (ctx->fail == PG_FAIL_NONE)
            record_failure(ctx, NULL);
        return -1;
    }
    PQclear(sync);
    PQexitPipelineMode(c);
    if (failed && ctx->fail == PG_FAIL_NONE) {
        ctx->fail = PG_FAIL_OTHER;
        snprintf(ctx->msg, sizeof ctx->msg, "a statement of the pipeline failed");
    }
    return failed ? -1 : 0;
}

void pg_batch_clear(struct pg_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        PQclear(b->q[i]->res);
        b->q[i]->res = NULL;
    }
    b->n = 0;
}

void pg_batch_free(struct pg_batch *b)
{
    pg_batch_clear(b);
    for (size_t i = 0; i < b->have; i++)
        free(b->q[i]);
    free(b->q);
    b->q = NULL;
    b->have = b->cap = 0;
}

long pg_rows(const PGresult *r)
{
    return r ? atol(PQcmdTuples((PGresult *)r)) : -1;
}

/* ---- pool ---- */

struct pg_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    char *conninfo;
    int size;
    PGconn **idle;       /* connected or NULL slots, free for use */
    int nidle;
    int nbusy;
};

struct pg_pool *pg_pool_create(const char *conninfo, int size)
{
    struct pg_pool *pool = calloc(1, sizeof *pool);

    if (pool == NULL)
        return NULL;
    pool->conninfo = strdup(conninfo ? conninfo : "");
    /* an array of pointers: the size of a pointer is meant */
    // NOLINTNEXTLINE(bugprone-sizeof-expression)
    pool->idle = calloc((size_t)size, sizeof *pool->idle);
    if (pool->conninfo == NULL || pool->idle == NULL) {
        free(pool->conninfo);
        free(pool->idle);
        free(pool);
        return NULL;
    }
    pool->size = size;
    pool->nidle = size;     /* every slot free, not yet connected */
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->freed, NULL);
    return pool;
}

void pg_pool_destroy(struct pg_pool *pool)
{
    if (pool == NULL)
        return;
    for (int i = 0; i < pool->nidle; i++)
        PQfinish(pool->idle[i]);   /* accepts NULL */
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->freed);
    free(pool->idle);
    free(pool->conninfo);
    free(pool);
}

static PGconn *pool_connect(struct pg_pool *pool, char *err, size_t errsize)
{
    PGconn *c = PQconnectdb(pool->conninfo);

    if (c != NULL && PQstatus(c) == CONNECTION_OK) {
        PGresult *r = PQexec(c, "SET TIME ZONE 'UTC'");
        PQclear(r);
        if (pg_prepare_all(c, err, errsize) == 0)
            return c;
        PQfinish(c);
        return NULL;
    }
    snprintf(err, errsize, "cannot connect to PostgreSQL: %s",
             c ? PQerrorMessage(c) : "out of memory");
    err[strcspn(err, "\n")] = '\0';
    PQfinish(c);
    return NULL;
}

PGconn *pg_pool_get(struct pg_pool *pool, char *err, size_t errsize)
{
    PGconn *c;

    pthread_mutex_lock(&pool->lock);
    while (pool->nidle == 0)
        pthread_cond_wait(&pool->freed, &pool->lock);
    c = pool->idle[--pool->nidle];
    pool->nbusy++;
    pthread_mutex_unlock(&pool->lock);

    if (c != NULL && PQstatus(c) != CONNECTION_OK) {
        PQfinish(c);
        c = NULL;
    }
    if (c == NULL)
        c = pool_connect(pool, err, errsize);
    if (c == NULL)
        pg_pool_put(pool, NULL);      /* give the slot back */
    return c;
}

void pg_pool_put(struct pg_pool *pool, PGconn *conn)
{
    if (conn != NULL && (PQstatus(conn) != CONNECTION_OK ||
                         PQpipelineStatus(conn) != PQ_PIPELINE_OFF)) {
        PQfinish(conn);
        conn = NULL;
    }
    pthread_mutex_lock(&pool->lock);
    if (conn == NULL || PQtransactionStatus(conn) == PQTRANS_IDLE) {
        pool->idle[pool->nidle++] = conn;
    } else {                          /* left in a transaction: do not reuse */
        PQfinish(conn);
        pool->idle[pool->nidle++] = NULL;
    }
    pool->nbusy--;
    pthread_cond_signal(&pool->freed);
    pthread_mutex_unlock(&pool->lock);
}
