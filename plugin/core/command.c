/* command.c: tolerant, allocation-free parser for the driver's SMS commands.
 *
 * The text is decoded once into code points with their byte offsets, trailing white
 * space and punctuation are dropped, and the rest is split into fields at '*' and its
 * look-alikes (utf8_is_star). Field 1 names the command: a keyword (below) or a zone
 * number. Every error names the byte offset and the 1-based field where it was found.
 *
 * Keywords, matched after upper-casing (Latin, Cyrillic incl. Kazakh, full width):
 *   stop     S  С (Cyrillic)  C (Latin C, for С typed by shape)  STOP  СТОП
 *   extend   X  Х (Cyrillic)
 *   status   I  И  І (Kazakh)  ?  STATUS  СТАТУС  BALANCE  БАЛАНС
 *   help     HELP  ПОМОЩЬ  СПРАВКА  КӨМЕК  КОМЕК  ХЕЛП
 *   ru       RU  RUS  РУ  РУС  РУССКИЙ  RUSSIAN
 *   kk       KZ  KK  KAZ  QAZ  ҚАЗ  КАЗ  ҚАЗАҚ  КАЗАК  ҚАЗАҚША  КАЗАКША  KAZAKH
 *   en       EN  ENG  ENGLISH  АНГЛ  АНГЛИЙСКИЙ
 * A field starting with a digit is a zone: CMD_START with a plate, CMD_ZONE_INFO alone
 * (where a trailing '?' is dropped too), or followed by one of ALL_WORDS (ZONE*ВСЕ: every
 * street block, in as many messages as it takes).
 *
 * Positions: an error inside a field points at the offending character when there is
 * one (a non-digit in a zone or hours, a bad plate character or region), otherwise at
 * the start of the field; an empty field points where it ends; a missing field at the end
 * of the text; too many fields at the separator that opens the first extra field.
 */
#include <string.h>

#include "command.h"
#include "utf8.h"

#define FIELDS_KEPT 4            /* one more than any command has */
#define DEFAULT_MAX_HOURS 24
#define KEYWORD_MAX 48           /* bytes of the longest keyword, with room */

struct cpt { uint32_t cp; size_t off, end; };
struct field { size_t first, last; /* code point range, trimmed */ size_t pos, sep; };

struct text {
    struct cpt cp[CMD_MAX_INPUT];
    size_t n;                    /* code points kept after trimming the end */
    size_t end;                  /* byte offset where the kept text ends */
    struct field f[FIELDS_KEPT];
    int nf;                      /* fields in the text (may exceed FIELDS_KEPT) */
};

static const struct keyword {
    const char *word;
    enum cmd_kind kind;
    const char *lang;
} keywords[] = {
    { "S", CMD_STOP, NULL }, { "С", CMD_STOP, NULL }, { "C", CMD_STOP, NULL },
    { "STOP", CMD_STOP, NULL }, { "СТОП", CMD_STOP, NULL },
    { "X", CMD_EXTEND, NULL }, { "Х", CMD_EXTEND, NULL },
    { "I", CMD_STATUS, NULL }, { "И", CMD_STATUS, NULL }, { "І", CMD_STATUS, NULL },
    { "?", CMD_STATUS, NULL }, { "STATUS", CMD_STATUS, NULL }, { "СТАТУС", CMD_STATUS, NULL },
    { "BALANCE", CMD_STATUS, NULL }, { "БАЛАНС", CMD_STATUS, NULL },
    { "HELP", CMD_HELP, NULL }, { "ПОМОЩЬ", CMD_HELP, NULL }, { "СПРАВКА", CMD_HELP, NULL },
    { "КӨМЕК", CMD_HELP, NULL }, { "КОМЕК", CMD_HELP, NULL }, { "ХЕЛП", CMD_HELP, NULL },
    { "RU", CMD_LANGUAGE, "ru" }, { "RUS", CMD_LANGUAGE, "ru" }, { "РУ", CMD_LANGUAGE, "ru" },
    { "РУС", CMD_LANGUAGE, "ru" }, { "РУССКИЙ", CMD_LANGUAGE, "ru" },
    { "RUSSIAN", CMD_LANGUAGE, "ru" },
    { "KZ", CMD_LANGUAGE, "kk" }, { "KK", CMD_LANGUAGE, "kk" }, { "KAZ", CMD_LANGUAGE, "kk" },
    { "QAZ", CMD_LANGUAGE, "kk" }, { "ҚАЗ", CMD_LANGUAGE, "kk" }, { "КАЗ", CMD_LANGUAGE, "kk" },
    { "ҚАЗАҚ", CMD_LANGUAGE, "kk" }, { "КАЗАК", CMD_LANGUAGE, "kk" },
    { "ҚАЗАҚША", CMD_LANGUAGE, "kk" }, { "КАЗАКША", CMD_LANGUAGE, "kk" },
    { "KAZAKH", CMD_LANGUAGE, "kk" },
    { "EN", CMD_LANGUAGE, "en" }, { "ENG", CMD_LANGUAGE, "en" },
    { "ENGLISH", CMD_LANGUAGE, "en" }, { "АНГЛ", CMD_LANGUAGE, "en" },
    { "АНГЛИЙСКИЙ", CMD_LANGUAGE, "en" },
};

