/* box_config.c: reads and validates `group = parkbox` (see parkbox-cfg.def). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gwlib/gwlib.h"

#include "box_config.h"

#define GROUP "parkbox"

/* gwlib cfg hook: 1 when `variable` may appear in `group`, 0 when the group is
   ours but the key is not, -1 when the group is not ours. */
static int parkbox_is_allowed_in_group(Octstr *group, Octstr *variable)
{
    const char *v = octstr_get_cstr(variable);

    if (octstr_str_compare(group, GROUP) != 0)
        return -1;
    if (strcmp(v, "group") == 0)
        return 1;
#define PB_STR(key, field, def, required) if (strcmp(v, #key) == 0) return 1;
#define PB_INT(key, field, def, min, max) if (strcmp(v, #key) == 0) return 1;
#define PB_CHOICE(key, field, def, words) if (strcmp(v, #key) == 0) return 1;
#include "parkbox-cfg.def"
#undef PB_STR
#undef PB_INT
#undef PB_CHOICE
    return 0;
}

/* gwlib cfg hook: our group may appear once. */
static int parkbox_is_single_group(Octstr *query)
{
    return octstr_str_compare(query, GROUP) == 0;
}

void box_config_add_hooks(void)
{
    cfg_add_hooks(parkbox_is_allowed_in_group, parkbox_is_single_group);
}

/* Where load_group() reads values: a lookup and its argument. */
struct source {
    box_config_lookup *get;
    void *arg;
};

/* The value of `key`, a copy of `def`, or NULL; -1 if it is required but absent. */
static int get_str(const struct source *grp, const char *key, const char *def, int required,
                   char **out)
{
    Octstr *v = grp->get(grp->arg, key);

    if (v == NULL && required) {
        error(0, "group '" GROUP "': key '%s' is required", key);
        return -1;
    }
    *out = v ? gw_strdup(octstr_get_cstr(v)) : def ? gw_strdup(def) : NULL;
    octstr_destroy(v);
    return 0;
}

/* A whole decimal integer in [min, max], or `def` when the key is absent. */
static int get_int(const struct source *grp, const char *key, long def, long min, long max,
                   long *out)
{
    Octstr *v = grp->get(grp->arg, key);
    const char *s;
    char *end;
    long n;

    *out = def;
    if (v == NULL)
        return 0;
    s = octstr_get_cstr(v);
    errno = 0;
    n = strtol(s, &end, 10);
    /* strtol alone would take " 5" and "+5" */
    if (!(isdigit((unsigned char)s[0]) || (s[0] == '-' && isdigit((unsigned char)s[1]))) ||
        *end != '\0' || errno != 0 || n < min || n > max) {
        error(0, "group '" GROUP "': key '%s': '%s' is not a whole number from %ld to %ld",
              key, s, min, max);
        octstr_destroy(v);
        return -1;
    }
    *out = n;
    octstr_destroy(v);
    return 0;
}

/* 1 when `word` is one of the space-separated `words` (a word has no space:
   "ru kk" is not one of "ru kk en"). */
