/* test_command.c: table-driven tests of command_parse and command_parse_confirmation
   (one cmocka test per row). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "command.h"
#include "utf8.h"

/* Options used by the rows: index into `options`, -1 for NULL (the defaults). */
enum { O_KZ = 0, O_OTHER = 1, O_MAX4 = 2, O_ZERO = 3, O_NULL = -1 };
static const struct cmd_options options[] = {
    { 24, PLATE_POLICY_KZ_ONLY }, { 24, PLATE_POLICY_ALLOW_OTHER },
    { 4, PLATE_POLICY_KZ_ONLY }, { 0, PLATE_POLICY_KZ_ONLY },
};

struct row {
    const char *in;
    size_t len;                  /* 0: strlen(in) */
    int opt;
    enum cmd_error err;
    /* CMD_OK */
    enum cmd_kind kind;
    int zone;
    const char *plate;           /* NULL: has_plate == 0 */
    int hours;
    const char *lang;
    /* errors */
    size_t pos;
    int field;
    enum plate_error plate_err;
    int all_blocks;              /* ZONE*ALL */
};

#define START(in, z, p, h)   { in, 0, O_KZ, CMD_OK, CMD_START, z, p, h, "", 0, 0, 0, 0 }
#define STARTO(in, o, z, p, h) { in, 0, o, CMD_OK, CMD_START, z, p, h, "", 0, 0, 0, 0 }
#define STOP(in, p)          { in, 0, O_KZ, CMD_OK, CMD_STOP, 0, p, 0, "", 0, 0, 0, 0 }
#define EXTEND(in, h, p)     { in, 0, O_KZ, CMD_OK, CMD_EXTEND, 0, p, h, "", 0, 0, 0, 0 }
#define ZINFO(in, z)         { in, 0, O_KZ, CMD_OK, CMD_ZONE_INFO, z, NULL, 0, "", 0, 0, 0, 0 }
#define ZALL(in, z)          { in, 0, O_KZ, CMD_OK, CMD_ZONE_INFO, z, NULL, 0, "", 0, 0, 0, 1 }
#define WORD(in, k)          { in, 0, O_KZ, CMD_OK, k, 0, NULL, 0, "", 0, 0, 0, 0 }
#define LANG(in, l)          { in, 0, O_KZ, CMD_OK, CMD_LANGUAGE, 0, NULL, 0, l, 0, 0, 0, 0 }
#define ERR(in, e, pos, f)   { in, 0, O_KZ, e, 0, 0, NULL, 0, "", pos, f, 0, 0 }
#define ERRO(in, o, e, pos, f) { in, 0, o, e, 0, 0, NULL, 0, "", pos, f, 0, 0 }
#define ERRN(in, n, e, pos, f) { in, n, O_KZ, e, 0, 0, NULL, 0, "", pos, f, 0, 0 }
#define PLATE_ERR(in, pos, f, pe) { in, 0, O_KZ, CMD_BAD_PLATE, 0, 0, NULL, 0, "", pos, f, pe, 0 }

#define SPACES10 "          "
#define SPACES50 SPACES10 SPACES10 SPACES10 SPACES10 SPACES10
#define SPACES150 SPACES50 SPACES50 SPACES50

