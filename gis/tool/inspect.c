/* inspect.c: input parsing, times and look-ups shared by the inspection commands (inspect.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "inspect.h"
#include "localtime.h"
#include "tz_load.h"
#include "zonedb.h"

/* Asia/Almaty, loaded once by inspect_init_tz. */
static struct local_zone zone;

int inspect_init_tz(const char *cmd)
{
    char err[256];

    if (zone.n > 0 || tz_load(INSPECT_TZ, &zone, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "parkzones %s: time zone %s: %s\n", cmd, INSPECT_TZ, err);
    return PZ_EXIT_FAIL;
}

/* Exactly n ASCII digits at *p into *v; advances *p. 0 or -1. */
static int digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (!isdigit((unsigned char)**p))
            return -1;
        *v = *v * 10 + (**p - '0');
    }
    return 0;
}

/* "Z", "+HH", "+HHMM", "+HH:MM" (or -) into seconds east of UTC. 0 or -1. */
static int parse_offset(const char *p, long *off)
{
    int sign, h, m = 0;

    if (p[0] == 'Z' && p[1] == '\0') {
        *off = 0;
        return 0;
    }
    if (*p != '+' && *p != '-')
        return -1;
    sign = *p++ == '-' ? -1 : 1;
    if (digits(&p, 2, &h) != 0 || h > 14)
        return -1;
    if (*p == ':')
        p++;
    if (*p != '\0' && (digits(&p, 2, &m) != 0 || m > 59))
        return -1;
    if (*p != '\0')
        return -1;
    *off = sign * (h * 3600L + m * 60L);
    return 0;
}

static int parse_epoch(const char *text, time_t *out)
{
    char *end;
    long long v;

    if (!isdigit((unsigned char)text[0]))
        return -1;
    v = strtoll(text, &end, 10);
    if (*end != '\0' || v > 253402300799LL)          /* 9999-12-31 */
        return -1;
    *out = (time_t)v;
    return 0;
}

/* A stamp without an offset is Asia/Almaty's wall clock; one with an offset is read as
   UTC, then shifted. -1 for what is not a stamp or not a real date. */
static int parse_stamp(const char *p, time_t *out)
{
    int y, mo, d, h, mi, s = 0;
    long off;
    struct local_zone utc;

    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-'
        || digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' '))
        return -1;
    p++;
    if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
        return -1;
    if (*p == ':' && (p++, digits(&p, 2, &s)))
        return -1;
    if (y < 1970 || s > 59)
        return -1;
    if (*p == '\0') {
        *out = localtime_to_utc(&zone, y, mo, d, h, mi, s);
        return *out == (time_t)-1 ? -1 : 0;
    }
    if (parse_offset(p, &off) != 0)
        return -1;
    localtime_fixed(&utc, "UTC", 0);        /* (time_t)-1 is 1969, before y */
    if ((*out = localtime_to_utc(&utc, y, mo, d, h, mi, s)) == (time_t)-1)
        return -1;
    *out -= off;
    return 0;
}

int inspect_parse_time(const char *cmd, const char *text, time_t *out)
{
    int rc;

    if (strcmp(text, "now") == 0) {
        *out = time(NULL);
        return 0;
    }
    rc = text[0] == '@' ? parse_epoch(text + 1, out) : parse_stamp(text, out);
    if (rc == 0)
        return 0;
    fprintf(stderr, "parkzones %s: bad time '%s': use YYYY-MM-DDTHH:MM[:SS] (%s), the same "
            "with Z or +HH:MM, @EPOCH or now\n", cmd, text, INSPECT_TZ);
    return PZ_EXIT_USAGE;
}

int inspect_parse_minutes(const char *cmd, const char *opt, const char *text, long max,
                          long *out)
{
    char *end;
    long v = isdigit((unsigned char)text[0]) ? strtol(text, &end, 10) : -1;

    if (v >= 0 && *end == '\0' && v <= max) {
        *out = v;
        return 0;
    }
    fprintf(stderr, "parkzones %s: %s wants whole minutes from 0 to %ld, not '%s'\n", cmd, opt,
            max, text);
    return PZ_EXIT_USAGE;
}

