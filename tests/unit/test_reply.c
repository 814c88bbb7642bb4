/* test_reply.c: reply templates: SMS accounting, parse errors, rendering, and the
 * shipped templates/replies.conf in every language. Every table row is its own
 * cmocka test. Run from the repository root (the real file is read from there). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reply.h"
#include "table.h"

#define REPLIES_FILE "templates/replies.conf"

static char *repeat(const char *unit, size_t n)
{
    size_t len = strlen(unit), i;
    char *s = malloc(len * n + 1);

    assert_non_null(s);
    for (i = 0; i < n; i++)
        memcpy(s + i * len, unit, len);
    s[len * n] = '\0';
    return s;
}

/* ---- SMS accounting ---- */
struct measure_case { const char *name; const char *a; size_t na; const char *b; size_t nb;
                      const char *c; int rc; size_t chars; int ucs2, parts; };
/* text = a x na + b x nb + c */
static const struct measure_case MEASURES[] = {
    { "empty", "", 0, "", 0, "", 0, 0, 0, 1 },
    { "ASCII word", "Hello", 1, "", 0, "", 0, 5, 0, 1 },
    { "160 GSM chars: 1 part", "a", 160, "", 0, "", 0, 160, 0, 1 },
    { "161 GSM chars: 2 parts", "a", 161, "", 0, "", 0, 161, 0, 2 },
    { "306 GSM chars: 2 parts", "a", 306, "", 0, "", 0, 306, 0, 2 },
    { "307 GSM chars: 3 parts", "a", 307, "", 0, "", 0, 307, 0, 3 },
    { "euro is an extension char", "\xE2\x82\xAC", 1, "", 0, "", 0, 1, 0, 1 },
    { "80 euros = 160 septets: 1 part", "\xE2\x82\xAC", 80, "", 0, "", 0, 80, 0, 1 },
    { "81 euros = 162 septets: 2 parts", "\xE2\x82\xAC", 81, "", 0, "", 0, 81, 0, 2 },
    { "extension char not split across parts", "a", 152, "[", 1, "", 0, 0, 0, 0 },
    { "GSM default alphabet", "@\xC2\xA3$\xC2\xA5\xC3\xA8\xC3\xA9\xC3\xB9\xC3\xAC\xC3\xB2"
      "\xC3\x87\n\xC3\x98\xC3\xB8\r\xC3\x85\xC3\xA5\xCE\x94_\xCE\xA6\xCE\x93\xCE\x9B\xCE\xA9"
      "\xCE\xA0\xCE\xA8\xCE\xA3\xCE\x98\xCE\x9E\xC3\x86\xC3\xA6\xC3\x9F\xC3\x89", 1,
      " !\"#\xC2\xA4%&'()*+,-./0123456789:;<=>?\xC2\xA1"
      "ABCDEFGHIJKLMNOPQRSTUVWXYZ\xC3\x84\xC3\x96\xC3\x91\xC3\x9C\xC2\xA7\xC2\xBF", 1,
      "abcdefghijklmnopqrstuvwxyz\xC3\xA4\xC3\xB6\xC3\xB1\xC3\xBC\xC3\xA0", 0, 127, 0, 1 },
    { "GSM extension table", "^{}\\[~]|\xE2\x82\xAC\f", 1, "", 0, "", 0, 10, 0, 1 },
    { "backtick needs UCS-2", "a`b", 1, "", 0, "", 0, 3, 1, 1 },
    { "tenge sign needs UCS-2", "150 \xE2\x82\xB8", 1, "", 0, "", 0, 5, 1, 1 },
    { "lower-case c cedilla needs UCS-2", "\xC3\xA7", 1, "", 0, "", 0, 1, 1, 1 },
    { "tab needs UCS-2", "a\tb", 1, "", 0, "", 0, 3, 1, 1 },
    { "Cyrillic word", "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82", 1, "", 0, "", 0,
      6, 1, 1 },
    { "70 Cyrillic: 1 part", "\xD0\xB6", 70, "", 0, "", 0, 70, 1, 1 },
    { "71 Cyrillic: 2 parts", "\xD0\xB6", 71, "", 0, "", 0, 71, 1, 2 },
    { "134 Cyrillic: 2 parts", "\xD0\xB6", 134, "", 0, "", 0, 134, 1, 2 },
    { "135 Cyrillic: 3 parts", "\xD0\xB6", 135, "", 0, "", 0, 135, 1, 3 },
    { "Kazakh letters", "\xD2\x9B\xD3\x99\xD2\xA3\xD3\xA9\xD2\xB1\xD2\xAF\xD1\x96", 1, "", 0,
      "", 0, 7, 1, 1 },
    { "35 emoji = 70 UTF-16 units: 1 part", "\xF0\x9F\x98\x80", 35, "", 0, "", 0, 35, 1, 1 },
    { "36 emoji = 72 UTF-16 units: 2 parts", "\xF0\x9F\x98\x80", 36, "", 0, "", 0, 36, 1, 2 },
    { "truncated UTF-8", "a\xC3", 1, "", 0, "", -1, 0, 0, 0 },
    { "overlong UTF-8", "\xC0\xAF", 1, "", 0, "", -1, 0, 0, 0 },
    { "UTF-8 surrogate", "\xED\xA0\x80", 1, "", 0, "", -1, 0, 0, 0 },
    { "beyond U+10FFFF", "\xF4\x90\x80\x80", 1, "", 0, "", -1, 0, 0, 0 },
};