static const struct row rows[] = {
    /* start parking */
    START("1001*123AAA02*2", 1001, "123AAA02", 2),
    START("1001*А111ААА*1", 1001, "A111AAA", 1),
    START("1001*123ААА02*1", 1001, "123AAA02", 1),
    START("1001*A111AAA", 1001, "A111AAA", 1),
    START(" 1001 * 123 aaa 02 * 3 ", 1001, "123AAA02", 3),
    START("1001 *\t123AAA02\r\n", 1001, "123AAA02", 1),
    START("1001＊123AAA02＊2", 1001, "123AAA02", 2),
    START("1001∗123AAA02∗2", 1001, "123AAA02", 2),
    START("1001×123AAA02×2", 1001, "123AAA02", 2),
    START("1001#123AAA02#2", 1001, "123AAA02", 2),
    START("1001✱123AAA02✱2", 1001, "123AAA02", 2),
    START("1001★A111AAA", 1001, "A111AAA", 1),
    START("1001*123AAA02*2.", 1001, "123AAA02", 2),
    START("1001*123AAA02*2!!", 1001, "123AAA02", 2),
    START("1001*123AAA02*2 ,.", 1001, "123AAA02", 2),
    START("1001*A111AAA*1…", 1001, "A111AAA", 1),
    START("１００１*123AAA02*２", 1001, "123AAA02", 2),
    START("0001*123AAA02*24", 1, "123AAA02", 24),
    START("1001*123AAA02*02", 1001, "123AAA02", 2),
    START("9999*Z001AB", 9999, "Z001AB", 1),
    START("\xEF\xBB\xBF" "1001*123AAA02", 1001, "123AAA02", 1),
    START("1002*х 777 ххх*12", 1002, "X777XXX", 12),
    STARTO("1001*AB1234CD*1", O_OTHER, 1001, "AB1234CD", 1),
    STARTO("1001*123AAA02*4", O_MAX4, 1001, "123AAA02", 4),
    STARTO("1001*123AAA02*24", O_NULL, 1001, "123AAA02", 24),
    STARTO("1001*123AAA02*24", O_ZERO, 1001, "123AAA02", 24),
    /* zone information: the zone alone */
    ZALL("1001*ВСЕ", 1001), ZALL("1001*все", 1001), ZALL("1001*Всё", 1001),
    ZALL("1001*ALL", 1001), ZALL("1001*all", 1001), ZALL("1001 * бәрі", 1001),
    ZALL("1001*БАРЛЫҒЫ", 1001), ZALL("1001*барлыгы", 1001), ZALL("１００１＊ＡＬＬ", 1001),
    ERR("10*ALL", CMD_BAD_ZONE, 0, 1),
    ZINFO("1001", 1001), ZINFO(" 1001 ", 1001), ZINFO("1001.", 1001), ZINFO("1001!", 1001),
    ZINFO("1001?", 1001), ZINFO("1001 ?", 1001), ZINFO("1001？", 1001),
    ZINFO("1001??", 1001), ZINFO("１００１", 1001), ZINFO("0007", 7),
    ZINFO("\t9999\r\n", 9999), ZINFO("\xEF\xBB\xBF" "1002", 1002), ZINFO("1003 ,.…", 1003),
    ERR("100", CMD_BAD_ZONE, 0, 1),
    ERR("10011", CMD_BAD_ZONE, 4, 1),
    ERR("10 01", CMD_BAD_ZONE, 2, 1),
    ERR("1001?1", CMD_BAD_ZONE, 4, 1),
    ERR("10?01", CMD_BAD_ZONE, 2, 1),
    ERR("1001-", CMD_BAD_ZONE, 4, 1),
    ERR("1001 А", CMD_BAD_SEPARATOR, 4, 1),
    ERR("1001?*", CMD_BAD_ZONE, 4, 1),
    /* stop */
    STOP("S", NULL), STOP("s", NULL), STOP("С", NULL), STOP("с", NULL), STOP("C", NULL),
    STOP(" S. ", NULL), STOP("STOP", NULL), STOP("стоп", NULL), STOP("Ｓ", NULL),
    STOP("S*123AAA02", "123AAA02"), STOP("С*а111ааа", "A111AAA"),
    STOP("S * 123 AAA 02!", "123AAA02"),
    /* extend */
    EXTEND("X*2", 2, NULL), EXTEND("x*1", 1, NULL), EXTEND("Х*3", 3, NULL),
    EXTEND("х*3", 3, NULL), EXTEND("X*2*123AAA02", 2, "123AAA02"),
    EXTEND("Х＊２＊А111ААА", 2, "A111AAA"), EXTEND(" x * 24 .", 24, NULL),
    /* status, help */
    WORD("I", CMD_STATUS), WORD("i", CMD_STATUS), WORD("И", CMD_STATUS),
    WORD("и", CMD_STATUS), WORD("?", CMD_STATUS), WORD("？", CMD_STATUS),
    WORD("І", CMD_STATUS), WORD("status", CMD_STATUS), WORD("Баланс", CMD_STATUS),
    WORD("HELP", CMD_HELP), WORD("help", CMD_HELP), WORD("Помощь", CMD_HELP),
    WORD("КӨМЕК", CMD_HELP), WORD("көмек", CMD_HELP), WORD("комек", CMD_HELP),
    WORD("справка!", CMD_HELP),
    /* language */
    LANG("RU", "ru"), LANG("ru", "ru"), LANG("РУС", "ru"), LANG("русский", "ru"),
    LANG("KZ", "kk"), LANG("kk", "kk"), LANG("ҚАЗ", "kk"), LANG("қазақша", "kk"),
    LANG("каз", "kk"), LANG("EN", "en"), LANG("eng", "en"), LANG("англ", "en"),
    LANG("English.", "en"),
    /* empty and too long */
    ERR("", CMD_EMPTY, 0, 0),
    ERR("   ", CMD_EMPTY, 0, 0),
    ERR(". ! ,", CMD_EMPTY, 0, 0),
    ERR("\r\n", CMD_EMPTY, 0, 0),
    ERR("S" SPACES150 SPACES10, CMD_TOO_LONG, 160, 0),
    STOP("S" SPACES150 "         ", NULL),
    /* invalid UTF-8 */
    ERR("S\xC0\xAF", CMD_BAD_UTF8, 1, 1),
    ERR("1001*123\xED\xA0\x80", CMD_BAD_UTF8, 8, 2),
    ERR("1001*123AAA02*\xE2\x82", CMD_BAD_UTF8, 14, 3),
    ERR("\x80", CMD_BAD_UTF8, 0, 1),
    ERR("1001*\xF4\x90\x80\x80", CMD_BAD_UTF8, 5, 2),
    ERR("\xE0\x80\xAF", CMD_BAD_UTF8, 0, 1),
    ERR("X*\xFE", CMD_BAD_UTF8, 2, 2),
    ERR("\xD0", CMD_BAD_UTF8, 0, 1),
    /* unknown command */
    ERR("HELLO", CMD_UNKNOWN, 0, 1),
    ERR("Z*1", CMD_UNKNOWN, 0, 1),
    ERR("  STOPP", CMD_UNKNOWN, 2, 1),
    ERR("HE LP", CMD_UNKNOWN, 0, 1),
    ERR("SS", CMD_UNKNOWN, 0, 1),
    ERR("A111AAA*2", CMD_UNKNOWN, 0, 1),
    ERR("Д", CMD_UNKNOWN, 0, 1),
    ERRN("S\0", 2, CMD_UNKNOWN, 0, 1),
    ERR("😀😀😀😀😀😀😀😀😀😀😀😀😀", CMD_UNKNOWN, 0, 1),
    ERR("😀😀😀😀😀😀😀😀😀😀😀😀", CMD_UNKNOWN, 0, 1),
    ERR("ЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖ*1", CMD_UNKNOWN, 0, 1),
    /* zone */
    ERR("100*123AAA02*1", CMD_BAD_ZONE, 0, 1),
    ERR("10011*123AAA02*1", CMD_BAD_ZONE, 4, 1),
    ERR("10a1*123AAA02", CMD_BAD_ZONE, 2, 1),
    ERR("1001 123AAA02", CMD_BAD_SEPARATOR, 4, 1),
    ERR("1001,A111AAA,1", CMD_BAD_SEPARATOR, 4, 1),
    ERR("1001+A111AAA+1", CMD_BAD_SEPARATOR, 4, 1),
    ERR("1001 A111AAA 1", CMD_BAD_SEPARATOR, 4, 1),
    ERR("1001/A111AAA", CMD_BAD_SEPARATOR, 4, 1),
    ERR("A111AAA*1001*1", CMD_WRONG_ORDER, 0, 1),
    ERR(" 10 01*123AAA02", CMD_BAD_ZONE, 3, 1),
    ERR("123AAA02*1001*1", CMD_WRONG_ORDER, 0, 1),
    /* hours */
    ERR("1001*123AAA02*0", CMD_ZERO_HOURS, 14, 3),
    ERR("1001*123AAA02*00", CMD_ZERO_HOURS, 14, 3),
    ERR("1001*123AAA02* 25", CMD_TOO_MANY_HOURS, 15, 3),
    ERR("1001*123AAA02*99999999999999999999", CMD_TOO_MANY_HOURS, 14, 3),
    ERR("1001*123AAA02*two", CMD_BAD_HOURS, 14, 3),
    ERR("1001*123AAA02*2h", CMD_BAD_HOURS, 15, 3),
    ERR("1001*123AAA02*-1", CMD_BAD_HOURS, 14, 3),
    ERR("1001*123AAA02*1 5", CMD_BAD_HOURS, 15, 3),
    ERR("1001*А111ААА*0", CMD_ZERO_HOURS, 17, 3),
    ERRO("1001*123AAA02*5", O_MAX4, CMD_TOO_MANY_HOURS, 14, 3),
    ERRO("1001*123AAA02*25", O_NULL, CMD_TOO_MANY_HOURS, 14, 3),
    ERR("X*0", CMD_ZERO_HOURS, 2, 2),
    ERR("X*25", CMD_TOO_MANY_HOURS, 2, 2),
    ERR("X*A", CMD_BAD_HOURS, 2, 2),
    ERR("X*123AAA02", CMD_BAD_HOURS, 5, 2),
    /* missing fields */
    ERR("X", CMD_MISSING_FIELD, 1, 2),
    ERR("X.", CMD_MISSING_FIELD, 1, 2),
    ERR("X*", CMD_MISSING_FIELD, 2, 2),
    ERR("1001*", CMD_MISSING_FIELD, 5, 2),
    ERR("1001**2", CMD_MISSING_FIELD, 5, 2),
    ERR("1001* *2", CMD_MISSING_FIELD, 6, 2),
    ERR("*S", CMD_MISSING_FIELD, 0, 1),
    ERR("1001*123AAA02*", CMD_MISSING_FIELD, 14, 3),
    ERR("S*", CMD_MISSING_FIELD, 2, 2),
    /* too many fields */
    ERR("1001*123AAA02*2*3", CMD_TOO_MANY_FIELDS, 15, 4),
    ERR("1001*123AAA02*2*", CMD_TOO_MANY_FIELDS, 15, 4),
    ERR("S*123AAA02*2", CMD_TOO_MANY_FIELDS, 10, 3),
    ERR("X*2*123AAA02*1", CMD_TOO_MANY_FIELDS, 12, 4),
    ERR("I*1", CMD_TOO_MANY_FIELDS, 1, 2),
    ERR("HELP*me", CMD_TOO_MANY_FIELDS, 4, 2),
    ERR("RU*EN", CMD_TOO_MANY_FIELDS, 2, 2),
    ERR("1001*123*AAA*02*2", CMD_TOO_MANY_FIELDS, 12, 4),
    /* plates */
    PLATE_ERR("1001*123AAA21*1", 11, 2, PLATE_BAD_REGION),
    PLATE_ERR("1001*123 AAA 21", 13, 2, PLATE_BAD_REGION),
    PLATE_ERR("1001*ДДД*1", 5, 2, PLATE_BAD_CHAR),
    PLATE_ERR("1001*123ЖЖЖ02", 8, 2, PLATE_BAD_CHAR),
    PLATE_ERR("1001*ABC*1", 5, 2, PLATE_UNKNOWN_FORMAT),
    PLATE_ERR("1001* AB1234CD *1", 6, 2, PLATE_UNKNOWN_FORMAT),
    PLATE_ERR("1001*12345678901234567*1", 20, 2, PLATE_TOO_LONG),
    PLATE_ERR("S*G111AAA", 2, 2, PLATE_BAD_REGION),
    PLATE_ERR("X*2*12", 4, 3, PLATE_UNKNOWN_FORMAT),
    PLATE_ERR("Х*2*Д", 5, 3, PLATE_BAD_CHAR),
    PLATE_ERR("1001*123AAA02,*1", 13, 2, PLATE_BAD_CHAR),
};

