/* parkctl.c: the operators' and inspectors' command line, over enforcement (enforce.h).
 *
 *   parkctl [-c PARKBOX.CONF] [--db CONNINFO] [--json] COMMAND ARGS...
 *
 * Commands: validate ZONE PLATE | check PLATE [ZONE] [--at TIME] | sight PLATE ZONE
 * [--at TIME] [--device D --ref R] [--source S] | sight PLATE --lon X --lat Y ... |
 * violations [--since TIME] [--status S] [--plate P] [--csv] | sessions PLATE|MSISDN |
 * account MSISDN|PLATE | adjust MSISDN goodwill|correction AMOUNT_TIYN REASON --operator ID
 * [--key K] | key add ROLE NAME | key revoke ID.
 * The time zone, the plate policy, the grace period and the database come from the
 * parkbox configuration (-c; keys timezone, plate-policy, grace-minutes, stay-gap-minutes,
 * sighting-radius, pg-conninfo) or the defaults and PG* variables.
 * Exit status: 0 done (check: paid or still in grace), 1 check: unpaid / validate: invalid,
 * 2 usage, 3 bad or unknown input (plate, zone, subscriber, conflict), 4 database
 * unavailable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "enforce.h"
#include "portal.h"
#include "tz_load.h"

enum { EXIT_OK = 0, EXIT_NO = 1, EXIT_USAGE = 2, EXIT_DATA = 3, EXIT_FAIL = 4 };

struct opts {
    const char *db, *config;
    int json;
    char timezone[64], conninfo[512], policy[32];
    long grace_min, gap_min, radius;
};

static int usage(void)
{
    fprintf(stderr,
        "usage: parkctl [-c PARKBOX.CONF] [--db CONNINFO] [--json] COMMAND ...\n"
        "  validate ZONE PLATE\n"
        "  check PLATE [ZONE] [--at TIME]\n"
        "  sight PLATE ZONE|--lon X --lat Y [--at TIME] [--device D --ref R] [--source S]\n"
        "  violations [--since TIME] [--status open|sent|paid|cancelled] [--plate P] [--csv]\n"
        "  sessions PLATE|MSISDN\n"
        "  account MSISDN|PLATE\n"
        "  adjust MSISDN goodwill|correction AMOUNT_TIYN REASON --operator ID [--key KEY]\n"
        "  key add inspector|operator|fines|portal NAME\n"
        "  key revoke ID\n"
        "TIME: 2026-06-16T10:00 (local), RFC 3339 with an offset, @EPOCH or now\n");
    return EXIT_USAGE;
}

/* Strips spaces and one pair of double quotes. */
static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        *--e = '\0';
    if (e - s >= 2 && s[0] == '"' && e[-1] == '"') {
        e[-1] = '\0';
        s++;
    }
    return s;
}

/* The few keys parkctl needs from `group = parkbox` of a Kannel-format file. */
static int read_config(struct opts *o)
{
    FILE *f = fopen(o->config, "r");
    char line[1024];
    int in = 0;

    if (f == NULL) {
        fprintf(stderr, "parkctl: cannot read '%s'\n", o->config);
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        char *eq = strchr(line, '='), *k, *v;
        if (line[0] == '#' || eq == NULL)
            continue;
        *eq = '\0';
        k = trim(line), v = trim(eq + 1);
        if (strcmp(k, "group") == 0)
            in = strcmp(v, "parkbox") == 0;
        else if (in && strcmp(k, "timezone") == 0)
            snprintf(o->timezone, sizeof o->timezone, "%s", v);
        else if (in && strcmp(k, "pg-conninfo") == 0)
            snprintf(o->conninfo, sizeof o->conninfo, "%s", v);
        else if (in && strcmp(k, "plate-policy") == 0)
            snprintf(o->policy, sizeof o->policy, "%s", v);
        else if (in && strcmp(k, "grace-minutes") == 0)
            o->grace_min = atol(v);
        else if (in && strcmp(k, "stay-gap-minutes") == 0)
            o->gap_min = atol(v);
        else if (in && strcmp(k, "sighting-radius") == 0)
            o->radius = atol(v);
    }
    fclose(f);
    return 0;
}

