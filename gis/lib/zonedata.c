/* zonedata.c: the zone set (zones, street blocks, intersections) and its loader from PostGIS. */
#include "zonedata.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"

/* strdup that keeps NULL; *ok becomes 0 when out of memory. */
static char *dup_or_null(const char *s, int *ok)
{
    char *d;
    if (s == NULL)
        return NULL;
    d = strdup(s);
    if (d == NULL)
        *ok = 0;
    return d;
}

/* Grows *arr (of `size`-byte items) so one more fits; 0 on success. */
static int grow(void **arr, size_t n, size_t size)
{
    void *p;
    if (n != 0 && (n < 4 || (n & (n - 1)) != 0))   /* capacity: 4, 8, 16, ... */
        return 0;
    p = realloc(*arr, (n ? 2 * n : 4) * size);
    if (p == NULL)
        return -1;
    *arr = p;
    return 0;
}

struct zone_set *zone_set_create(void)
{
    return calloc(1, sizeof(struct zone_set));
}

const char *const zone_lang_suffix[ZONE_NLANGS] = { "ru", "kk", "en" };

char *zone_names_key(char buf[ZONE_NAMES_KEY_MAX], const char *base, int l)
{
    snprintf(buf, ZONE_NAMES_KEY_MAX, "%s_%s", base, zone_lang_suffix[l]);
    return buf;
}

static void names_free(struct zone_names *n)
{
    for (int l = 0; l < ZONE_NLANGS; l++) {
        free(n->in[l]);
        n->in[l] = NULL;
    }
}

int zone_names_set(struct zone_names *n, const char *const *names)
{
    int ok = 1;

    names_free(n);
    for (int l = 0; names != NULL && l < ZONE_NLANGS; l++)
        n->in[l] = dup_or_null(names[l], &ok);
    if (!ok)
        names_free(n);
    return ok ? 0 : -1;
}

static void block_free(struct zone_block *b)
{
    names_free(&b->street_names);
    names_free(&b->from_names);
    names_free(&b->to_names);
    free(b->street);
    free(b->from_street);
    free(b->to_street);
    free(b->side);
    free(b->source);
    free(b->xy);
}

void zone_set_destroy(struct zone_set *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->nzones; i++) {
        free(s->zones[i].name);
        names_free(&s->zones[i].names);
        free(s->zones[i].note);
    }
    for (size_t i = 0; i < s->nblocks; i++)
        block_free(&s->blocks[i]);
    for (size_t i = 0; i < s->nintersections; i++) {
        free(s->intersections[i].name_a);
        free(s->intersections[i].name_b);
    }
    free(s->zones);
    free(s->blocks);
    free(s->intersections);
    free(s);
}

struct zone_info *zone_set_add_zone(struct zone_set *s, int number, const char *name,
                                    long tariff_tiyn, int active, int paid_hours,
                                    const char *note)
{
    struct zone_info z = { .number = number, .tariff_tiyn = tariff_tiyn, .active = active,
                           .paid_hours = paid_hours };
    int ok = 1;

    if (grow((void **)&s->zones, s->nzones, sizeof z) != 0)
        return NULL;
    z.name = dup_or_null(name, &ok);
    z.note = dup_or_null(note, &ok);
    if (!ok) {
        free(z.name);
        free(z.note);
        return NULL;
    }
    s->zones[s->nzones] = z;
    return &s->zones[s->nzones++];
}

struct zone_block *zone_set_add_block(struct zone_set *s, long id, int zone, const char *street,
                                      const char *from_street, const char *to_street,
                                      const char *side, const char *source, int approximate,
                                      const double *xy, size_t npoints)
{
    struct zone_block b = { .id = id, .zone = zone, .approximate = approximate,
                            .npoints = npoints };
    int ok = 1;

    if (grow((void **)&s->blocks, s->nblocks, sizeof b) != 0)
        return NULL;
    b.street = dup_or_null(street, &ok);
    b.from_street = dup_or_null(from_street, &ok);
    b.to_street = dup_or_null(to_street, &ok);
    b.side = dup_or_null(side, &ok);
    b.source = dup_or_null(source, &ok);
    if (npoints > 0) {
        b.xy = malloc(2 * npoints * sizeof *b.xy);
        if (b.xy == NULL)
            ok = 0;
        else
            memcpy(b.xy, xy, 2 * npoints * sizeof *b.xy);
    }
    if (!ok) {
        block_free(&b);
        return NULL;
    }
    s->blocks[s->nblocks] = b;
    return &s->blocks[s->nblocks++];
}