#define NROWS (sizeof rows / sizeof rows[0])

static void test_row(void **state)
{
    const struct row *r = *state;
    size_t len = r->len ? r->len : strlen(r->in);
    const struct cmd_options *opt = r->opt == O_NULL ? NULL : &options[r->opt];
    struct command c;
    struct cmd_failure why;
    enum cmd_error e;

    memset(&c, 0x5A, sizeof c);
    memset(&why, 0x5A, sizeof why);
    e = command_parse(r->in, len, opt, &c, &why);
    assert_int_equal(e, r->err);
    assert_int_equal(why.error, r->err);
    if (r->err != CMD_OK) {
        assert_int_equal(why.position, r->pos);
        assert_int_equal(why.field, r->field);
        assert_int_equal(why.plate_error, r->plate_err);
        assert_int_equal(c.has_plate, 0);
        return;
    }
    assert_int_equal(c.kind, r->kind);
    assert_int_equal(c.zone, r->zone);
    assert_int_equal(c.all_blocks, r->all_blocks);
    assert_int_equal(c.hours, r->hours);
    assert_string_equal(c.lang, r->lang);
    assert_int_equal(c.has_plate, r->plate != NULL);
    assert_string_equal(c.plate.canonical, r->plate ? r->plate : "");
}

struct confirmation { const char *in; size_t len; enum cmd_kind kind; };

