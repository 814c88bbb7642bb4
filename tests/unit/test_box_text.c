/* test_box_text.c: the box's charset handling (plugin/box/sms_text.c): MO text
 * decoding per data coding, the UTF-8 check, MT messages built from the core's
 * own UCS-2 decision (with the delivery-report request), round trips MT -> MO,
 * delivery reports mapped back to outbox rows (smstext_dlr) and acks. Every table row
 * is its own cmocka test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "table.h"      /* before gwlib.h, which forbids calloc and free */
#include "gwlib/gwlib.h"
#include "gw/msg.h"
#include "gw/sms.h"
#include "gw/dlr.h"

#include "reply.h"
#include "sms_text.h"
#include "utf8.h"

/* ---- smstext_decode ---------------------------------------------------- */

struct decode_row {
    const char *name;
    int coding;
    const char *in;        /* NULL: the MO has no msgdata */
    long in_len;
    const char *out;       /* the text handed to the service */
    long out_len;
    int valid;
};

#define S(lit) lit, (long)(sizeof(lit) - 1)

static const struct decode_row decode_rows[] = {
    /* DC_7BIT: already UTF-8 (the SMSC module converted GSM) */
    { "7bit ascii command", DC_7BIT, S("1001*A111AAA*2"), S("1001*A111AAA*2"), 1 },
    { "7bit cyrillic utf-8", DC_7BIT, S("\xD0\xA5*1"), S("\xD0\xA5*1"), 1 },
    { "7bit euro sign", DC_7BIT, S("\xE2\x82\xAC"), S("\xE2\x82\xAC"), 1 },
    { "7bit emoji 4 bytes", DC_7BIT, S("\xF0\x9F\x98\x80"), S("\xF0\x9F\x98\x80"), 1 },
    { "7bit empty", DC_7BIT, S(""), S(""), 1 },
    { "7bit no msgdata", DC_7BIT, NULL, 0, S(""), 1 },
    { "7bit invalid byte FF kept", DC_7BIT, S("A\xFF"), S("A\xFF"), 0 },
    { "7bit latin-1 e-acute kept", DC_7BIT, S("caf\xE9"), S("caf\xE9"), 0 },
    { "7bit overlong slash", DC_7BIT, S("\xC0\xAF"), S("\xC0\xAF"), 0 },
    { "7bit utf-8 surrogate", DC_7BIT, S("\xED\xA0\x80"), S("\xED\xA0\x80"), 0 },
    { "7bit truncated at end", DC_7BIT, S("S\xD0"), S("S\xD0"), 0 },
    { "7bit above U+10FFFF", DC_7BIT, S("\xF4\x90\x80\x80"), S("\xF4\x90\x80\x80"), 0 },
    { "undef coding is utf-8", DC_UNDEF, S("\xD0\x9F"), S("\xD0\x9F"), 1 },
    { "undef coding invalid", DC_UNDEF, S("\x80"), S("\x80"), 0 },
    /* DC_8BIT: handled as UTF-8, like 7-bit */
    { "8bit utf-8", DC_8BIT, S("S*\xD0\x9F"), S("S*\xD0\x9F"), 1 },
    { "8bit binary rejected", DC_8BIT, S("\x01\xFE\xFF"), S("\x01\xFE\xFF"), 0 },
    /* DC_UCS2: UTF-16BE -> UTF-8 */
    { "ucs2 ascii", DC_UCS2, S("\x00" "1\x00*\x00S"), S("1*S"), 1 },
    { "ucs2 cyrillic", DC_UCS2, S("\x04\x1F\x04\x40\x04\x38"), S("\xD0\x9F\xD1\x80\xD0\xB8"), 1 },
    { "ucs2 cyrillic plate", DC_UCS2,
      S("\x00" "1\x00" "0\x00" "0\x00" "1\x00*\x04\x10\x00" "1\x00" "1\x00" "1\x04\x10"),
      S("1001*\xD0\x90" "111\xD0\x90"), 1 },
    { "ucs2 surrogate pair U+1F600", DC_UCS2, S("\xD8\x3D\xDE\x00"), S("\xF0\x9F\x98\x80"), 1 },
    { "ucs2 pair U+10000", DC_UCS2, S("\xD8\x00\xDC\x00"), S("\xF0\x90\x80\x80"), 1 },
    { "ucs2 pair U+10FFFF", DC_UCS2, S("\xDB\xFF\xDF\xFF"), S("\xF4\x8F\xBF\xBF"), 1 },
    { "ucs2 pair between text", DC_UCS2, S("\x00" "A\xD8\x3D\xDE\x00\x00" "B"),
      S("A\xF0\x9F\x98\x80" "B"), 1 },
    { "ucs2 U+FFFF", DC_UCS2, S("\xFF\xFF"), S("\xEF\xBF\xBF"), 1 },
    { "ucs2 U+D7FF below surrogates", DC_UCS2, S("\xD7\xFF"), S("\xED\x9F\xBF"), 1 },
    { "ucs2 U+E000 above surrogates", DC_UCS2, S("\xE0\x00"), S("\xEE\x80\x80"), 1 },
    { "ucs2 empty", DC_UCS2, S(""), S(""), 1 },
    { "ucs2 no msgdata", DC_UCS2, NULL, 0, S(""), 1 },
    { "ucs2 odd length 1", DC_UCS2, S("\x00"), S("\x00"), 0 },
    { "ucs2 odd length 3", DC_UCS2, S("\x00" "A\x00"), S("\x00" "A\x00"), 0 },
    { "ucs2 lone high surrogate at end", DC_UCS2, S("\x00" "A\xD8\x3D"), S("\x00" "A\xD8\x3D"), 0 },
    { "ucs2 high surrogate then letter", DC_UCS2, S("\xD8\x3D\x00" "A"), S("\xD8\x3D\x00" "A"), 0 },
    { "ucs2 two high surrogates", DC_UCS2, S("\xD8\x3D\xD8\x3D"), S("\xD8\x3D\xD8\x3D"), 0 },
    { "ucs2 lone low surrogate", DC_UCS2, S("\xDE\x00\x00" "A"), S("\xDE\x00\x00" "A"), 0 },
    { "ucs2 low then high reversed", DC_UCS2, S("\xDE\x00\xD8\x3D"), S("\xDE\x00\xD8\x3D"), 0 },
};

