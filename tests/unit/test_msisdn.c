/* test_msisdn.c: the sender rule (msisdn_check) and the one log mask (msisdn_mask).
 * Every table row is its own cmocka test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "table.h"
#include "msisdn.h"

/* ---- msisdn_check ------------------------------------------------------ */

struct check_row { const char *name; const char *sender; enum msisdn_error want; };

static const struct check_row check_rows[] = {
    { "kz mobile with plus", "+77011234567", MSISDN_OK },
    { "kz mobile", "77011234567", MSISDN_OK },
    { "kz national trunk 8", "87011234567", MSISDN_OK },
    { "seven digits", "1234567", MSISDN_OK },
    { "fifteen digits", "123456789012345", MSISDN_OK },
    { "fifteen digits with plus", "+123456789012345", MSISDN_OK },
    { "null", NULL, MSISDN_EMPTY },
    { "empty", "", MSISDN_EMPTY },
    { "plus alone", "+", MSISDN_EMPTY },
    { "zero", "0", MSISDN_LEADING_ZERO },
    { "plus zero", "+07011234567", MSISDN_LEADING_ZERO },
    { "trunk zero", "07011234567", MSISDN_LEADING_ZERO },
    { "alphanumeric", "ABC", MSISDN_NOT_DIGITS },
    { "alphanumeric bank", "Kaspi.kz", MSISDN_NOT_DIGITS },
    { "digits and a letter", "7701123456A", MSISDN_NOT_DIGITS },
    { "two pluses", "++77011234567", MSISDN_NOT_DIGITS },
    { "plus inside", "7701+1234567", MSISDN_NOT_DIGITS },
    { "space", "+7 701 123 45 67", MSISDN_NOT_DIGITS },
    { "dash", "7701-123-45-67", MSISDN_NOT_DIGITS },
    { "escape", "7701\x1b" "1234567", MSISDN_NOT_DIGITS },
    { "sql", "7701'; DROP TABLE subscribers; --", MSISDN_NOT_DIGITS },
    { "full-width digits", "\xEF\xBC\x97\xEF\xBC\x97\xEF\xBC\x90\xEF\xBC\x91", MSISDN_NOT_DIGITS },
    { "short code", "7757", MSISDN_TOO_SHORT },
    { "six digits", "123456", MSISDN_TOO_SHORT },
    { "sixteen digits", "1234567890123456", MSISDN_TOO_LONG },
    { "33 digits", "123456789012345678901234567890123", MSISDN_TOO_LONG },
};

static void test_check(void **state)
{
    const struct check_row *r = *state;

    assert_int_equal(msisdn_check(r->sender), r->want);
}

struct reason_row { const char *name; enum msisdn_error e; const char *want; };

static const struct reason_row reason_rows[] = {
    { "ok", MSISDN_OK, "" },
    { "empty", MSISDN_EMPTY, "empty" },
    { "not digits", MSISDN_NOT_DIGITS, "not digits" },
    { "leading zero", MSISDN_LEADING_ZERO, "starts with 0" },
    { "too short", MSISDN_TOO_SHORT, "fewer than 7 digits" },
    { "too long", MSISDN_TOO_LONG, "more than 15 digits" },
    { "out of range", (enum msisdn_error)99, "unknown" },
};

static void test_reason(void **state)
{
    const struct reason_row *r = *state;

    assert_string_equal(msisdn_error_reason(r->e), r->want);
}

/* ---- msisdn_mask ------------------------------------------------------- */

struct mask_row { const char *name; const char *number; size_t size; const char *want; };

static const struct mask_row mask_rows[] = {
    { "kz mobile", "77011234567", 40, "7701*****67" },
    { "with plus", "+77011234567", 40, "+770******67" },
    { "ten digits", "7011234567", 40, "7011****67" },
    { "nine digits keep the tail only", "701123456", 40, "*******56" },
    { "seven digits", "1234567", 40, "*****67" },
    { "six digits masked", "123456", 40, "****56" },
    { "five digits", "12345", 40, "***45" },
    { "short code", "7757", 40, "****" },
    { "alphanumeric", "ABC", 40, "***" },
    { "plus alone", "+", 40, "*" },
    { "zero", "0", 40, "*" },
    { "empty", "", 40, "" },
    { "null", NULL, 40, "" },
    { "33 characters", "123456789012345678901234567890123", 40,
      "1234***************************23" },
    { "control characters kept as ?", "7701123456\x1b\x07", 40, "7701******??" },
    { "exact fit", "77011234567", 12, "7701*****67" },
    { "one short shows no tail", "77011234567", 11, "7701******" },
    { "cut buffer shows no tail", "77011234567", 8, "7701***" },
    { "cut to the kept head", "77011234567", 5, "7701" },
    { "size one", "77011234567", 1, "" },
};

static void test_mask(void **state)
{
    const struct mask_row *r = *state;
    char buf[48];

    memset(buf, '#', sizeof(buf));
    msisdn_mask(r->number, buf, r->size);
    assert_string_equal(buf, r->want);
    assert_int_equal(buf[r->size], '#');   /* nothing written past size */
}

static void test_mask_size_zero(void **state)
{
    char buf[4] = "abc";

    (void)state;
    msisdn_mask("77011234567", buf, 0);
    assert_string_equal(buf, "abc");
}

/* Two lines never show different parts: the mask of a number is one string, whatever
   else the line holds, and the masks of every length keep at most 6 characters. */
static void test_mask_reveals_at_most_six(void **state)
{
    char number[40], buf[48];

    (void)state;
    for (size_t n = 0; n < sizeof(number); n++) {
        size_t kept = 0;
        memset(number, '5', n);
        number[n] = '\0';
        msisdn_mask(number, buf, sizeof(buf));
        assert_int_equal(strlen(buf), n);
        for (size_t i = 0; i < n; i++)
            kept += buf[i] != '*';
        assert_true(kept <= (n >= 10 ? 6u : n >= 5 ? 2u : 0u));
    }
}

int main(void)
{
    const struct CMUnitTest misc[] = {
        cmocka_unit_test(test_mask_size_zero),
        cmocka_unit_test(test_mask_reveals_at_most_six),
    };
    int failed = 0;

    failed += run_table("msisdn_check", test_check, check_rows, sizeof(check_rows[0]),
                        N(check_rows), NULL, NULL);
    failed += run_table("msisdn_error_reason", test_reason, reason_rows, sizeof(reason_rows[0]),
                        N(reason_rows), NULL, NULL);
    failed += run_table("msisdn_mask", test_mask, mask_rows, sizeof(mask_rows[0]),
                        N(mask_rows), NULL, NULL);
    failed += cmocka_run_group_tests_name("msisdn_misc", misc, NULL, NULL);
    return failed;
}
