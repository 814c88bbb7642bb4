/* pool.h: a small pool of PostgreSQL connections with every statement of
 * statements.def prepared once per connection, for the HTTP API and parkctl.
 *
 * Threads: pool_get() and pool_put() may be called from any thread; a connection
 * belongs to the caller between the two. At most `size` connections exist; more callers
 * wait. A connection is made lazily and remade after a failure (pool_put with broken=1).
 * Ownership: results of pool_exec() belong to the caller (PQclear on every path).
 * No gwlib; nothing is logged here.
 */
#ifndef PARK_POOL_H
#define PARK_POOL_H

#include <stddef.h>
#include <libpq-fe.h>

enum stmt {
#define STMT(name, nparams, sql) ST_##name,
#include "statements.def"
#undef STMT
    ST_COUNT
};

struct pool;

/* A pool of at most size connections to conninfo (borrowed; copied). Connects once to
   check that the database is reachable; NULL with a reason in err when it is not. */
struct pool *pool_create(const char *conninfo, int size, char *err, size_t errsize);
void pool_destroy(struct pool *p);                 /* accepts NULL; after every pool_put */

/* A connection with the statements prepared; NULL (reason in err) when the database
   cannot be reached. */
PGconn *pool_get(struct pool *p, char *err, size_t errsize);
/* Hands c back; broken=1 closes it (it is remade by a later pool_get). */
void pool_put(struct pool *p, PGconn *c, int broken);

/* Runs prepared statement st with its text parameters (NULL = SQL NULL). */
PGresult *pool_exec(PGconn *c, enum stmt st, const char *const *params);

/* The pool's size, the connections open now, and those idle among them. */
void pool_stats(struct pool *p, int *size, int *open, int *idle);

/* 1 when r is a result of a command that worked (tuples or command ok). */
int pool_ok(const PGresult *r);

#endif
