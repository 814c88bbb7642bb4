/* fuzz_config.c: libFuzzer target for the validation of `group = parkbox`
 * (plugin/box/box_config.c, parkbox-cfg.def) from a buffer.
 *
 * gwlib's own reader (cfg_read) is Kannel's code and reads files; the target drives the
 * project's validation through box_config_from() instead. The input is read as lines
 * `key = value` (the first '=' splits; spaces around both are dropped; a value may be
 * quoted, as gwlib allows); the last line for a key wins; lines past the 64th with an '='
 * are ignored. Checks: an accepted group has every
 * integer within its limits, every choice one of its words, the two numbers 1..31 digits
 * and different, and the strings that may not be empty set; a refused one is zeroed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gwlib/gwlib.h"
#include "box_config.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    gwlib_init();
    log_set_output_level(GW_PANIC);   /* every refusal logs an error */
    return 0;
}

#define MAX_PAIRS 64

/* The group read from the input: later lines win. */
struct pairs {
    Octstr *key[MAX_PAIRS], *value[MAX_PAIRS];
    int n;
};

/* box_config_lookup over the pairs (gwlib's Dict costs a mutex per bucket: too slow here). */
static Octstr *pairs_lookup(void *arg, const char *key)
{
    const struct pairs *p = arg;

    for (int i = p->n - 1; i >= 0; i--)
        if (octstr_str_compare(p->key[i], key) == 0)
            return octstr_duplicate(p->value[i]);
    return NULL;
}

static void read_pairs(const uint8_t *data, size_t size, struct pairs *p)
{
    const char *s = (const char *)data, *end = s + size;

    p->n = 0;
    while (s < end && p->n < MAX_PAIRS) {
        const char *nl = memchr(s, '\n', (size_t)(end - s)), *eq;

        if (nl == NULL)
            nl = end;
        eq = memchr(s, '=', (size_t)(nl - s));
        if (eq != NULL && eq > s) {
            Octstr *key = octstr_create_from_data(s, eq - s);
            Octstr *value = octstr_create_from_data(eq + 1, nl - eq - 1);

            octstr_strip_blanks(key);
            octstr_strip_blanks(value);
            if (octstr_len(value) >= 2 && octstr_get_char(value, 0) == '"' &&
                octstr_get_char(value, octstr_len(value) - 1) == '"') {
                octstr_delete(value, octstr_len(value) - 1, 1);
                octstr_delete(value, 0, 1);
            }
            p->key[p->n] = key;
            p->value[p->n++] = value;
        }
        s = nl + 1;
    }
}

static void free_pairs(struct pairs *p)
{
    for (int i = 0; i < p->n; i++) {
        octstr_destroy(p->key[i]);
        octstr_destroy(p->value[i]);
    }
}

static int word_of(const char *word, const char *words)
{
    size_t n = strlen(word);

    for (const char *p = words; *p; p += strcspn(p, " "), p += *p == ' ')
        if (strcspn(p, " ") == n && strncmp(p, word, n) == 0)
            return 1;
    return 0;
}

static int number_ok(const char *s)
{
    size_t i = s[0] == '+', n = strlen(s);

    if (n == i || n > 31)
        return 0;
    return strspn(s + i, "0123456789") == n - i;
}

static void check_accepted(const struct box_config *c)
{
#define PB_STR(key, field, def, required) if ((required) && c->field == NULL) abort();
#define PB_INT(key, field, def, min, max) if (c->field < (min) || c->field > (max)) abort();
#define PB_CHOICE(key, field, def, words) \
    if (c->field == NULL || !word_of(c->field, (words))) abort();
#include "parkbox-cfg.def"
#undef PB_STR
#undef PB_INT
#undef PB_CHOICE
    if (!number_ok(c->service_number) || !number_ok(c->confirm_number) ||
        strcmp(c->service_number, c->confirm_number) == 0 || c->smsbox_id[0] == '\0' ||
        c->bearerbox_host[0] == '\0' || c->templates[0] == '\0' || c->timezone[0] == '\0')
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct box_config zero;
    struct pairs pairs;
    struct box_config c;

    read_pairs(data, size, &pairs);
    memset(&c, 0x55, sizeof(c));
    if (box_config_from(pairs_lookup, &pairs, &c) == 0) {
        check_accepted(&c);
        box_config_free(&c);
    } else if (memcmp(&c, &zero, sizeof(c)) != 0) {
        abort();
    }
    free_pairs(&pairs);
    return 0;
}
