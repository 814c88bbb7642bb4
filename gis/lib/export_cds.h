/* export_cds.h: the zones as a Curb Data Specification (CDS) Curbs API response set: Curb
 * Zones (one per street block), Curb Areas (one per zone) and Curb Policies (the tariff
 * policies and the holiday calendar).
 *
 * Owner: GIS import/export. The objects come from the views cds_curb_zones, cds_curb_areas
 * and cds_curb_policies (sql/0008_policies.sql), so an HTTP API can serve the same rows; this
 * file wraps them in the response envelope (version, time_zone, last_updated, currency,
 * author, license_url, data). Validated against the CDS OpenAPI schemas vendored in
 * tests/vendor/cds-openapi (tests/integration/gis_cds.sh).
 * Ownership: the documents returned are new jansson references the caller releases.
 */
#ifndef EXPORT_CDS_H
#define EXPORT_CDS_H

#include <stddef.h>
#include <jansson.h>
#include <libpq-fe.h>

#define EXPORT_CDS_VERSION "1.1.0"    /* the CDS version the documents follow */

/* The three responses, in the order of the Curbs API endpoints' names used as file names. */
enum export_cds_doc { EXPORT_CDS_ZONES, EXPORT_CDS_AREAS, EXPORT_CDS_POLICIES, EXPORT_CDS_NDOCS };

/* "zones", "areas", "policies": the endpoint (/curbs/zones, ...) and the data member. */
const char *export_cds_doc_name(enum export_cds_doc d);

/* Loads the responses for every zone (zone < 0) or one zone (its blocks, its area, its
 * policies and the holiday calendar when one of them is suspended on holidays). Returns 0 with
 * docs[0..EXPORT_CDS_NDOCS-1] set, or -1 with a reason in err (a query failed, the schema has
 * no CDS views: "run scripts/migrate", or "zone N does not exist") and docs all NULL. */
int export_cds_load(PGconn *c, int zone, json_t *docs[EXPORT_CDS_NDOCS], char *err,
                    size_t errsize);

#endif