static Msg *mo_create(int coding, const char *data, long len)
{
    Msg *m = msg_create(sms);

    m->sms.sms_type = mo;
    m->sms.coding = coding;
    m->sms.msgdata = data ? octstr_create_from_data(data, len) : NULL;
    return m;
}

static void test_decode(void **state)
{
    const struct decode_row *r = *state;
    Msg *mo = mo_create(r->coding, r->in, r->in_len);
    int valid = -1;
    Octstr *text = smstext_decode(mo, &valid);

    assert_non_null(text);
    assert_int_equal(valid, r->valid);
    assert_int_equal(octstr_len(text), r->out_len);
    assert_memory_equal(octstr_get_cstr(text), r->out, (size_t)r->out_len);
    assert_int_equal(octstr_get_cstr(text)[r->out_len], '\0');
    /* the MO itself is not changed */
    if (r->in != NULL) {
        assert_int_equal(octstr_len(mo->sms.msgdata), r->in_len);
        assert_memory_equal(octstr_get_cstr(mo->sms.msgdata), r->in, (size_t)r->in_len);
    }
    octstr_destroy(text);
    msg_destroy(mo);
}

/* ---- the UTF-8 check the box uses (the core's utf8_valid) --------------- */

struct utf8_row { const char *name; const char *in; long len; int valid; };

