/* utf8_field.c: one field of a driver's SMS as safe UTF-8 (see utf8_field.h). */
#include "utf8_field.h"

#include <string.h>

#include "utf8.h"

/* Length of the separator at text[i..len) (utf8_is_star: the command parser's own list),
   or 0. */
static size_t separator_at(const char *text, size_t len, size_t i)
{
    size_t pos = i;
    uint32_t cp = utf8_decode(text, len, &pos);

    return cp != UTF8_INVALID && utf8_is_star(cp) ? pos - i : 0;
}

static void copy_safe(const char *s, size_t len, char *out, size_t size)
{
    size_t o = 0;

    while (len > 0 && s[0] == ' ') {
        s++;
        len--;
    }
    while (len > 0 && s[len - 1] == ' ')
        len--;
    for (size_t i = 0; i < len;) {
        size_t next = i;
        /* utf8_decode, not a check of its own: overlongs, surrogates and code points above
           U+10FFFF are invalid here as everywhere else */
        size_t n = utf8_decode(s, len, &next) == UTF8_INVALID ? 0 : next - i;
        if (n == 0 || s[i] == '\0') {
            if (o + 1 >= size)
                break;
            out[o++] = '?';
            i++;
            continue;
        }
        if (o + n >= size)
            break;
        memcpy(out + o, s + i, n);
        o += n;
        i += n;
    }
    out[o] = '\0';
}

void utf8_field(const char *text, size_t len, int field, char *out, size_t size)
{
    size_t start = 0;
    int f = 1;

    if (size == 0)
        return;
    out[0] = '\0';
    if (field < 1)
        return;
    for (size_t i = 0; i <= len; i++) {
        size_t sep = i < len ? separator_at(text, len, i) : 1;
        if (sep == 0)
            continue;
        if (f == field) {
            copy_safe(text + start, i - start, out, size);
            return;
        }
        f++;
        i += sep - 1;
        start = i + 1;
    }
}
