/* test_box_config.c: `group = parkbox` (plugin/box/box_config.c and
 * parkbox-cfg.def) read from small files in a temporary folder: defaults, every
 * key, boundaries, and each way a file is refused with the exact log line.
 * gwlib logs to a file of ours; each case reads what was appended to it. Every
 * table row is its own cmocka test. Run from the repository root (the shipped
 * conf/parkbox.conf is read from there). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "table.h"      /* before gwlib.h, which forbids calloc and free */
#include "gwlib/gwlib.h"

#include "box_config.h"

#define SAMPLE_CONF "conf/parkbox.conf"

/* LeakSanitizer suppression (read by LSan at exit in `make SAN=1`; unused
   otherwise). gwlib 1.4.5's cfg_read() does not free the lines that its
   expand_file() read when the file has an error (an unknown key, a key outside
   a group): gwlib's leak, not ours, and gwlib_shutdown() cannot release it.
   Only that function is suppressed; every other leak still fails the test.
   gwlib is built without frame pointers, so the slow unwinder is needed for
   LSan to see expand_file in the allocation's stack. */
/* the sanitizers' own hook names, reserved for them to call */
// NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:expand_file\n";
}

// NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}

static char tmpdir[64];
static char conf_path[128];
static char log_path[128];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static long log_size(void)
{
    Octstr *s = octstr_read_file(log_path);
    long n = s ? octstr_len(s) : 0;

    octstr_destroy(s);
    return n;
}

/* What gwlib logged since `from`, the time stamps cut: "ERROR: ...\n" lines. */
static Octstr *log_since(long from)
{
    Octstr *all = octstr_read_file(log_path), *out = octstr_create("");
    long pos = from, nl;

    assert_non_null(all);
    while (pos < octstr_len(all)) {
        nl = octstr_search_char(all, '\n', pos);
        if (nl == -1)
            nl = octstr_len(all);
        Octstr *line = octstr_copy(all, pos, nl - pos);
        long lvl = octstr_search(line, octstr_imm("] ERROR: "), 0);
        if (lvl == -1)
            lvl = octstr_search(line, octstr_imm("] WARNING: "), 0);
        if (lvl != -1) {        /* INFO and DEBUG lines are not checked */
            Octstr *msg = octstr_copy(line, lvl + 2, octstr_len(line));
            octstr_append(out, msg);
            octstr_append_char(out, '\n');
            octstr_destroy(msg);
        }
        octstr_destroy(line);
        pos = nl + 1;
    }
    octstr_destroy(all);
    return out;
}

/* Load `text` from conf_path; *logged gets the ERROR/WARNING lines. */
static int load_text(const char *text, struct box_config *c, Octstr **logged)
{
    long from;
    int ret;

    write_file(conf_path, text);
    from = log_size();
    ret = box_config_load(conf_path, c);
    *logged = log_since(from);
    return ret;
}

/* Every string field NULL: what box_config_free() leaves, and what a failed
   box_config_load() leaves (so that freeing again is harmless). */
static void assert_strings_null(const struct box_config *c)
{
#define PB_STR(key, field, def, required) assert_null(c->field);
#define PB_INT(key, field, def, min, max)
#define PB_CHOICE(key, field, def, words) assert_null(c->field);
#include "parkbox-cfg.def"
#undef PB_STR
#undef PB_INT
#undef PB_CHOICE
}

#define TEMPLATES "templates = /srv/parkbox/replies.conf\n"

/* ---- defaults and every key -------------------------------------------- */

static void test_defaults(void **state)
{
    struct box_config c;
    Octstr *logged;

    (void)state;
    assert_int_equal(load_text("group = parkbox\n", &c, &logged), 0);
    assert_string_equal(octstr_get_cstr(logged), "");
    assert_string_equal(c.bearerbox_host, "127.0.0.1");
    assert_int_equal(c.bearerbox_port, 13001);
    assert_string_equal(c.smsbox_id, "parkbox");
    assert_null(c.smsc_id);
    assert_string_equal(c.service_number, "7757");
    assert_string_equal(c.confirm_number, "7701");
    assert_string_equal(c.pg_conninfo, "");
    /* the installed templates: ./configure --sysconfdir; the package's /etc */
    assert_string_equal(c.templates, PARKBOX_SYSCONFDIR "/parkbox/replies.conf");
    assert_string_equal(c.timezone, "Asia/Almaty");
    assert_string_equal(c.default_language, "ru");
    assert_string_equal(c.plate_policy, "kz-only");
    assert_int_equal(c.confirm_timeout, 300);
    assert_int_equal(c.reminder_minutes, 10);
    assert_int_equal(c.max_hours, 24);
    assert_int_equal(c.workers, 8);
    assert_null(c.log_file);
    assert_int_equal(c.log_level, 1);
    assert_null(c.access_log);
    assert_int_equal(c.hour_seconds, 3600);
    box_config_free(&c);
    assert_strings_null(&c);
    octstr_destroy(logged);
}