static void test_measure(void **state)
{
    const struct measure_case *c = *state;
    char *a = repeat(c->a, c->na), *b = repeat(c->b, c->nb), *text;
    size_t chars = 99;
    int ucs2 = 99, parts = 99;

    text = malloc(strlen(a) + strlen(b) + strlen(c->c) + 1);
    assert_non_null(text);
    strcpy(text, a);
    strcat(text, b);
    strcat(text, c->c);
    assert_int_equal(reply_measure(text, strlen(text), &chars, &ucs2, &parts), c->rc);
    if (c->rc == 0 && c->parts > 0) {
        assert_int_equal(chars, c->chars);
        assert_int_equal(ucs2, c->ucs2);
        assert_int_equal(parts, c->parts);
    }
    free(a);
    free(b);
    free(text);
}

/* 152 GSM chars, '[' (2 septets) and 152 more: 306 septets would fit 2 parts
 * of 153, but '[' cannot be split so it opens part 2 and the text needs 3. */
static void test_measure_split(void **state)
{
    char *a = repeat("a", 152), text[400];
    size_t chars;
    int ucs2, parts;

    (void)state;
    snprintf(text, sizeof text, "%s[%s", a, a);
    assert_int_equal(reply_measure(text, strlen(text), &chars, &ucs2, &parts), 0);
    assert_int_equal(chars, 305);
    assert_int_equal(ucs2, 0);
    assert_int_equal(parts, 3);
    free(a);
}

/* ---- parsing: a minimal complete [ru] section is built from reply_keys() ---- */

/* "key = <key>\n" for every key except `skip` (NULL for none, "*" for all). */
static char *ru_body(const char *skip)
{
    const char *const *k;
    size_t size = 1, pos = 0;
    char *s;

    for (k = reply_keys(); *k; k++)
        size += 2 * strlen(*k) + 5;
    s = malloc(size);
    assert_non_null(s);
    s[0] = '\0';
    for (k = reply_keys(); *k; k++)
        if (skip == NULL || (strcmp(*k, skip) != 0 && strcmp(skip, "*") != 0))
            pos += (size_t)sprintf(s + pos, "%s = %s\n", *k, *k);
    return s;
}

/* prefix + ru_body(skip) + suffix */
static char *make_file(const char *prefix, const char *skip, const char *suffix)
{
    char *body = ru_body(skip), *s;

    s = malloc(strlen(prefix) + strlen(body) + strlen(suffix) + 1);
    assert_non_null(s);
    sprintf(s, "%s%s%s", prefix, body, suffix);
    free(body);
    return s;
}

struct parse_case { const char *name; const char *prefix; const char *skip;
                    const char *suffix; const char *err; /* NULL: parses */ };
