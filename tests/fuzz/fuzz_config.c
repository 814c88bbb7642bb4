/* fuzz_config.c: libFuzzer target for the validation of `group = parkbox`
 * (plugin/box/box_config.c, parkbox-cfg.def) from a buffer.
 *
 * gwlib's own reader (cfg_read) is Kannel's code and reads files; the target drives the
 * project's validation through box_config_from() instead. The input is read as lines
 * `key = value` (the first '=' splits; spaces around both are dropped; a value may be
 * quoted, as gwlib allows); the last line for a key wins. Checks: an accepted group has every
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

/* box_config_lookup over a Dict of Octstr values. */
static Octstr *dict_lookup(void *arg, const char *key)
{
    Octstr *name = octstr_create(key);
    Octstr *v = dict_get(arg, name);

    octstr_destroy(name);
    return v ? octstr_duplicate(v) : NULL;
}

static Dict *read_pairs(const uint8_t *data, size_t size)
{
    Dict *d = dict_create(64, octstr_destroy_item);
    Octstr *text = octstr_create_from_data((const char *)data, (long)size);
    List *lines = octstr_split(text, octstr_imm("\n"));
    Octstr *line;

    while ((line = gwlist_extract_first(lines)) != NULL) {
        long eq = octstr_search_char(line, '=', 0);

        if (eq > 0) {
            Octstr *key = octstr_copy(line, 0, eq);
            Octstr *value = octstr_copy(line, eq + 1, octstr_len(line) - eq - 1);

            octstr_strip_blanks(key);
            octstr_strip_blanks(value);
            if (octstr_len(value) >= 2 && octstr_get_char(value, 0) == '"' &&
                octstr_get_char(value, octstr_len(value) - 1) == '"') {
                octstr_delete(value, octstr_len(value) - 1, 1);
                octstr_delete(value, 0, 1);
            }
            dict_put(d, key, value);   /* replaces (and destroys) an earlier value */
            octstr_destroy(key);
        }
        octstr_destroy(line);
    }
    gwlist_destroy(lines, NULL);
    octstr_destroy(text);
    return d;
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
#define PB_STR(key, field, def, required) if (required && c->field == NULL) abort();
#define PB_INT(key, field, def, min, max) if (c->field < (min) || c->field > (max)) abort();
#define PB_CHOICE(key, field, def, words) \
    if (c->field == NULL || !word_of(c->field, words)) abort();
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
    Dict *d = read_pairs(data, size);
    struct box_config c;

    memset(&c, 0x55, sizeof(c));
    if (box_config_from(dict_lookup, d, &c) == 0) {
        check_accepted(&c);
        box_config_free(&c);
    } else if (memcmp(&c, &zero, sizeof(c)) != 0) {
        abort();
    }
    dict_destroy(d);
    return 0;
}
