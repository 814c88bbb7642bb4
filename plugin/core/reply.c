/* reply.c: reply templates: parsing from a buffer, rendering, SMS accounting. */
#include "reply.h"

#include "kazakh.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEMPLATE_MAX 600 /* bytes of one template after unescaping */
#define NAME_MAX_LEN 32  /* key, field and section names */

/* ---- keys and the fields each may use ---- */

struct key_def {
    const char *key;
    const char *fields[10];
};
#define REPLY_KEY(key, ...) { #key, { __VA_ARGS__ } },
static const struct key_def KEYS[] = {
#include "reply_keys.def"
};
#undef REPLY_KEY
#define NKEYS (sizeof KEYS / sizeof KEYS[0])
_Static_assert(NKEYS == REPLY_KEY_COUNT, "one table row per enum reply_key");

#define REPLY_KEY(key, ...) #key,
static const char *const KEY_NAMES[] = {
#include "reply_keys.def"
    NULL,
};
#undef REPLY_KEY

static const char *const LANGS[] = { "ru", "kk", "en" };
#define NLANGS 3

struct reply_templates {
    char *text[NLANGS][NKEYS]; /* unescaped; NULL when absent */
    int has_lang[NLANGS];
};

static int key_index(const char *key, size_t len)
{
    size_t i;

    for (i = 0; i < NKEYS; i++)
        if (strlen(KEYS[i].key) == len && memcmp(KEYS[i].key, key, len) == 0)
            return (int)i;
    return -1;
}

static int lang_index(const char *lang, size_t len)
{
    int i;

    for (i = 0; i < NLANGS; i++)
        if (len == 2 && memcmp(LANGS[i], lang, 2) == 0)
            return i;
    return -1;
}

static int field_allowed(int key, const char *name, size_t len)
{
    const char *const *f;

    for (f = KEYS[key].fields; *f; f++)
        if (strlen(*f) == len && memcmp(*f, name, len) == 0)
            return 1;
    return 0;
}

const char *const *reply_keys(void)
{
    return KEY_NAMES;
}

const char *reply_key_name(enum reply_key key)
{
    return (unsigned)key < NKEYS ? KEYS[key].key : NULL;
}

const char *const *reply_key_fields(const char *key)
{
    int k = key ? key_index(key, strlen(key)) : -1;

    return k < 0 ? NULL : KEYS[k].fields;
}

/* ---- UTF-8 and GSM 03.38 ---- */

/* Decodes one code point at s[0..len); returns its length in bytes, or 0 if the
 * sequence is invalid (overlong, surrogate, > U+10FFFF, truncated). */