struct zone_intersection *zone_set_add_intersection(struct zone_set *s, const char *name_a,
                                                    const char *name_b, double lon, double lat)
{
    struct zone_intersection x = { NULL, NULL, lon, lat };
    int ok = 1;

    if (grow((void **)&s->intersections, s->nintersections, sizeof x) != 0)
        return NULL;
    x.name_a = dup_or_null(name_a, &ok);
    x.name_b = dup_or_null(name_b, &ok);
    if (!ok) {
        free(x.name_a);
        free(x.name_b);
        return NULL;
    }
    s->intersections[s->nintersections] = x;
    return &s->intersections[s->nintersections++];
}

const struct zone_info *zone_set_find_zone(const struct zone_set *s, int number)
{
    for (size_t i = 0; i < s->nzones; i++)
        if (s->zones[i].number == number)
            return &s->zones[i];
    return NULL;
}

size_t zone_set_count_blocks(const struct zone_set *s, int number)
{
    size_t n = 0;

    for (size_t i = 0; i < s->nblocks; i++)
        n += s->blocks[i].zone == number;
    return n;
}

size_t zone_set_extent(const struct zone_set *s, const double *clip, double ext[4])
{
    double e[4] = { 0, 0, 0, 0 };
    size_t n = 0;

    for (size_t i = 0; i < s->nblocks; i++) {
        const struct zone_block *b = &s->blocks[i];
        for (size_t k = 0; k < b->npoints; k++) {
            double lon = b->xy[2 * k], lat = b->xy[2 * k + 1];
            if (clip != NULL && !(lon >= clip[0] && lat >= clip[1] && lon <= clip[2] && lat <= clip[3]))
                continue;
            if (n++ == 0) {
                e[0] = e[2] = lon;
                e[1] = e[3] = lat;
            }
            e[0] = lon < e[0] ? lon : e[0];
            e[1] = lat < e[1] ? lat : e[1];
            e[2] = lon > e[2] ? lon : e[2];
            e[3] = lat > e[3] ? lat : e[3];
        }
    }
    if (n > 0)
        memcpy(ext, e, sizeof e);
    return n;
}

/* ---- loading from PostgreSQL ---- */

static const char *col(PGresult *r, int row, int c)
{
    return PQgetisnull(r, row, c) ? NULL : PQgetvalue(r, row, c);
}

static PGresult *query(PGconn *c, const char *what, const char *sql, char *err, size_t errsize)
{
    PGresult *r = PQexecParams(c, sql, 0, NULL, NULL, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        errbuf_set(err, errsize, "%s: %s", what, PQresultErrorMessage(r));
        PQclear(r);
        return NULL;
    }
    return r;
}

