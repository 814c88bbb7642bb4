/* reply_table.c: every reply of a template file, rendered in each language with sample
 * values (the longest plate and zone name of the samples), as the Markdown table of
 * docs/replies.md: text, characters, SMS parts. Exits 1 when a reply that is not a
 * fragment of another takes more than 2 parts.
 *
 *   reply_table [TEMPLATES]        (default templates/replies.conf)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"

struct sample { const char *name, *ru, *kk, *en; };

static const struct sample SAMPLES[] = {
    { "zone", "1003", NULL, NULL },
    { "zone_name", "Republican Square", NULL, NULL },
    { "plate", "123ABC02", NULL, NULL },
    { "plate_text", "Д111ААА", NULL, NULL },
    { "plates", "123ABC02, A111AAA", NULL, NULL },
    { "hours", "2", NULL, NULL },
    { "max_hours", "24", NULL, NULL },
    { "amount", "300", NULL, NULL },
    { "account_used", "120.50", NULL, NULL },
    { "to_pay", "179.50", NULL, NULL },
    { "cost", "62.50", NULL, NULL },
    { "to_account", "237.50", NULL, NULL },
    { "balance", "237.50", NULL, NULL },
    { "start", "10:15", NULL, NULL },
    { "end", "12:15", NULL, NULL },
    { "until", "10:20", NULL, NULL },
    { "minutes", "25", NULL, NULL },
    { "minutes_left", "10", NULL, NULL },
    { "tariff", "100", NULL, NULL },
    { "blocks", "Republican Square: Zheltoksan-Nazarbayev", NULL, NULL },
    { "count", "4", NULL, NULL },
    { "part", "1", NULL, NULL },
    { "parts", "3", NULL, NULL },
    { "receipt", "10427", NULL, NULL },
    { "last_digits", "4242", NULL, NULL },
    { "letter", "Д", NULL, NULL },
    { "paid_hours", "пн–сб 08:00–20:00", "дс–сб 08:00–20:00", "Mon-Sat 08:00-20:00" },
    { "car_suffix", "", NULL, NULL },
    { "method", "счёт телефона", "телефон шоты", "phone account" },
    { "payment", "чек №10427", "түбіртек №10427", "receipt 10427" },
    { "reason", "неизвестный код региона", "аймақ коды белгісіз", "unknown region code" },
    { "cars", "123ABC02: зона 1003 Republican Square до 12:15", "123ABC02: аймақ 1003 "
      "Republican Square, 12:15 дейін", "123ABC02: zone 1003 Republican Square until 12:15" },
};
#define NSAMPLES (sizeof SAMPLES / sizeof SAMPLES[0])

static int fragment(const char *key)
{
    return strncmp(key, "plate_reason_", 13) == 0 || strncmp(key, "method_", 7) == 0 ||
           strncmp(key, "paid_", 5) == 0 || strcmp(key, "zone_info_more") == 0 ||
           strcmp(key, "zone_blocks_more") == 0 ||
           strcmp(key, "status_car") == 0;
}

static struct reply_templates *load(const char *path)
{
    char err[256], *buf;
    FILE *f = fopen(path, "rb");
    long len;
    struct reply_templates *t;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)len + 1)) == NULL ||
        fread(buf, 1, (size_t)len, f) != (size_t)len) {
        fprintf(stderr, "reply_table: cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    t = reply_templates_parse(buf, (size_t)len, err, sizeof err);
    free(buf);
    if (t == NULL) {
        fprintf(stderr, "reply_table: %s: %s\n", path, err);
        exit(2);
    }
    return t;
}

/* A table cell: '|' escaped, line breaks as spaces. */
static void print_cell(const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", stdout);
        else
            putchar(*s == '\n' ? ' ' : *s);
    }
}

int main(int argc, char **argv)
{
    static const char *const langs[] = { "ru", "kk", "en" };
    struct reply_templates *t = load(argc > 1 ? argv[1] : "templates/replies.conf");
    struct reply_field f[NSAMPLES];
    struct reply_text out;
    int over = 0;

    puts("| key | lang | text | chars | parts |");
    puts("|---|---|---|---|---|");
    for (const char *const *k = reply_keys(); *k; k++) {
        for (size_t l = 0; l < 3; l++) {
            for (size_t i = 0; i < NSAMPLES; i++) {
                const char *v = l == 1 ? SAMPLES[i].kk : l == 2 ? SAMPLES[i].en : SAMPLES[i].ru;
                f[i] = (struct reply_field){ SAMPLES[i].name, v ? v : SAMPLES[i].ru };
            }
            if (reply_render(t, langs[l], *k, f, NSAMPLES, &out) != 0) {
                fprintf(stderr, "reply_table: %s in %s does not render\n", *k, langs[l]);
                return 2;
            }
            printf("| `%s` | %s | ", *k, langs[l]);
            print_cell(out.text);
            printf(" | %zu | %d%s |\n", out.chars, out.parts, out.ucs2 ? " UCS-2" : "");
            if (!fragment(*k) && out.parts > 2) {
                fprintf(stderr, "reply_table: %s in %s takes %d parts\n", *k, langs[l],
                        out.parts);
                over = 1;
            }
        }
    }
    reply_templates_destroy(t);
    return over;
}
