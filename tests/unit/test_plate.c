/* test_plate.c: table-driven tests of plate_normalise (one cmocka test per row). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "plate.h"
#include "utf8.h"

#define KZ    PLATE_POLICY_KZ_ONLY
#define OTHER PLATE_POLICY_ALLOW_OTHER

struct row {
    const char *in;
    size_t len;                   /* 0: strlen(in) */
    enum plate_policy policy;
    enum plate_error err;
    const char *canonical;        /* when PLATE_OK */
    enum plate_format format;
    int region;
    char letter;
    size_t err_pos;               /* when not PLATE_OK */
};

#define OK12(in, canon, fmt, reg)  { in, 0, KZ, PLATE_OK, canon, fmt, reg, 0, 0 }
#define OK93(in, canon, fmt, let)  { in, 0, KZ, PLATE_OK, canon, fmt, 0, let, 0 }
#define OKOTHER(in, canon)         { in, 0, OTHER, PLATE_OK, canon, PLATE_OTHER, 0, 0, 0 }
#define BAD(in, pol, e, pos)       { in, 0, pol, e, NULL, 0, 0, 0, pos }
#define BADN(in, n, e, pos)        { in, n, KZ, e, NULL, 0, 0, 0, pos }

static const struct row rows[] = {
    /* 2012+ private and organisation plates */
    OK12("123AAA02", "123AAA02", PLATE_KZ2012_PRIVATE, 2),
    OK12("KZ 123ABC02", "123ABC02", PLATE_KZ2012_PRIVATE, 2),
    OK12("kz123abc02", "123ABC02", PLATE_KZ2012_PRIVATE, 2),
    OK93("KZ A111AAA", "A111AAA", PLATE_KZ1993_PRIVATE, 'A'),
    OK12("123 AAA 02", "123AAA02", PLATE_KZ2012_PRIVATE, 2),
    OK12("123-AAA-02", "123AAA02", PLATE_KZ2012_PRIVATE, 2),
    OK12("123aaa02", "123AAA02", PLATE_KZ2012_PRIVATE, 2),
    OK12("  123 aaa 02  ", "123AAA02", PLATE_KZ2012_PRIVATE, 2),
    OK12("123ААА02", "123AAA02", PLATE_KZ2012_PRIVATE, 2),
    OK12("123ава02", "123ABA02", PLATE_KZ2012_PRIVATE, 2),
    OK12("123кмн02", "123KMH02", PLATE_KZ2012_PRIVATE, 2),
    OK12("123ABC01", "123ABC01", PLATE_KZ2012_PRIVATE, 1),
    OK12("123ABC20", "123ABC20", PLATE_KZ2012_PRIVATE, 20),
    OK12("123ABC17", "123ABC17", PLATE_KZ2012_PRIVATE, 17),
    OK12("001KZ01", "001KZ01", PLATE_KZ2012_ORG, 1),
    OK12("777ab 20", "777AB20", PLATE_KZ2012_ORG, 20),
    OK12("１２３ＡＢＣ０２", "123ABC02", PLATE_KZ2012_PRIVATE, 2),
    OK12("123\xC2\xA0" "ABC\xC2\xA0" "02", "123ABC02", PLATE_KZ2012_PRIVATE, 2),
    OK12("123–ABC—02", "123ABC02", PLATE_KZ2012_PRIVATE, 2),
    OK12("123ЁЁЁ02", "123EEE02", PLATE_KZ2012_PRIVATE, 2),
    OK12("123ҚҮІ02", "123KYI02", PLATE_KZ2012_PRIVATE, 2),
    OK12("123OOO02", "123OOO02", PLATE_KZ2012_PRIVATE, 2),
    OK12("123\t\r\nAAA 02", "123AAA02", PLATE_KZ2012_PRIVATE, 2),
    /* 1993-2012 private and organisation plates */
    OK93("A111AAA", "A111AAA", PLATE_KZ1993_PRIVATE, 'A'),
    OK93("А111ААА", "A111AAA", PLATE_KZ1993_PRIVATE, 'A'),
    OK93("a 111 aaa", "A111AAA", PLATE_KZ1993_PRIVATE, 'A'),
    OK93("Z001AB", "Z001AB", PLATE_KZ1993_ORG, 'Z'),
    OK93("Х777ХХХ", "X777XXX", PLATE_KZ1993_PRIVATE, 'X'),
    OK93("В123ЕКМ", "B123EKM", PLATE_KZ1993_PRIVATE, 'B'),
    OK93("Н456ОРС", "H456OPC", PLATE_KZ1993_PRIVATE, 'H'),
    OK93("Т789УХА", "T789YXA", PLATE_KZ1993_PRIVATE, 'T'),
    OK93("м001тус", "M001TYC", PLATE_KZ1993_PRIVATE, 'M'),
    OK93("W 585 CUO", "W585CUO", PLATE_KZ1993_PRIVATE, 'W'),
    OK93("K-123-AB", "K123AB", PLATE_KZ1993_ORG, 'K'),
    /* other formats, allowed only by policy */
    OKOTHER("AB1234CD", "AB1234CD"),
    OKOTHER("a123bc 77", "A123BC77"),
    OKOTHER("1234", "1234"),
    OKOTHER("ABCDEFGHIJ", "ABCDEFGHIJ"),
    { "123AAA02", 0, OTHER, PLATE_OK, "123AAA02", PLATE_KZ2012_PRIVATE, 2, 0, 0 },
    BAD("ABC", OTHER, PLATE_UNKNOWN_FORMAT, 0),
    BAD("ABCDEFGHIJK", OTHER, PLATE_UNKNOWN_FORMAT, 0),
    BAD("123AAA21", OTHER, PLATE_BAD_REGION, 6),
    BAD("AB-12Ж", OTHER, PLATE_BAD_CHAR, 5),
    BAD("AB1234CD", KZ, PLATE_UNKNOWN_FORMAT, 0),
    BAD("A123BC77", KZ, PLATE_UNKNOWN_FORMAT, 0),
    /* empty */
    BAD("", KZ, PLATE_EMPTY, 0),
    BAD("   ", KZ, PLATE_EMPTY, 0),
    BAD(" - – ", KZ, PLATE_EMPTY, 0),
    /* regions */
    BAD("123AAA21", KZ, PLATE_BAD_REGION, 6),
    BAD("123AAA00", KZ, PLATE_BAD_REGION, 6),
    BAD("123AA99", KZ, PLATE_BAD_REGION, 5),
    BAD("123 AAA 21", KZ, PLATE_BAD_REGION, 8),
    BAD("G111AAA", KZ, PLATE_BAD_REGION, 0),
    BAD("Y123AB", KZ, PLATE_BAD_REGION, 0),
    BAD(" i123abc", KZ, PLATE_BAD_REGION, 1),
    BAD("Q001AAA", KZ, PLATE_BAD_REGION, 0),
    BAD("J001AA", KZ, PLATE_BAD_REGION, 0),
    /* characters */
    BAD("123ДДД02", KZ, PLATE_BAD_CHAR, 3),
    BAD("123.AAA.02", KZ, PLATE_BAD_CHAR, 3),
    BAD("123AAA02!", KZ, PLATE_BAD_CHAR, 8),
    BAD("123_AAA", KZ, PLATE_BAD_CHAR, 3),
    BAD("А111ААА*", KZ, PLATE_BAD_CHAR, 11),
    BADN("12\0" "3AAA02", 9, PLATE_BAD_CHAR, 2),
    /* invalid UTF-8 */
    BAD("\xC0\xAF", KZ, PLATE_BAD_UTF8, 0),
    BAD("123\xED\xA0\x80", KZ, PLATE_BAD_UTF8, 3),
    BAD("12\xE2\x82", KZ, PLATE_BAD_UTF8, 2),
    BAD("\x80" "123AAA02", KZ, PLATE_BAD_UTF8, 0),
    BAD("A\xF4\x90\x80\x80", KZ, PLATE_BAD_UTF8, 1),
    BAD("123AAA0\xFF", KZ, PLATE_BAD_UTF8, 7),
    BAD("\xE0\x80\xB1", KZ, PLATE_BAD_UTF8, 0),
    /* length */
    BAD("1234567890ABCDEF", OTHER, PLATE_TOO_LONG, 15),
    BAD("123456789012345", OTHER, PLATE_UNKNOWN_FORMAT, 0),
    /* shapes */
    BAD("123AAAA02", KZ, PLATE_UNKNOWN_FORMAT, 0),
    BAD("12AAA02", KZ, PLATE_UNKNOWN_FORMAT, 0),
    BAD("AAA123", KZ, PLATE_UNKNOWN_FORMAT, 0),
    BAD("A11AAA", KZ, PLATE_UNKNOWN_FORMAT, 0),
    BAD("A1111AAA", KZ, PLATE_UNKNOWN_FORMAT, 0),
    BAD("123AAA2", KZ, PLATE_UNKNOWN_FORMAT, 0),
    BAD("123AAA002", KZ, PLATE_UNKNOWN_FORMAT, 0),
    BAD("12OAAA02", KZ, PLATE_UNKNOWN_FORMAT, 0),
    BAD("A111A", KZ, PLATE_UNKNOWN_FORMAT, 0),
};

