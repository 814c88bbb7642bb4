/* box_config.h: the `group = parkbox` configuration, read with gwlib's cfg.
 *
 * The keys, their defaults and their limits are listed once in parkbox-cfg.def.
 * The file may be a carrier's whole kannel.conf: other groups are checked by
 * gwlib's own schema, and a key that `group = parkbox` does not know is an error.
 *
 * Ownership: box_config_load() fills a caller-owned struct whose strings it
 * allocates; box_config_free() releases them (and accepts a zeroed struct).
 */
#ifndef PARKBOX_BOX_CONFIG_H
#define PARKBOX_BOX_CONFIG_H

#include "gwlib/gwlib.h"

#include "config.h"

struct box_config {
#define PB_STR(key, field, def, required) char *field;
#define PB_INT(key, field, def, min, max) long field;
#define PB_CHOICE(key, field, def, words) char *field;
#include "parkbox-cfg.def"
#undef PB_STR
#undef PB_INT
#undef PB_CHOICE
};

/* Register parkbox's group with gwlib's config reader. Call once, after
   gwlib_init() and before box_config_load(). */
void box_config_add_hooks(void);

/* Read `filename`. Returns 0, or -1 after logging an error that names the
   group and key (an unknown key, a missing required key, a bad value, no
   `group = parkbox`, or an unreadable file). */
int box_config_load(const char *filename, struct box_config *out);

/* The value of `key` in a group (a new Octstr the caller of the lookup destroys), or
   NULL when the key is absent. */
typedef Octstr *box_config_lookup(void *arg, const char *key);

/* The validation behind box_config_load(), reading values through `get` instead of
   gwlib's cfg (for tests and the fuzzer: a group from a buffer). Returns 0, or -1
   after logging an error naming the key; *out is then zeroed. */
int box_config_from(box_config_lookup *get, void *arg, struct box_config *out);

void box_config_free(struct box_config *c);

#endif