static int exit_of(enum en_status st)
{
    return st == EN_OK ? EXIT_OK : st == EN_UNAVAILABLE ? EXIT_FAIL : EXIT_DATA;
}

/* Prints *outp (human or JSON; read after the call that set it) or the error; returns
   the exit status. */
static int finish(const struct opts *o, const char *cmd, enum en_status st, json_t **outp,
                  const struct en_error *err, void (*human)(json_t *))
{
    json_t *out = *outp;

    if (st != EN_OK) {
        fprintf(stderr, "parkctl %s: %s\n", cmd, err->msg);
        return exit_of(st);
    }
    if (o->json || human == NULL) {
        char *s = json_dumps(out, JSON_INDENT(2));
        puts(s);
        free(s);
    } else {
        human(out);
    }
    json_decref(out);
    return EXIT_OK;
}

static const char *str(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : "-";
}

static long long num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static void human_check(json_t *j)
{
    const char *st = str(j, "status");

    printf("%s %s at %s: %s", str(j, "plate"), json_is_integer(json_object_get(j, "zone"))
           ? "in its zone" : "anywhere", str(j, "at"), st);
    if (strcmp(st, "paid") == 0 || strcmp(st, "paid_elsewhere") == 0)
        printf(" until %s by session %lld (zone %lld)\n", str(j, "paid_until"), num(j, "session"),
               num(j, "session_zone"));
    else if (strcmp(st, "free") == 0)
        printf(" (parking is free now; paid from %s)\n", json_is_string(json_object_get(j, "paid_from"))
               ? str(j, "paid_from") : "no set time");
    else if (strcmp(st, "grace") == 0 || json_is_string(json_object_get(j, "first_seen")))
        printf(", first seen %s, grace until %s\n", str(j, "first_seen"), str(j, "grace_until"));
    else
        printf("\n");
}

static void human_validate(json_t *j)
{
    size_t i;
    json_t *p;

    printf("%s: plate %s (%s)\n", json_is_true(json_object_get(j, "valid")) ? "valid" : "invalid",
           str(j, "plate"), str(j, "format"));
    json_array_foreach(json_object_get(j, "problems"), i, p)
        printf("  %s\n", json_string_value(p));
}

static void human_sessions(json_t *j)
{
    size_t i;
    json_t *s;

    json_array_foreach(json_object_get(j, "sessions"), i, s)
        printf("session %lld  %s  zone %lld %s  %s .. %s  %s  prepaid %lld  cost %lld\n",
               num(s, "id"), str(s, "plate"), num(s, "zone"), str(s, "zone_name"),
               str(s, "started_at"), json_is_string(json_object_get(s, "stopped_at"))
               ? str(s, "stopped_at") : str(s, "paid_until"),
               json_is_true(json_object_get(s, "active")) ? "active" : str(s, "end_reason"),
               num(s, "prepaid_tiyn"), num(s, "cost_tiyn"));
    if (json_array_size(json_object_get(j, "sessions")) == 0)
        printf("no sessions\n");
}

static void human_account(json_t *j)
{
    size_t i;
    json_t *m;

    printf("%s: parking account %lld tiyn, wallet %lld tiyn, pays by %s\n", str(j, "msisdn"),
           num(j, "parking_account_tiyn"), num(j, "wallet_tiyn"), str(j, "payment_method"));
    json_array_foreach(json_object_get(j, "movements"), i, m) {
        json_t *a = json_object_get(m, "adjustment");
        printf("  %s  %-8s %+lld", str(m, "at"), str(m, "kind"), num(m, "amount_tiyn"));
        if (a)
            printf("  %s by %s: %s", str(a, "kind"), str(a, "operator"), str(a, "reason"));
        printf("\n");
    }
}

static void human_violations(json_t *j)
{
    size_t i;
    json_t *v;

    json_array_foreach(json_object_get(j, "violations"), i, v)
        printf("violation %lld  %s  zone %lld  seen %s .. %s  unpaid from %s  %lld sightings  %s\n",
               num(v, "id"), str(v, "plate"), num(v, "zone"), str(v, "first_seen"),
               str(v, "last_seen"), str(v, "unpaid_from"), num(v, "sightings"), str(v, "status"));
}

