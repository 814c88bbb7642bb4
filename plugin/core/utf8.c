/* utf8.c: strict UTF-8 decoding, case and look-alike folding for the SMS parsers. */
#include "utf8.h"

/* Length of the sequence a lead byte starts and the smallest and largest second byte
   it allows (this is where overlongs, surrogates and >U+10FFFF are excluded). */
static int lead_info(unsigned char b, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80; *hi = 0xBF;
    if (b < 0x80) return 1;
    if (b < 0xC2) return 0;                 /* continuation or overlong C0/C1 */
    if (b < 0xE0) return 2;
    if (b < 0xF0) {
        if (b == 0xE0) *lo = 0xA0;           /* overlong */
        if (b == 0xED) *hi = 0x9F;           /* surrogates */
        return 3;
    }
    if (b < 0xF5) {
        if (b == 0xF0) *lo = 0x90;           /* overlong */
        if (b == 0xF4) *hi = 0x8F;           /* above U+10FFFF */
        return 4;
    }
    return 0;
}

uint32_t utf8_decode(const char *s, size_t len, size_t *pos)
{
    const unsigned char *p = (const unsigned char *)s + *pos;
    size_t left = len - *pos;
    unsigned char lo, hi;
    int n = lead_info(p[0], &lo, &hi);
    uint32_t cp;

    if (n == 0 || (size_t)n > left)
        return UTF8_INVALID;
    if (n == 1) {
        *pos += 1;
        return p[0];
    }
    if (p[1] < lo || p[1] > hi)
        return UTF8_INVALID;
    cp = p[0] & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return UTF8_INVALID;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    *pos += (size_t)n;
    return cp;
}

int utf8_valid(const char *s, size_t len, size_t *bad)
{
    size_t pos = 0;

    while (pos < len) {
        if (utf8_decode(s, len, &pos) == UTF8_INVALID) {
            if (bad)
                *bad = pos;
            return 0;
        }
    }
    return 1;
}

size_t utf8_encode(uint32_t cp, char *buf)
{
    unsigned char *b = (unsigned char *)buf;

    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF)
        return 0;
    b[0] = (unsigned char)(0xF0 | (cp >> 18));
    b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

uint32_t utf8_fold_width(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return cp - 0xFF01 + 0x21;
    if (cp == 0x3000)
        return ' ';
    return cp;
}

/* Kazakh letters outside the Russian block: upper case is even, lower case is odd. */
static const uint32_t kazakh_upper[] = { 0x0492, 0x049A, 0x04A2, 0x04AE, 0x04B0, 0x04BA,
                                         0x04D8, 0x04E8 };

uint32_t utf8_upper(uint32_t cp)
{
    cp = utf8_fold_width(cp);
    if (cp >= 'a' && cp <= 'z')
        return cp - 0x20;
    if (cp >= 0x0430 && cp <= 0x044F)       /* а..я */
        return cp - 0x20;
    if (cp >= 0x0450 && cp <= 0x045F)       /* ѐ..џ, incl. ё і */
        return cp - 0x50;
    for (size_t i = 0; i < sizeof kazakh_upper / sizeof kazakh_upper[0]; i++)
        if (cp == kazakh_upper[i] + 1)
            return kazakh_upper[i];
    return cp;
}

int utf8_is_invisible(uint32_t cp)
{
    return cp == 0x00AD || cp == 0x061C || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

int utf8_is_space(uint32_t cp)
{
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x00A0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000 || utf8_is_invisible(cp);
}

int utf8_is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

int utf8_is_dash(uint32_t cp)
{
    return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 ||
           cp == 0xFE58 || cp == 0xFE63 || cp == 0xFF0D;
}

int utf8_is_star(uint32_t cp)
{
    static const uint32_t stars[] = { '*', '#', 0x2217, 0x204E, 0x066D, 0x2731, 0x2732,
                                      0x2733, 0x2734, 0x2735, 0x2736, 0x2605, 0x2606,
                                      0x22C6, 0x00D7 };

    cp = utf8_fold_width(cp);

    for (size_t i = 0; i < sizeof stars / sizeof stars[0]; i++)
        if (cp == stars[i])
            return 1;
    return 0;
}

int utf8_is_trailing_punct(uint32_t cp)
{
    cp = utf8_fold_width(cp);
    return cp == '.' || cp == ',' || cp == '!' || cp == ';' || cp == 0x2026;
}

int utf8_digit(uint32_t cp)
{
    cp = utf8_fold_width(cp);
    return cp >= '0' && cp <= '9' ? (int)(cp - '0') : -1;
}

/* Cyrillic upper case look-alikes and the Latin letter each stands for. */
static const struct { uint32_t cp; char latin; } lookalike[] = {
    { 0x0410, 'A' }, { 0x0412, 'B' }, { 0x0415, 'E' }, { 0x041A, 'K' }, { 0x041C, 'M' },
    { 0x041D, 'H' }, { 0x041E, 'O' }, { 0x0420, 'P' }, { 0x0421, 'C' }, { 0x0422, 'T' },
    { 0x0423, 'Y' }, { 0x0425, 'X' }, { 0x0401, 'E' }, { 0x0406, 'I' }, { 0x049A, 'K' },
    { 0x04AE, 'Y' }, { 0x04B0, 'Y' },
};

char utf8_plate_char(uint32_t cp)
{
    cp = utf8_upper(cp);
    if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'))
        return (char)cp;
    for (size_t i = 0; i < sizeof lookalike / sizeof lookalike[0]; i++)
        if (cp == lookalike[i].cp)
            return lookalike[i].latin;
    return 0;
}