static void test_every_key(void **state)
{
    static const char text[] =
        "# every key of the group, none at its default\n"
        "group = parkbox\n"
        "bearerbox-host = bb.example.net\n"
        "bearerbox-port = 23001\n"
        "smsbox-id = parkbox-2\n"
        "smsc-id = smpp-kcell\n"
        "service-number = +77757\n"
        "confirm-number = 7702\n"
        "pg-conninfo = \"host=127.0.0.1 port=5433 dbname=parking user=park\"\n"
        "templates = /etc/parkbox/replies.conf\n"
        "timezone = Asia/Aqtobe\n"
        "default-language = kk\n"
        "plate-policy = allow-other\n"
        "confirm-timeout = 120\n"
        "reminder-minutes = 15\n"
        "max-hours = 12\n"
        "workers = 16\n"
        "log-file = /var/log/parkbox.log\n"
        "log-level = 0\n"
        "access-log = /var/log/kannel/parkbox-access\n"
        "hour-seconds = 60\n";
    struct box_config c;
    Octstr *logged;

    (void)state;
    assert_int_equal(load_text(text, &c, &logged), 0);
    assert_string_equal(octstr_get_cstr(logged), "");
    assert_string_equal(c.bearerbox_host, "bb.example.net");
    assert_int_equal(c.bearerbox_port, 23001);
    assert_string_equal(c.smsbox_id, "parkbox-2");
    assert_string_equal(c.smsc_id, "smpp-kcell");
    assert_string_equal(c.service_number, "+77757");
    assert_string_equal(c.confirm_number, "7702");
    assert_string_equal(c.pg_conninfo, "host=127.0.0.1 port=5433 dbname=parking user=park");
    assert_string_equal(c.templates, "/etc/parkbox/replies.conf");
    assert_string_equal(c.timezone, "Asia/Aqtobe");
    assert_string_equal(c.default_language, "kk");
    assert_string_equal(c.plate_policy, "allow-other");
    assert_int_equal(c.confirm_timeout, 120);
    assert_int_equal(c.reminder_minutes, 15);
    assert_int_equal(c.max_hours, 12);
    assert_int_equal(c.workers, 16);
    assert_string_equal(c.log_file, "/var/log/parkbox.log");
    assert_int_equal(c.log_level, 0);
    assert_string_equal(c.access_log, "/var/log/kannel/parkbox-access");
    assert_int_equal(c.hour_seconds, 60);
    box_config_free(&c);
    octstr_destroy(logged);
}

/* The commented sample that is installed next to the binary. */
static void test_shipped_sample(void **state)
{
    struct box_config c;
    long from = log_size();
    Octstr *logged;

    (void)state;
    assert_int_equal(box_config_load(SAMPLE_CONF, &c), 0);
    logged = log_since(from);
    assert_string_equal(octstr_get_cstr(logged), "");
    assert_string_equal(c.pg_conninfo, "host=127.0.0.1 port=5432 user=parking dbname=parking");
    assert_string_equal(c.templates, PARKBOX_SYSCONFDIR "/parkbox/replies.conf");
    assert_string_equal(c.log_file, "/var/log/kannel/parkbox");
    assert_string_equal(c.access_log, "/var/log/kannel/parkbox-access");
    assert_int_equal(c.workers, 8);
    box_config_free(&c);
    octstr_destroy(logged);
}