static enum cmd_error fail(struct cmd_failure *why, enum cmd_error e, size_t pos, int field)
{
    why->error = e;
    why->position = pos;
    why->field = field;
    return e;
}

/* Decode all of text into t->cp; fails with CMD_BAD_UTF8 at the bad sequence. */
static enum cmd_error decode(const char *text, size_t len, struct text *t,
                             struct cmd_failure *why)
{
    size_t pos = 0;
    int field = 1;

    t->n = 0;
    while (pos < len) {
        size_t start = pos;
        uint32_t cp = utf8_decode(text, len, &pos);
        if (cp == UTF8_INVALID)
            return fail(why, CMD_BAD_UTF8, start, field);
        if (utf8_is_star(cp))
            field++;
        t->cp[t->n++] = (struct cpt){ cp, start, pos };
    }
    return CMD_OK;
}

/* Drop trailing white space and punctuation; returns the index of the first kept
   code point that is not white space (== t->n when nothing is left). */
static size_t trim(struct text *t)
{
    size_t first = 0;

    while (t->n > 0 && (utf8_is_space(t->cp[t->n - 1].cp) ||
                        utf8_is_trailing_punct(t->cp[t->n - 1].cp)))
        t->n--;
    while (first < t->n && utf8_is_space(t->cp[first].cp))
        first++;
    t->end = t->n ? t->cp[t->n - 1].end : 0;
    return first;
}

/* Close the field that spans code points [a, b) and ends at byte `end`. */
static void add_field(struct text *t, size_t a, size_t b, size_t end, size_t sep)
{
    struct field *f;

    if (t->nf++ >= FIELDS_KEPT)
        return;
    f = &t->f[t->nf - 1];
    while (a < b && utf8_is_space(t->cp[a].cp))
        a++;
    while (b > a && utf8_is_space(t->cp[b - 1].cp))
        b--;
    f->first = a;
    f->last = b;
    f->pos = a < b ? t->cp[a].off : end;
    f->sep = sep;
}

static void split(struct text *t, size_t first)
{
    size_t a = first, sep = 0;

    t->nf = 0;
    for (size_t i = first; i < t->n; i++) {
        if (!utf8_is_star(t->cp[i].cp))
            continue;
        add_field(t, a, i, t->cp[i].off, sep);
        sep = t->cp[i].off;
        a = i + 1;
    }
    add_field(t, a, t->n, t->end, sep);
}

static int field_empty(const struct text *t, int k)
{
    return t->f[k].first == t->f[k].last;
}

/* Find field k (0-based) among the keywords; NULL if it is none of them. */
/* "all" after a zone: ZONE*ВСЕ lists every street block. */
static const char *const ALL_WORDS[] = { "ВСЕ", "ВСЁ", "ALL", "БӘРІ", "БАРІ", "БАРЛЫҒЫ",
                                         "БАРЛЫГЫ", NULL };

/* Field k upper-cased into buf (KEYWORD_MAX + 1 bytes); 0, or -1 when it is too long. */
static int field_upper(const struct text *t, int k, char *buf)
{
    size_t used = 0;

    for (size_t i = t->f[k].first; i < t->f[k].last; i++) {
        if (used + 4 > KEYWORD_MAX || t->cp[i].cp == 0)
            return -1;
        used += utf8_encode(utf8_upper(t->cp[i].cp), buf + used);
    }
    buf[used] = '\0';
    return 0;
}

static const struct keyword *keyword(const struct text *t, int k)
{
    char buf[KEYWORD_MAX + 1];

    if (field_upper(t, k, buf) != 0)
        return NULL;
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strcmp(buf, keywords[i].word) == 0)
            return &keywords[i];
    return NULL;
}

