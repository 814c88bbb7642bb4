/* zonedb.h: the connection parkzones (and anything else in gis/) uses to reach the zone tables.
 *
 * Owner: GIS import/export. The connection string comes, in this order, from the conninfo
 * argument, from zonedb_set_default() (parkzones --db), or from libpq's PG* environment
 * variables; when none of them names a database, the database is `parking`. The connection's
 * application_name defaults to "parkzones" so that zone_history says who changed what.
 * Ownership: the returned PGconn belongs to the caller (PQfinish).
 */
#ifndef ZONEDB_H
#define ZONEDB_H

#include <stddef.h>
#include <libpq-fe.h>

/* The schema version (schema_version) that has the zone GIS tables. */
#define ZONEDB_SCHEMA_VERSION 2

/* Remembers conninfo (borrowed; must outlive later connects) as the default for
 * zonedb_connect(NULL, ...). NULL forgets it. */
void zonedb_set_default(const char *conninfo);

/* Connects with conninfo (a "key=value ..." string or a postgresql:// URI), or with the default
 * when conninfo is NULL. Returns a connected PGconn, or NULL with libpq's reason in err
 * ("cannot connect to the database: ..."). */
PGconn *zonedb_connect(const char *conninfo, char *err, size_t errsize);

/* Checks that the database has the zone tables (migration 0002 applied). Returns 0, or -1 with
 * a reason that names the fix ("run scripts/migrate") in err. */
int zonedb_check_schema(PGconn *c, char *err, size_t errsize);

/* Copies the primary message of a failed result (or the connection's message when r is NULL
 * or has none) into err, on one line, prefixed by what ("zones: ..."). */
void zonedb_error(PGconn *c, const PGresult *r, const char *what, char *err, size_t errsize);

#endif