/* A carrier's whole kannel.conf with the group added (the box ignores the rest). */
static void test_whole_kannel_conf(void **state)
{
    static const char text[] =
        "group = core\n"
        "admin-port = 13000\n"
        "admin-interface = 127.0.0.1\n"
        "admin-password = CHANGE-ME\n"
        "status-password = CHANGE-ME\n"
        "admin-allow-ip = 127.0.0.1\n"
        "smsbox-port = 13001\n"
        "smsbox-interface = 127.0.0.1\n"
        "box-allow-ip = 127.0.0.1\n"
        "box-deny-ip = \"*.*.*.*\"\n"
        "log-file = /var/log/kannel/bearerbox.log\n"
        "log-level = 1\n"
        "access-log = /var/log/kannel/access.log\n"
        "store-type = file\n"
        "store-location = /var/spool/kannel/kannel.store\n"
        "\n"
        "group = smsbox\n"
        "bearerbox-host = 127.0.0.1\n"
        "smsbox-id = carrier\n"
        "sendsms-port = 13013\n"
        "\n"
        "group = smsc\n"
        "smsc = fake\n"
        "smsc-id = fake\n"
        "port = 10000\n"
        "our-host = 127.0.0.1\n"
        "connect-allow-ip = 127.0.0.1\n"
        "\n"
        "group = parkbox\n"
        "smsbox-id = parkbox\n"
        "smsc-id = fake\n"
        TEMPLATES
        "workers = 4\n"
        "\n"
        "group = smsbox-route\n"
        "smsbox-id = parkbox\n"
        "shortcode = \"7757;7701\"\n"
        "\n"
        "group = sendsms-user\n"
        "username = tester\n"
        "password = foobar\n";
    struct box_config c;
    Octstr *logged;

    (void)state;
    assert_int_equal(load_text(text, &c, &logged), 0);
    assert_string_equal(octstr_get_cstr(logged), "");
    assert_string_equal(c.smsbox_id, "parkbox");     /* not smsbox's "carrier" */
    assert_string_equal(c.smsc_id, "fake");
    assert_int_equal(c.bearerbox_port, 13001);
    assert_string_equal(c.bearerbox_host, "127.0.0.1");
    assert_int_equal(c.workers, 4);
    assert_int_equal(c.log_level, 1);                 /* core's log-level is not ours */
    assert_null(c.log_file);
    box_config_free(&c);
    octstr_destroy(logged);
}

/* ---- accepted values ---------------------------------------------------- */

struct ok_row {
    const char *name;
    const char *line;
    size_t offset;          /* of the field in struct box_config */
    const char *str;        /* expected string, or NULL for a number */
    long num;
};

#define F(field) offsetof(struct box_config, field)

static const struct ok_row ok_rows[] = {
    { "port 1", "bearerbox-port = 1", F(bearerbox_port), NULL, 1 },
    { "port 65535", "bearerbox-port = 65535", F(bearerbox_port), NULL, 65535 },
    { "confirm-timeout 10", "confirm-timeout = 10", F(confirm_timeout), NULL, 10 },
    { "confirm-timeout 86400", "confirm-timeout = 86400", F(confirm_timeout), NULL, 86400 },
    { "reminder-minutes 1", "reminder-minutes = 1", F(reminder_minutes), NULL, 1 },
    { "reminder-minutes 1440", "reminder-minutes = 1440", F(reminder_minutes), NULL, 1440 },
    { "max-hours 1", "max-hours = 1", F(max_hours), NULL, 1 },
    { "max-hours 168", "max-hours = 168", F(max_hours), NULL, 168 },
    { "workers 1", "workers = 1", F(workers), NULL, 1 },
    { "workers 100", "workers = 100", F(workers), NULL, 100 },
    { "workers quoted", "workers = \"12\"", F(workers), NULL, 12 },
    { "workers leading zero", "workers = 007", F(workers), NULL, 7 },
    { "log-level 4", "log-level = 4", F(log_level), NULL, 4 },
    { "hour-seconds 1", "hour-seconds = 1", F(hour_seconds), NULL, 1 },
    { "language en", "default-language = en", F(default_language), "en", 0 },
    { "language ru", "default-language = ru", F(default_language), "ru", 0 },
    { "plate-policy kz-only", "plate-policy = kz-only", F(plate_policy), "kz-only", 0 },
    { "service number 1 digit", "service-number = 1", F(service_number), "1", 0 },
    { "service number 31 digits", "service-number = 1234567890123456789012345678901",
      F(service_number), "1234567890123456789012345678901", 0 },
    { "confirm number with plus", "confirm-number = +77017701", F(confirm_number), "+77017701", 0 },
    { "pg-conninfo uri", "pg-conninfo = \"postgresql://park@db:5432/parking\"", F(pg_conninfo),
      "postgresql://park@db:5432/parking", 0 },
    { "smsc-id set", "smsc-id = kcell", F(smsc_id), "kcell", 0 },
    { "host name", "bearerbox-host = localhost", F(bearerbox_host), "localhost", 0 },
};

