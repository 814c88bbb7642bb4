/* kazakh.h: the case ending Kazakh grammar puts after a number written in digits.
 *
 * A number written in digits takes the ending its last spoken word would: 16:21 is read
 * "он алты жиырма бір", so "до 16:21" is «16:21-ге дейін» and "at 10:31" «10:31-де»;
 * 24 is "жиырма төрт": «24-ке дейін». The ending follows the word's last vowel (back:
 * а о ұ ы; front: ә е ө ү і и у) and last sound (after a voiceless consonant the
 * ending starts with к/қ or т; otherwise with г/ғ or д).
 */
#ifndef PARK_KAZAKH_H
#define PARK_KAZAKH_H

#include <stddef.h>

enum kk_case {
    KK_DATIVE,                 /* -ға/-ге/-қа/-ке: "to, until" (… дейін) */
    KK_LOCATIVE,               /* -да/-де/-та/-те: "at" */
};

/* The ending (without the hyphen) for the number n: "ге", "қа", "те"... */
const char *kk_number_ending(unsigned long n, enum kk_case c);

/* The ending for a text that ends in digits: the number is the digits after the last
   non-digit (12:00 reads "нөл": 0), e.g. "16:21" -> "ге". NULL when text does not end
   in a digit (or has more digits than a number holds). */
const char *kk_text_ending(const char *text, enum kk_case c);

#endif
