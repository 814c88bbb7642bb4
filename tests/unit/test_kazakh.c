/* test_kazakh.c: the case ending after a number written in digits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "kazakh.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct number_case { unsigned long n; const char *dative, *locative; };
static const struct number_case NUMBERS[] = {
    { 0, "ге", "де" },   { 1, "ге", "де" },   { 2, "ге", "де" },   { 3, "ке", "те" },
    { 4, "ке", "те" },   { 5, "ке", "те" },   { 6, "ға", "да" },   { 7, "ге", "де" },
    { 8, "ге", "де" },   { 9, "ға", "да" },   { 10, "ға", "да" },  { 20, "ға", "да" },
    { 21, "ге", "де" },  { 24, "ке", "те" },  { 30, "ға", "да" },  { 31, "ге", "де" },
    { 40, "қа", "та" },  { 46, "ға", "да" },  { 50, "ге", "де" },  { 59, "ға", "да" },
    { 60, "қа", "та" },  { 70, "ке", "те" },  { 80, "ге", "де" },  { 90, "ға", "да" },
    { 100, "ге", "де" }, { 300, "ге", "де" }, { 1000, "ға", "да" }, { 7701, "ге", "де" },
    { 2000000, "ға", "да" },
};

static void test_numbers(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(NUMBERS); i++) {
        const struct number_case *c = &NUMBERS[i];
        assert_string_equal(kk_number_ending(c->n, KK_DATIVE), c->dative);
        assert_string_equal(kk_number_ending(c->n, KK_LOCATIVE), c->locative);
    }
}

struct text_case { const char *text; enum kk_case c; const char *want; /* NULL: none */ };
static const struct text_case TEXTS[] = {
    { "16:21", KK_DATIVE, "ге" },        /* жиырма бір */
    { "10:31", KK_LOCATIVE, "де" },      /* отыз бір */
    { "12:00", KK_DATIVE, "ге" },        /* нөл */
    { "12:15", KK_LOCATIVE, "те" },      /* он бес */
    { "12:30", KK_DATIVE, "ға" },        /* отыз */
    { "17.06 08:40", KK_DATIVE, "қа" },  /* қырық */
    { "24", KK_DATIVE, "ке" },           /* жиырма төрт */
    { "123ABC02", KK_DATIVE, "ге" },     /* the digits after the last letter: 2 */
    { "Green Market", KK_DATIVE, NULL },
    { "", KK_DATIVE, NULL },
    { NULL, KK_DATIVE, NULL },
    { "12:", KK_LOCATIVE, NULL },
    { "1234567890", KK_DATIVE, NULL },   /* more digits than a number holds */
    { "123456789", KK_DATIVE, "ға" },    /* тоғыз */
};

static void test_texts(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(TEXTS); i++) {
        const char *got = kk_text_ending(TEXTS[i].text, TEXTS[i].c);
        if (TEXTS[i].want == NULL) {
            assert_null(got);
        } else {
            assert_non_null(got);
            assert_string_equal(got, TEXTS[i].want);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
