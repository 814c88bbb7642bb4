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

/* Length of a valid UTF-8 sequence at s[0..len), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
    size_t n;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4;
    else
        return 0;
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
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
        size_t n = utf8_seq((const unsigned char *)s + i, len - i);
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
