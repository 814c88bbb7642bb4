/* cmd_import.c: `parkzones import FILE` — GeoJSON into zones, street_blocks and intersections,
 * in one transaction: every problem is reported and nothing is written, or all of it is.
 *
 * What changes: every zone in the file is inserted or updated; for every zone that has blocks
 * in the file, the database's blocks become exactly the file's blocks (a block is the same
 * block when zone, street, from_street, to_street and side match: its geometry, approximate
 * and source are updated, blocks missing from the file are removed); intersections are
 * inserted or moved (matched by their two names). Zones without blocks in the file keep
 * their blocks; nothing is ever deleted from zones or intersections.
 * Before the commit, the zones of the file are checked as `parkzones validate` checks them
 * (the database as it would be): an error (a zero-length block, a block at (0, 0), ...) rolls
 * everything back with exit status 1, unless --force, which imports and lists the errors.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_shared.h"
#include "commands.h"
#include "geojson_in.h"
#include "zonedb.h"

#define ERRMAX 512

struct known_zones {
    int *numbers;
    size_t n;
};

struct counts {
    long zones_new, zones_changed;
    long blocks_new, blocks_changed, blocks_removed;
    long inter_new, inter_changed;
};

static int known(void *arg, int number)
{
    const struct known_zones *k = arg;
    for (size_t i = 0; i < k->n; i++)
        if (k->numbers[i] == number)
            return 1;
    return 0;
}

/* Runs sql (no parameters, no result wanted); -1 with err on failure. */
static int exec(PGconn *c, const char *sql, const char *what, char *err)
{
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        zonedb_error(c, r, what, err, ERRMAX);
    PQclear(r);
    return ok ? 0 : -1;
}

/* Runs sql with one text parameter; returns the result (caller clears) or NULL with err. */
static PGresult *exec1(PGconn *c, const char *sql, const char *param, const char *what,
                       char *err)
{
    PGresult *r = PQexecParams(c, sql, 1, NULL, &param, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        zonedb_error(c, r, what, err, ERRMAX);
        PQclear(r);
        return NULL;
    }
    return r;
}

/* Locks the zone tables against concurrent imports and reads the zone numbers. */
static int load_known(PGconn *c, struct known_zones *k, char *err)
{
    if (exec(c, "LOCK TABLE zones, street_blocks, intersections IN SHARE ROW EXCLUSIVE MODE",
             "lock", err) != 0)
        return -1;
    PGresult *r = PQexec(c, "SELECT number FROM zones");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        zonedb_error(c, r, "zones", err, ERRMAX);
        PQclear(r);
        return -1;
    }
    k->n = (size_t)PQntuples(r);
    k->numbers = calloc(k->n + 1, sizeof *k->numbers);
    for (size_t i = 0; k->numbers != NULL && i < k->n; i++)
        k->numbers[i] = atoi(PQgetvalue(r, (int)i, 0));
    PQclear(r);
    if (k->numbers == NULL) {
        snprintf(err, ERRMAX, "out of memory");
        return -1;
    }
    return 0;
}

/* ---- the set as JSON rows for jsonb_to_recordset ---------------------------------------- */

static json_t *nullable_string(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static char *zones_json(const struct zone_set *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nzones; i++) {
        const struct zone_info *z = &s->zones[i];
        json_t *row = json_pack("{s:i, s:s, s:I, s:b, s:o, s:o}",
            "number", z->number, "name", z->name, "tariff_tiyn", (json_int_t)z->tariff_tiyn,
            "active", z->active,
            "paid_hours", z->paid_hours > 0 ? json_integer(z->paid_hours) : json_null(),
            "note", nullable_string(z->note));
        if (row == NULL || geojson_put_names(row, "name", &z->names) != 0 ||
            json_array_append_new(a, row) != 0) {
            json_decref(row);
            json_decref(a);
            return NULL;
        }
    }
    char *text = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return text;
}

/* WKT with every digit of the doubles, so an unchanged block compares equal. */
static char *line_wkt(const struct zone_block *b)
{
    size_t cap = 32 + b->npoints * 52, len;
    char *w = malloc(cap);
    if (w == NULL)
        return NULL;
    len = (size_t)snprintf(w, cap, "LINESTRING(");
    for (size_t i = 0; i < b->npoints; i++)
        len += (size_t)snprintf(w + len, cap - len, "%s%.17g %.17g", i ? "," : "",
                                b->xy[2 * i], b->xy[2 * i + 1]);
    snprintf(w + len, cap - len, ")");
    return w;
}