static const struct parse_case PARSES[] = {
    { "minimal file", "[ru]\n", NULL, "", NULL },
    { "comments and blank lines", "# c\n\n  # indented\n[ru]\n\n", NULL, "# end", NULL },
    { "CRLF lines", "[kk]\r\nhelp = h\r\n[ru]\r\nhelp = h\r\n", "help", "", NULL },
    { "byte order mark", "\xEF\xBB\xBF[ru]\n", NULL, "", NULL },
    { "spaces in section header", "[ ru ]\n", NULL, "", NULL },
    { "text containing = and #", "[ru]\nhelp = a = b # c\n", "help", "", NULL },
    { "empty file", "", "*", "", "missing key confirm_start in [ru]" },
    { "comments only", "# nothing\n", "*", "", "missing key confirm_start in [ru]" },
    { "keys before any section", "", NULL, "",
      "line 1: key outside a section (start with [ru])" },
    { "missing ru key", "[ru]\n", "help", "", "missing key help in [ru]" },
    { "ru keys only in kk", "[kk]\n", NULL, "", "missing key confirm_start in [ru]" },
    { "key before any section", "help = x\n[ru]\n", NULL, "",
      "line 1: key outside a section (start with [ru])" },
    { "unknown section", "[ru]\n", NULL, "[de]\n",
      "line 77: unknown section [de] (known: ru, kk, en)" },
    { "unknown key", "[ru]\nhelps = x\n", NULL, "", "line 2: unknown key helps" },
    { "unknown field", "[ru]\nstarted = {zone} {amout}\n", "started", "",
      "line 2: unknown field {amout} in key started" },
    { "field of another key", "[ru]\nhelp = {amount}\n", "help", "",
      "line 2: unknown field {amount} in key help" },
    { "known case", "[ru]\nended = {end:dat} {end:loc}\n", "ended", "", NULL },
    { "unknown case", "[ru]\nended = {end:abl}\n", "ended", "",
      "line 2: unknown case in {end:abl} in key ended (dat or loc)" },
    { "case of an unknown field", "[ru]\nended = {ending:dat}\n", "ended", "",
      "line 2: unknown field {ending} in key ended" },
    { "upper-case field name", "[ru]\nended = {END}\n", "ended", "",
      "line 2: bad field name {END} in key ended" },
    { "unterminated field", "[ru]\nended = till {end\n", "ended", "",
      "line 2: unterminated { in key ended" },
    { "unknown escape", "[ru]\nhelp = a\\tb\n", "help", "",
      "line 2: bad escape (only \\n and \\\\ are known)" },
    { "backslash at the end", "[ru]\nhelp = a\\\n", "help", "",
      "line 2: bad escape (only \\n and \\\\ are known)" },
    { "repeated key", "[ru]\nhelp = a\n", NULL, "", "line 26: key help repeated in [ru]" },
    { "empty text", "[ru]\nhelp =   \n", "help", "", "line 2: empty text for key help" },
    { "no equals sign", "[ru]\nhelp\n", NULL, "", "line 2: expected key = text" },
    { "invalid UTF-8", "[ru]\n\n# \xD0\n", NULL, "", "line 3: invalid UTF-8" },
    { "NUL byte", "[ru]\nhelp = a\0b\n", NULL, "", "line 2: NUL byte" },
};

static void test_parse(void **state)
{
    const struct parse_case *c = *state;
    char *file = make_file(c->prefix, c->skip, c->suffix), err[160];
    size_t len = strlen(file);
    struct reply_templates *t;

    /* The NUL case: the prefix holds a NUL, so count its bytes explicitly. */
    if (strcmp(c->name, "NUL byte") == 0) {
        char *body = ru_body(NULL);
        free(file);
        len = sizeof "[ru]\nhelp = a\0b\n" - 1 + strlen(body);
        file = malloc(len);
        assert_non_null(file);
        /* file is a counted buffer with a NUL inside on purpose, not a string */
        // NOLINTNEXTLINE(bugprone-not-null-terminated-result)
        memcpy(file, "[ru]\nhelp = a\0b\n", sizeof "[ru]\nhelp = a\0b\n" - 1);
        // NOLINTNEXTLINE(bugprone-not-null-terminated-result)
        memcpy(file + sizeof "[ru]\nhelp = a\0b\n" - 1, body, strlen(body));
        free(body);
    }
    strcpy(err, "untouched");
    t = reply_templates_parse(file, len, err, sizeof err);
    if (c->err == NULL) {
        assert_non_null(t);
        assert_string_equal(err, "");
    } else {
        assert_null(t);
        assert_string_equal(err, c->err);
    }
    reply_templates_destroy(t);
    free(file);
}

static void test_parse_too_long(void **state)
{
    char *text = repeat("a", 601), *prefix, err[160];
    struct reply_templates *t;
    char *file;

    (void)state;
    prefix = malloc(strlen(text) + 32);
    assert_non_null(prefix);
    sprintf(prefix, "[ru]\nhelp = %s\n", text);
    file = make_file(prefix, "help", "");
    t = reply_templates_parse(file, strlen(file), err, sizeof err);
    assert_null(t);
    assert_string_equal(err, "line 2: text of key help longer than 600 bytes");
    /* 600 bytes is accepted */
    sprintf(prefix, "[ru]\nhelp = %s\n", text + 1);
    free(file);
    file = make_file(prefix, "help", "");
    t = reply_templates_parse(file, strlen(file), err, sizeof err);
    assert_non_null(t);
    reply_templates_destroy(t);
    free(file);
    free(prefix);
    free(text);
}

static void test_parse_small_err(void **state)
{
    char err[8];

    (void)state;
    assert_null(reply_templates_parse("[xx]\n", 5, err, sizeof err));
    assert_string_equal(err, "line 1:");
    assert_null(reply_templates_parse("[xx]\n", 5, NULL, 0));
    reply_templates_destroy(NULL);
}

