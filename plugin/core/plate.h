/* plate.h: normalise and validate Kazakhstan vehicle registration plates.
 *
 * Pure core: no I/O, no allocation, no global state. The caller owns every buffer;
 * `text` is borrowed UTF-8 (not necessarily NUL-terminated), `out` is filled in place.
 *
 * Normalisation: white space and dashes anywhere (utf8_is_space, utf8_is_dash: ASCII
 * '-', U+2010..U+2015, U+2212, ...) are removed; Latin letters are upper-cased; Cyrillic
 * look-alikes (upper and lower case) are folded to Latin:
 *     А→A В→B Е→E К→K М→M Н→H О→O Р→P С→C Т→T У→Y Х→X  (also Ё→E, Ү/Ұ→Y, Қ→K, І→I)
 * Full-width ASCII (U+FF01..U+FF5E) is folded to ASCII. Any other character (dots,
 * commas, other Cyrillic letters such as Д or Ж) is PLATE_BAD_CHAR. Letters are never
 * guessed from digits or digits from letters (O and 0 stay what they are).
 *
 * Formats accepted (canonical form has no separators):
 *   PLATE_KZ2012_PRIVATE  NNN LLL RR  "123AAA02"  region RR 01..20
 *   PLATE_KZ2012_ORG      NNN LL RR   "123AA02"   region RR 01..20
 *   PLATE_KZ1993_PRIVATE  L NNN LLL   "A111AAA"   region letter first
 *   PLATE_KZ1993_ORG      L NNN LL    "A111AA"    region letter first
 *   PLATE_OTHER           4..10 Latin letters/digits, only with PLATE_POLICY_ALLOW_OTHER
 * 1993 region letters: A B C D E F H K L M N O P R S T U V W X Z, i.e. every letter that
 * was an oblast or city code between 1993 and 2012, including the codes of oblasts merged
 * since (plates issued there stay valid). G I J Q Y were never region letters:
 * PLATE_BAD_REGION.
 * A plate of a KZ shape with a bad region is PLATE_BAD_REGION under either policy (such a
 * plate is almost always a typo, not a foreign plate).
 * The country code printed at a plate's left is dropped: "KZ 123ABC02" is 123ABC02 (when
 * what follows "KZ" is a KZ plate; "KZ1234" stays what it is).
 * Kazakh letters, decided one by one: Қ, Ұ, Ү and І are read as K, Y, Y and I (on a
 * Kazakh keyboard they sit where, and look like, the Latin letters a plate has); Ә, Ө, Һ
 * and every other Cyrillic letter without a Latin twin (Д, Ж, ...) are PLATE_BAD_CHAR,
 * and the reply names the letter (plates use Latin letters).
 */
#ifndef PARK_PLATE_H
#define PARK_PLATE_H

#include <stddef.h>

enum plate_format { PLATE_KZ2012_PRIVATE, PLATE_KZ2012_ORG, PLATE_KZ1993_PRIVATE,
                    PLATE_KZ1993_ORG, PLATE_OTHER };
enum plate_policy { PLATE_POLICY_KZ_ONLY = 0, PLATE_POLICY_ALLOW_OTHER = 1 };
enum plate_error  { PLATE_OK = 0, PLATE_EMPTY, PLATE_TOO_LONG, PLATE_BAD_UTF8, PLATE_BAD_CHAR,
                    PLATE_BAD_REGION, PLATE_UNKNOWN_FORMAT };

#define PLATE_MAX 16              /* canonical plate incl. NUL */

struct plate {
    char canonical[PLATE_MAX];    /* "123AAA02", "A111AAA": Latin, no separators */
    enum plate_format format;
    int region;                   /* 1..20 for 2012+, 0 otherwise */
    char region_letter;           /* 1993 formats, else 0 */
};

/* Normalise `len` bytes of UTF-8 `text` into *out. Returns PLATE_OK, or the first error
   found: PLATE_EMPTY (nothing but separators), PLATE_BAD_UTF8, PLATE_BAD_CHAR (a character
   that is not a letter, digit or separator), PLATE_TOO_LONG (more than PLATE_MAX-1
   characters after removing separators), PLATE_BAD_REGION (right shape, region code not
   01..20 or region letter never issued), PLATE_UNKNOWN_FORMAT (any other shape, or a
   non-KZ plate under PLATE_POLICY_KZ_ONLY). On error *out is zeroed. */
enum plate_error plate_normalise(const char *text, size_t len, enum plate_policy policy,
                                 struct plate *out);

/* Same as plate_normalise; in addition, when err_pos is not NULL and the result is an
   error, *err_pos is the byte offset in `text` of what is wrong: the invalid sequence
   (PLATE_BAD_UTF8), the character (PLATE_BAD_CHAR), the first character beyond the limit
   (PLATE_TOO_LONG), the region code or letter (PLATE_BAD_REGION), else 0. */
enum plate_error plate_normalise_at(const char *text, size_t len, enum plate_policy policy,
                                    struct plate *out, size_t *err_pos);

const char *plate_error_reason(enum plate_error e);    /* short English reason, static */
const char *plate_format_name(enum plate_format f);    /* "KZ 2012 private" ... */

#endif