static const struct utf8_row utf8_rows[] = {
    { "empty", S(""), 1 },
    { "NUL byte", S("\x00"), 1 },
    { "U+007F", S("\x7F"), 1 },
    { "U+0080", S("\xC2\x80"), 1 },
    { "U+07FF", S("\xDF\xBF"), 1 },
    { "U+0800", S("\xE0\xA0\x80"), 1 },
    { "U+D7FF", S("\xED\x9F\xBF"), 1 },
    { "U+E000", S("\xEE\x80\x80"), 1 },
    { "U+FFFF", S("\xEF\xBF\xBF"), 1 },
    { "U+10000", S("\xF0\x90\x80\x80"), 1 },
    { "U+10FFFF", S("\xF4\x8F\xBF\xBF"), 1 },
    { "mixed text", S("X*1 \xD0\xA5*1 \xE2\x82\xAC \xF0\x9F\x98\x80"), 1 },
    { "stray continuation 80", S("\x80"), 0 },
    { "stray continuation BF", S("\xBF"), 0 },
    { "C0 overlong", S("\xC0\x80"), 0 },
    { "C1 overlong", S("\xC1\xBF"), 0 },
    { "E0 overlong", S("\xE0\x9F\xBF"), 0 },
    { "F0 overlong", S("\xF0\x8F\xBF\xBF"), 0 },
    { "surrogate D800", S("\xED\xA0\x80"), 0 },
    { "surrogate DFFF", S("\xED\xBF\xBF"), 0 },
    { "U+110000", S("\xF4\x90\x80\x80"), 0 },
    { "F5 lead", S("\xF5\x80\x80\x80"), 0 },
    { "F8 lead", S("\xF8\x88\x80\x80\x80"), 0 },
    { "FE", S("\xFE"), 0 },
    { "FF", S("\xFF"), 0 },
    { "2-byte truncated", S("\xC3"), 0 },
    { "3-byte truncated by one", S("\xE2\x82"), 0 },
    { "4-byte truncated by one", S("\xF0\x9F\x98"), 0 },
    { "bad continuation in 2nd byte", S("\xE2\x28\xA1"), 0 },
    { "bad continuation in 3rd byte", S("\xE2\x82\x28"), 0 },
    { "bad continuation in 4th byte", S("\xF0\x9F\x98\x28"), 0 },
    { "valid then invalid", S("abc\xD0\x9F\xFF"), 0 },
};

static void test_utf8(void **state)
{
    const struct utf8_row *r = *state;

    assert_int_equal(utf8_valid(r->in, (size_t)r->len, NULL), r->valid);
}

/* The length limits what is read: a valid sequence cut by len is invalid. */
static void test_utf8_len_bounds(void **state)
{
    (void)state;
    assert_int_equal(utf8_valid("\xE2\x82\xAC", 3, NULL), 1);
    assert_int_equal(utf8_valid("\xE2\x82\xAC", 2, NULL), 0);
    assert_int_equal(utf8_valid("\xE2\x82\xAC", 1, NULL), 0);
    assert_int_equal(utf8_valid("\xE2\x82\xAC", 0, NULL), 1);
    assert_int_equal(utf8_valid("ab\xFF", 2, NULL), 1);
}

/* ---- smstext_mt: the core decides UCS-2, the box sets the coding ------- */

struct mt_row {
    const char *name;
    const char *text;      /* UTF-8, what the service put in struct mt */
    int ucs2;              /* reply_measure's verdict */
    const char *data;      /* msgdata bytes */
    long data_len;
};

static const struct mt_row mt_rows[] = {
    { "latin", "Parking paid", 0, S("Parking paid") },
    { "gsm punctuation and digits", "1001*A111AAA*2 @$!", 0, S("1001*A111AAA*2 @$!") },
    { "gsm extension euro", "300 \xE2\x82\xAC", 0, S("300 \xE2\x82\xAC") },
    { "gsm german umlaut", "\xC3\x84rger", 0, S("\xC3\x84rger") },
    { "empty", "", 0, S("") },
    { "cyrillic", "\xD0\x9F\xD0\xB0\xD1\x80", 1, S("\x04\x1F\x04\x30\x04\x40") },
    { "cyrillic with digits", "2 \xD1\x87", 1, S("\x00" "2\x00 \x04\x47") },
    { "kazakh letter", "\xD2\x9B", 1, S("\x04\x9B") },
    { "tenge sign", "\xE2\x82\xB8", 1, S("\x20\xB8") },
    { "one latin letter outside gsm", "\xC4\x9F", 1, S("\x01\x1F") },
    { "emoji as surrogate pair", "ok \xF0\x9F\x98\x80", 1,
      S("\x00o\x00k\x00 \xD8\x3D\xDE\x00") },
};