/* ---- rendering ---- */
static const char *RENDER_FILE =
    "[ru]\n"
    "ended = Парковка {plate} закончилась в {end}: зона {zone} {zone_name}.\n"
    "help = Строка 1\\nСтрока 2 \\\\ }\n"
    "zone_unknown = Зоны {zone} нет.\n"
    "[kk]\n"
    "ended = {plate}: {end}\n"
    "status_session = {end:dat} дейін; {end:loc}; {plate:dat}; {zone_name:loc}.\n"
    "[en]\n"
    "ended = Parking of {plate} ended at {end}: zone {zone} {zone_name}.\n"
    "zone_unknown = No zone {zone}\n";

/* Group setup: RENDER_T = [ru] body without the three keys RENDER_FILE sets, then
 * RENDER_FILE's sections. (Rows carry their own state, so the group's is unused.) */
static struct reply_templates *RENDER_T;

static int render_setup(void **state)
{
    const char *k[] = { "ended", "help", "zone_unknown" };
    char *body = ru_body(NULL), *file, *s, err[160], line[64];
    size_t i;

    (void)state;
    for (i = 0; i < N(k); i++) {
        snprintf(line, sizeof line, "%s = %s\n", k[i], k[i]);
        s = strstr(body, line);
        assert_non_null(s);
        memmove(s, s + strlen(line), strlen(s + strlen(line)) + 1);
    }
    file = malloc(strlen(body) + strlen(RENDER_FILE) + 8);
    assert_non_null(file);
    sprintf(file, "[ru]\n%s%s", body, RENDER_FILE);
    RENDER_T = reply_templates_parse(file, strlen(file), err, sizeof err);
    if (RENDER_T == NULL)
        fprintf(stderr, "render_setup: %s\n", err);
    free(body);
    free(file);
    return RENDER_T ? 0 : -1;
}

static int render_teardown(void **state)
{
    (void)state;
    reply_templates_destroy(RENDER_T);
    RENDER_T = NULL;
    return 0;
}

static const struct reply_field F_ALL[] = {
    { "plate", "123AAA02" }, { "end", "11:05" }, { "zone", "1001" },
    { "zone_name", "Green Market" },
};
static const struct reply_field F_TIMES[] = {
    { "plate", "24" }, { "end", "12:00" }, { "zone", "1001" }, { "zone_name", "20" },
};
static const struct reply_field F_NO_END[] = {
    { "plate", "123AAA02" }, { "zone", "1001" }, { "zone_name", "Green Market" },
};
static const struct reply_field F_NULL_END[] = {
    { "plate", "123AAA02" }, { "end", NULL }, { "zone", "1001" },
    { "zone_name", "Green Market" },
};
static const struct reply_field F_BRACES[] = {
    { "plate", "{zone}" }, { "end", "11:05" }, { "zone", "1001" }, { "zone_name", "GM" },
};
static const struct reply_field F_BAD_UTF8[] = {
    { "plate", "\xD0" }, { "end", "11:05" }, { "zone", "1001" }, { "zone_name", "GM" },
};

struct render_case { const char *name; const char *lang, *key;
                     const struct reply_field *fields; size_t nfields; int rc;
                     const char *want; size_t chars; int ucs2, parts; };
static const struct render_case RENDERS[] = {
    { "ru with all fields", "ru", "ended", F_ALL, 4, 0,
      "Парковка 123AAA02 закончилась в 11:05: зона 1001 Green Market.", 62, 1, 1 },
    { "en is GSM", "en", "ended", F_ALL, 4, 0,
      "Parking of 123AAA02 ended at 11:05: zone 1001 Green Market.", 59, 0, 1 },
    { "kk own text", "kk", "ended", F_ALL, 4, 0, "123AAA02: 11:05", 15, 0, 1 },
    { "kk endings after numbers; none after letters", "kk", "status_session", F_ALL, 4, 0,
      "11:05-ке дейін; 11:05-те; 123AAA02-ге; Green Market.", 52, 1, 1 },
    { "kk endings after 00 and 20", "kk", "status_session", F_TIMES, 4, 0,
      "12:00-ге дейін; 12:00-де; 24-ке; 20-да.", 39, 1, 1 },
    { "kk falls back to ru", "kk", "zone_unknown", F_ALL, 4, 0, "Зоны 1001 нет.", 14, 1, 1 },
    { "unknown language falls back to ru", "de", "zone_unknown", F_ALL, 4, 0,
      "Зоны 1001 нет.", 14, 1, 1 },
    { "NULL language is ru", NULL, "zone_unknown", F_ALL, 4, 0, "Зоны 1001 нет.", 14, 1, 1 },
    { "escapes", "ru", "help", NULL, 0, 0, "Строка 1\nСтрока 2 \\ }", 21, 1, 1 },
    { "values are not re-expanded", "en", "ended", F_BRACES, 4, 0,
      "Parking of {zone} ended at 11:05: zone 1001 GM.", 47, 0, 1 },
    { "extra fields are ignored", "en", "zone_unknown", F_ALL, 4, 0, "No zone 1001", 12, 0, 1 },
    { "missing field", "en", "ended", F_NO_END, 3, -1, "", 0, 0, 0 },
    { "NULL field value", "en", "ended", F_NULL_END, 4, -1, "", 0, 0, 0 },
    { "invalid UTF-8 in a value", "en", "ended", F_BAD_UTF8, 4, -1, "", 0, 0, 0 },
    { "unknown key", "ru", "no_such_key", F_ALL, 4, -1, "", 0, 0, 0 },
    { "NULL key", "ru", NULL, F_ALL, 4, -1, "", 0, 0, 0 },
};