#define NROWS (sizeof rows / sizeof rows[0])

static void test_row(void **state)
{
    const struct row *r = *state;
    size_t len = r->len ? r->len : strlen(r->in);
    struct plate p;
    size_t pos = 12345;
    enum plate_error e;

    memset(&p, 0x5A, sizeof p);
    e = plate_normalise_at(r->in, len, r->policy, &p, &pos);
    assert_int_equal(e, r->err);
    if (r->err != PLATE_OK) {
        assert_int_equal(pos, r->err_pos);
        assert_string_equal(p.canonical, "");
        assert_int_equal(plate_normalise(r->in, len, r->policy, &p), r->err);
        return;
    }
    assert_string_equal(p.canonical, r->canonical);
    assert_int_equal(p.format, r->format);
    assert_int_equal(p.region, r->region);
    assert_int_equal(p.region_letter, r->letter);
}

static void test_reasons(void **state)
{
    (void)state;
    for (int e = PLATE_EMPTY; e <= PLATE_UNKNOWN_FORMAT; e++) {
        assert_string_not_equal(plate_error_reason(e), "unknown plate error");
        for (int f = PLATE_EMPTY; f < e; f++)
            assert_string_not_equal(plate_error_reason(e), plate_error_reason(f));
    }
    assert_string_equal(plate_format_name(PLATE_KZ2012_PRIVATE), "KZ 2012 private");
    assert_string_equal(plate_format_name(PLATE_OTHER), "other");
}

