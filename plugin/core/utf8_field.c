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

/* s[0..len) into out[size], trimmed of spaces: invalid UTF-8 and control characters
   become '?' (ESC, BEL, CR, NUL never reach a reply), other white space ' ', invisible
   marks are dropped; cut at a character boundary. */
static void copy_safe(const char *s, size_t len, char *out, size_t size)
{
    size_t o = 0, end = 0;     /* end: out's length without trailing spaces */

    for (size_t i = 0; i < len;) {
        size_t next = i;
        uint32_t cp = utf8_decode(s, len, &next);
        char buf[4];
        size_t n = 1;

        if (cp == UTF8_INVALID || utf8_is_control(cp)) {
            buf[0] = '?';
            i = cp == UTF8_INVALID ? i + 1 : next;
        } else {
            i = next;
            if (utf8_is_invisible(cp))
                continue;
            if (utf8_is_space(cp))
                buf[0] = ' ';
            else
                n = utf8_encode(cp, buf);
        }
        if (buf[0] == ' ' && o == 0)
            continue;
        if (o + n >= size)
            break;
        memcpy(out + o, buf, n);
        o += n;
        if (buf[0] != ' ')
            end = o;
    }
    out[end] = '\0';
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
