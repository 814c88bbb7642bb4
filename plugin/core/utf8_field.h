/* utf8_field.h: cutting one '*'-separated field out of a driver's SMS, for error replies. */
#ifndef PARK_UTF8_FIELD_H
#define PARK_UTF8_FIELD_H

#include <stddef.h>

/* Copies field number `field` (1-based; separators are '*', '#' and the star look-alikes
   the command parser accepts) of text[0..len) into out[size], trimmed of spaces, with
   invalid UTF-8 and control characters (utf8_is_control) replaced by '?', other white
   space by ' ', invisible marks (utf8_is_invisible) dropped, and cut at a character
   boundary. field 0 or a missing
   field gives "". Never fails. */
void utf8_field(const char *text, size_t len, int field, char *out, size_t size);

#endif