static void assert_octstr(const Octstr *os, const char *want, long len)
{
    assert_non_null(os);
    assert_int_equal(octstr_len(os), len);
    assert_memory_equal(octstr_get_cstr(os), want, (size_t)len);
}

static void test_mt(void **state)
{
    const struct mt_row *r = *state;
    struct mt mt;
    size_t chars;
    int ucs2 = -1, parts;
    Octstr *smsc = octstr_create("fake"), *boxc = octstr_create("parkbox");
    Msg *m;

    assert_int_equal(reply_measure(r->text, strlen(r->text), &chars, &ucs2, &parts), 0);
    assert_int_equal(ucs2, r->ucs2);
    memset(&mt, 0, sizeof(mt));
    mt.outbox_id = 42;
    snprintf(mt.from, sizeof(mt.from), "7757");
    snprintf(mt.to, sizeof(mt.to), "77011234567");
    snprintf(mt.text, sizeof(mt.text), "%s", r->text);
    mt.ucs2 = ucs2;

    m = smstext_mt(&mt, mt_reply, smsc, boxc);
    assert_non_null(m);
    assert_int_equal(msg_type(m), sms);
    assert_int_equal(m->sms.sms_type, mt_reply);
    assert_octstr(m->sms.sender, S("7757"));
    assert_octstr(m->sms.receiver, S("77011234567"));
    assert_octstr(m->sms.smsc_id, S("fake"));
    assert_octstr(m->sms.boxc_id, S("parkbox"));
    assert_octstr(m->sms.msgdata, r->data, r->data_len);
    assert_int_equal(m->sms.coding, r->ucs2 ? DC_UCS2 : DC_7BIT);
    if (r->ucs2)
        assert_octstr(m->sms.charset, S("UTF-16BE"));
    else
        assert_octstr(m->sms.charset, S("UTF-8"));
    assert_true(m->sms.time > 0);
    assert_int_equal(m->sms.dlr_mask, SMSTEXT_DLR_MASK);
    assert_octstr(m->sms.dlr_url, S("outbox:42"));
    msg_destroy(m);
    octstr_destroy(smsc);
    octstr_destroy(boxc);
}

/* MT as the phone receives it, sent back as an MO: the same text, valid. */
static void test_round_trip(void **state)
{
    const struct mt_row *r = *state;
    struct mt mt;
    Msg *m, *mo;
    Octstr *text;
    int valid = -1;

    memset(&mt, 0, sizeof(mt));
    snprintf(mt.text, sizeof(mt.text), "%s", r->text);
    mt.ucs2 = r->ucs2;
    m = smstext_mt(&mt, mt_push, NULL, NULL);
    assert_non_null(m);
    mo = mo_create((int)m->sms.coding, octstr_get_cstr(m->sms.msgdata), octstr_len(m->sms.msgdata));
    text = smstext_decode(mo, &valid);
    assert_int_equal(valid, 1);
    assert_octstr(text, r->text, (long)strlen(r->text));
    octstr_destroy(text);
    msg_destroy(mo);
    msg_destroy(m);
}

/* No smsc_id (scheduled messages when smsc-id is unset) and mt_push. */
static void test_mt_push_without_ids(void **state)
{
    struct mt mt = { .outbox_id = 7, .from = "7701", .to = "77019876543", .text = "x", .ucs2 = 0 };
    Msg *m = smstext_mt(&mt, mt_push, NULL, NULL);

    (void)state;
    assert_non_null(m);
    assert_int_equal(m->sms.sms_type, mt_push);
    assert_null(m->sms.smsc_id);
    assert_null(m->sms.boxc_id);
    assert_octstr(m->sms.sender, S("7701"));
    assert_octstr(m->sms.receiver, S("77019876543"));
    assert_octstr(m->sms.msgdata, S("x"));
    msg_destroy(m);
}

