/* test_utf8.c: table-driven tests of the strict UTF-8 decoder and the folding helpers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "utf8.h"
#include "utf8_field.h"

struct decode_row { const char *in; size_t len; uint32_t cp; size_t next; };

/* next == 0 with cp == UTF8_INVALID: rejected, position unchanged. */
static const struct decode_row decode_rows[] = {
    { "A", 1, 'A', 1 },
    { "\x7F", 1, 0x7F, 1 },
    { "\xC2\x80", 2, 0x80, 2 },
    { "\xDF\xBF", 2, 0x7FF, 2 },
    { "\xE0\xA0\x80", 3, 0x800, 3 },
    { "\xED\x9F\xBF", 3, 0xD7FF, 3 },
    { "\xEE\x80\x80", 3, 0xE000, 3 },
    { "\xEF\xBF\xBF", 3, 0xFFFF, 3 },
    { "\xF0\x90\x80\x80", 4, 0x10000, 4 },
    { "\xF4\x8F\xBF\xBF", 4, 0x10FFFF, 4 },
    { "\xC0\x80", 2, UTF8_INVALID, 0 },          /* overlong NUL */
    { "\xC1\xBF", 2, UTF8_INVALID, 0 },          /* overlong */
    { "\xE0\x9F\xBF", 3, UTF8_INVALID, 0 },      /* overlong */
    { "\xF0\x8F\xBF\xBF", 4, UTF8_INVALID, 0 },  /* overlong */
    { "\xED\xA0\x80", 3, UTF8_INVALID, 0 },      /* surrogate D800 */
    { "\xED\xBF\xBF", 3, UTF8_INVALID, 0 },      /* surrogate DFFF */
    { "\xF4\x90\x80\x80", 4, UTF8_INVALID, 0 },  /* above U+10FFFF */
    { "\xF5\x80\x80\x80", 4, UTF8_INVALID, 0 },
    { "\xFF", 1, UTF8_INVALID, 0 },
    { "\x80", 1, UTF8_INVALID, 0 },              /* stray continuation */
    { "\xC3", 1, UTF8_INVALID, 0 },              /* truncated */
    { "\xE2\x82", 2, UTF8_INVALID, 0 },          /* truncated */
    { "\xF0\x9F\x98", 3, UTF8_INVALID, 0 },      /* truncated */
    { "\xE2\x28\xA1", 3, UTF8_INVALID, 0 },      /* bad continuation */
    { "\xE2\x82\xAC", 2, UTF8_INVALID, 0 },      /* cut by len */
};

static void test_decode(void **state)
{
    const struct decode_row *r = *state;
    size_t pos = 0;
    char buf[4];

    assert_int_equal(utf8_decode(r->in, r->len, &pos), r->cp);
    assert_int_equal(pos, r->next);
    assert_int_equal(utf8_valid(r->in, r->len, NULL), r->cp != UTF8_INVALID);
    if (r->cp != UTF8_INVALID) {
        assert_int_equal(utf8_encode(r->cp, buf), r->len);
        assert_memory_equal(buf, r->in, r->len);
    }
}

struct fold_row { uint32_t cp; char plate; uint32_t upper; };

static const struct fold_row fold_rows[] = {
    { 'a', 'A', 'A' }, { 'Z', 'Z', 'Z' }, { '7', '7', '7' },
    { 0x0430, 'A', 0x0410 }, { 0x0432, 'B', 0x0412 }, { 0x0435, 'E', 0x0415 },
    { 0x043A, 'K', 0x041A }, { 0x043C, 'M', 0x041C }, { 0x043D, 'H', 0x041D },
    { 0x043E, 'O', 0x041E }, { 0x0440, 'P', 0x0420 }, { 0x0441, 'C', 0x0421 },
    { 0x0442, 'T', 0x0422 }, { 0x0443, 'Y', 0x0423 }, { 0x0445, 'X', 0x0425 },
    { 0x0451, 'E', 0x0401 }, { 0x0456, 'I', 0x0406 }, { 0x049B, 'K', 0x049A },
    { 0x04AF, 'Y', 0x04AE }, { 0x04E9, 0, 0x04E8 }, { 0x0434, 0, 0x0414 },
    { 0xFF41, 'A', 'A' }, { 0xFF10, '0', '0' }, { '.', 0, '.' }, { 0, 0, 0 },
};

static void test_fold(void **state)
{
    const struct fold_row *r = *state;

    assert_int_equal(utf8_plate_char(r->cp), r->plate);
    assert_int_equal(utf8_upper(r->cp), r->upper);
}

/* utf8_field: what an error reply quotes. The surrogate, overlong and out-of-range rows
   were found by tests/fuzz/fuzz_text.c: a check of its own let them through as UTF-8. */
struct field_row { const char *in; size_t len; int field; size_t size; const char *out; };

static const struct field_row field_rows[] = {
    { "1001*123ABC02*2", 15, 2, 32, "123ABC02" },
    { "1001 \xE2\x9C\xB1 A B \xE2\x9C\xB1", 13, 2, 32, "A B" },
    { "1001*x", 6, 3, 32, "" },
    { "1001*x", 6, 0, 32, "" },
    { "m\xED\xA0\x80", 4, 1, 32, "m???" },         /* surrogate D800 */
    { "\xE0\x80\xAF*2", 5, 1, 32, "???" },          /* overlong '/' */
    { "\xF4\x90\x80\x80", 4, 1, 32, "????" },      /* above U+10FFFF */
    { "A\0B", 3, 1, 32, "A?B" },
    { "\xD0\x90\xD0\x91\xD0\x92", 6, 1, 4, "\xD0\x90" }, /* cut at a boundary */
};

static void test_field(void **state)
{
    const struct field_row *r = *state;
    char out[32];

    utf8_field(r->in, r->len, r->field, out, r->size);
    assert_string_equal(out, r->out);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
    static struct CMUnitTest tests[N(decode_rows) + N(fold_rows) + N(field_rows)];
    static char names[N(decode_rows) + N(fold_rows) + N(field_rows)][32];
    size_t n = 0;

    for (size_t i = 0; i < N(decode_rows); i++, n++) {
        snprintf(names[n], sizeof names[n], "utf8 decode[%zu]", i);
        tests[n] = (struct CMUnitTest){ names[n], test_decode, NULL, NULL,
                                        (void *)&decode_rows[i] };
    }
    for (size_t i = 0; i < N(fold_rows); i++, n++) {
        snprintf(names[n], sizeof names[n], "utf8 fold[%zu] U+%04X", i,
                 (unsigned)fold_rows[i].cp);
        tests[n] = (struct CMUnitTest){ names[n], test_fold, NULL, NULL,
                                        (void *)&fold_rows[i] };
    }
    for (size_t i = 0; i < N(field_rows); i++, n++) {
        snprintf(names[n], sizeof names[n], "utf8 field[%zu]", i);
        tests[n] = (struct CMUnitTest){ names[n], test_field, NULL, NULL,
                                        (void *)&field_rows[i] };
    }
    return _cmocka_run_group_tests("utf8", tests, n, NULL, NULL);
}
