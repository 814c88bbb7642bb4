/* policy_text.c: a zone's paid hours as a short text for replies («пн–сб 08:00–20:00»). */
#include "policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The dash between days and between hours: "–" in Cyrillic replies, which are UCS-2 anyway;
   "-" in English, so that an English reply stays in the GSM alphabet. */
static const char *const dash[] = {
    [POLICY_LANG_RU] = "\xe2\x80\x93", [POLICY_LANG_KK] = "\xe2\x80\x93", [POLICY_LANG_EN] = "-",
};
#define TEXT_MAX 512

static const char *const day_names[][7] = {
    [POLICY_LANG_RU] = { "пн", "вт", "ср", "чт", "пт", "сб", "вс" },
    [POLICY_LANG_KK] = { "дс", "сс", "ср", "бс", "жм", "сб", "жс" },
    [POLICY_LANG_EN] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" },
};
static const char *const all_day[] = {
    [POLICY_LANG_RU] = "круглосуточно", [POLICY_LANG_KK] = "тәулік бойы",
    [POLICY_LANG_EN] = "24 h",
};

struct text {
    char buf[TEXT_MAX];
    size_t len;                         /* what the text needs, may exceed the buffer */
};

static void put(struct text *t, const char *fmt, ...)
{
    va_list ap;
    size_t room = t->len < TEXT_MAX ? TEXT_MAX - t->len : 0;

    va_start(ap, fmt);
    int n = vsnprintf(room ? t->buf + t->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n;
}

/* Days as runs Monday first: "пн–сб", "сб, вс", "пн, ср, пт". */
static void put_days(struct text *t, unsigned days, enum policy_lang lang)
{
    int first = 1;

    for (int d = 0; d < 7; d++) {
        if (!(days & (1u << d)))
            continue;
        int e = d;
        while (e + 1 < 7 && (days & (1u << (e + 1))))
            e++;
        put(t, "%s%s", first ? "" : ", ", day_names[lang][d]);
        if (e == d + 1)
            put(t, ", %s", day_names[lang][e]);
        else if (e > d + 1)
            put(t, "%s%s", dash[lang], day_names[lang][e]);
        first = 0;
        d = e;
    }
}

static void put_span(struct text *t, const struct policy_span *sp, enum policy_lang lang)
{
    if (sp->days != POLICY_EVERY_DAY) {
        put_days(t, sp->days, lang);
        put(t, " ");
    }
    if (sp->start_min == 0 && sp->end_min == 1440)
        put(t, "%s", all_day[lang]);
    else
        put(t, "%02d:%02d%s%02d:%02d", sp->start_min / 60, sp->start_min % 60, dash[lang],
            sp->end_min / 60, sp->end_min % 60);
}

#define SPANS_MAX 64

/* The paid spans with the same days merged where their windows overlap or touch (08:00-12:00
   and 12:00-20:00 read as 08:00-20:00). Returns how many are in out. */
static size_t paid_spans(const struct policy_set *s, struct policy_span *out)
{
    size_t n = 0;

    for (size_t i = 0; i < s->npolicies; i++)
        for (size_t j = 0; s->policies[i].rate > 0 && j < s->policies[i].nspans; j++)
            if (s->policies[i].spans[j].days != 0 && n < SPANS_MAX)
                out[n++] = s->policies[i].spans[j];
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            struct policy_span *x = &out[a], *y = &out[b];
            if (x->days != y->days || y->start_min > x->end_min || x->start_min > y->end_min)
                continue;
            x->start_min = x->start_min < y->start_min ? x->start_min : y->start_min;
            x->end_min = x->end_min > y->end_min ? x->end_min : y->end_min;
            out[b] = out[--n];          /* y is merged into x */
            b = a;                      /* x grew: compare it with the others again */
        }
    return n;
}

size_t policy_format_hours(const struct policy_set *s, enum policy_lang lang, char *buf,
                           size_t size)
{
    struct text t = { "", 0 };
    struct policy_span spans[SPANS_MAX];
    int always = 0;

    if ((unsigned)lang > POLICY_LANG_EN)
        lang = POLICY_LANG_RU;
    for (size_t i = 0; i < s->npolicies; i++)
        always |= s->policies[i].rate > 0 && s->policies[i].nspans == 0;
    size_t n = paid_spans(s, spans);
    for (size_t i = 0; !always && i < n; i++) {
        put(&t, "%s", i ? ", " : "");
        put_span(&t, &spans[i], lang);
    }
    if (always)
        put(&t, "%s", all_day[lang]);
    if (size > 0) {
        size_t cut = t.len < size - 1 ? t.len : size - 1;
        if (cut > TEXT_MAX - 1)
            cut = TEXT_MAX - 1;
        while (cut > 0 && cut < t.len && ((unsigned char)t.buf[cut] & 0xc0) == 0x80)
            cut--;                      /* cut before a continuation byte */
        memcpy(buf, t.buf, cut);
        buf[cut] = '\0';
    }
    return t.len;
}
