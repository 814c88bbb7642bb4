/* test_utf8_field.c: the character classes of hostile input (utf8_is_invisible,
 * utf8_is_control, utf8_is_space) and the echo of a field into a reply (utf8_field): no
 * control character, invalid byte or invisible mark reaches a reply. Every table row is
 * its own cmocka test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "table.h"
#include "utf8.h"
#include "utf8_field.h"

struct class_row { const char *name; uint32_t cp; int invisible, control, space; };

static const struct class_row class_rows[] = {
    { "NUL", 0x00, 0, 1, 0 },
    { "BEL", 0x07, 0, 1, 0 },
    { "TAB", 0x09, 0, 1, 1 },
    { "LF", 0x0A, 0, 1, 1 },
    { "CR", 0x0D, 0, 1, 1 },
    { "ESC", 0x1B, 0, 1, 0 },
    { "space", 0x20, 0, 0, 1 },
    { "digit 1", '1', 0, 0, 0 },
    { "DEL", 0x7F, 0, 1, 0 },
    { "C1 0x80", 0x80, 0, 1, 0 },
    { "C1 CSI 0x9B", 0x9B, 0, 1, 0 },
    { "C1 0x9F", 0x9F, 0, 1, 0 },
    { "no-break space", 0xA0, 0, 0, 1 },
    { "soft hyphen", 0xAD, 1, 0, 1 },
    { "arabic letter mark", 0x061C, 1, 0, 1 },
    { "en quad", 0x2000, 0, 0, 1 },
    { "hair space", 0x200A, 0, 0, 1 },
    { "zero-width space", 0x200B, 1, 0, 1 },
    { "zero-width non-joiner", 0x200C, 1, 0, 1 },
    { "zero-width joiner", 0x200D, 1, 0, 1 },
    { "LRM", 0x200E, 1, 0, 1 },
    { "RLM", 0x200F, 1, 0, 1 },
    { "hyphen is not", 0x2010, 0, 0, 0 },
    { "LRE", 0x202A, 1, 0, 1 },
    { "RLO", 0x202E, 1, 0, 1 },
    { "narrow no-break space", 0x202F, 0, 0, 1 },
    { "word joiner", 0x2060, 1, 0, 1 },
    { "invisible plus", 0x2064, 1, 0, 1 },
    { "LRI", 0x2066, 1, 0, 1 },
    { "PDI", 0x2069, 1, 0, 1 },
    { "ideographic space", 0x3000, 0, 0, 1 },
    { "BOM", 0xFEFF, 1, 0, 1 },
    { "cyrillic A", 0x0410, 0, 0, 0 },
    { "emoji", 0x1F600, 0, 0, 0 },
};

static void test_class(void **state)
{
    const struct class_row *r = *state;

    assert_int_equal(utf8_is_invisible(r->cp) != 0, r->invisible);
    assert_int_equal(utf8_is_control(r->cp) != 0, r->control);
    assert_int_equal(utf8_is_space(r->cp) != 0, r->space);
}

struct field_row {
    const char *name;
    const char *text;
    size_t len;
    int field;
    size_t size;
    const char *want;
};

#define S(lit) lit, sizeof(lit) - 1

static const struct field_row field_rows[] = {
    { "plate", S("1001*A111AAA*1"), 2, 64, "A111AAA" },
    { "zone", S("1001*A111AAA*1"), 1, 64, "1001" },
    { "missing field", S("1001*A111AAA"), 3, 64, "" },
    { "field 0", S("1001"), 0, 64, "" },
    { "spaces trimmed", S("1001*  A1  *1"), 2, 64, "A1" },
    { "ESC becomes ?", S("1001*A1\x1b[31m*1"), 2, 64, "A1?[31m" },
    { "BEL becomes ?", S("1001*A\x07" "1*1"), 2, 64, "A?1" },
    { "CR inside becomes ?", S("1001*A1\rB*1"), 2, 64, "A1?B" },
    { "NUL becomes ?", S("1001*A\0" "1*1"), 2, 64, "A?1" },
    { "DEL becomes ?", S("1001*A\x7f" "1*1"), 2, 64, "A?1" },
    { "C1 CSI becomes ?", S("1001*A\xc2\x9b" "1*1"), 2, 64, "A?1" },
    { "RLO dropped", S("1001*\xe2\x80\xae" "A111AAA*1"), 2, 64, "A111AAA" },
    { "RLM dropped", S("1001*A111\xe2\x80\x8f" "AAA*1"), 2, 64, "A111AAA" },
    { "zero-width space dropped", S("1001*A1\xe2\x80\x8b" "1*1"), 2, 64, "A11" },
    { "BOM dropped", S("\xef\xbb\xbf" "1001*A1*1"), 1, 64, "1001" },
    { "soft hyphen dropped", S("1001*A1\xc2\xad" "1*1"), 2, 64, "A11" },
    { "no-break space is a space", S("1001*A1\xc2\xa0" "B*1"), 2, 64, "A1 B" },
    { "invalid byte becomes ?", S("1001*A1\xff" "1*1"), 2, 64, "A1?1" },
    { "cut lead byte becomes ?", S("1001*A1\xd0"), 2, 64, "A1?" },
    { "cyrillic kept", S("1001*\xd0\x96" "111*1"), 2, 64, "\xd0\x96" "111" },
    { "emoji kept", S("1001*\xf0\x9f\x98\x80*1"), 2, 64, "\xf0\x9f\x98\x80" },
    { "sql kept as text", S("1001*'; DROP TABLE x;--*1"), 2, 64, "'; DROP TABLE x;--" },
    { "format string kept as text", S("1001*%s%n%x*1"), 2, 64, "%s%n%x" },
    { "cut at a character boundary", S("1001*\xd0\x96\xd0\x96\xd0\x96*1"), 2, 6,
      "\xd0\x96\xd0\x96" },
    { "trailing control is not trimmed", S("1001*A1\x1b*1"), 2, 64, "A1?" },
    { "only marks gives empty", S("1001*\xe2\x80\x8f\xe2\x80\xae*1"), 2, 64, "" },
};

static void test_field(void **state)
{
    const struct field_row *r = *state;
    char out[64];

    memset(out, '#', sizeof out);
    utf8_field(r->text, r->len, r->field, out, r->size);
    assert_string_equal(out, r->want);
    for (const char *p = out; *p; p++)
        assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
}

int main(void)
{
    int failed = 0;

    failed += run_table("utf8 classes", test_class, class_rows, sizeof(class_rows[0]),
                        N(class_rows), NULL, NULL);
    failed += run_table("utf8_field", test_field, field_rows, sizeof(field_rows[0]),
                        N(field_rows), NULL, NULL);
    return failed;
}