static size_t next_cp(const unsigned char *s, size_t len, uint32_t *cp)
{
    size_t n, i;
    uint32_t c;

    if (len == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2, c = s[0] & 0x1F;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3, c = s[0] & 0x0F;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4, c = s[0] & 0x07;
    else
        return 0;
    if (len < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF))
        || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* The GSM 03.38 default alphabet outside printable ASCII. */
static const uint32_t GSM_BASIC_EXTRA[] = {
    0x0A, 0x0D, 0xA1, 0xA3, 0xA4, 0xA5, 0xA7, 0xBF, 0xC4, 0xC5, 0xC6, 0xC7, 0xC9, 0xD1,
    0xD6, 0xD8, 0xDC, 0xDF, 0xE0, 0xE4, 0xE5, 0xE6, 0xE8, 0xE9, 0xEC, 0xF1, 0xF2, 0xF6,
    0xF8, 0xF9, 0xFC, 0x393, 0x394, 0x398, 0x39B, 0x39E, 0x3A0, 0x3A3, 0x3A6, 0x3A8, 0x3A9,
};

/* Septets cp takes in GSM 7-bit: 1 (default alphabet), 2 (extension table), or
 * 0 when it is not representable (the text needs UCS-2). */
static int gsm_septets(uint32_t cp)
{
    size_t i;

    if (cp == 0x0C || cp == 0x20AC || (cp != 0 && cp < 0x80 && strchr("^{}\\[~]|", (int)cp)))
        return 2;
    if (cp >= 0x20 && cp < 0x7F && cp != 0x60)
        return 1;
    for (i = 0; i < sizeof GSM_BASIC_EXTRA / sizeof GSM_BASIC_EXTRA[0]; i++)
        if (GSM_BASIC_EXTRA[i] == cp)
            return 1;
    return 0;
}

/* Greedy split into parts of `multi` units, a character never split across
 * parts; the caller uses one part when the total fits a single message. */
struct sms_count {
    size_t total, parts, used;
};

static void count_add(struct sms_count *c, size_t units, size_t multi)
{
    c->total += units;
    if (c->used + units > multi) {
        c->parts++;
        c->used = 0;
    }
    c->used += units;
}

int reply_measure(const char *text, size_t len, size_t *chars, int *ucs2, int *parts)
{
    const unsigned char *s = (const unsigned char *)text;
    struct sms_count gsm = { 0, 1, 0 }, u16 = { 0, 1, 0 };
    size_t i = 0, n, cps = 0;
    int is_ucs2 = 0, sept;
    uint32_t cp;

    while (i < len) {
        if ((n = next_cp(s + i, len - i, &cp)) == 0)
            return -1;
        i += n;
        cps++;
        sept = gsm_septets(cp);
        if (sept == 0)
            is_ucs2 = 1;
        else
            count_add(&gsm, (size_t)sept, 153);
        count_add(&u16, cp > 0xFFFF ? 2 : 1, 67);
    }
    *chars = cps;
    *ucs2 = is_ucs2;
    if (is_ucs2)
        *parts = u16.total <= 70 ? 1 : (int)u16.parts;
    else
        *parts = gsm.total <= 160 ? 1 : (int)gsm.parts;
    return 0;
}

/* ---- parsing ---- */

struct parser {
    struct reply_templates *t;
    int lang;   /* current section, -1 before the first */
    int line;
    char *err;
    size_t errsize;
};

static int fail(struct parser *p, const char *fmt, ...)
{
    va_list ap;
    int n = 0;

    if (p->err == NULL || p->errsize == 0)
        return -1;
    if (p->line > 0)
        n = snprintf(p->err, p->errsize, "line %d: ", p->line);
    if (n >= 0 && (size_t)n < p->errsize) {
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->errsize - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static void trim(const char **s, size_t *len)
{
    while (*len > 0 && is_space(**s))
        (*s)++, (*len)--;
    while (*len > 0 && is_space((*s)[*len - 1]))
        (*len)--;
}

/* Unescapes s[0..len) into a new string: \n -> newline, \\ -> backslash. */
static char *unescape(struct parser *p, const char *s, size_t len)
{
    char *out = malloc(len + 1), *o = out;
    size_t i;

    if (out == NULL) {
        fail(p, "out of memory");
        return NULL;
    }
    for (i = 0; i < len; i++) {
        if (s[i] != '\\') {
            *o++ = s[i];
            continue;
        }
        if (i + 1 < len && (s[i + 1] == 'n' || s[i + 1] == '\\')) {
            *o++ = s[i + 1] == 'n' ? '\n' : '\\';
            i++;
            continue;
        }
        free(out);
        fail(p, "bad escape (only \\n and \\\\ are known)");
        return NULL;
    }
    *o = '\0';
    return out;
}

/* A placeholder's parts: {name} or {name:case}, the case a Kazakh number ending. */
struct placeholder {
    const char *name;
    size_t len;
    int kk_case;               /* -1: none, else enum kk_case */
};

static int placeholder_of(const char *open, const char *close, struct placeholder *ph)
{
    const char *colon = memchr(open + 1, ':', (size_t)(close - open - 1));
    size_t mod = colon ? (size_t)(close - colon - 1) : 0;

    ph->name = open + 1;
    ph->len = (size_t)((colon ? colon : close) - open - 1);
    ph->kk_case = -1;
    if (colon == NULL)
        return 0;
    if (mod == 3 && memcmp(colon + 1, "dat", 3) == 0)
        ph->kk_case = KK_DATIVE;
    else if (mod == 3 && memcmp(colon + 1, "loc", 3) == 0)
        ph->kk_case = KK_LOCATIVE;
    else
        return -1;
    return 0;
}

/* Checks every {field} or {field:case} in text is well formed and allowed for the key. */
static int check_fields(struct parser *p, int key, const char *text)
{
    const char *open, *close, *c;
    struct placeholder ph;

    for (open = strchr(text, '{'); open; open = strchr(close + 1, '{')) {
        close = strchr(open + 1, '}');
        if (close == NULL)
            return fail(p, "unterminated { in key %s", KEYS[key].key);
        if (placeholder_of(open, close, &ph) != 0)
            return fail(p, "unknown case in {%.*s} in key %s (dat or loc)",
                        (int)(close - open - 1), open + 1, KEYS[key].key);
        for (c = ph.name; c < ph.name + ph.len; c++)
            if (!((*c >= 'a' && *c <= 'z') || *c == '_'))
                return fail(p, "bad field name {%.*s} in key %s", (int)(close - open - 1),
                            open + 1, KEYS[key].key);
        if (!field_allowed(key, ph.name, ph.len))
            return fail(p, "unknown field {%.*s} in key %s", (int)ph.len, ph.name,
                        KEYS[key].key);
    }
    return 0;
}

static int parse_section(struct parser *p, const char *s, size_t len)
{
    const char *name = s + 1;
    size_t n = len - 2;

    trim(&name, &n);
    p->lang = lang_index(name, n);
    if (p->lang < 0)
        return fail(p, "unknown section [%.*s] (known: ru, kk, en)",
                    (int)(n < NAME_MAX_LEN ? n : NAME_MAX_LEN), name);
    p->t->has_lang[p->lang] = 1;
    return 0;
}

static int parse_entry(struct parser *p, const char *s, size_t len)
{
    const char *eq = memchr(s, '=', len), *key = s, *val;
    size_t klen, vlen;
    char *text;
    int k;

    if (eq == NULL)
        return fail(p, "expected key = text");
    if (p->lang < 0)
        return fail(p, "key outside a section (start with [ru])");
    klen = (size_t)(eq - s);
    trim(&key, &klen);
    val = eq + 1;
    vlen = (size_t)(s + len - val);
    trim(&val, &vlen);
    if ((k = key_index(key, klen)) < 0)
        return fail(p, "unknown key %.*s", (int)(klen < NAME_MAX_LEN ? klen : NAME_MAX_LEN),
                    key);
    if (p->t->text[p->lang][k] != NULL)
        return fail(p, "key %s repeated in [%s]", KEYS[k].key, LANGS[p->lang]);
    if (vlen == 0)
        return fail(p, "empty text for key %s", KEYS[k].key);
    if ((text = unescape(p, val, vlen)) == NULL)
        return -1;
    if (strlen(text) > TEMPLATE_MAX) {
        free(text);
        return fail(p, "text of key %s longer than %d bytes", KEYS[k].key, TEMPLATE_MAX);
    }
    if (check_fields(p, k, text) != 0) {
        free(text);
        return -1;
    }
    p->t->text[p->lang][k] = text;
    return 0;
}

static int parse_line(struct parser *p, const char *s, size_t len)
{
    size_t chars;
    int ucs2, parts;

    if (memchr(s, '\0', len) != NULL)
        return fail(p, "NUL byte");
    if (reply_measure(s, len, &chars, &ucs2, &parts) != 0)
        return fail(p, "invalid UTF-8");
    trim(&s, &len);
    if (len == 0 || s[0] == '#')
        return 0;
    if (s[0] == '[' && s[len - 1] == ']' && len >= 2)
        return parse_section(p, s, len);
    return parse_entry(p, s, len);
}

static int check_complete(struct parser *p)
{
    size_t k;

    p->line = 0;
    for (k = 0; k < NKEYS; k++)
        if (p->t->text[0][k] == NULL)
            return fail(p, "missing key %s in [ru]", KEYS[k].key);
    return 0;
}

struct reply_templates *reply_templates_parse(const char *buf, size_t len,
                                              char *err, size_t errsize)
{
    struct parser p = { NULL, -1, 0, err, errsize };
    const char *end = buf + len, *s = buf, *nl;

    if (err && errsize)
        err[0] = '\0';
    if ((p.t = calloc(1, sizeof *p.t)) == NULL) {
        fail(&p, "out of memory");
        return NULL;
    }
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3; /* UTF-8 byte order mark */
    while (s < end) {
        p.line++;
        nl = memchr(s, '\n', (size_t)(end - s));
        if (nl == NULL)
            nl = end;
        if (parse_line(&p, s, (size_t)(nl - s)) != 0) {
            reply_templates_destroy(p.t);
            return NULL;
        }
        s = nl + 1;
    }
    if (check_complete(&p) != 0) {
        reply_templates_destroy(p.t);
        return NULL;
    }
    return p.t;
}

void reply_templates_destroy(struct reply_templates *t)
{
    size_t l, k;

    if (t == NULL)
        return;
    for (l = 0; l < NLANGS; l++)
        for (k = 0; k < NKEYS; k++)
            free(t->text[l][k]);
    free(t);
}

int reply_language_known(const struct reply_templates *t, const char *lang)
{
    int l = (t && lang) ? lang_index(lang, strlen(lang)) : -1;

    return l >= 0 && t->has_lang[l];
}

/* ---- rendering ---- */

static const char *field_value(const struct reply_field *fields, size_t n, const char *name,
                               size_t len)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (fields[i].name && fields[i].value && strlen(fields[i].name) == len
            && memcmp(fields[i].name, name, len) == 0)
            return fields[i].value;
    return NULL;
}

/* Appends s[0..n) at out[*pos]; -1 when it would not fit with the NUL. */
static int append(char *out, size_t *pos, const char *s, size_t n)
{
    if (n >= REPLY_MAX - *pos)
        return -1;
    memcpy(out + *pos, s, n);
    *pos += n;
    return 0;
}

static int substitute(const char *tpl, const struct reply_field *fields, size_t nfields,
                      char *out)
{
    const char *s = tpl, *open, *close, *v, *ending;
    struct placeholder ph;
    size_t pos = 0;

    while ((open = strchr(s, '{')) != NULL) {
        close = strchr(open, '}'); /* present and well formed: checked when parsed */
        if (close == NULL || placeholder_of(open, close, &ph) != 0)
            return -1;
        v = field_value(fields, nfields, ph.name, ph.len);
        if (v == NULL || append(out, &pos, s, (size_t)(open - s)) != 0
            || append(out, &pos, v, strlen(v)) != 0)
            return -1;
        ending = ph.kk_case < 0 ? NULL : kk_text_ending(v, (enum kk_case)ph.kk_case);
        if (ending != NULL && (append(out, &pos, "-", 1) != 0
                               || append(out, &pos, ending, strlen(ending)) != 0))
            return -1;
        s = close + 1;
    }
    if (append(out, &pos, s, strlen(s)) != 0)
        return -1;
    out[pos] = '\0';
    return 0;
}

int reply_render(const struct reply_templates *t, const char *lang, const char *key,
                 const struct reply_field *fields, size_t nfields, struct reply_text *out)
{
    int k = key ? key_index(key, strlen(key)) : -1;
    int l = lang ? lang_index(lang, strlen(lang)) : -1;
    const char *tpl;

    out->text[0] = '\0';
    out->chars = 0;
    out->ucs2 = 0;
    out->parts = 0;
    if (t == NULL || k < 0)
        return -1;
    tpl = (l >= 0 && t->text[l][k] != NULL) ? t->text[l][k] : t->text[0][k];
    if (tpl == NULL || substitute(tpl, fields, nfields, out->text) != 0
        || reply_measure(out->text, strlen(out->text), &out->chars, &out->ucs2,
                         &out->parts) != 0) {
        out->text[0] = '\0';
        return -1;
    }
    return 0;
}