static const struct confirmation confirmations[] = {
    { "1", 0, CMD_CONFIRM }, { " 1 ", 0, CMD_CONFIRM }, { "1.", 0, CMD_CONFIRM },
    { "1!", 0, CMD_CONFIRM }, { "１", 0, CMD_CONFIRM }, { "\n1\r\n", 0, CMD_CONFIRM },
    { "1" SPACES150 "         ", 0, CMD_CONFIRM }, { "01", 0, CMD_CONFIRM },
    { "да", 0, CMD_CONFIRM }, { "Да", 0, CMD_CONFIRM }, { "ДА!", 0, CMD_CONFIRM },
    { "д", 0, CMD_CONFIRM }, { "yes", 0, CMD_CONFIRM }, { "Y", 0, CMD_CONFIRM },
    { "ok", 0, CMD_CONFIRM }, { "ОК", 0, CMD_CONFIRM }, { "okay.", 0, CMD_CONFIRM },
    { "иә", 0, CMD_CONFIRM }, { "ИӘ", 0, CMD_CONFIRM }, { "ия", 0, CMD_CONFIRM },
    { "0", 0, CMD_DECLINE }, { "00", 0, CMD_DECLINE }, { "нет", 0, CMD_DECLINE },
    { "Нет.", 0, CMD_DECLINE }, { "no", 0, CMD_DECLINE }, { "N", 0, CMD_DECLINE },
    { "жоқ", 0, CMD_DECLINE }, { "жок", 0, CMD_DECLINE },
    { "", 0, CMD_UNCLEAR }, { "11", 0, CMD_UNCLEAR }, { "1 1", 0, CMD_UNCLEAR },
    { "2", 0, CMD_UNCLEAR }, { "да, спасибо", 0, CMD_UNCLEAR }, { "yess", 0, CMD_UNCLEAR },
    { "S", 0, CMD_UNCLEAR }, { "\xC0\xB1", 0, CMD_UNCLEAR }, { "1\xFF", 0, CMD_UNCLEAR },
    { "+1", 0, CMD_UNCLEAR }, { "1" SPACES150 SPACES10, 0, CMD_UNCLEAR }, { "1*", 0, CMD_UNCLEAR },
    { "1\0", 2, CMD_UNCLEAR }, { NULL, 0, CMD_UNCLEAR },
};