static void human_sight(json_t *j)
{
    printf("sighting %lld (%s) of %s in zone %lld at %s: %s", num(j, "id"),
           json_is_true(json_object_get(j, "created")) ? "new" : "already recorded",
           str(j, "plate"), num(j, "zone"), str(j, "seen_at"), str(json_object_get(j, "stay"), "verdict"));
    if (json_is_integer(json_object_get(j, "violation")))
        printf(", violation %lld", num(j, "violation"));
    printf("\n");
}

static void human_adjust(json_t *j)
{
    printf("adjustment tx %lld: %+lld tiyn (%s) for %s by %s; parking account now %lld tiyn%s\n",
           num(j, "tx"), num(j, "amount_tiyn"), str(j, "kind"), str(j, "msisdn"), str(j, "operator"),
           num(j, "parking_account_tiyn"), json_is_true(json_object_get(j, "created")) ? "" : " (repeated key: nothing new)");
}

/* The value after option argv[*i] (advances *i); NULL when missing. */
static const char *optval(int argc, char **argv, int *i)
{
    return *i + 1 < argc ? argv[++*i] : NULL;
}

static int parse_time(struct enforce *e, const char *text, time_t *t)
{
    if (text != NULL && strcmp(text, "now") == 0) {
        *t = time(NULL);
        return 0;
    }
    if (text != NULL && en_parse_time(e, text, t) == 0)
        return 0;
    fprintf(stderr, "parkctl: bad time '%s': use 2026-06-16T10:00 (local), RFC 3339 with an "
            "offset, @EPOCH or now\n", text ? text : "");
    return -1;
}

static int cmd_check(struct enforce *e, const struct opts *o, int argc, char **argv)
{
    const char *plate = NULL, *zone_text = NULL;
    time_t at = time(NULL);
    int zone = -1;
    json_t *out = NULL;
    struct en_error err;
    enum en_status st;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--at") == 0) {
            if (parse_time(e, optval(argc, argv, &i), &at) != 0)
                return EXIT_USAGE;
        } else if (plate == NULL) plate = argv[i];
        else if (zone_text == NULL) zone_text = argv[i];
        else return usage();
    }
    if (plate == NULL)
        return usage();
    if (zone_text != NULL && en_parse_zone(zone_text, &zone) != 0) {
        fprintf(stderr, "parkctl check: bad zone '%s': a zone is a number of up to 4 digits\n", zone_text);
        return EXIT_DATA;
    }
    st = enforce_check(e, plate, zone, at, &out, &err);
    if (st == EN_OK && strncmp(json_string_value(json_object_get(out, "status")), "unpaid", 6) == 0) {
        finish(o, "check", st, &out, &err, human_check);
        return EXIT_NO;
    }
    return finish(o, "check", st, &out, &err, human_check);
}

static int cmd_validate(struct enforce *e, const struct opts *o, int argc, char **argv)
{
    json_t *out = NULL;
    struct en_error err;
    enum en_status st;
    int valid, rc;

    if (argc != 3)
        return usage();
    st = enforce_validate(e, argv[1], argv[2], &out, &err);
    valid = st == EN_OK && json_is_true(json_object_get(out, "valid"));
    rc = finish(o, "validate", st, &out, &err, human_validate);
    return rc != EXIT_OK ? rc : valid ? EXIT_OK : EXIT_NO;
}

/* sight's options into *s; -1 on a usage error. */
static int sight_args(struct enforce *e, int argc, char **argv, struct en_sighting *s)
{
    int have_lat = 0;

    *s = (struct en_sighting){ .zone = -1, .at = time(NULL), .source = "parkctl" };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--at") == 0) {
            if (parse_time(e, optval(argc, argv, &i), &s->at) != 0)
                return -1;
        } else if (strcmp(a, "--lon") == 0 && i + 1 < argc) s->lon = atof(argv[++i]), s->has_point = 1;
        else if (strcmp(a, "--lat") == 0 && i + 1 < argc) s->lat = atof(argv[++i]), have_lat = 1;
        else if (strcmp(a, "--device") == 0 && i + 1 < argc) s->device = argv[++i];
        else if (strcmp(a, "--ref") == 0 && i + 1 < argc) s->device_ref = argv[++i];
        else if (strcmp(a, "--source") == 0 && i + 1 < argc) s->source = argv[++i];
        else if (s->plate == NULL) s->plate = a;
        else if (s->zone < 0 && en_parse_zone(a, &s->zone) == 0) continue;
        else return -1;
    }
    return s->plate == NULL || s->has_point != have_lat ? -1 : 0;
}