static int listed(const char *word, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(word, *list) == 0)
            return 1;
    return 0;
}

static int is_all_word(const struct text *t, int k)
{
    char buf[KEYWORD_MAX + 1];

    return field_upper(t, k, buf) == 0 && listed(buf, ALL_WORDS);
}

/* Fewer than `min` or more than `max` fields, or an empty one among them. */
static enum cmd_error check_count(const struct text *t, int min, int max,
                                  struct cmd_failure *why)
{
    if (t->nf > max)
        return fail(why, CMD_TOO_MANY_FIELDS, t->f[max].sep, max + 1);
    for (int k = 0; k < t->nf; k++)
        if (field_empty(t, k))
            return fail(why, CMD_MISSING_FIELD, t->f[k].pos, k + 1);
    if (t->nf < min)
        return fail(why, CMD_MISSING_FIELD, t->end, t->nf + 1);
    return CMD_OK;
}

/* The zone in field k (0-based): exactly 4 digits. `f` is that field, possibly trimmed
   further by the caller. */
static enum cmd_error parse_zone_in(const struct text *t, const struct field *f, int k,
                                    int *zone, struct cmd_failure *why)
{
    int value = 0;

    for (size_t i = f->first; i < f->last; i++) {
        int d = utf8_digit(t->cp[i].cp);
        if (d < 0 || i - f->first == 4)
            return fail(why, CMD_BAD_ZONE, t->cp[i].off, k + 1);
        value = value * 10 + d;
    }
    if (f->last - f->first != 4)
        return fail(why, CMD_BAD_ZONE, f->pos, k + 1);
    *zone = value;
    return CMD_OK;
}

static enum cmd_error parse_zone(const struct text *t, int k, int *zone,
                                 struct cmd_failure *why)
{
    return parse_zone_in(t, &t->f[k], k, zone, why);
}

static int is_question(uint32_t cp)
{
    return cp == '?' || cp == 0xFF1F;      /* ? and full-width ？ */
}

/* ZONE alone ("1001", " 1001. ", "1001?"): what the zone is. */
static enum cmd_error parse_zone_info(const struct text *t, struct command *out,
                                      struct cmd_failure *why)
{
    struct field f = t->f[0];

    while (f.last > f.first && (is_question(t->cp[f.last - 1].cp) ||
                                utf8_is_space(t->cp[f.last - 1].cp)))
        f.last--;
    out->kind = CMD_ZONE_INFO;
    return parse_zone_in(t, &f, 0, &out->zone, why);
}

static enum cmd_error parse_hours(const struct text *t, int k, int max_hours, int *hours,
                                  struct cmd_failure *why)
{
    const struct field *f = &t->f[k];
    long long value = 0;

    for (size_t i = f->first; i < f->last; i++) {
        int d = utf8_digit(t->cp[i].cp);
        if (d < 0)
            return fail(why, CMD_BAD_HOURS, t->cp[i].off, k + 1);
        if (value <= max_hours)
            value = value * 10 + d;
    }
    if (value == 0)
        return fail(why, CMD_ZERO_HOURS, f->pos, k + 1);
    if (value > max_hours)
        return fail(why, CMD_TOO_MANY_HOURS, f->pos, k + 1);
    *hours = (int)value;
    return CMD_OK;
}

static enum cmd_error parse_plate(const char *text, const struct text *t, int k,
                                  enum plate_policy policy, struct plate *plate,
                                  struct cmd_failure *why)
{
    const struct field *f = &t->f[k];
    size_t start = t->cp[f->first].off, at = 0;
    enum plate_error e;

    e = plate_normalise_at(text + start, t->cp[f->last - 1].end - start, policy, plate, &at);
    if (e == PLATE_OK)
        return CMD_OK;
    why->plate_error = e;
    return fail(why, CMD_BAD_PLATE, start + at, k + 1);
}

/* ZONE*PLATE[*HOURS]. The zone is checked before the field count, so that "1001 123AAA02"
   (a space for a star) is reported at the space. */
static enum cmd_error parse_start(const char *text, const struct text *t,
                                  const struct cmd_options *opt, struct command *out,
                                  struct cmd_failure *why)
{
    enum cmd_error e = parse_zone(t, 0, &out->zone, why);

