/* version.c: parkbox's version and the gwlib, libpq and GEOS versions (see version.h). */
#include <stdio.h>

#include <geos_c.h>
#include <libpq-fe.h>

#include "gw-config.h"

#include "config.h"
#include "version.h"

void box_versions_get(struct box_versions *v)
{
    int pq = PQlibVersion();

    v->parkbox = PARKBOX_VERSION;
    v->gwlib = GW_VERSION;
    /* since PostgreSQL 10: major * 10000 + minor */
    snprintf(v->libpq, sizeof v->libpq, "%d.%d", pq / 10000, pq % 10000);
    v->geos = GEOSversion();
}

void box_versions_text(char *buf, size_t size)
{
    struct box_versions v;

    box_versions_get(&v);
    snprintf(buf, size, "parkbox %s\ngwlib %s (Kannel, linked statically)\nlibpq %s\nGEOS %s\n",
             v.parkbox, v.gwlib, v.libpq, v.geos);
}