/* A reply that is not UTF-8 cannot become UTF-16BE: NULL, per the header
   (charset_convert alone would send "04 1F FF", an odd-length UCS-2). */
static void test_mt_ucs2_invalid_text(void **state)
{
    static const char *const bad[] = { "\xD0\x9F\xFF", "a\xED\xA0\x80" "b", "\xD0" };

    (void)state;
    for (size_t i = 0; i < N(bad); i++) {
        struct mt mt = { .from = "7757", .to = "77011234567", .ucs2 = 1 };
        snprintf(mt.text, sizeof(mt.text), "%s", bad[i]);
        assert_null(smstext_mt(&mt, mt_reply, NULL, NULL));
    }
}

/* An MT without an outbox row asks for no delivery report. */
static void test_mt_without_outbox_id(void **state)
{
    struct mt mt = { .outbox_id = 0, .from = "7757", .to = "77011234567", .text = "x" };
    Msg *m = smstext_mt(&mt, mt_push, NULL, NULL);

    (void)state;
    assert_non_null(m);
    assert_int_equal(m->sms.dlr_mask, DLR_UNDEFINED);
    assert_null(m->sms.dlr_url);
    msg_destroy(m);
}

/* ---- smstext_dlr ------------------------------------------------------- */

struct dlr_row {
    const char *name;
    int type;              /* sms_type */
    const char *url;       /* NULL: no dlr_url */
    long mask;             /* the report's type */
    int ret;
    long long id;
    enum service_dlr status;
};

static const struct dlr_row dlr_rows[] = {
    { "delivered", report_mo, "outbox:42", DLR_SUCCESS, 0, 42, SERVICE_DLR_DELIVERED },
    { "failed", report_mo, "outbox:7", DLR_FAIL, 0, 7, SERVICE_DLR_FAILED },
    { "expired is failed", report_mo, "outbox:7", DLR_EXPIRED, 0, 7, SERVICE_DLR_FAILED },
    { "unknown is failed", report_mo, "outbox:7", DLR_UNKNOWN, 0, 7, SERVICE_DLR_FAILED },
    { "buffered", report_mo, "outbox:9", DLR_BUFFERED, 0, 9, SERVICE_DLR_BUFFERED },
    { "smsc accepted", report_mo, "outbox:9", DLR_SMSC_SUCCESS, 0, 9, SERVICE_DLR_SMSC_ACCEPTED },
    { "smsc rejected", report_mo, "outbox:9", DLR_SMSC_FAIL, 0, 9, SERVICE_DLR_SMSC_REJECTED },
    { "largest id", report_mo, "outbox:9223372036854775807", DLR_SUCCESS, 0,
      9223372036854775807LL, SERVICE_DLR_DELIVERED },
    { "id overflows", report_mo, "outbox:9223372036854775808", DLR_SUCCESS, -1, 0, 0 },
    { "no dlr_url", report_mo, NULL, DLR_SUCCESS, -1, 0, 0 },
    { "empty dlr_url", report_mo, "", DLR_SUCCESS, -1, 0, 0 },
    { "foreign dlr_url", report_mo, "http://example.org/dlr?id=42", DLR_SUCCESS, -1, 0, 0 },
    { "no digits", report_mo, "outbox:", DLR_SUCCESS, -1, 0, 0 },
    { "id zero", report_mo, "outbox:0", DLR_SUCCESS, -1, 0, 0 },
    { "leading zero", report_mo, "outbox:042", DLR_SUCCESS, -1, 0, 0 },
    { "negative", report_mo, "outbox:-4", DLR_SUCCESS, -1, 0, 0 },
    { "trailing text", report_mo, "outbox:42x", DLR_SUCCESS, -1, 0, 0 },
    { "trailing space", report_mo, "outbox:42 ", DLR_SUCCESS, -1, 0, 0 },
    { "no type", report_mo, "outbox:42", DLR_UNDEFINED, -1, 0, 0 },
    { "type nothing", report_mo, "outbox:42", DLR_NOTHING, -1, 0, 0 },
    { "not a report", mo, "outbox:42", DLR_SUCCESS, -1, 0, 0 },
};