static void test_render(void **state)
{
    const struct render_case *c = *state;
    struct reply_text out;

    memset(&out, 'Z', sizeof out);
    assert_int_equal(reply_render(RENDER_T, c->lang, c->key, c->fields, c->nfields, &out),
                     c->rc);
    assert_string_equal(out.text, c->want);
    if (c->chars > 0) {
        assert_int_equal(out.chars, c->chars);
    }
    assert_int_equal(out.ucs2, c->ucs2);
    assert_int_equal(out.parts, c->parts);
}

/* A value that fills REPLY_MAX-1 bytes renders; one byte more fails. */
static void test_render_too_long(void **state)
{
    char *big = repeat("\xD0\xB6", 600), err[160], *file, prefix[64];
    struct reply_templates *t;
    struct reply_field f = { "zone", big };
    struct reply_text out;

    (void)state;
    snprintf(prefix, sizeof prefix, "[ru]\nzone_unknown = {zone}\n");
    file = make_file(prefix, "zone_unknown", "");
    t = reply_templates_parse(file, strlen(file), err, sizeof err);
    assert_non_null(t);
    big[REPLY_MAX - 1] = '\0'; /* 1023 bytes: fits with the NUL */
    big[REPLY_MAX - 2] = '\0'; /* ...but keep it valid UTF-8: 1022 bytes */
    assert_int_equal(reply_render(t, "ru", "zone_unknown", &f, 1, &out), 0);
    assert_int_equal(out.chars, 511);
    assert_int_equal(out.parts, 8);
    big[REPLY_MAX - 2] = '\xD0';
    big[REPLY_MAX] = '\0';  /* 1024 bytes: too long */
    assert_int_equal(reply_render(t, "ru", "zone_unknown", &f, 1, &out), -1);
    assert_string_equal(out.text, "");
    reply_templates_destroy(t);
    free(file);
    free(big);
}

static void test_languages(void **state)
{
    (void)state;
    assert_int_equal(reply_language_known(RENDER_T, "ru"), 1);
    assert_int_equal(reply_language_known(RENDER_T, "kk"), 1);
    assert_int_equal(reply_language_known(RENDER_T, "en"), 1);
    assert_int_equal(reply_language_known(RENDER_T, "de"), 0);
    assert_int_equal(reply_language_known(RENDER_T, NULL), 0);
    assert_int_equal(reply_language_known(NULL, "ru"), 0);
}

static void test_keys(void **state)
{
    const char *const *k;
    size_t n = 0;

    (void)state;
    for (k = reply_keys(); *k; k++, n++)
        assert_non_null(reply_key_fields(*k));
    assert_int_equal(n, REPLY_KEY_COUNT);
    assert_int_equal(n, 75);
    assert_null(reply_key_fields("nope"));
    assert_null(reply_key_fields(NULL));
    assert_string_equal(reply_key_fields("which_car")[0], "plates");
    assert_null(reply_key_fields("help")[0]);
    assert_string_equal(reply_key_fields("zone_info")[2], "tariff");
    assert_string_equal(reply_key_fields("zone_info_inactive")[3], "blocks");
    assert_string_equal(reply_key_fields("zone_info_more")[0], "count");
    assert_null(reply_key_fields("plate_reason_bad_region")[0]);
}

