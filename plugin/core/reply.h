/* reply.h: SMS reply texts from operator-editable templates.
 *
 * Templates: one UTF-8 file per installation (templates/replies.conf), sections
 * per language ([ru], [kk], [en]), `key = text` lines, `#` comments, `\n` and
 * `\\` escapes, `{name}` fields. Parsing is in the core (from a buffer); reading
 * the file is done by the caller. See docs/templates.md.
 *
 * A parsed set is immutable: reply_render() may be called from many threads at
 * once on the same reply_templates. */
#ifndef PARK_REPLY_H
#define PARK_REPLY_H

#include <stddef.h>

struct reply_templates; /* opaque */

/* Every key a template file has (reply_keys.def): REPLY_confirm_start, ... */
#define REPLY_KEY(key, ...) REPLY_##key,
enum reply_key {
#include "reply_keys.def"
    REPLY_KEY_COUNT
};
#undef REPLY_KEY

/* Parses a template file from buf[0..len). Returns a new set the caller owns
 * (free with reply_templates_destroy), or NULL with a message in err such as
 * "line 12: unknown field {amout} in key started" or "missing key help in [ru]".
 * Rejected: invalid UTF-8, a line outside a section, an unknown section or key,
 * a key repeated in a section, an empty text, a text over 600 bytes, a field
 * the key does not allow, an unterminated `{`, any key absent from [ru]. */
struct reply_templates *reply_templates_parse(const char *buf, size_t len,
                                              char *err, size_t errsize);
void reply_templates_destroy(struct reply_templates *t); /* accepts NULL */

/* Every key listed in the file format must exist for "ru"; missing kk/en keys
 * fall back to ru. */
struct reply_field {
    const char *name;
    const char *value;
};

#define REPLY_MAX 1024

struct reply_text {
    char text[REPLY_MAX];  /* UTF-8, NUL-terminated */
    size_t chars;          /* code points */
    int ucs2;              /* needs UCS-2 (not GSM 03.38) */
    int parts;             /* SMS parts */
};

/* Renders `key` in `lang` (unknown languages fall back to ru) with the fields;
 * values are inserted verbatim (never re-expanded). Returns 0, or -1 for an
 * unknown key, a field the template uses but fields lack (or whose value is
 * NULL), invalid UTF-8 in a value, or a result longer than REPLY_MAX-1 bytes;
 * out->text is then "" and out->parts 0. */
int reply_render(const struct reply_templates *t, const char *lang, const char *key,
                 const struct reply_field *fields, size_t nfields, struct reply_text *out);

/* 1 when the file had a section for lang ("ru", "kk", "en"), else 0. */
int reply_language_known(const struct reply_templates *t, const char *lang);

/* SMS accounting of a UTF-8 text, as reply_render fills it: code points, whether
 * any character is outside the GSM 03.38 default alphabet + extension table, and
 * the parts (GSM 7-bit: 160 septets single / 153 per part, extension characters
 * count 2; UCS-2: 70 / 67 UTF-16 code units). Empty text is 1 part. Returns 0,
 * or -1 for invalid UTF-8. */
int reply_measure(const char *text, size_t len, size_t *chars, int *ucs2, int *parts);

/* The names of all keys (NULL-terminated static array), for tests and tools. */
const char *const *reply_keys(void);

/* The name of a key ("started"), or NULL outside the enum. */
const char *reply_key_name(enum reply_key key);

/* The fields `key` may use (NULL-terminated static array), or NULL if the key
 * is unknown. */
const char *const *reply_key_fields(const char *key);

#endif