    if (e == CMD_OK)
        e = check_count(t, 2, 3, why);
    if (e == CMD_OK)
        e = parse_plate(text, t, 1, opt->plate_policy, &out->plate, why);
    out->hours = 1;
    if (e == CMD_OK && t->nf == 3)
        e = parse_hours(t, 2, opt->max_hours, &out->hours, why);
    out->kind = CMD_START;
    out->has_plate = 1;
    return e;
}

/* S[*PLATE] and X*N[*PLATE] */
static enum cmd_error parse_stop_extend(const char *text, const struct text *t,
                                        const struct cmd_options *opt, enum cmd_kind kind,
                                        struct command *out, struct cmd_failure *why)
{
    int plate_field = kind == CMD_STOP ? 1 : 2;
    enum cmd_error e = check_count(t, plate_field, plate_field + 1, why);

    if (e == CMD_OK && kind == CMD_EXTEND)
        e = parse_hours(t, 1, opt->max_hours, &out->hours, why);
    if (e == CMD_OK && t->nf > plate_field) {
        e = parse_plate(text, t, plate_field, opt->plate_policy, &out->plate, why);
        out->has_plate = 1;
    }
    out->kind = kind;
    return e;
}

/* A zone followed by a separator other than '*' and more text ("1001,A111AAA,1"): the
   index of that separator, or 0. */
static size_t other_separator(const struct text *t)
{
    const struct field *f = &t->f[0];
    size_t i = f->first;

    while (i < f->last && i - f->first < 4 && utf8_digit(t->cp[i].cp) >= 0)
        i++;
    if (i - f->first != 4 || i + 1 >= f->last)
        return 0;
    if (!utf8_is_space(t->cp[i].cp) && !strchr(",+/;:._\\", (int)(t->cp[i].cp < 0x80 ? t->cp[i].cp : 0)))
        return 0;
    for (size_t k = i + 1; k < f->last; k++)       /* something that is not a question mark */
        if (!utf8_is_space(t->cp[k].cp) && !is_question(t->cp[k].cp))
            return i;
    return 0;
}

/* "A111AAA*1001*1": a plate where the zone goes, and the zone after it. */
static int zone_second(const struct text *t)
{
    const struct field *f;

    if (t->nf < 2 || t->nf > FIELDS_KEPT)
        return 0;
    f = &t->f[1];
    if (f->last - f->first != 4)
        return 0;
    for (size_t i = f->first; i < f->last; i++)
        if (utf8_digit(t->cp[i].cp) < 0)
            return 0;
    return 1;
}

static enum cmd_error dispatch(const char *text, const struct text *t,
                               const struct cmd_options *opt, struct command *out,
                               struct cmd_failure *why)
{
    const struct keyword *kw;
    enum cmd_error e;
    size_t sep;

    why->kind = CMD_UNCLEAR;
    if (field_empty(t, 0))
        return fail(why, CMD_MISSING_FIELD, t->f[0].pos, 1);
    kw = keyword(t, 0);
    if (kw == NULL && utf8_digit(t->cp[t->f[0].first].cp) >= 0) {
        why->kind = CMD_START;
        if (t->nf == 1 && (sep = other_separator(t)) != 0)
            return fail(why, CMD_BAD_SEPARATOR, t->cp[sep].off, 1);
        if (t->f[0].last - t->f[0].first > 4 && zone_second(t))    /* 123AAA02*1001 */
            return fail(why, CMD_WRONG_ORDER, t->f[0].pos, 1);
        if (t->nf == 2 && is_all_word(t, 1)) {
            out->all_blocks = 1;
            return parse_zone_info(t, out, why);
        }
        return t->nf == 1 ? parse_zone_info(t, out, why) : parse_start(text, t, opt, out, why);
    }
    if (kw == NULL && zone_second(t)) {
        why->kind = CMD_START;
        return fail(why, CMD_WRONG_ORDER, t->f[0].pos, 1);
    }
    if (kw == NULL)
        return fail(why, CMD_UNKNOWN, t->f[0].pos, 1);
    why->kind = kw->kind;
    if (kw->kind == CMD_STOP || kw->kind == CMD_EXTEND)
        return parse_stop_extend(text, t, opt, kw->kind, out, why);
    e = check_count(t, 1, 1, why);
    out->kind = kw->kind;
    if (kw->lang)
        memcpy(out->lang, kw->lang, 3);
    return e;
}