/* The new keys accept exactly their fields. */
static void test_zone_info_fields(void **state)
{
    char err[160], *file;
    struct reply_templates *t;
    const struct reply_field f[] = { { "zone", "1001" }, { "zone_name", "Green Market" },
                                     { "tariff", "150" }, { "blocks", "Zenkov: A-B" },
                                     { "count", "3" } };
    struct reply_text out;

    (void)state;
    file = make_file("[ru]\nzone_info = {zone} {zone_name} {tariff}/h: {blocks}\n"
                     "zone_info_more = +{count}\n", NULL, "");
    t = reply_templates_parse(file, strlen(file), err, sizeof err);
    assert_null(t);            /* repeated keys: the body has them too */
    free(file);
    file = make_file("[en]\nzone_info = {zone} {zone_name} {tariff}/h: {blocks}\n"
                     "zone_info_more = +{count}\n[ru]\n", NULL, "");
    t = reply_templates_parse(file, strlen(file), err, sizeof err);
    assert_non_null(t);
    assert_int_equal(reply_render(t, "en", "zone_info", f, N(f), &out), 0);
    assert_string_equal(out.text, "1001 Green Market 150/h: Zenkov: A-B");
    assert_int_equal(reply_render(t, "en", "zone_info_more", f, N(f), &out), 0);
    assert_string_equal(out.text, "+3");
    reply_templates_destroy(t);
    free(file);
    file = make_file("[ru]\nzone_info_more = {blocks}\n", "zone_info_more", "");
    assert_null(reply_templates_parse(file, strlen(file), err, sizeof err));
    assert_string_equal(err, "line 2: unknown field {blocks} in key zone_info_more");
    free(file);
    file = make_file("[ru]\nplate_reason_empty = {reason}\n", "plate_reason_empty", "");
    assert_null(reply_templates_parse(file, strlen(file), err, sizeof err));
    assert_string_equal(err, "line 2: unknown field {reason} in key plate_reason_empty");
    free(file);
}

/* ---- the shipped templates/replies.conf ---- */
static struct reply_templates *REAL_T;

static int real_setup(void **state)
{
    FILE *f = fopen(REPLIES_FILE, "rb");
    static char buf[64 * 1024];
    size_t n;
    char err[200];

    (void)state;
    if (f == NULL) {
        fprintf(stderr, "cannot open %s (run from the repository root)\n", REPLIES_FILE);
        return -1;
    }
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (n == sizeof buf)
        return -1;
    REAL_T = reply_templates_parse(buf, n, err, sizeof err);
    if (REAL_T == NULL)
        fprintf(stderr, "%s: %s\n", REPLIES_FILE, err);
    return REAL_T ? 0 : -1;
}

static int real_teardown(void **state)
{
    (void)state;
    reply_templates_destroy(REAL_T);
    REAL_T = NULL;
    return 0;
}

/* Realistic values; the zone number and plate occur in no template text. */
static void sample_fields(const char *lang, struct reply_field *f, size_t *n)
{
    static const char *const names[] = {
        "amount", "account_used", "to_pay", "zone", "zone_name", "plate", "hours", "start",
        "end", "minutes", "cost", "to_account", "balance", "minutes_left", "plates",
        "max_hours", "plate_text", "reason", "tariff", "blocks", "count", "method", "payment",
        "last_digits", "receipt", "until", "car_suffix", "cars", "letter", "paid_hours",
        "part", "parts",
    };
    const char *values[] = {
        "150.50", "50", "100.50", "2107", "Republican Square", "345KZA02", "1", "10:05",
        "11:05", "42", "105", "45.50", "45.50", "10", "345KZA02, A111AAA", "12", "345KZA2",
        "region must be 01-20", "150",
        "Dostyk: Zhibek Zholy-Gogol; +5 more: 2107*ALL", "4", "phone account", "receipt 1234567",
        "1234", "1234567", "10:10", "*345KZA02",
        /* one value on two lines, not a missing comma */
        // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
        "345KZA02: zone 2107 Republican Square until 11:05; A111AAA: zone 1001 Green Market "
        "until 11:05", "D", "Mon-Sat 08:00-20:00", "2", "3",
    };
    size_t i;

    if (strcmp(lang, "en") != 0) {           /* and what method_card and paid_receipt render */
        values[4] = strcmp(lang, "ru") == 0 ? "Республиканская площадь" : "Республика алаңы";
        values[21] = strcmp(lang, "ru") == 0 ? "карта •••• 1234" : "банк картасы •••• 1234";
        values[22] = strcmp(lang, "ru") == 0 ? "чек №1234567" : "түбіртек №1234567";
        values[28] = "Д";
        values[29] = strcmp(lang, "ru") == 0 ? "пн–сб 08:00–20:00" : "дс–сб 08:00–20:00";
        values[27] = strcmp(lang, "ru") == 0
            ? "345KZA02: зона 2107 Республиканская площадь до 11:05; A111AAA: зона 1001 Green "
              "Market до 11:05"
            : "345KZA02: аймақ 2107 Республика алаңы, 11:05 дейін; A111AAA: аймақ 1001 Green "
              "Market, 11:05 дейін";
    }
    for (i = 0; i < N(names); i++) {
        f[i].name = names[i];
        f[i].value = values[i];
    }
    *n = N(names);
}