#define NCONF (sizeof confirmations / sizeof confirmations[0])

static void test_confirmation(void **state)
{
    const struct confirmation *r = *state;
    size_t len = r->len ? r->len : r->in ? strlen(r->in) : 0;

    assert_int_equal(command_parse_confirmation(r->in, len), r->kind);
}

static void test_reasons(void **state)
{
    (void)state;
    for (int e = CMD_EMPTY; e <= CMD_MISSING_FIELD; e++) {
        assert_string_not_equal(command_error_reason(e), "unknown command error");
        for (int f = CMD_EMPTY; f < e; f++)
            assert_string_not_equal(command_error_reason(e), command_error_reason(f));
    }
}

struct reason_key { enum plate_error e; const char *key; };

static const struct reason_key reason_keys[] = {
    { PLATE_OK, NULL },
    { PLATE_EMPTY, "plate_reason_empty" },
    { PLATE_TOO_LONG, "plate_reason_too_long" },
    { PLATE_BAD_UTF8, "plate_reason_bad_utf8" },
    { PLATE_BAD_CHAR, "plate_reason_bad_char" },
    { PLATE_BAD_REGION, "plate_reason_bad_region" },
    { PLATE_UNKNOWN_FORMAT, "plate_reason_unknown_format" },
    { (enum plate_error)99, NULL },
};

