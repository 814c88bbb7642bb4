/* pool.c: the API's connection pool with prepared statements (pool.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "policy_rows.h"   /* POLICY_ROWS_* in statements.def */

static const struct { const char *name; int nparams; const char *sql; } statements[ST_COUNT] = {
#define STMT(name, nparams, sql) { #name, nparams, sql },
#include "statements.def"
#undef STMT
};

struct pool {
    char *conninfo;
    pthread_mutex_t lock;
    pthread_cond_t freed;
    PGconn **idle;
    int nidle, made, size;
};

/* A new connection with every statement prepared; NULL with the reason in err. */
static PGconn *connect_prepared(const char *conninfo, char *err, size_t errsize)
{
    PGconn *c = PQconnectdb(conninfo);

    if (PQstatus(c) != CONNECTION_OK) {
        snprintf(err, errsize, "cannot connect to the database: %s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    for (int i = 0; i < ST_COUNT; i++) {
        PGresult *r = PQprepare(c, statements[i].name, statements[i].sql,
                                statements[i].nparams, NULL);
        int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            snprintf(err, errsize, "cannot prepare %s: %s (apply the migrations?)",
                     statements[i].name, PQresultErrorMessage(r));
        PQclear(r);
        if (!ok) {
            PQfinish(c);
            return NULL;
        }
    }
    return c;
}

struct pool *pool_create(const char *conninfo, int size, char *err, size_t errsize)
{
    struct pool *p = calloc(1, sizeof(*p));
    PGconn *c;

    if (p == NULL || (p->conninfo = strdup(conninfo)) == NULL ||
        (p->idle = calloc((size_t)size, sizeof(PGconn *))) == NULL) {
        snprintf(err, errsize, "out of memory");
        pool_destroy(p);
        return NULL;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    p->size = size;
    if ((c = connect_prepared(conninfo, err, errsize)) == NULL) {
        pool_destroy(p);
        return NULL;
    }
    p->idle[p->nidle++] = c;
    p->made = 1;
    return p;
}

void pool_destroy(struct pool *p)
{
    if (p == NULL)
        return;
    for (int i = 0; i < p->nidle; i++)
        PQfinish(p->idle[i]);
    if (p->idle != NULL) {
        pthread_mutex_destroy(&p->lock);
        pthread_cond_destroy(&p->freed);
    }
    free(p->idle);
    free(p->conninfo);
    free(p);
}

PGconn *pool_get(struct pool *p, char *err, size_t errsize)
{
    PGconn *c = NULL;

    pthread_mutex_lock(&p->lock);
    while (p->nidle == 0 && p->made >= p->size)
        pthread_cond_wait(&p->freed, &p->lock);
    if (p->nidle > 0)
        c = p->idle[--p->nidle];
    else
        p->made++;
    pthread_mutex_unlock(&p->lock);
    if (c != NULL)
        return c;
    if ((c = connect_prepared(p->conninfo, err, errsize)) == NULL) {
        pthread_mutex_lock(&p->lock);
        p->made--;
        pthread_cond_signal(&p->freed);
        pthread_mutex_unlock(&p->lock);
    }
    return c;
}

void pool_put(struct pool *p, PGconn *c, int broken)
{
    if (c == NULL)
        return;
    if (!broken && PQstatus(c) != CONNECTION_OK)
        broken = 1;
    if (!broken && PQtransactionStatus(c) != PQTRANS_IDLE) {
        PGresult *r = PQexec(c, "ROLLBACK");
        PQclear(r);
    }
    pthread_mutex_lock(&p->lock);
    if (broken) {
        PQfinish(c);
        p->made--;
    } else {
        p->idle[p->nidle++] = c;
    }
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

PGresult *pool_exec(PGconn *c, enum stmt st, const char *const *params)
{
    return PQexecPrepared(c, statements[st].name, statements[st].nparams, params, NULL, NULL, 0);
}

void pool_stats(struct pool *p, int *size, int *open, int *idle)
{
    pthread_mutex_lock(&p->lock);
    *size = p->size;
    *open = p->made;
    *idle = p->nidle;
    pthread_mutex_unlock(&p->lock);
}

int pool_ok(const PGresult *r)
{
    ExecStatusType s = PQresultStatus(r);

    return s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK;
}
