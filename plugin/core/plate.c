/* plate.c: Kazakhstan plate normaliser and validator (see plate.h for the formats). */
#include <string.h>

#include "plate.h"
#include "utf8.h"

#define PLATE_CHARS (PLATE_MAX - 1)

/* The plate as folded Latin characters, each with the byte offset it came from. */
struct folded {
    char c[PLATE_MAX];
    size_t off[PLATE_MAX];
    size_t n;
};

/* Fold text into f: drop separators, map look-alikes. Fails with the error and *at. */
static enum plate_error fold(const char *text, size_t len, struct folded *f, size_t *at)
{
    size_t pos = 0;

    f->n = 0;
    while (pos < len) {
        size_t start = pos;
        uint32_t cp = utf8_decode(text, len, &pos);
        char c;

        *at = start;
        if (cp == UTF8_INVALID)
            return PLATE_BAD_UTF8;
        if (utf8_is_space(cp) || utf8_is_dash(cp))
            continue;
        c = utf8_plate_char(cp);
        if (c == 0)
            return PLATE_BAD_CHAR;
        if (f->n == PLATE_CHARS)
            return PLATE_TOO_LONG;
        f->off[f->n] = start;
        f->c[f->n++] = c;
    }
    f->c[f->n] = '\0';
    *at = 0;
    return f->n == 0 ? PLATE_EMPTY : PLATE_OK;
}

/* 1 when s matches the shape: 'D' a digit, 'L' a letter. */
static int shaped(const char *s, size_t n, const char *shape)
{
    if (n != strlen(shape))
        return 0;
    for (size_t i = 0; i < n; i++) {
        int digit = s[i] >= '0' && s[i] <= '9';
        if ((shape[i] == 'D') != digit)
            return 0;
    }
    return 1;
}

static int region_letter_ok(char c)
{
    return strchr("GIJQY", c) == NULL;
}

/* Classify f into out; fails with PLATE_BAD_REGION or PLATE_UNKNOWN_FORMAT and *at. */
static enum plate_error classify(const struct folded *f, enum plate_policy policy,
                                 struct plate *out, size_t *at)
{
    if (shaped(f->c, f->n, "DDDLLLDD") || shaped(f->c, f->n, "DDDLLDD")) {
        /* shaped() matched 8 or 7 characters, all set by fold() */
        // NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)
        int region = (f->c[f->n - 2] - '0') * 10 + (f->c[f->n - 1] - '0');
        if (region < 1 || region > 20) {
            *at = f->off[f->n - 2];
            return PLATE_BAD_REGION;
        }
        out->format = f->n == 8 ? PLATE_KZ2012_PRIVATE : PLATE_KZ2012_ORG;
        out->region = region;
    } else if (shaped(f->c, f->n, "LDDDLLL") || shaped(f->c, f->n, "LDDDLL")) {
        if (!region_letter_ok(f->c[0])) {
            *at = f->off[0];
            return PLATE_BAD_REGION;
        }
        out->format = f->n == 7 ? PLATE_KZ1993_PRIVATE : PLATE_KZ1993_ORG;
        out->region_letter = f->c[0];
    } else if (policy == PLATE_POLICY_ALLOW_OTHER && f->n >= 4 && f->n <= 10) {
        out->format = PLATE_OTHER;
    } else {
        *at = 0;
        return PLATE_UNKNOWN_FORMAT;
    }
    memcpy(out->canonical, f->c, f->n + 1);
    return PLATE_OK;
}

/* The country code printed on the plate's left ("KZ 123ABC02"): a KZ plate after it is
   that plate. Otherwise the whole text is classified. */
static enum plate_error classify_kz_prefix(struct folded *f, enum plate_policy policy,
                                           struct plate *out, size_t *at)
{
    struct folded rest;

    if (f->n > 2 && f->c[0] == 'K' && f->c[1] == 'Z') {
        rest.n = f->n - 2;
        memcpy(rest.c, f->c + 2, rest.n + 1);
        memcpy(rest.off, f->off + 2, rest.n * sizeof rest.off[0]);
        if (classify(&rest, PLATE_POLICY_KZ_ONLY, out, at) == PLATE_OK)
            return PLATE_OK;
        memset(out, 0, sizeof *out);
    }
    return classify(f, policy, out, at);
}

enum plate_error plate_normalise_at(const char *text, size_t len, enum plate_policy policy,
                                    struct plate *out, size_t *err_pos)
{
    struct folded f;
    size_t at = 0;
    enum plate_error e;

    memset(out, 0, sizeof *out);
    e = fold(text, len, &f, &at);
    if (e == PLATE_OK)
        e = classify_kz_prefix(&f, policy, out, &at);
    if (e != PLATE_OK) {
        memset(out, 0, sizeof *out);
        if (err_pos)
            *err_pos = at;
    }
    return e;
}

enum plate_error plate_normalise(const char *text, size_t len, enum plate_policy policy,
                                 struct plate *out)
{
    return plate_normalise_at(text, len, policy, out, NULL);
}

const char *plate_error_reason(enum plate_error e)
{
    switch (e) {
    case PLATE_OK:             return "ok";
    case PLATE_EMPTY:          return "plate is empty";
    case PLATE_TOO_LONG:       return "plate is too long";
    case PLATE_BAD_UTF8:       return "plate is not valid UTF-8";
    case PLATE_BAD_CHAR:       return "plate may contain only letters and digits";
    case PLATE_BAD_REGION:     return "unknown region code";
    case PLATE_UNKNOWN_FORMAT: return "not a Kazakhstan plate (123ABC02 or A123ABC)";
    }
    return "unknown plate error";
}

const char *plate_format_name(enum plate_format f)
{
    switch (f) {
    case PLATE_KZ2012_PRIVATE: return "KZ 2012 private";
    case PLATE_KZ2012_ORG:     return "KZ 2012 organisation";
    case PLATE_KZ1993_PRIVATE: return "KZ 1993 private";
    case PLATE_KZ1993_ORG:     return "KZ 1993 organisation";
    case PLATE_OTHER:          return "other";
    }
    return "unknown";
}