static int word_in(const char *word, const char *words)
{
    size_t n = strlen(word);
    const char *p = words;

    if (strchr(word, ' ') != NULL)
        return 0;
    while (n > 0 && (p = strstr(p, word)) != NULL) {
        if ((p == words || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
        p += n;
    }
    return 0;
}

static int get_choice(const struct source *grp, const char *key, const char *def, const char *words,
                      char **out)
{
    if (get_str(grp, key, def, 0, out) == -1)
        return -1;
    if (!word_in(*out, words)) {
        error(0, "group '" GROUP "': key '%s': '%s' is not one of: %s", key, *out, words);
        return -1;
    }
    return 0;
}

/* A phone number or short code: 1..31 digits, an optional leading '+'. */
static int check_number(const char *key, const char *value)
{
    size_t i = value[0] == '+', n = strlen(value);

    if (n == i || n > 31)
        goto bad;
    for (; i < n; i++)
        if (value[i] < '0' || value[i] > '9')
            goto bad;
    return 0;
bad:
    error(0, "group '" GROUP "': key '%s': '%s' is not a number of 1 to 31 digits", key, value);
    return -1;
}

static int check_values(const struct box_config *c)
{
    if (check_number("service-number", c->service_number) == -1 ||
        check_number("confirm-number", c->confirm_number) == -1)
        return -1;
    if (strcmp(c->service_number, c->confirm_number) == 0) {
        error(0, "group '" GROUP "': keys 'service-number' and 'confirm-number' must differ");
        return -1;
    }
    if (c->smsbox_id[0] == '\0' || c->bearerbox_host[0] == '\0' || c->templates[0] == '\0' ||
        c->timezone[0] == '\0') {
        error(0, "group '" GROUP "': keys 'smsbox-id', 'bearerbox-host', 'templates' and "
              "'timezone' may not be empty");
        return -1;
    }
    return 0;
}

static int load_group(const struct source *grp, struct box_config *c)
{
#define PB_STR(key, field, def, required) \
    if (get_str(grp, #key, def, required, &c->field) == -1) return -1;
#define PB_INT(key, field, def, min, max) \
    if (get_int(grp, #key, def, min, max, &c->field) == -1) return -1;
#define PB_CHOICE(key, field, def, words) \
    if (get_choice(grp, #key, def, words, &c->field) == -1) return -1;
#include "parkbox-cfg.def"
#undef PB_STR
#undef PB_INT
#undef PB_CHOICE
    return check_values(c);
}

int box_config_from(box_config_lookup *get, void *arg, struct box_config *out)
{
    struct source src = { get, arg };

    memset(out, 0, sizeof(*out));
    if (load_group(&src, out) == 0)
        return 0;
    box_config_free(out);
    memset(out, 0, sizeof(*out));
    return -1;
}

/* box_config_lookup over gwlib's group. */
static Octstr *cfg_lookup(void *grp, const char *key)
{
    return cfg_get((CfgGroup *)grp, octstr_imm(key));
}

/* How many lines of `text` are `group = parkbox` (gwlib keeps only the last
   of several, silently). */
static long count_groups(Octstr *text)
{
    List *lines = octstr_split(text, octstr_imm("\n"));
    Octstr *line;
    long n = 0;

    while ((line = gwlist_extract_first(lines)) != NULL) {
        octstr_delete_matching(line, octstr_imm(" "));
        octstr_delete_matching(line, octstr_imm("\t"));
        octstr_delete_matching(line, octstr_imm("\""));
        octstr_delete_matching(line, octstr_imm("\r"));
        n += octstr_str_compare(line, "group=" GROUP) == 0;
        octstr_destroy(line);
    }
    gwlist_destroy(lines, NULL);
    return n;
}

int box_config_load(const char *filename, struct box_config *out)
{
    Octstr *name = octstr_create(filename);
    Cfg *cfg = cfg_create(name);
    Octstr *text;
    CfgGroup *grp;
    long groups;
    int ret = -1;

    memset(out, 0, sizeof(*out));
    if ((text = octstr_read_file(filename)) == NULL) {
        /* checked here: cfg_read() panics on a file it cannot open */
        error(0, "cannot read configuration file '%s'", filename);
    } else if (cfg_read(cfg) == -1) {
        error(0, "cannot read configuration file '%s'", filename);
    } else if ((grp = cfg_get_single_group(cfg, octstr_imm(GROUP))) == NULL) {
        error(0, "configuration file '%s' has no 'group = " GROUP "'", filename);
    } else if ((groups = count_groups(text)) > 1) {
        error(0, "configuration file '%s' has %ld 'group = " GROUP "'; one is allowed",
              filename, groups);
    } else {
        ret = box_config_from(cfg_lookup, grp, out);
    }
    cfg_destroy(cfg);
    octstr_destroy(text);
    octstr_destroy(name);
    return ret;
}

void box_config_free(struct box_config *c)
{
    if (c == NULL)
        return;
#define PB_STR(key, field, def, required) gw_free(c->field); c->field = NULL;
#define PB_INT(key, field, def, min, max)
#define PB_CHOICE(key, field, def, words) gw_free(c->field); c->field = NULL;
#include "parkbox-cfg.def"
#undef PB_STR
#undef PB_INT
#undef PB_CHOICE
}