struct real_case { const char *name; const char *lang; const char *key; };
#define LANG_KEYS(l) \
    { l ":confirm_start", l, "confirm_start" }, { l ":confirm_extend", l, "confirm_extend" }, \
    { l ":started", l, "started" }, { l ":extended", l, "extended" }, \
    { l ":declined", l, "declined" }, { l ":no_pending", l, "no_pending" }, \
    { l ":pending_expired", l, "pending_expired" }, { l ":stopped", l, "stopped" }, \
    { l ":reminder", l, "reminder" }, { l ":ended", l, "ended" }, \
    { l ":status_session", l, "status_session" }, { l ":status_none", l, "status_none" }, \
    { l ":status_balance", l, "status_balance" }, { l ":help", l, "help" }, \
    { l ":language_set", l, "language_set" }, { l ":already_parked", l, "already_parked" }, \
    { l ":which_car", l, "which_car" }, { l ":no_session", l, "no_session" }, \
    { l ":max_duration", l, "max_duration" }, { l ":payment_failed", l, "payment_failed" }, \
    { l ":zone_unknown", l, "zone_unknown" }, { l ":zone_inactive", l, "zone_inactive" }, \
    { l ":err_empty", l, "err_empty" }, { l ":err_too_long", l, "err_too_long" }, \
    { l ":err_bad_utf8", l, "err_bad_utf8" }, { l ":err_unknown", l, "err_unknown" }, \
    { l ":err_zone_format", l, "err_zone_format" }, \
    { l ":err_too_many_fields", l, "err_too_many_fields" }, \
    { l ":err_missing_field", l, "err_missing_field" }, { l ":err_plate", l, "err_plate" }, \
    { l ":err_hours", l, "err_hours" }, { l ":temporary_failure", l, "temporary_failure" }, \
    { l ":rate_limited", l, "rate_limited" }, \
    { l ":zone_info", l, "zone_info" }, { l ":zone_info_inactive", l, "zone_info_inactive" }, \
    { l ":zone_info_more", l, "zone_info_more" }, \
    { l ":plate_reason_empty", l, "plate_reason_empty" }, \
    { l ":plate_reason_too_long", l, "plate_reason_too_long" }, \
    { l ":plate_reason_bad_utf8", l, "plate_reason_bad_utf8" }, \
    { l ":plate_reason_bad_char", l, "plate_reason_bad_char" }, \
    { l ":plate_reason_bad_region", l, "plate_reason_bad_region" }, \
    { l ":plate_reason_unknown_format", l, "plate_reason_unknown_format" }, \
    { l ":payment_no_funds", l, "payment_no_funds" }, \
    { l ":payment_denied", l, "payment_denied" }, \
    { l ":payment_unknown_user", l, "payment_unknown_user" }, \
    { l ":payment_unavailable", l, "payment_unavailable" }, \
    { l ":payment_checking", l, "payment_checking" }, \
    { l ":payment_in_progress", l, "payment_in_progress" }, \
    { l ":payment_credited", l, "payment_credited" }, \
    { l ":method_wallet", l, "method_wallet" }, { l ":method_phone", l, "method_phone" }, \
    { l ":method_card", l, "method_card" }, { l ":paid_receipt", l, "paid_receipt" }, \
    { l ":paid_from_account", l, "paid_from_account" }, \
    { l ":confirm_start_plain", l, "confirm_start_plain" }, \
    { l ":confirm_extend_plain", l, "confirm_extend_plain" }, \
    { l ":confirm_how", l, "confirm_how" }, { l ":confirm_elsewhere", l, "confirm_elsewhere" }, \
    { l ":pending_replaced", l, "pending_replaced" }, \
    { l ":parked_by_other", l, "parked_by_other" }, { l ":not_parked", l, "not_parked" }, \
    { l ":status_list", l, "status_list" }, { l ":status_car", l, "status_car" }, \
    { l ":status_pending", l, "status_pending" }, \
    { l ":err_separator", l, "err_separator" }, { l ":err_order", l, "err_order" }, \
    { l ":err_extend", l, "err_extend" }, { l ":err_stop", l, "err_stop" }, \
    { l ":err_single", l, "err_single" }, \
    { l ":plate_reason_letter", l, "plate_reason_letter" }, \
    { l ":free_now", l, "free_now" }, \
    { l ":started_short", l, "started_short" }, { l ":reminder_short", l, "reminder_short" }, \
    { l ":zone_blocks", l, "zone_blocks" }, { l ":zone_blocks_more", l, "zone_blocks_more" }