static int cmd_sight(struct enforce *e, const struct opts *o, int argc, char **argv)
{
    struct en_sighting s;
    json_t *out = NULL;
    struct en_error err;

    if (sight_args(e, argc, argv, &s) != 0)
        return usage();
    return finish(o, "sight", enforce_sight(e, &s, &out, &err), &out, &err, human_sight);
}

static int cmd_violations(struct enforce *e, const struct opts *o, int argc, char **argv)
{
    const char *status = NULL, *plate = NULL;
    time_t since = 0;
    int csv = 0;
    json_t *out = NULL, *v;
    struct en_error err;
    enum en_status st;
    size_t i;

    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--since") == 0) {
            if (parse_time(e, optval(argc, argv, &k), &since) != 0)
                return EXIT_USAGE;
        } else if (strcmp(argv[k], "--status") == 0 && k + 1 < argc) status = argv[++k];
        else if (strcmp(argv[k], "--plate") == 0 && k + 1 < argc) plate = argv[++k];
        else if (strcmp(argv[k], "--csv") == 0) csv = 1;
        else return usage();
    }
    st = enforce_violations(e, since, status, plate, 0, 1000, &out, &err);
    if (st != EN_OK || !csv)
        return finish(o, "violations", st, &out, &err, human_violations);
    printf("id,plate,zone,first_seen,last_seen,unpaid_from,sightings,status\n");
    json_array_foreach(json_object_get(out, "violations"), i, v)
        printf("%lld,%s,%lld,%s,%s,%s,%lld,%s\n", num(v, "id"), str(v, "plate"), num(v, "zone"),
               str(v, "first_seen"), str(v, "last_seen"), str(v, "unpaid_from"),
               num(v, "sightings"), str(v, "status"));
    json_decref(out);
    return EXIT_OK;
}

static int cmd_sessions(struct enforce *e, const struct opts *o, int argc, char **argv)
{
    json_t *out = NULL;
    struct en_error err;
    int is_msisdn;

    if (argc != 2)
        return usage();
    is_msisdn = portal_msisdn_ok(argv[1]) == 0;
    return finish(o, "sessions", enforce_sessions(e, is_msisdn ? NULL : argv[1],
                  is_msisdn ? argv[1] : NULL, 50, 0, &out, &err), &out, &err, human_sessions);
}

static void human_accounts(json_t *j)
{
    size_t i;
    json_t *a;

    json_array_foreach(json_object_get(j, "accounts"), i, a)
        human_account(a);
    if (json_array_size(json_object_get(j, "accounts")) == 0)
        printf("nobody parked %s\n", str(j, "plate"));
}

static int cmd_account(struct enforce *e, const struct opts *o, int argc, char **argv)
{
    json_t *out = NULL;
    struct en_error err;

    if (argc != 2)
        return usage();
    if (portal_msisdn_ok(argv[1]) != 0)
        return finish(o, "account", enforce_accounts_by_plate(e, argv[1], &out, &err), &out, &err,
                      human_accounts);
    return finish(o, "account", enforce_account(e, argv[1], &out, &err), &out, &err, human_account);
}