void inspect_plate_problem(const char *text, enum plate_error e, size_t pos, char *buf,
                           size_t size)
{
    size_t ch = 1;

    for (size_t i = 0; i < pos && text[i] != '\0'; i++)
        ch += ((unsigned char)text[i] & 0xC0) != 0x80;
    if (e == PLATE_BAD_UTF8 || e == PLATE_BAD_CHAR || e == PLATE_TOO_LONG || e == PLATE_BAD_REGION)
        snprintf(buf, size, "%s (at character %zu)", plate_error_reason(e), ch);
    else
        snprintf(buf, size, "%s", plate_error_reason(e));
}

int inspect_parse_plate(const char *cmd, const char *text, struct plate *p)
{
    size_t pos = 0;
    char why[160];
    enum plate_error e = plate_normalise_at(text, strlen(text), PLATE_POLICY_KZ_ONLY, p, &pos);

    if (e == PLATE_OK)
        return 0;
    inspect_plate_problem(text, e, pos, why, sizeof why);
    fprintf(stderr, "parkzones %s: bad plate '%s': %s\n", cmd, text, why);
    return PZ_EXIT_DATA;
}

void inspect_time_utc(time_t t, char buf[INSPECT_TIME_MAX])
{
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL || strftime(buf, INSPECT_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, INSPECT_TIME_MAX, "@%lld", (long long)t);
}

/* The local time by fmt, then the offset as +HH:MM. */
static void local_with_offset(time_t t, const char *fmt, char buf[INSPECT_TIME_MAX])
{
    int off = localtime_offset(&zone, t), a = off < 0 ? -off : off;
    size_t n = localtime_format(&zone, t, fmt, buf, INSPECT_TIME_MAX);

    snprintf(buf + n, INSPECT_TIME_MAX - n, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600,
             a % 3600 / 60);
}

void inspect_time_local(time_t t, char buf[INSPECT_TIME_MAX])
{
    local_with_offset(t, "%Y-%m-%d %H:%M:%S ", buf);
}

void inspect_time_local_iso(time_t t, char buf[INSPECT_TIME_MAX])
{
    local_with_offset(t, "%Y-%m-%dT%H:%M:%S", buf);
}

void inspect_db_error(PGconn *c, const PGresult *r, const char *cmd, const char *what)
{
    char err[512];

    zonedb_error(c, r, what, err, sizeof err);
    fprintf(stderr, "parkzones %s: %s\n", cmd, err);
}

int inspect_exec(PGconn *c, const char *cmd, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

    if (!ok)
        inspect_db_error(c, r, cmd, sql);
    PQclear(r);
    return ok ? 0 : PZ_EXIT_FAIL;
}

static int has_inspection_tables(PGconn *c, const char *cmd)
{
    PGresult *r = PQexec(c, "SELECT to_regclass('sightings') IS NOT NULL "
                            "AND to_regclass('violations') IS NOT NULL");
    int ok = PQresultStatus(r) == PGRES_TUPLES_OK;

    if (!ok)
        inspect_db_error(c, r, cmd, "schema check");
    else if (strcmp(PQgetvalue(r, 0, 0), "t") != 0)
        fprintf(stderr, "parkzones %s: database %s has no sightings and violations tables: "
                "run scripts/migrate %s\n", cmd, PQdb(c), PQdb(c)), ok = 0;
    PQclear(r);
    return ok;
}

PGconn *inspect_connect(const char *cmd, int inspections)
{
    char err[512];
    PGconn *c = zonedb_connect(NULL, err, sizeof err);

    if (c == NULL || zonedb_check_schema(c, err, sizeof err) != 0) {
        fprintf(stderr, "parkzones %s: %s\n", cmd, err);
        PQfinish(c);
        return NULL;
    }
    if (inspections && !has_inspection_tables(c, cmd)) {
        PQfinish(c);
        return NULL;
    }
    return c;
}

int inspect_zone_get(PGconn *c, const char *cmd, int number, struct inspect_zone *z)
{
    char num[16];
    const char *params[1] = { num };
    PGresult *r;
    int rc = 0;

    snprintf(num, sizeof num, "%d", number);
    r = PQexecParams(c, "SELECT name, active FROM zones WHERE number = $1::integer", 1, NULL,
                     params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        inspect_db_error(c, r, cmd, "zones");
        rc = PZ_EXIT_FAIL;
    } else if (PQntuples(r) == 0) {
        fprintf(stderr, "parkzones %s: zone %d does not exist\n", cmd, number);
        rc = PZ_EXIT_DATA;
    } else {
        z->number = number;
        snprintf(z->name, sizeof z->name, "%s", PQgetvalue(r, 0, 0));
        z->active = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
    }
    PQclear(r);
    return rc;
}

