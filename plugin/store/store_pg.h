/* store_pg.h: a small libpq connection pool and parameterised-query helpers.
 *
 * Every query goes through PQexecParams with text parameters; every PGresult is
 * cleared by the helper or handed to the caller, who must PQclear it. A failed
 * query records why in the pg_ctx (SQLSTATE class and the server's message, for
 * the log only: never show it to a subscriber) and the caller rolls back.
 * The pool is thread-safe; a connection belongs to one thread between get and put.
 */
#ifndef PARK_STORE_PG_H
#define PARK_STORE_PG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <libpq-fe.h>

enum pg_fail {
    PG_FAIL_NONE = 0,
    PG_FAIL_CONN,     /* the connection is gone: reconnect, retry later */
    PG_FAIL_RETRY,    /* serialization failure, deadlock, unique violation: run the transaction again */
    PG_FAIL_OTHER     /* anything else: a constraint, a bug; do not loop on it */
};

struct pg_ctx {
    PGconn *conn;
    enum pg_fail fail;       /* the first failure since pg_begin */
    char sqlstate[6];
    char msg[256];
};

/* Text parameters for one query; numbers are copied into the struct, strings borrowed
   (pg_p_copy copies a short one into the struct's scratch space). */
#define PG_MAXPARAMS 16
struct pg_params {
    int n;
    const char *v[PG_MAXPARAMS];
    char buf[PG_MAXPARAMS][24];
    char scratch[384];
    size_t used;
};
void pg_p_reset(struct pg_params *p);
void pg_p_str(struct pg_params *p, const char *s);     /* borrowed; NULL = SQL NULL */
/* A copy of s; returns -1 (and adds nothing) when the scratch space is full. */
int pg_p_copy(struct pg_params *p, const char *s);
void pg_p_i64(struct pg_params *p, int64_t v);
void pg_p_time(struct pg_params *p, time_t t);         /* epoch seconds: use to_timestamp($n::bigint) */
void pg_p_id(struct pg_params *p, long long id);       /* 0 = SQL NULL */

/* Runs sql; returns the result (PGRES_TUPLES_OK or PGRES_COMMAND_OK) for the caller to
   PQclear, or NULL after recording the failure in ctx. Does nothing and returns NULL if
   ctx already failed. */
PGresult *pg_query(struct pg_ctx *ctx, const char *sql, const struct pg_params *p);
/* Same, for statements whose result is not needed: returns rows affected, or -1. */
long pg_exec(struct pg_ctx *ctx, const char *sql, const struct pg_params *p);

int pg_begin(struct pg_ctx *ctx);      /* clears the failure; -1 on failure */
int pg_commit(struct pg_ctx *ctx);     /* -1 on failure (the transaction is lost) */
void pg_rollback(struct pg_ctx *ctx);  /* never fails visibly; keeps ctx->fail */

/* ---- prepared statements, sent in pipelines ---- */

#define STMT(name, nparams, sql) STMT_##name,
enum stmt {
#include "statements.def"
    STMT_COUNT
};
#undef STMT

/* Statements queued for one round trip, and their results once it is made. Each entry
   is allocated once and keeps its address (its parameters point into it); a cleared
   batch reuses them. */
struct pg_queued {
    enum stmt stmt;
    struct pg_params p;
    PGresult *res;           /* after pg_round_trip: the result, NULL if it failed */
};
struct pg_batch {
    struct pg_queued **q;
    size_t n;                /* queued */
    size_t have;             /* entries allocated */
    size_t cap;              /* room in q */
};
/* Queues stmt; returns its parameters (reset) to fill, or NULL when out of memory (the
   failure is then recorded in ctx). */
struct pg_params *pg_batch_add(struct pg_ctx *ctx, struct pg_batch *b, enum stmt stmt);
/* Sends every queued statement in one pipeline ending in a sync, and reads every result
   into q[i].res. Returns 0 when all succeeded, else -1 with the first failure recorded
   in ctx (statements after a failure are not run). Does nothing if ctx already failed. */
int pg_round_trip(struct pg_ctx *ctx, struct pg_batch *b);
void pg_batch_clear(struct pg_batch *b);   /* clears the results; empties the batch */
void pg_batch_free(struct pg_batch *b);    /* clears and frees */
/* Rows a statement changed ("INSERT 0 1" -> 1), from its result. */
long pg_rows(const PGresult *r);

/* Prepares every statement of statements.def on a new connection: 0, or -1 and err. */
int pg_prepare_all(PGconn *conn, char *err, size_t errsize);
/* Reconnects a broken connection and prepares the statements again: 0 or -1. */
int pg_reconnect(PGconn *conn);
/* Network round trips made by the transactions of this process so far (every query,
   pipeline and rollback; for benchmarks). */
unsigned long pg_round_trips(void);

/* Clears the failure recorded in ctx (before a new transaction). */
void pg_ctx_reset(struct pg_ctx *ctx);

/* Result accessors: NULL fields read as 0 / "" / (time_t)0. */
int64_t pg_i64(const PGresult *r, int row, int col);
const char *pg_str(const PGresult *r, int row, int col);
int pg_isnull(const PGresult *r, int row, int col);
void pg_copy(char *dst, size_t size, const PGresult *r, int row, int col); /* truncating */

/* The pool: at most `size` connections, made lazily. pg_pool_get waits for a free slot,
   connects if needed and returns NULL (reason in err) if PostgreSQL cannot be reached.
   pg_pool_put takes the connection back; a broken one (status not CONNECTION_OK) is
   closed and made again on a later get. */
struct pg_pool;
struct pg_pool *pg_pool_create(const char *conninfo, int size);
void pg_pool_destroy(struct pg_pool *pool);          /* accepts NULL; all connections put back */
PGconn *pg_pool_get(struct pg_pool *pool, char *err, size_t errsize);
void pg_pool_put(struct pg_pool *pool, PGconn *conn);

#endif