static char *blocks_json(const struct zone_set *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nblocks; i++) {
        const struct zone_block *b = &s->blocks[i];
        char *wkt = line_wkt(b);
        json_t *row = json_pack("{s:i, s:i, s:s, s:s, s:s, s:s, s:b, s:o, s:s?}",
            "n", (int)i, "zone", b->zone, "street", b->street, "from_street", b->from_street,
            "to_street", b->to_street, "side", b->side, "approximate", b->approximate,
            "source", nullable_string(b->source), "wkt", wkt);
        free(wkt);
        if (row == NULL || geojson_put_names(row, "street", &b->street_names) != 0 ||
            geojson_put_names(row, "from_street", &b->from_names) != 0 ||
            geojson_put_names(row, "to_street", &b->to_names) != 0 ||
            json_array_append_new(a, row) != 0) {
            json_decref(row);
            json_decref(a);
            return NULL;
        }
    }
    char *text = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return text;
}

static char *intersections_json(const struct zone_set *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nintersections; i++) {
        const struct zone_intersection *x = &s->intersections[i];
        json_array_append_new(a, json_pack("{s:s, s:s, s:f, s:f}", "name_a", x->name_a,
                                           "name_b", x->name_b, "lon", x->lon, "lat", x->lat));
    }
    char *text = json_dumps(a, JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_decref(a);
    return text;
}

/* ---- writing ---------------------------------------------------------------------------- */

/* Counts the rows of an upsert's RETURNING (xmax = 0): inserted ("t") and updated. */
static void count_upsert(const PGresult *r, long *inserted, long *updated)
{
    for (int i = 0; i < PQntuples(r); i++) {
        if (strcmp(PQgetvalue(r, i, 0), "t") == 0)
            (*inserted)++;
        else
            (*updated)++;
    }
}

static int write_zones(PGconn *c, const struct zone_set *s, struct counts *n, char *err)
{
    static const char sql[] =
        "INSERT INTO zones (number, name, name_ru, name_kk, name_en, tariff_tiyn, active, "
        "  paid_hours, note) "
        "SELECT number, name, name_ru, name_kk, name_en, tariff_tiyn, active, paid_hours, note "
        "FROM jsonb_to_recordset($1) "
        "  AS x(number integer, name text, name_ru text, name_kk text, name_en text, "
        "       tariff_tiyn bigint, active boolean, paid_hours integer, note text) "
        "ON CONFLICT (number) DO UPDATE SET name = EXCLUDED.name, name_ru = EXCLUDED.name_ru, "
        "  name_kk = EXCLUDED.name_kk, name_en = EXCLUDED.name_en, "
        "  tariff_tiyn = EXCLUDED.tariff_tiyn, active = EXCLUDED.active, "
        "  paid_hours = EXCLUDED.paid_hours, note = EXCLUDED.note "
        "WHERE (zones.name, zones.name_ru, zones.name_kk, zones.name_en, zones.tariff_tiyn, "
        "       zones.active, zones.paid_hours, zones.note) "
        "  IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.name_ru, EXCLUDED.name_kk, "
        "                    EXCLUDED.name_en, EXCLUDED.tariff_tiyn, EXCLUDED.active, "
        "                    EXCLUDED.paid_hours, EXCLUDED.note) "
        "RETURNING xmax = 0";
    if (s->nzones == 0)
        return 0;
    char *rows = zones_json(s);
    PGresult *r = rows ? exec1(c, sql, rows, "zones", err) : NULL;
    if (rows == NULL)
        snprintf(err, ERRMAX, "out of memory");
    free(rows);
    if (r == NULL)
        return -1;
    count_upsert(r, &n->zones_new, &n->zones_changed);
    PQclear(r);
    return 0;
}

#define SAME_BLOCK "b.zone = i.zone AND b.street = i.street AND b.from_street = i.from_street " \
                   "AND b.to_street = i.to_street AND b.side = i.side"

/* Runs one block statement (no parameters) and adds its row count to *count. */
static int block_step(PGconn *c, const char *sql, long *count, char *err)
{
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        zonedb_error(c, r, "street_blocks", err, ERRMAX);
        PQclear(r);
        return -1;
    }
    if (count != NULL)
        *count += atol(PQcmdTuples(r));
    PQclear(r);
    return 0;
}

/* The names of a block in the languages (sql/0010_names.sql), of the table, of b, of i. */
#define STREET_NAMES "street_ru, street_kk, street_en, from_street_ru, from_street_kk, " \
                     "from_street_en, to_street_ru, to_street_kk, to_street_en"
#define B_STREET_NAMES "b.street_ru, b.street_kk, b.street_en, b.from_street_ru, " \
                       "b.from_street_kk, b.from_street_en, b.to_street_ru, b.to_street_kk, " \
                       "b.to_street_en"
#define I_STREET_NAMES "i.street_ru, i.street_kk, i.street_en, i.from_street_ru, " \
                       "i.from_street_kk, i.from_street_en, i.to_street_ru, i.to_street_kk, " \
                       "i.to_street_en"