static uint32_t wkb_u32(const unsigned char *p, int little)
{
    return little ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
                  : (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

static double wkb_f64(const unsigned char *p, int little)
{
    unsigned char b[8];
    uint64_t probe = 1;
    int host_little = *(unsigned char *)&probe == 1;
    double d;

    for (int i = 0; i < 8; i++)
        b[i] = little == host_little ? p[i] : p[7 - i];
    memcpy(&d, b, 8);
    return d;
}

/* Decodes a 2-D WKB LineString into a new lon,lat array; *n = 0 for anything else.
 * Returns 0, or -1 when out of memory. */
static int wkb_linestring(const unsigned char *w, size_t len, double **xy, size_t *n)
{
    int little;
    uint32_t count;

    *xy = NULL;
    *n = 0;
    if (len < 9)
        return 0;
    little = w[0] == 1;
    if (wkb_u32(w + 1, little) != 2)
        return 0;
    count = wkb_u32(w + 5, little);
    if (count == 0 || len < 9 + (size_t)count * 16)
        return 0;
    *xy = malloc((size_t)count * 2 * sizeof **xy);
    if (*xy == NULL)
        return -1;
    for (size_t i = 0; i < 2 * (size_t)count; i++)
        (*xy)[i] = wkb_f64(w + 9 + 8 * i, little);
    *n = count;
    return 0;
}

/* The ZONE_NLANGS columns c.. of row i (NULL stays NULL) into *n. */
static int names_from_row(struct zone_names *n, PGresult *r, int i, int c)
{
    const char *v[ZONE_NLANGS];

    for (int l = 0; l < ZONE_NLANGS; l++)
        v[l] = col(r, i, c + l);
    return zone_names_set(n, v);
}

static int load_zones(PGconn *c, struct zone_set *s, char *err, size_t errsize)
{
    PGresult *r = query(c, "zones", "SELECT number, name, tariff_tiyn, active, "
                        "coalesce(paid_hours::text, '0'), note, name_ru, name_kk, name_en "
                        "FROM zones ORDER BY number", err, errsize);
    int rc = 0;

    if (r == NULL)
        return -1;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct zone_info *z = zone_set_add_zone(s, atoi(col(r, i, 0)), col(r, i, 1),
                                                atol(col(r, i, 2)), col(r, i, 3)[0] == 't',
                                                atoi(col(r, i, 4)), col(r, i, 5));
        if (z == NULL || names_from_row(&z->names, r, i, 6) != 0)
            rc = -1;
    }
    PQclear(r);
    if (rc != 0)
        errbuf_set(err, errsize, "zones: out of memory");
    return rc;
}

static int add_block_row(struct zone_set *s, PGresult *r, int i)
{
    size_t blen = 0, n = 0;
    unsigned char *wkb = NULL;
    double *xy = NULL;
    struct zone_block *b;

    if (col(r, i, 8) != NULL) {
        wkb = PQunescapeBytea((const unsigned char *)col(r, i, 8), &blen);
        if (wkb == NULL)
            return -1;
    }
    if (wkb != NULL && wkb_linestring(wkb, blen, &xy, &n) != 0) {
        PQfreemem(wkb);
        return -1;
    }
    PQfreemem(wkb);
    b = zone_set_add_block(s, atol(col(r, i, 0)), atoi(col(r, i, 1)), col(r, i, 2), col(r, i, 3),
                           col(r, i, 4), col(r, i, 5), col(r, i, 7),
                           col(r, i, 6) != NULL && col(r, i, 6)[0] == 't', xy, n);
    free(xy);
    if (b == NULL || names_from_row(&b->street_names, r, i, 9) != 0 ||
        names_from_row(&b->from_names, r, i, 9 + ZONE_NLANGS) != 0 ||
        names_from_row(&b->to_names, r, i, 9 + 2 * ZONE_NLANGS) != 0)
        return -1;
    return 0;
}

static int load_blocks(PGconn *c, struct zone_set *s, char *err, size_t errsize)
{
    PGresult *r = query(c, "street_blocks", "SELECT id, zone, street, from_street, to_street, "
                        "side::text, approximate, source, ST_AsBinary(ST_Force2D(geom)), "
                        "street_ru, street_kk, street_en, from_street_ru, from_street_kk, "
                        "from_street_en, to_street_ru, to_street_kk, to_street_en "
                        "FROM street_blocks ORDER BY id", err, errsize);
    int rc = 0;

    if (r == NULL)
        return -1;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++)
        rc = add_block_row(s, r, i);
    PQclear(r);
    if (rc != 0)
        errbuf_set(err, errsize, "street_blocks: out of memory");
    return rc;
}

static int load_intersections(PGconn *c, struct zone_set *s, char *err, size_t errsize)
{
    PGresult *r = query(c, "intersections", "SELECT name_a, name_b, ST_X(geom), ST_Y(geom) "
                        "FROM intersections WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom) "
                        "ORDER BY id", err, errsize);
    int rc = 0;

    if (r == NULL)
        return -1;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        if (zone_set_add_intersection(s, col(r, i, 0), col(r, i, 1), atof(col(r, i, 2)),
                                      atof(col(r, i, 3))) == NULL)
            rc = -1;
    }
    PQclear(r);
    if (rc != 0)
        errbuf_set(err, errsize, "intersections: out of memory");
    return rc;
}

struct zone_set *zone_set_load_pg(PGconn *c, char *err, size_t errsize)
{
    struct zone_set *s = zone_set_create();

    if (s == NULL) {
        errbuf_set(err, errsize, "out of memory");
        return NULL;
    }
    if (load_zones(c, s, err, errsize) != 0 || load_blocks(c, s, err, errsize) != 0
        || load_intersections(c, s, err, errsize) != 0) {
        zone_set_destroy(s);
        return NULL;
    }
    return s;
}
