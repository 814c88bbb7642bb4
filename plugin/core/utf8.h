/* utf8.h: strict UTF-8 decoding and the character classes the SMS parsers share.
 *
 * Pure core: no I/O, no allocation, no state. Every function takes borrowed input.
 * The look-alike tables are deliberately small and listed here so that the reply texts
 * and documentation can state exactly what the parsers tolerate.
 */
#ifndef PARK_UTF8_H
#define PARK_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_INVALID 0xFFFFFFFFu

/* Decode the code point at s[*pos] (requires *pos < len). On success returns it and
   advances *pos past it. On an invalid sequence returns UTF8_INVALID and leaves *pos
   unchanged: overlong forms, surrogates U+D800..U+DFFF, values above U+10FFFF, stray
   continuation bytes, bytes F5..FF, and sequences cut short by `len` are all invalid. */
uint32_t utf8_decode(const char *s, size_t len, size_t *pos);

/* 1 when all `len` bytes are valid UTF-8; otherwise 0 and, if bad is not NULL, *bad is the
   byte offset of the first invalid sequence. */
int utf8_valid(const char *s, size_t len, size_t *bad);

/* Write cp as UTF-8 into buf (room for 4 bytes). Returns the bytes written, or 0 when cp
   is a surrogate or above U+10FFFF. */
size_t utf8_encode(uint32_t cp, char *buf);

/* Full-width forms U+FF01..U+FF5E to ASCII, U+3000 to ' '; other code points unchanged. */
uint32_t utf8_fold_width(uint32_t cp);

/* Upper case for ASCII, Russian and Kazakh Cyrillic (incl. Ё, І, Ә Ғ Қ Ң Ө Ұ Ү Һ),
   after folding full width. Other code points unchanged. */
uint32_t utf8_upper(uint32_t cp);

/* Invisible format marks, which phones and copy-paste put around text: soft hyphen U+00AD,
   the bidi marks (ALM U+061C, LRM U+200E, RLM U+200F), embeddings and overrides
   U+202A..U+202E (RLO is U+202E), isolates U+2066..U+2069, zero-width space, non-joiner
   and joiner U+200B..U+200D, word joiner and invisible operators U+2060..U+2064, U+180E,
   and U+FEFF (BOM / zero-width no-break space). The parsers read them as white space;
   echoes drop them (utf8_field). */
int utf8_is_invisible(uint32_t cp);

/* White space as phones send it: ASCII space, TAB, CR, LF, VT, FF, U+00A0, U+1680,
   U+2000..U+200A, U+202F, U+205F, U+3000, and the invisible marks above. */
int utf8_is_space(uint32_t cp);

/* Control characters: C0 U+0000..U+001F (TAB, CR and LF included), DEL, C1 U+0080..U+009F.
   Never echoed into a reply (utf8_field writes '?'). */
int utf8_is_control(uint32_t cp);

/* Dashes removed from plates: '-', U+2010..U+2015, U+2212 minus, U+FE58, U+FE63, U+FF0D. */
int utf8_is_dash(uint32_t cp);

/* Command field separators: '*' and its look-alikes ＊ U+FF0A, ∗ U+2217, ⁎ U+204E,
   ٭ U+066D, ✱ U+2731, ✲ U+2732, ✳ U+2733, ✴ U+2734, ✵ U+2735, ✶ U+2736, ★ U+2605,
   ☆ U+2606, ⋆ U+22C6, × U+00D7 (multiplication sign: never a letter, so unambiguous),
   and '#' / ＃ (next to '*' on every phone keypad). Not the comma: a comma is only tolerated
   as trailing punctuation. */
int utf8_is_star(uint32_t cp);

/* Trailing punctuation dropped from the end of a command: . , ! ; … and full-width
   ．，！； (after folding). '?' is not: it is the status command. */
int utf8_is_trailing_punct(uint32_t cp);

/* Decimal digit value 0..9 of ASCII or full-width digits, else -1. */
int utf8_digit(uint32_t cp);

/* The Latin plate character for cp: 'A'..'Z' or '0'..'9', or 0 if none. Accepts Latin in
   either case, full width, and the Cyrillic look-alikes in either case:
   А→A В→B Е→E К→K М→M Н→H О→O Р→P С→C Т→T У→Y Х→X, and Ё→E І→I Қ→K Ү→Y Ұ→Y. */
char utf8_plate_char(uint32_t cp);

#endif