static int cmd_adjust(struct enforce *e, const struct opts *o, int argc, char **argv)
{
    const char *op = NULL, *key = NULL;
    char keybuf[80], *end;
    json_t *out = NULL;
    struct en_error err;
    long long amount;

    if (argc < 5)
        return usage();
    for (int i = 5; i < argc; i++)
        if (strcmp(argv[i], "--operator") == 0 && i + 1 < argc) op = argv[++i];
        else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) key = argv[++i];
        else return usage();
    amount = strtoll(argv[3], &end, 10);
    if (*end != '\0' || op == NULL) {
        fprintf(stderr, "parkctl adjust: AMOUNT_TIYN is a whole number and --operator is required\n");
        return EXIT_USAGE;
    }
    if (key == NULL) {
        snprintf(keybuf, sizeof keybuf, "parkctl:%lld:%d", (long long)time(NULL), (int)getpid());
        key = keybuf;
    }
    return finish(o, "adjust", enforce_adjust(e, argv[1], argv[2], amount, argv[4], op, key, &out,
                  &err), &out, &err, human_adjust);
}

static int cmd_key(struct enforce *e, int argc, char **argv)
{
    char key[80];
    long long id;
    struct en_error err;

    if (argc == 4 && strcmp(argv[1], "add") == 0) {
        if (key_generate(key, sizeof key) != 0 || key_add(e, argv[2], argv[3], key, &id, &err) != EN_OK) {
            fprintf(stderr, "parkctl key add: %s\n", err.msg);
            return EXIT_DATA;
        }
        fprintf(stderr, "key %lld (%s, %s) made; it is shown once and stored only as its SHA-256:\n",
                id, argv[2], argv[3]);
        printf("%s\n", key);
        return EXIT_OK;
    }
    if (argc == 3 && strcmp(argv[1], "revoke") == 0) {
        if (key_revoke(e, strtoll(argv[2], NULL, 10), &err) != EN_OK) {
            fprintf(stderr, "parkctl key revoke: %s\n", err.msg);
            return exit_of(err.status);
        }
        printf("key %s revoked\n", argv[2]);
        return EXIT_OK;
    }
    return usage();
}

static int dispatch(struct enforce *e, const struct opts *o, int argc, char **argv)
{
    static const struct { const char *name; int (*fn)(struct enforce *, const struct opts *, int, char **); } cmds[] = {
        { "check", cmd_check }, { "validate", cmd_validate }, { "sight", cmd_sight },
        { "violations", cmd_violations }, { "sessions", cmd_sessions },
        { "account", cmd_account }, { "adjust", cmd_adjust } };

    if (strcmp(argv[0], "key") == 0)
        return cmd_key(e, argc, argv);
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[0], cmds[i].name) == 0)
            return cmds[i].fn(e, o, argc, argv);
    fprintf(stderr, "parkctl: unknown command '%s'\n", argv[0]);
    return usage();
}

/* Global options; the index of the command, or -1. */
static int parse_globals(int argc, char **argv, struct opts *o)
{
    int i = 1;

    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--json") == 0) o->json = 1;
        else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) o->config = argv[++i];
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) o->db = argv[++i];
        else return -1;
    }
    return i < argc ? i : -1;
}

int main(int argc, char **argv)
{
    struct opts o = { .timezone = "Asia/Almaty", .policy = "kz-only", .grace_min = 15,
                      .gap_min = 120, .radius = 30 };
    struct local_zone zone;
    struct enforce_config ec;
    struct enforce *e;
    char err[400];
    int cmd = parse_globals(argc, argv, &o), rc;

    if (cmd < 0)
        return usage();
    if (o.config != NULL && read_config(&o) != 0)
        return EXIT_USAGE;
    if (tz_load(o.timezone, &zone, err, sizeof err) != 0) {
        fprintf(stderr, "parkctl: time zone '%s': %s\n", o.timezone, err);
        return EXIT_USAGE;
    }
    ec = (struct enforce_config){ .conninfo = o.db ? o.db : o.conninfo, .pool_size = 1, .tz = &zone,
        .plate_policy = strcmp(o.policy, "allow-other") == 0 ? PLATE_POLICY_ALLOW_OTHER : PLATE_POLICY_KZ_ONLY,
        .grace = (int)o.grace_min * 60, .max_gap = (int)o.gap_min * 60, .radius_m = (double)o.radius };
    if ((e = enforce_create(&ec, err, sizeof err)) == NULL) {
        fprintf(stderr, "parkctl: %s\n", err);
        return EXIT_FAIL;
    }
    rc = dispatch(e, &o, argc - cmd, argv + cmd);
    enforce_destroy(e);
    return rc;
}
