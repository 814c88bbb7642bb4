/* export_cds.c: the CDS Curbs API response set from the cds_* views (see export_cds.h). */
#include "export_cds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zonedb.h"

static const char *const doc_names[EXPORT_CDS_NDOCS] = { "zones", "areas", "policies" };

/* Each query takes $1 = the zone, or -1 for all, and returns one CDS object per row. */
static const char *const doc_queries[EXPORT_CDS_NDOCS] = {
    "SELECT doc FROM cds_curb_zones WHERE $1::integer < 0 OR zone = $1::integer "
    "ORDER BY zone, id",
    "SELECT doc FROM cds_curb_areas WHERE $1::integer < 0 OR zone = $1::integer ORDER BY zone",
    "SELECT doc FROM cds_curb_policies "
    "WHERE (zone IS NOT NULL AND ($1::integer < 0 OR zone = $1::integer)) "
    "   OR (zone IS NULL AND EXISTS (SELECT 1 FROM tariff_policies p WHERE p.holidays_free "
    "                                AND ($1::integer < 0 OR p.zone = $1::integer))) "
    "ORDER BY zone NULLS FIRST, priority, id",
};

/* The envelope's fields: time zone, currency, author, licence, and the last change of
   anything published (the change history, the holiday calendar's identifier). */
static const char feed_query[] =
    "SELECT time_zone, currency, author, license_url, "
    "       cds_ms(greatest(holiday_policy_since, (SELECT max(at) FROM zone_history))), "
    "       $1::integer < 0 OR EXISTS (SELECT 1 FROM zones WHERE number = $1::integer) "
    "FROM cds_feed";

const char *export_cds_doc_name(enum export_cds_doc d)
{
    return (unsigned)d < EXPORT_CDS_NDOCS ? doc_names[d] : "";
}

static PGresult *run(PGconn *c, const char *sql, int zone, const char *what, char *err,
                     size_t errsize)
{
    char zbuf[16];
    const char *params[1] = { zbuf };
    snprintf(zbuf, sizeof zbuf, "%d", zone);
    PGresult *r = PQexecParams(c, sql, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        zonedb_error(c, r, what, err, errsize);
        PQclear(r);
        return NULL;
    }
    return r;
}

/* The envelope without data, from the feed row. */
static json_t *envelope(const PGresult *feed)
{
    json_t *e = json_object();
    json_object_set_new(e, "version", json_string(EXPORT_CDS_VERSION));
    json_object_set_new(e, "time_zone", json_string(PQgetvalue(feed, 0, 0)));
    json_object_set_new(e, "last_updated",
                        json_integer(strtoll(PQgetvalue(feed, 0, 4), NULL, 10)));
    json_object_set_new(e, "currency", json_string(PQgetvalue(feed, 0, 1)));
    json_object_set_new(e, "author", json_string(PQgetvalue(feed, 0, 2)));
    if (!PQgetisnull(feed, 0, 3))
        json_object_set_new(e, "license_url", json_string(PQgetvalue(feed, 0, 3)));
    return e;
}

/* One response: the envelope with data.<name> = the rows' objects. NULL on a bad row. */
static json_t *response(const PGresult *feed, const PGresult *rows, enum export_cds_doc d,
                        char *err, size_t errsize)
{
    json_t *list = json_array(), *data = json_object(), *doc = envelope(feed);
    for (int i = 0; i < PQntuples(rows); i++) {
        json_error_t je;
        json_t *o = json_loads(PQgetvalue(rows, i, 0), 0, &je);
        if (o == NULL) {
            snprintf(err, errsize, "cds_curb_%s: row %d is not JSON: %s", doc_names[d], i,
                     je.text);
            json_decref(list), json_decref(data), json_decref(doc);
            return NULL;
        }
        json_array_append_new(list, o);
    }
    json_object_set_new(data, doc_names[d], list);
    json_object_set_new(doc, "data", data);
    return doc;
}

int export_cds_load(PGconn *c, int zone, json_t *docs[EXPORT_CDS_NDOCS], char *err,
                    size_t errsize)
{
    PGresult *feed = run(c, feed_query, zone, "cds_feed", err, errsize);
    int rc = feed != NULL ? 0 : -1;

    for (int d = 0; d < EXPORT_CDS_NDOCS; d++)
        docs[d] = NULL;
    if (rc == 0 && (PQntuples(feed) != 1 || strcmp(PQgetvalue(feed, 0, 5), "t") != 0)) {
        if (PQntuples(feed) != 1)
            snprintf(err, errsize, "cds_feed: the feed settings row is missing");
        else
            snprintf(err, errsize, "zone %d does not exist", zone);
        rc = -1;
    }
    for (int d = 0; rc == 0 && d < EXPORT_CDS_NDOCS; d++) {
        PGresult *rows = run(c, doc_queries[d], zone, doc_names[d], err, errsize);
        docs[d] = rows != NULL ? response(feed, rows, (enum export_cds_doc)d, err, errsize) : NULL;
        rc = docs[d] != NULL ? 0 : -1;
        PQclear(rows);
    }
    PQclear(feed);
    if (rc != 0)
        for (int d = 0; d < EXPORT_CDS_NDOCS; d++) {
            json_decref(docs[d]);
            docs[d] = NULL;
        }
    return rc;
}
