/* zonedb.c: connecting to the zone database (see zonedb.h). */
#include "zonedb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *default_conninfo;

void zonedb_set_default(const char *conninfo)
{
    default_conninfo = conninfo;
}

/* 1 when the conninfo string (a bare database name, key=value pairs or a URI) or the
 * environment names a database. */
static int names_database(const char *conninfo)
{
    const char *env = getenv("PGDATABASE");
    if (env != NULL && *env != '\0')
        return 1;
    if (conninfo == NULL || *conninfo == '\0')
        return 0;
    if (strchr(conninfo, '=') == NULL && strstr(conninfo, "://") == NULL)
        return 1;                                   /* a bare database name */
    PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
    int named = 0;
    for (PQconninfoOption *o = opts; o != NULL && o->keyword != NULL; o++)
        if (strcmp(o->keyword, "dbname") == 0 && o->val != NULL && *o->val != '\0')
            named = 1;
    PQconninfoFree(opts);
    return named;
}

void zonedb_error(PGconn *c, const PGresult *r, const char *what, char *err, size_t errsize)
{
    const char *msg = r != NULL ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (msg == NULL)
        msg = r != NULL ? PQresultErrorMessage(r) : "";
    if (*msg == '\0' && c != NULL)
        msg = PQerrorMessage(c);
    if (*msg == '\0')
        msg = "unknown database error";
    size_t len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
        len--;
    if (err != NULL && errsize > 0)
        snprintf(err, errsize, "%s: %.*s", what, (int)len, msg);
}

PGconn *zonedb_connect(const char *conninfo, char *err, size_t errsize)
{
    if (conninfo == NULL)
        conninfo = default_conninfo;
    const char *keys[4] = { "dbname", "fallback_application_name", NULL, NULL };
    const char *vals[4] = { conninfo != NULL ? conninfo : "", "parkzones", NULL, NULL };
    if (!names_database(conninfo)) {
        /* expand_dbname applies only to the first dbname; a later one sets the database */
        keys[2] = "dbname";
        vals[2] = "parking";
    }
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (c == NULL) {
        snprintf(err, errsize, "cannot connect to the database: out of memory");
        return NULL;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        zonedb_error(c, NULL, "cannot connect to the database", err, errsize);
        if ((conninfo == NULL || conninfo[0] == '\0') && getenv("PGHOST") == NULL &&
            getenv("PGPORT") == NULL) {
            size_t n = strlen(err);
            snprintf(err + n, errsize - n, " (no --db and no PG* variables: for the private "
                     "cluster of scripts/pg and the demo, run: eval \"$(scripts/pg env)\")");
        }
        PQfinish(c);
        return NULL;
    }
    return c;
}

int zonedb_check_schema(PGconn *c, char *err, size_t errsize)
{
    PGresult *r = PQexec(c, "SELECT to_regclass('street_blocks') IS NOT NULL, "
                            "to_regclass('zone_areas') IS NOT NULL");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        zonedb_error(c, r, "schema check", err, errsize);
        PQclear(r);
        return -1;
    }
    int ok = strcmp(PQgetvalue(r, 0, 0), "t") == 0 && strcmp(PQgetvalue(r, 0, 1), "t") == 0;
    PQclear(r);
    if (!ok) {
        snprintf(err, errsize, "database %s has no zone tables (street_blocks, zone_areas): "
                 "run scripts/migrate %s", PQdb(c), PQdb(c));
        return -1;
    }
    return 0;
}