/* Row names: the input as is when it is valid UTF-8 without control characters,
   otherwise with every byte outside printable ASCII written as \xNN. */
static char names[NROWS][200];

static const char *row_name(size_t i)
{
    const struct row *r = &rows[i];
    size_t len = r->len ? r->len : strlen(r->in), used;
    int raw = utf8_valid(r->in, len, NULL);

    for (size_t k = 0; k < len; k++)
        if ((unsigned char)r->in[k] < 0x20 || r->in[k] == 0x7F)
            raw = 0;
    used = (size_t)snprintf(names[i], sizeof names[i], "plate[%zu] \"", i);
    for (size_t k = 0; k < len && used + 6 < sizeof names[i]; k++) {
        unsigned char c = (unsigned char)r->in[k];
        if ((c >= 0x20 && c < 0x7F) || (raw && c >= 0x80))
            names[i][used++] = (char)c;
        else
            used += (size_t)snprintf(names[i] + used, 5, "\\x%02X", c);
    }
    snprintf(names[i] + used, sizeof names[i] - used, "\"");
    return names[i];
}

int main(void)
{
    static struct CMUnitTest tests[NROWS + 1];

    for (size_t i = 0; i < NROWS; i++)
        tests[i] = (struct CMUnitTest){ row_name(i), test_row, NULL, NULL, (void *)&rows[i] };
    tests[NROWS] = (struct CMUnitTest){ "plate reasons", test_reasons, NULL, NULL, NULL };
    return _cmocka_run_group_tests("plate", tests, NROWS + 1, NULL, NULL);
}