enum cmd_error command_parse(const char *text, size_t len, const struct cmd_options *opt,
                             struct command *out, struct cmd_failure *why)
{
    static const struct cmd_options defaults = { DEFAULT_MAX_HOURS, PLATE_POLICY_KZ_ONLY };
    struct text t;
    struct command cmd;
    enum cmd_error e;
    size_t first;
    struct cmd_options o = opt ? *opt : defaults;

    memset(why, 0, sizeof *why);
    memset(out, 0, sizeof *out);
    memset(&cmd, 0, sizeof cmd);
    if (o.max_hours <= 0)
        o.max_hours = DEFAULT_MAX_HOURS;
    opt = &o;
    if (text == NULL || len == 0)
        return fail(why, CMD_EMPTY, 0, 0);
    if (len > CMD_MAX_INPUT)
        return fail(why, CMD_TOO_LONG, CMD_MAX_INPUT, 0);
    e = decode(text, len, &t, why);
    if (e != CMD_OK)
        return e;
    first = trim(&t);
    if (first == t.n)
        return fail(why, CMD_EMPTY, 0, 0);
    split(&t, first);
    e = dispatch(text, &t, opt, &cmd, why);
    if (e == CMD_OK)
        *out = cmd;
    return e;
}

static const char *const YES_WORDS[] = { "ДА", "Д", "YES", "Y", "OK", "ОК", "OKAY", "ОКЕЙ",
                                          "ИӘ", "ИЯ", NULL };
static const char *const NO_WORDS[] = { "НЕТ", "Н", "NO", "N", "ЖОҚ", "ЖОК", NULL };

enum cmd_kind command_parse_confirmation(const char *text, size_t len)
{
    char buf[KEYWORD_MAX + 1];
    size_t first, used = 0;
    int digits = 1, value = 0;
    struct text t;
    struct cmd_failure why;

    if (text == NULL || len == 0 || len > CMD_MAX_INPUT || decode(text, len, &t, &why) != CMD_OK)
        return CMD_UNCLEAR;
    first = trim(&t);
    for (size_t i = first; i < t.n; i++) {
        int d = utf8_digit(t.cp[i].cp);
        if (used + 4 > KEYWORD_MAX || t.cp[i].cp == 0)
            return CMD_UNCLEAR;
        digits = digits && d >= 0;
        value = d >= 0 && value < 10 ? value * 10 + d : 10;
        used += utf8_encode(utf8_upper(t.cp[i].cp), buf + used);
    }
    buf[used] = '\0';
    if (used > 0 && digits)
        return value == 1 ? CMD_CONFIRM : value == 0 ? CMD_DECLINE : CMD_UNCLEAR;
    return listed(buf, YES_WORDS) ? CMD_CONFIRM : listed(buf, NO_WORDS) ? CMD_DECLINE
                                                                         : CMD_UNCLEAR;
}

const char *command_error_reason(enum cmd_error e)
{
    switch (e) {
    case CMD_OK:              return "ok";
    case CMD_EMPTY:           return "empty message";
    case CMD_TOO_LONG:        return "message too long";
    case CMD_BAD_UTF8:        return "message is not valid UTF-8";
    case CMD_UNKNOWN:         return "unknown command";
    case CMD_BAD_ZONE:        return "zone must be 4 digits";
    case CMD_BAD_PLATE:       return "invalid plate";
    case CMD_BAD_HOURS:       return "hours must be a number";
    case CMD_ZERO_HOURS:      return "hours must be at least 1";
    case CMD_TOO_MANY_HOURS:  return "too many hours";
    case CMD_TOO_MANY_FIELDS: return "too many fields";
    case CMD_MISSING_FIELD:   return "a field is missing";
    case CMD_BAD_SEPARATOR:   return "fields must be separated by *";
    case CMD_WRONG_ORDER:     return "the zone comes first";
    }
    return "unknown command error";
}

const char *command_plate_reason_key(enum plate_error e)
{
    switch (e) {
    case PLATE_OK:             return NULL;
    case PLATE_EMPTY:          return "plate_reason_empty";
    case PLATE_TOO_LONG:       return "plate_reason_too_long";
    case PLATE_BAD_UTF8:       return "plate_reason_bad_utf8";
    case PLATE_BAD_CHAR:       return "plate_reason_bad_char";
    case PLATE_BAD_REGION:     return "plate_reason_bad_region";
    case PLATE_UNKNOWN_FORMAT: return "plate_reason_unknown_format";
    }
    return NULL;
}