/* A session covers at when started_at <= at <= its end (the stop time or paid_until). */
static const char cover_sql[] =
    "SELECT s.id, s.zone, z.name, extract(epoch FROM s.started_at)::bigint, "
    "       extract(epoch FROM least(s.paid_until, coalesce(s.stopped_at, s.paid_until)))::bigint, "
    "       s.ended_at IS NULL "
    "FROM sessions s JOIN zones z ON z.number = s.zone "
    "WHERE s.plate = $1 AND s.started_at <= to_timestamp($2::bigint) "
    "  AND least(s.paid_until, coalesce(s.stopped_at, s.paid_until)) >= to_timestamp($2::bigint) "
    "ORDER BY s.zone = $3::integer DESC, s.started_at DESC, s.id DESC LIMIT 1";

int inspect_cover_at(PGconn *c, const char *cmd, const char *plate, int zone, time_t at,
                     struct inspect_cover *cov, int *found)
{
    char tbuf[24], zbuf[16];
    const char *params[3] = { plate, tbuf, zbuf };
    PGresult *r;

    snprintf(tbuf, sizeof tbuf, "%lld", (long long)at);
    snprintf(zbuf, sizeof zbuf, "%d", zone);
    r = PQexecParams(c, cover_sql, 3, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        inspect_db_error(c, r, cmd, "sessions");
        PQclear(r);
        return PZ_EXIT_FAIL;
    }
    *found = 0;
    if (PQntuples(r) == 1) {
        cov->session = atoll(PQgetvalue(r, 0, 0));
        cov->zone = atoi(PQgetvalue(r, 0, 1));
        snprintf(cov->zone_name, sizeof cov->zone_name, "%s", PQgetvalue(r, 0, 2));
        cov->from = (time_t)atoll(PQgetvalue(r, 0, 3));
        cov->until = (time_t)atoll(PQgetvalue(r, 0, 4));
        cov->running = strcmp(PQgetvalue(r, 0, 5), "t") == 0;
        *found = zone < 0 || cov->zone == zone ? 1 : 2;
    }
    PQclear(r);
    return 0;
}

static const char paid_sql[] =
    "SELECT extract(epoch FROM started_at)::bigint, "
    "       extract(epoch FROM least(paid_until, coalesce(stopped_at, paid_until)))::bigint "
    "FROM sessions WHERE plate = $1 AND zone = $2::integer "
    "  AND started_at <= to_timestamp($4::bigint) "
    "  AND least(paid_until, coalesce(stopped_at, paid_until)) >= to_timestamp($3::bigint) "
    "ORDER BY started_at, id";

int inspect_load_paid(PGconn *c, const char *cmd, const char *plate, int zone, time_t from,
                      time_t to, struct violation_paid **out, size_t *n)
{
    char zbuf[16], fbuf[24], tbuf[24];
    const char *params[4] = { plate, zbuf, fbuf, tbuf };
    PGresult *r;

    snprintf(zbuf, sizeof zbuf, "%d", zone);
    snprintf(fbuf, sizeof fbuf, "%lld", (long long)from);
    snprintf(tbuf, sizeof tbuf, "%lld", (long long)to);
    r = PQexecParams(c, paid_sql, 4, NULL, params, NULL, NULL, 0);
    *out = NULL;
    *n = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        inspect_db_error(c, r, cmd, "sessions");
        PQclear(r);
        return PZ_EXIT_FAIL;
    }
    *n = (size_t)PQntuples(r);
    *out = calloc(*n ? *n : 1, sizeof **out);
    for (size_t i = 0; *out != NULL && i < *n; i++) {
        (*out)[i].from = (time_t)atoll(PQgetvalue(r, (int)i, 0));
        (*out)[i].until = (time_t)atoll(PQgetvalue(r, (int)i, 1));
    }
    PQclear(r);
    if (*out == NULL) {
        fprintf(stderr, "parkzones %s: out of memory\n", cmd);
        return PZ_EXIT_FAIL;
    }
    return 0;
}