static const struct real_case REAL[] = { LANG_KEYS("ru"), LANG_KEYS("kk"), LANG_KEYS("en") };
_Static_assert(N(REAL) == 3 * REPLY_KEY_COUNT, "every key in every language");

static int has_field(const char *key, const char *name)
{
    const char *const *f;

    for (f = reply_key_fields(key); *f; f++)
        if (strcmp(*f, name) == 0)
            return 1;
    return 0;
}

static void test_real(void **state)
{
    const struct real_case *c = *state;
    struct reply_field f[32];
    struct reply_text out, ru;
    size_t n;
    int i;

    sample_fields(c->lang, f, &n);
    int fragment = strncmp(c->key, "plate_reason_", 13) == 0
                   || strcmp(c->key, "zone_info_more") == 0   /* parts of other replies */
                   || strcmp(c->key, "zone_blocks_more") == 0
                   || strncmp(c->key, "method_", 7) == 0 || strncmp(c->key, "paid_", 5) == 0
                   || strcmp(c->key, "status_car") == 0;

    assert_int_equal(reply_render(REAL_T, c->lang, c->key, f, n, &out), 0);
    assert_true(out.chars > (fragment ? 4u : 10u));
    /* Russian and Kazakh are Cyrillic (UCS-2); English with Latin values is GSM. */
    assert_int_equal(out.ucs2, strcmp(c->lang, "en") != 0);
    /* Realistic values keep every reply within 2 parts, and a plate reason leaves room for
       the rest of err_plate. */
    assert_in_range(out.parts, 1, 2);
    if (fragment)
        assert_in_range(out.chars, 5, 60);
    /* Zone information names the zone and lists the blocks. */
    if (strncmp(c->key, "zone_info", 9) == 0 && !fragment) {
        for (i = 3; i <= 4; i++)
            if (strstr(out.text, f[i].value) == NULL)
                fail_msg("%s lacks %s=%s: %s", c->name, f[i].name, f[i].value, out.text);
        assert_non_null(strstr(out.text, f[19].value));
    }
    /* No field left unexpanded. */
    assert_null(strchr(out.text, '{'));
    /* Every reply about a car's session repeats plate, zone number and zone name (a
       plate that is not the subscriber's session says nothing of where it is). */
    if (has_field(c->key, "plate") && has_field(c->key, "zone")) {
        int is_short = strstr(c->key, "_short") != NULL;
        for (i = 3; i <= 5; i++) {
            if (i == 4 && is_short)
                continue;                /* the short texts leave the zone's name out... */
            if (strstr(out.text, f[i].value) == NULL)
                fail_msg("%s lacks %s=%s: %s", c->name, f[i].name, f[i].value, out.text);
        }
        if (is_short) {                  /* ...to fit one part with one car */
            struct reply_field one[32];
            memcpy(one, f, sizeof one);
            for (i = 0; i < (int)n; i++)
                if (strcmp(one[i].name, "car_suffix") == 0)
                    one[i].value = "";
            assert_int_equal(reply_render(REAL_T, c->lang, c->key, one, n, &ru), 0);
            if (ru.parts != 1)
                fail_msg("%s takes %d parts: %s", c->name, ru.parts, ru.text);
        }
    }
    /* Each language has its own text (no silent fallback to ru). */
    if (strcmp(c->lang, "ru") != 0) {
        assert_int_equal(reply_render(REAL_T, "ru", c->key, f, n, &ru), 0);
        assert_string_not_equal(out.text, ru.text);
    }
    assert_int_equal(reply_language_known(REAL_T, c->lang), 1);
}

#define RUN(group, fn, rows, setup, teardown) \
    run_table(group, fn, rows, sizeof(rows)[0], N(rows), setup, teardown)

int main(void)
{
    const struct CMUnitTest misc[] = {
        cmocka_unit_test(test_measure_split),
        cmocka_unit_test(test_parse_too_long),
        cmocka_unit_test(test_parse_small_err),
        cmocka_unit_test(test_render_too_long),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_zone_info_fields),
    };
    const struct CMUnitTest langs[] = { cmocka_unit_test(test_languages) };
    int failed = 0;

    failed += RUN("reply_measure", test_measure, MEASURES, NULL, NULL);
    failed += cmocka_run_group_tests_name("reply_misc", misc, NULL, NULL);
    failed += RUN("reply_templates_parse", test_parse, PARSES, NULL, NULL);
    failed += RUN("reply_render", test_render, RENDERS, render_setup, render_teardown);
    failed += cmocka_run_group_tests_name("reply_language_known", langs, render_setup,
                                          render_teardown);
    failed += RUN("replies.conf", test_real, REAL, real_setup, real_teardown);
    return failed != 0;
}
