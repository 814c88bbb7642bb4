/* enforce.c: creation, shared helpers and the read-only look-ups of enforcement (enforce.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enforce.h"
#include "enforce_int.h"
#include "pool.h"

struct enforce *enforce_create(const struct enforce_config *cfg, char *err, size_t errsize)
{
    struct enforce *e = calloc(1, sizeof(*e));

    if (e == NULL) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    e->cfg = *cfg;
    if ((e->pool = pool_create(cfg->conninfo, cfg->pool_size, err, errsize)) == NULL) {
        free(e);
        return NULL;
    }
    pthread_mutex_init(&e->locate_lock, NULL);
    return e;
}

void enforce_destroy(struct enforce *e)
{
    if (e == NULL)
        return;
    locate_free(e);
    pthread_mutex_destroy(&e->locate_lock);
    pool_destroy(e->pool);
    free(e);
}

struct pool *enforce_pool(struct enforce *e) { return e->pool; }

void enforce_log(struct enforce *e, const char *what, const char *detail)
{
    char line[600];

    if (e->cfg.log == NULL)
        return;
    snprintf(line, sizeof line, "%s: %s", what, detail);
    line[strcspn(line, "\n")] = '\0';
    e->cfg.log(e->cfg.log_ctx, line);
}

enum en_status en_fail(struct en_error *err, enum en_status s, const char *fmt, ...)
{
    va_list ap;

    err->status = s;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return s;
}

/* --- connections and results ---------------------------------------------------- */

PGconn *en_get(struct enforce *e, struct en_error *err)
{
    char why[300];
    PGconn *c = pool_get(e->pool, why, sizeof why);

    if (c == NULL) {
        enforce_log(e, "database unavailable", why);
        en_fail(err, EN_UNAVAILABLE, "the database is unavailable; try again later");
    }
    return c;
}

PGresult *en_exec(struct enforce *e, PGconn *c, enum stmt st, const char *const *params,
                  struct en_error *err)
{
    PGresult *r = pool_exec(c, st, params);

    if (pool_ok(r))
        return r;
    enforce_log(e, "database statement failed", PQresultErrorMessage(r));
    en_fail(err, PQstatus(c) == CONNECTION_OK ? EN_CONFLICT : EN_UNAVAILABLE,
            PQstatus(c) == CONNECTION_OK ? "the request could not be completed"
                                         : "the database is unavailable; try again later");
    PQclear(r);
    return NULL;
}

void en_put(struct enforce *e, PGconn *c)
{
    pool_put(e->pool, c, PQstatus(c) != CONNECTION_OK);
}

json_t *en_text(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? json_null() : json_string(PQgetvalue(r, row, col));
}

json_t *en_int(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? json_null()
                                    : json_integer(strtoll(PQgetvalue(r, row, col), NULL, 10));
}

json_t *en_real(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? json_null() : json_real(strtod(PQgetvalue(r, row, col), NULL));
}

json_t *en_bool(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? json_null() : json_boolean(PQgetvalue(r, row, col)[0] == 't');
}

json_t *en_time_col(const struct enforce *e, const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? json_null()
                                    : en_time(e, (time_t)strtoll(PQgetvalue(r, row, col), NULL, 10));
}

/* --- times, zones, plates ------------------------------------------------------- */

json_t *en_time(const struct enforce *e, time_t t)
{
    char buf[48];
    int off = localtime_offset(e->cfg.tz, t), a = off < 0 ? -off : off;
    size_t n = localtime_format(e->cfg.tz, t, "%Y-%m-%dT%H:%M:%S", buf, sizeof buf);

    snprintf(buf + n, sizeof buf - n, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
    return json_string(buf);
}

/* Exactly n digits at *p into *v; advances *p. */
static int digits(const char **p, int n, int *v)
{
    for (*v = 0; n > 0; n--, (*p)++) {
        if (!isdigit((unsigned char)**p))
            return -1;
        *v = *v * 10 + (**p - '0');
    }
    return 0;
}

/* "Z", "+HH:MM", "+HHMM" or "" (local) into *off (seconds east); *local = 1 for "". */
static int parse_offset(const char *p, long *off, int *local)
{
    int sign, h, m;

    *local = *p == '\0';
    *off = 0;
    if (*local || (p[0] == 'Z' && p[1] == '\0'))
        return 0;
    if (*p != '+' && *p != '-')
        return -1;
    sign = *p++ == '-' ? -1 : 1;
    if (digits(&p, 2, &h) != 0)
        return -1;
    if (*p == ':')
        p++;
    if (digits(&p, 2, &m) != 0 || *p != '\0' || h > 14 || m > 59)
        return -1;
    *off = sign * (h * 3600L + m * 60L);
    return 0;
}

int en_parse_time(const struct enforce *e, const char *text, time_t *out)
{
    const char *p = text;
    int y, mo, d, h, mi, s = 0, local;
    long off;
    struct local_zone utc;
    char *end;

    if (text[0] == '@' || (isdigit((unsigned char)text[0]) && strlen(text) >= 9 && !strchr(text, '-'))) {
        long long v = strtoll(text + (text[0] == '@'), &end, 10);
        *out = (time_t)v;
        return *end == '\0' && v >= 0 && v < 253402300800LL ? 0 : -1;
    }
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d)
        || (*p != 'T' && *p != ' ') || (p++, digits(&p, 2, &h)) || *p++ != ':' || digits(&p, 2, &mi))
        return -1;
    if (*p == ':' && (p++, digits(&p, 2, &s)))
        return -1;
    if (y < 1970 || s > 59 || parse_offset(p, &off, &local) != 0)
        return -1;
    if (local) {
        *out = localtime_to_utc(e->cfg.tz, y, mo, d, h, mi, s);
        return *out == (time_t)-1 ? -1 : 0;
    }
    localtime_fixed(&utc, "UTC", 0);
    if ((*out = localtime_to_utc(&utc, y, mo, d, h, mi, s)) == (time_t)-1)
        return -1;
    *out -= off;
    return 0;
}