static void test_ok(void **state)
{
    const struct ok_row *r = *state;
    Octstr *text = octstr_format("group = parkbox\n" TEMPLATES "%s\n", r->line), *logged;
    struct box_config c;
    const char *field;

    assert_int_equal(load_text(octstr_get_cstr(text), &c, &logged), 0);
    assert_string_equal(octstr_get_cstr(logged), "");
    field = (const char *)&c + r->offset;
    if (r->str != NULL)
        assert_string_equal(*(char *const *)field, r->str);
    else
        assert_int_equal(*(const long *)field, r->num);
    box_config_free(&c);
    octstr_destroy(text);
    octstr_destroy(logged);
}

/* ---- refused files ------------------------------------------------------ */

struct bad_row {
    const char *name;
    const char *text;       /* the whole file; "%T" stands for the templates line */
    const char *log;        /* the exact ERROR lines; "%F" stands for the file's path */
};

#define G "group = parkbox\n" TEMPLATES
#define INT_ERR(key, v, lo, hi) \
    "ERROR: group 'parkbox': key '" key "': '" v "' is not a whole number from " lo " to " hi "\n"
#define NUM_ERR(key, v) \
    "ERROR: group 'parkbox': key '" key "': '" v "' is not a number of 1 to 31 digits\n"
#define CHOICE_ERR(key, v, words) \
    "ERROR: group 'parkbox': key '" key "': '" v "' is not one of: " words "\n"
#define EMPTY_ERR "ERROR: group 'parkbox': keys 'smsbox-id', 'bearerbox-host', 'templates' " \
    "and 'timezone' may not be empty\n"
#define CANNOT_READ "ERROR: cannot read configuration file '%F'\n"
#define LINE_ERR(n) "ERROR: Error found on line " n " of file `%F'.\n" CANNOT_READ