static int write_blocks(PGconn *c, const struct zone_set *s, struct counts *n, char *err)
{
    static const char load[] =
        "CREATE TEMP TABLE import_blocks ON COMMIT DROP AS "
        "SELECT n, zone, street, from_street, to_street, side, approximate, source, "
        "       ST_GeomFromText(wkt, 4326) AS geom, " STREET_NAMES " FROM jsonb_to_recordset($1) "
        "  AS x(n integer, zone integer, street text, from_street text, to_street text, "
        "       side text, approximate boolean, source text, wkt text, "
        "       street_ru text, street_kk text, street_en text, from_street_ru text, "
        "       from_street_kk text, from_street_en text, to_street_ru text, "
        "       to_street_kk text, to_street_en text)";
    static const char removed[] =
        "DELETE FROM street_blocks b WHERE b.zone IN (SELECT zone FROM import_blocks) "
        "AND NOT EXISTS (SELECT 1 FROM import_blocks i WHERE " SAME_BLOCK ")";
    static const char changed[] =
        "UPDATE street_blocks b SET geom = i.geom, approximate = i.approximate, "
        "  source = i.source, (" STREET_NAMES ") = (" I_STREET_NAMES ") "
        "FROM import_blocks i WHERE " SAME_BLOCK " AND "
        "  (NOT ST_OrderingEquals(b.geom, i.geom) OR b.approximate <> i.approximate "
        "   OR b.source IS DISTINCT FROM i.source "
        "   OR (" B_STREET_NAMES ") IS DISTINCT FROM (" I_STREET_NAMES "))";
    static const char added[] =
        "INSERT INTO street_blocks (zone, street, from_street, to_street, side, approximate, "
        "  source, geom, " STREET_NAMES ") SELECT zone, street, from_street, to_street, side, "
        "  approximate, source, geom, " STREET_NAMES " FROM import_blocks i "
        "WHERE NOT EXISTS (SELECT 1 FROM street_blocks b WHERE " SAME_BLOCK ") ORDER BY n";
    if (s->nblocks == 0)
        return 0;
    char *rows = blocks_json(s);
    PGresult *r = rows ? exec1(c, load, rows, "street_blocks", err) : NULL;
    if (rows == NULL)
        snprintf(err, ERRMAX, "out of memory");
    free(rows);
    if (r == NULL)
        return -1;
    PQclear(r);
    if (block_step(c, removed, &n->blocks_removed, err) != 0 ||
        block_step(c, changed, &n->blocks_changed, err) != 0 ||
        block_step(c, added, &n->blocks_new, err) != 0)
        return -1;
    return 0;
}

static int write_intersections(PGconn *c, const struct zone_set *s, struct counts *n, char *err)
{
    static const char sql[] =
        "INSERT INTO intersections (name_a, name_b, geom) "
        "SELECT name_a, name_b, ST_SetSRID(ST_MakePoint(lon, lat), 4326) "
        "FROM jsonb_to_recordset($1) AS x(name_a text, name_b text, lon float8, lat float8) "
        "ON CONFLICT ((least(name_a, name_b)), (greatest(name_a, name_b))) "
        "DO UPDATE SET geom = EXCLUDED.geom "
        "WHERE NOT ST_OrderingEquals(intersections.geom, EXCLUDED.geom) "
        "RETURNING xmax = 0";
    if (s->nintersections == 0)
        return 0;
    char *rows = intersections_json(s);
    PGresult *r = rows ? exec1(c, sql, rows, "intersections", err) : NULL;
    if (rows == NULL)
        snprintf(err, ERRMAX, "out of memory");
    free(rows);
    if (r == NULL)
        return -1;
    count_upsert(r, &n->inter_new, &n->inter_changed);
    PQclear(r);
    return 0;
}

/* ---- the command ------------------------------------------------------------------------ */

static void print_problems(const char *path, const struct geojson_report *rep)
{
    size_t total = geojson_report_count(rep);
    fprintf(stderr, "parkzones import: %s: %zu problem%s, nothing written\n", path, total,
            total == 1 ? "" : "s");
    for (size_t i = 0; i < rep->nproblems; i++) {
        const struct geojson_problem *p = &rep->problems[i];
        fprintf(stderr, "  %s%s%s\n", p->where, *p->where ? ": " : "", p->what);
    }
    if (rep->dropped > 0)
        fprintf(stderr, "  ... and %zu more\n", rep->dropped);
}