int en_parse_zone(const char *text, int *zone)
{
    size_t n = strlen(text);
    const char *p = text;

    return n >= 1 && n <= 4 && digits(&p, (int)n, zone) == 0 ? 0 : -1;
}

enum en_status en_plate(const struct enforce *e, const char *text, struct plate *p,
                        struct en_error *err)
{
    size_t pos = 0;
    enum plate_error pe = plate_normalise_at(text, strlen(text), e->cfg.plate_policy, p, &pos);

    if (pe == PLATE_OK)
        return EN_OK;
    return en_fail(err, EN_INVALID, "bad plate '%.40s': %s (at byte %zu)", text,
                   plate_error_reason(pe), pos);
}

/* --- zones ------------------------------------------------------------------------ */

json_t *en_zone_json(const PGresult *r, int row)
{
    return json_pack("{s:o, s:o, s:o, s:o}", "number", en_int(r, row, 0), "name", en_text(r, row, 1),
                     "tariff_tiyn", en_int(r, row, 2), "active", en_bool(r, row, 3));
}

/* The zone's row (number, name, tariff, active) into *zone_json; EN_NOT_FOUND. */
enum en_status en_zone_get(struct enforce *e, PGconn *c, int number, json_t **zone_json,
                           struct en_error *err)
{
    char num[16];
    const char *params[1] = { num };
    PGresult *r;

    snprintf(num, sizeof num, "%d", number);
    if ((r = en_exec(e, c, ST_zone_get, params, err)) == NULL)
        return err->status;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return en_fail(err, EN_NOT_FOUND, "zone %d does not exist", number);
    }
    *zone_json = en_zone_json(r, 0);
    PQclear(r);
    return EN_OK;
}

enum en_status enforce_zones(struct enforce *e, int number, json_t **out, struct en_error *err)
{
    PGconn *c = en_get(e, err);
    PGresult *r;
    json_t *list;

    if (c == NULL)
        return err->status;
    if (number >= 0) {
        enum en_status st = en_zone_get(e, c, number, out, err);
        en_put(e, c);
        return st;
    }
    if ((r = en_exec(e, c, ST_zones, NULL, err)) == NULL) {
        en_put(e, c);
        return err->status;
    }
    list = json_array();
    for (int i = 0; i < PQntuples(r); i++) {
        json_t *z = en_zone_json(r, i);
        json_object_set_new(z, "street_blocks", en_int(r, i, 4));
        json_array_append_new(list, z);
    }
    PQclear(r);
    en_put(e, c);
    *out = json_pack("{s:o}", "zones", list);
    return EN_OK;
}

/* --- validate ---------------------------------------------------------------------- */

/* Appends the zone's problem (unknown, inactive) to problems and sets *zj. */
static enum en_status validate_zone(struct enforce *e, int number, json_t *problems,
                                    json_t **zj, struct en_error *err)
{
    struct en_error why = { 0, "" };
    PGconn *c = en_get(e, err);

    if (c == NULL)
        return err->status;
    if (en_zone_get(e, c, number, zj, &why) == EN_NOT_FOUND)
        json_array_append_new(problems, json_string(why.msg));
    else if (why.status == EN_OK && !json_is_true(json_object_get(*zj, "active")))
        json_array_append_new(problems, json_sprintf("zone %d takes no parking now", number));
    en_put(e, c);
    if (why.status != EN_OK && why.status != EN_NOT_FOUND) {
        *err = why;
        return err->status;
    }
    return EN_OK;
}

enum en_status enforce_validate(struct enforce *e, const char *zone, const char *plate,
                                json_t **out, struct en_error *err)
{
    json_t *problems = json_array(), *zj = json_null();
    struct plate p;
    struct en_error why = { 0, "" };
    int number, plate_ok = plate != NULL && en_plate(e, plate, &p, &why) == EN_OK;

    if (!plate_ok)
        json_array_append_new(problems, json_string(plate ? why.msg : "plate missing"));
    if (zone != NULL && en_parse_zone(zone, &number) != 0)
        json_array_append_new(problems, json_sprintf("bad zone '%.20s': a zone is a number of up "
                                                     "to 4 digits", zone));
    else if (zone != NULL && validate_zone(e, number, problems, &zj, err) != EN_OK) {
        json_decref(problems);
        return err->status;
    }
    *out = json_pack("{s:b, s:o, s:o, s:o, s:o}", "valid", json_array_size(problems) == 0,
                     "plate", plate_ok ? json_string(p.canonical) : json_null(),
                     "format", plate_ok ? json_string(plate_format_name(p.format)) : json_null(),
                     "zone", zj, "problems", problems);
    return EN_OK;
}