static const struct bad_row bad_rows[] = {
    /* the schema (gwlib names the group's last line, not the key's) */
    { "unknown key", G "colour = blue\n",
      "ERROR: Group 'parkbox' may not contain field 'colour'.\n" LINE_ERR("3") },
    { "key of another group", G "smsbox-port = 13001\n",
      "ERROR: Group 'parkbox' may not contain field 'smsbox-port'.\n" LINE_ERR("3") },
    { "unknown key before templates", "group = parkbox\nbearerbox_port = 13001\n" TEMPLATES,
      "ERROR: Group 'parkbox' may not contain field 'bearerbox_port'.\n" LINE_ERR("3") },
    /* a blank line ends a group: the keys after it belong to no group */
    { "blank line inside the group", "group = parkbox\n\n" TEMPLATES "workers = 2\n",
      "ERROR: Group does not contain variable 'group'.\n" LINE_ERR("4") },
    { "key before any group", "workers = 2\n\n" G,
      "ERROR: Group does not contain variable 'group'.\n" LINE_ERR("2") },
    { "group twice", G "workers = 3\n\ngroup = parkbox\n" TEMPLATES "workers = 2\n",
      "ERROR: configuration file '%F' has 2 'group = parkbox'; one is allowed\n" },
    { "group twice, quoted", G "\ngroup = \"parkbox\"\n" TEMPLATES,
      "ERROR: configuration file '%F' has 2 'group = parkbox'; one is allowed\n" },
    { "no parkbox group", "group = core\nadmin-port = 13000\n",
      "ERROR: configuration file '%F' has no 'group = parkbox'\n" },
    { "empty file", "", "ERROR: configuration file '%F' has no 'group = parkbox'\n" },
    { "templates empty", "group = parkbox\ntemplates = \"\"\n", EMPTY_ERR },
    /* numbers */
    { "workers not a number", G "workers = many\n", INT_ERR("workers", "many", "1", "100") },
    { "workers 0", G "workers = 0\n", INT_ERR("workers", "0", "1", "100") },
    { "workers 101", G "workers = 101\n", INT_ERR("workers", "101", "1", "100") },
    { "workers negative", G "workers = -4\n", INT_ERR("workers", "-4", "1", "100") },
    { "workers fraction", G "workers = 1.5\n", INT_ERR("workers", "1.5", "1", "100") },
    { "workers empty", G "workers = \"\"\n", INT_ERR("workers", "", "1", "100") },
    { "workers leading space", G "workers = \" 5\"\n", INT_ERR("workers", " 5", "1", "100") },
    { "workers plus sign", G "workers = +5\n", INT_ERR("workers", "+5", "1", "100") },
    { "workers hex", G "workers = 0x10\n", INT_ERR("workers", "0x10", "1", "100") },
    { "workers overflow", G "workers = 99999999999999999999\n",
      INT_ERR("workers", "99999999999999999999", "1", "100") },
    { "port name", G "bearerbox-port = smsbox\n",
      INT_ERR("bearerbox-port", "smsbox", "1", "65535") },
    { "port 0", G "bearerbox-port = 0\n", INT_ERR("bearerbox-port", "0", "1", "65535") },
    { "port 65536", G "bearerbox-port = 65536\n",
      INT_ERR("bearerbox-port", "65536", "1", "65535") },
    { "port with host", G "bearerbox-port = 127.0.0.1:13001\n",
      INT_ERR("bearerbox-port", "127.0.0.1:13001", "1", "65535") },
    { "reminder-minutes 0", G "reminder-minutes = 0\n",
      INT_ERR("reminder-minutes", "0", "1", "1440") },
    { "reminder-minutes 1441", G "reminder-minutes = 1441\n",
      INT_ERR("reminder-minutes", "1441", "1", "1440") },
    { "max-hours 0", G "max-hours = 0\n", INT_ERR("max-hours", "0", "1", "168") },
    { "max-hours 169", G "max-hours = 169\n", INT_ERR("max-hours", "169", "1", "168") },
    { "max-hours with unit", G "max-hours = 12h\n", INT_ERR("max-hours", "12h", "1", "168") },
    { "confirm-timeout 9", G "confirm-timeout = 9\n",
      INT_ERR("confirm-timeout", "9", "10", "86400") },
    { "confirm-timeout 86401", G "confirm-timeout = 86401\n",
      INT_ERR("confirm-timeout", "86401", "10", "86400") },
    { "log-level 5", G "log-level = 5\n", INT_ERR("log-level", "5", "0", "4") },
    { "log-level -1", G "log-level = -1\n", INT_ERR("log-level", "-1", "0", "4") },
    { "hour-seconds 0", G "hour-seconds = 0\n", INT_ERR("hour-seconds", "0", "1", "3600") },
    { "hour-seconds 3601", G "hour-seconds = 3601\n",
      INT_ERR("hour-seconds", "3601", "1", "3600") },
    /* choices */
    { "language de", G "default-language = de\n",
      CHOICE_ERR("default-language", "de", "ru kk en") },
    { "language upper case", G "default-language = RU\n",
      CHOICE_ERR("default-language", "RU", "ru kk en") },
    { "language kz (the command, not the code)", G "default-language = kz\n",
      CHOICE_ERR("default-language", "kz", "ru kk en") },
    { "language empty", G "default-language = \"\"\n",
      CHOICE_ERR("default-language", "", "ru kk en") },
    { "language two words", G "default-language = \"ru kk\"\n",
      CHOICE_ERR("default-language", "ru kk", "ru kk en") },
    { "language all words", G "default-language = \"ru kk en\"\n",
      CHOICE_ERR("default-language", "ru kk en", "ru kk en") },
    { "plate-policy any", G "plate-policy = any\n",
      CHOICE_ERR("plate-policy", "any", "kz-only allow-other") },
    { "plate-policy prefix", G "plate-policy = kz\n",
      CHOICE_ERR("plate-policy", "kz", "kz-only allow-other") },
    { "plate-policy suffix", G "plate-policy = only\n",
      CHOICE_ERR("plate-policy", "only", "kz-only allow-other") },
    { "plate-policy both", G "plate-policy = \"kz-only allow-other\"\n",
      CHOICE_ERR("plate-policy", "kz-only allow-other", "kz-only allow-other") },
    /* numbers and strings */
    { "service number letters", G "service-number = PARK\n", NUM_ERR("service-number", "PARK") },
    { "service number empty", G "service-number = \"\"\n", NUM_ERR("service-number", "") },
    { "service number plus only", G "service-number = +\n", NUM_ERR("service-number", "+") },
    { "service number 32 digits", G "service-number = 12345678901234567890123456789012\n",
      NUM_ERR("service-number", "12345678901234567890123456789012") },
    { "service number space", G "service-number = \"77 57\"\n", NUM_ERR("service-number", "77 57") },
    { "confirm number two plus", G "confirm-number = ++7701\n", NUM_ERR("confirm-number", "++7701") },
    { "same numbers", G "confirm-number = 7757\n",
      "ERROR: group 'parkbox': keys 'service-number' and 'confirm-number' must differ\n" },
    { "same numbers both set", G "service-number = 100\nconfirm-number = 100\n",
      "ERROR: group 'parkbox': keys 'service-number' and 'confirm-number' must differ\n" },
    { "smsbox-id empty", G "smsbox-id = \"\"\n", EMPTY_ERR },
    { "bearerbox-host empty", G "bearerbox-host = \"\"\n", EMPTY_ERR },
    { "templates empty", "group = parkbox\ntemplates = \"\"\n", EMPTY_ERR },
    { "timezone empty", G "timezone = \"\"\n", EMPTY_ERR },
};