static void test_dlr(void **state)
{
    const struct dlr_row *r = *state;
    Msg *m = msg_create(sms);
    long long id = -1;
    enum service_dlr st = (enum service_dlr)-1;

    m->sms.sms_type = r->type;
    m->sms.dlr_url = r->url ? octstr_create(r->url) : NULL;
    m->sms.dlr_mask = r->mask;
    assert_int_equal(smstext_dlr(m, &id, &st), r->ret);
    if (r->ret == 0) {
        assert_true(id == r->id);
        assert_int_equal(st, r->status);
    } else {
        assert_true(id == -1);
    }
    msg_destroy(m);
}

/* A report for an MT that smstext_mt built maps back to its outbox row. */
static void test_dlr_round_trip(void **state)
{
    struct mt mt = { .outbox_id = 123456, .from = "7757", .to = "77011234567", .text = "x" };
    Msg *m = smstext_mt(&mt, mt_reply, NULL, NULL);
    long long id = 0;
    enum service_dlr st;

    (void)state;
    m->sms.sms_type = report_mo;
    m->sms.dlr_mask = DLR_SUCCESS;
    assert_int_equal(smstext_dlr(m, &id, &st), 0);
    assert_true(id == 123456);
    assert_int_equal(st, SERVICE_DLR_DELIVERED);
    msg_destroy(m);
}

/* ---- smstext_ack ------------------------------------------------------- */

static void test_ack(void **state)
{
    Msg *mo = mo_create(DC_7BIT, "S", 1), *a;
    char want[UUID_STR_LEN + 1], got[UUID_STR_LEN + 1];

    (void)state;
    mo->sms.time = 1700000000;
    uuid_parse("5844e645-7227-4fb3-a694-5cff8dbca0f6", mo->sms.id);
    a = smstext_ack(mo);
    assert_int_equal(msg_type(a), ack);
    assert_int_equal(a->ack.nack, ack_success);
    assert_int_equal(a->ack.time, 1700000000);
    uuid_unparse(mo->sms.id, want);
    uuid_unparse(a->ack.id, got);
    assert_string_equal(got, "5844e645-7227-4fb3-a694-5cff8dbca0f6");
    assert_string_equal(got, want);
    msg_destroy(a);
    msg_destroy(mo);
}

int main(void)
{
    const struct CMUnitTest misc[] = {
        cmocka_unit_test(test_utf8_len_bounds),
        cmocka_unit_test(test_mt_push_without_ids),
        cmocka_unit_test(test_mt_ucs2_invalid_text),
        cmocka_unit_test(test_mt_without_outbox_id),
        cmocka_unit_test(test_dlr_round_trip),
        cmocka_unit_test(test_ack),
    };
    int failed = 0;

    gwlib_init();
    log_set_output_level(GW_ERROR);   /* gwlib's charset warnings are expected here */
    failed += run_table("smstext_decode", test_decode, decode_rows, sizeof(decode_rows[0]),
                        N(decode_rows), NULL, NULL);
    failed += run_table("utf8_valid", test_utf8, utf8_rows, sizeof(utf8_rows[0]),
                        N(utf8_rows), NULL, NULL);
    failed += run_table("smstext_mt", test_mt, mt_rows, sizeof(mt_rows[0]), N(mt_rows), NULL,
                        NULL);
    failed += run_table("smstext_round_trip", test_round_trip, mt_rows, sizeof(mt_rows[0]),
                        N(mt_rows), NULL, NULL);
    failed += run_table("smstext_dlr", test_dlr, dlr_rows, sizeof(dlr_rows[0]), N(dlr_rows),
                        NULL, NULL);
    failed += cmocka_run_group_tests_name("smstext_misc", misc, NULL, NULL);
    gwlib_shutdown();
    return failed;
}