static void print_counts(const char *path, const struct zone_set *s, const struct counts *n,
                         int dry_run)
{
    printf("%s %s: zones %ld new, %ld changed, %ld unchanged; "
           "blocks %ld new, %ld changed, %ld removed, %ld unchanged; "
           "intersections %ld new, %ld changed, %ld unchanged\n",
           dry_run ? "would import" : "imported", path,
           n->zones_new, n->zones_changed, (long)s->nzones - n->zones_new - n->zones_changed,
           n->blocks_new, n->blocks_changed, n->blocks_removed,
           (long)s->nblocks - n->blocks_new - n->blocks_changed,
           n->inter_new, n->inter_changed,
           (long)s->nintersections - n->inter_new - n->inter_changed);
}

static int write_all(PGconn *c, const struct zone_set *s, struct counts *n, char *err)
{
    if (write_zones(c, s, n, err) != 0 || write_blocks(c, s, n, err) != 0 ||
        write_intersections(c, s, n, err) != 0)
        return -1;
    return 0;
}

/* The zones the file names (its zones and its blocks' zones) into *out (caller frees). */
static size_t file_zones(const struct zone_set *s, int **out)
{
    size_t n = 0;
    *out = malloc((s->nzones + s->nblocks + 1) * sizeof **out);
    for (size_t i = 0; *out != NULL && i < s->nzones; i++)
        (*out)[n++] = s->zones[i].number;
    for (size_t i = 0; *out != NULL && i < s->nblocks; i++)
        (*out)[n++] = s->blocks[i].zone;
    return n;
}

/* Checks the written (uncommitted) data of the file's zones as validate does. Returns an exit
   status: PZ_EXIT_DATA when there are errors and no --force. */
static int check_written(PGconn *c, const struct zone_set *s, int force, char *err)
{
    int *zones;
    size_t n = file_zones(s, &zones);
    struct zone_set *db = zones != NULL ? zone_set_load_pg(c, err, ERRMAX) : NULL;
    long errors = db != NULL ? cmd_check_errors("import", db, zones, n, force
                                   ? "imported anyway (--force)"
                                   : "nothing written (fix the file, or import anyway with --force)")
                             : -1;
    if (zones == NULL)
        snprintf(err, ERRMAX, "out of memory");
    else if (db != NULL && errors < 0)
        snprintf(err, ERRMAX, "the checks could not run");
    zone_set_destroy(db);
    free(zones);
    if (errors < 0)
        return PZ_EXIT_FAIL;
    return errors > 0 && !force ? PZ_EXIT_DATA : PZ_EXIT_OK;
}

/* Inside the open transaction: parse, write, check, commit. Returns an exit status. */
static int import_in_transaction(PGconn *c, const char *path, int dry_run, int force, char *err)
{
    struct known_zones k = { NULL, 0 };
    struct geojson_report rep;
    struct counts n = { 0 };
    int status = PZ_EXIT_OK;

    if (load_known(c, &k, err) != 0)
        return PZ_EXIT_FAIL;
    geojson_report_init(&rep);
    struct geojson_options opt = { known, &k };
    struct zone_set *s = geojson_read_file(path, &opt, &rep);
    if (s == NULL) {
        print_problems(path, &rep);
        status = PZ_EXIT_DATA;
    } else if (write_all(c, s, &n, err) != 0) {
        status = PZ_EXIT_FAIL;
    } else if ((status = check_written(c, s, force, err)) != PZ_EXIT_OK) {
        /* reported; the transaction is rolled back when the connection closes */
    } else if (exec(c, dry_run ? "ROLLBACK" : "COMMIT", "commit", err) != 0) {
        status = PZ_EXIT_FAIL;
    } else {
        print_counts(path, s, &n, dry_run);
    }
    zone_set_destroy(s);
    geojson_report_clear(&rep);
    free(k.numbers);
    return status;
}

int cmd_import(int argc, char **argv)
{
    char err[ERRMAX] = "";
    int dry_run = 0, force = 0, i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0)
            dry_run = 1;
        else if (strcmp(argv[i], "--force") == 0)
            force = 1;
        else
            break;
    }
    if (i + 1 != argc || argv[i][0] == '-') {
        fprintf(stderr, "usage: parkzones import [--dry-run] [--force] FILE\n");
        return PZ_EXIT_USAGE;
    }
    PGconn *c = zonedb_connect(NULL, err, sizeof err);
    if (c == NULL || zonedb_check_schema(c, err, sizeof err) != 0 ||
        exec(c, "BEGIN", "begin", err) != 0) {
        fprintf(stderr, "parkzones import: %s\n", err);
        PQfinish(c);
        return PZ_EXIT_FAIL;
    }
    int status = import_in_transaction(c, argv[i], dry_run, force, err);
    if (status == PZ_EXIT_FAIL)
        fprintf(stderr, "parkzones import: %s; nothing written\n", err);
    PQfinish(c);   /* an open transaction is rolled back */
    return status;
}