/* `pattern` with "%F" replaced by the configuration file's path. */
static Octstr *expand(const char *pattern)
{
    Octstr *s = octstr_create(pattern);

    octstr_replace(s, octstr_imm("%F"), octstr_imm(conf_path));
    return s;
}

static void test_bad(void **state)
{
    const struct bad_row *r = *state;
    Octstr *want = expand(r->log), *logged;
    struct box_config c;

    memset(&c, 0x5A, sizeof(c));
    assert_int_equal(load_text(r->text, &c, &logged), -1);
    assert_string_equal(octstr_get_cstr(logged), octstr_get_cstr(want));
    assert_strings_null(&c);        /* nothing left allocated or dangling */
    box_config_free(&c);            /* and freeing again is harmless */
    octstr_destroy(want);
    octstr_destroy(logged);
}

static void test_unreadable_file(void **state)
{
    struct box_config c;
    long from = log_size();
    Octstr *logged;

    (void)state;
    assert_int_equal(box_config_load("/nonexistent/parkbox.conf", &c), -1);
    logged = log_since(from);
    assert_string_equal(octstr_get_cstr(logged),
                        "ERROR: fopen failed: couldn't open `/nonexistent/parkbox.conf'\n"
                        "ERROR: System error 2: No such file or directory\n"
                        "ERROR: cannot read configuration file '/nonexistent/parkbox.conf'\n");
    assert_strings_null(&c);
    octstr_destroy(logged);
}

static void test_free_null_and_zeroed(void **state)
{
    struct box_config c;

    (void)state;
    memset(&c, 0, sizeof(c));
    box_config_free(NULL);
    box_config_free(&c);
    assert_strings_null(&c);
}

/* box_config_from over one key's value; every other key is absent. */
static const char *from_key, *from_value;

static Octstr *one_key(void *arg, const char *key)
{
    (void)arg;
    return strcmp(key, from_key) == 0 ? octstr_create(from_value) : NULL;
}

/* Found by tests/fuzz/fuzz_config.c: a group refused after the integers were read left
   them set, though the header promises a zeroed struct. */
static void test_from_refused_is_zeroed(void **state)
{
    static const struct box_config zero;
    struct box_config c;

    (void)state;
    from_key = "default-language", from_value = "ru kk";
    memset(&c, 0x55, sizeof(c));
    assert_int_equal(box_config_from(one_key, NULL, &c), -1);
    assert_memory_equal(&c, &zero, sizeof(c));
    from_key = "max-hours", from_value = "168";
    assert_int_equal(box_config_from(one_key, NULL, &c), 0);
    assert_int_equal(c.max_hours, 168);
    assert_string_equal(c.default_language, "ru");
    box_config_free(&c);
}

int main(void)
{
    const struct CMUnitTest whole[] = {
        cmocka_unit_test(test_from_refused_is_zeroed),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_shipped_sample),
        cmocka_unit_test(test_whole_kannel_conf),
        cmocka_unit_test(test_unreadable_file),
        cmocka_unit_test(test_free_null_and_zeroed),
    };
    int failed = 0;

    snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_box_config.XXXXXX");
    if (mkdtemp(tmpdir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(conf_path, sizeof(conf_path), "%s/parkbox.conf", tmpdir);
    snprintf(log_path, sizeof(log_path), "%s/gwlib.log", tmpdir);

    gwlib_init();
    log_set_output_level(GW_PANIC);     /* the expected errors go to log_path only */
    log_open(log_path, GW_DEBUG, GW_NON_EXCL);
    box_config_add_hooks();

    failed += cmocka_run_group_tests_name("box_config", whole, NULL, NULL);
    failed += run_table("box_config_accepts", test_ok, ok_rows, sizeof(ok_rows[0]), N(ok_rows),
                        NULL, NULL);
    failed += run_table("box_config_refuses", test_bad, bad_rows, sizeof(bad_rows[0]),
                        N(bad_rows), NULL, NULL);

    gwlib_shutdown();
    unlink(conf_path);
    unlink(log_path);
    rmdir(tmpdir);
    return failed;
}