static void test_plate_reason_keys(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof reason_keys / sizeof reason_keys[0]; i++) {
        const char *got = command_plate_reason_key(reason_keys[i].e);
        if (reason_keys[i].key == NULL)
            assert_null(got);
        else
            assert_string_equal(got, reason_keys[i].key);
    }
}

/* Row names: the input as is when it is valid UTF-8 without control characters,
   otherwise with every byte outside printable ASCII written as \xNN. */
static char names[NROWS + NCONF][220];

static const char *row_name(char *buf, size_t size, const char *what, size_t i,
                            const char *in, size_t len)
{
    int raw = in && utf8_valid(in, len, NULL);
    size_t used = (size_t)snprintf(buf, size, "%s[%zu] \"", what, i);

    for (size_t k = 0; in && k < len; k++)
        if ((unsigned char)in[k] < 0x20 || in[k] == 0x7F)
            raw = 0;
    for (size_t k = 0; in && k < len && used + 8 < size; k++) {
        unsigned char c = (unsigned char)in[k];
        if ((c >= 0x20 && c < 0x7F) || (raw && c >= 0x80))
            buf[used++] = (char)c;
        else
            used += (size_t)snprintf(buf + used, 5, "\\x%02X", c);
    }
    snprintf(buf + used, size - used, "\"");
    return buf;
}

int main(void)
{
    static struct CMUnitTest tests[NROWS + NCONF + 2];
    size_t n = 0;

    for (size_t i = 0; i < NROWS; i++, n++) {
        const struct row *r = &rows[i];
        const char *name = row_name(names[n], sizeof names[n], "command", i, r->in,
                                    r->len ? r->len : strlen(r->in));
        tests[n] = (struct CMUnitTest){ name, test_row, NULL, NULL, (void *)r };
    }
    for (size_t i = 0; i < NCONF; i++, n++) {
        const struct confirmation *r = &confirmations[i];
        size_t len = r->len ? r->len : r->in ? strlen(r->in) : 0;
        const char *name = row_name(names[n], sizeof names[n], "confirm", i, r->in, len);
        tests[n] = (struct CMUnitTest){ name, test_confirmation, NULL, NULL, (void *)r };
    }
    tests[n++] = (struct CMUnitTest){ "command reasons", test_reasons, NULL, NULL, NULL };
    tests[n++] = (struct CMUnitTest){ "plate reason keys", test_plate_reason_keys, NULL, NULL,
                                      NULL };
    return _cmocka_run_group_tests("command", tests, n, NULL, NULL);
}
