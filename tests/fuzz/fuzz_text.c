/* fuzz_text.c: libFuzzer target for the decoding of MO text (plugin/box/sms_text.c) and
 * the core's UTF-8 (plugin/core/utf8.c, utf8_field.c).
 *
 * The first byte chooses the coding (odd: DC_UCS2, even: DC_7BIT); the rest is the
 * message's bytes. Checks: the box's validator and the core's agree on every input;
 * smstext_decode() says valid only for well-formed UTF-8; decoding a UCS-2 MO that is valid
 * and re-encoding it as an MT (smstext_mt with ucs2) gives the bytes received; a UTF-8 text
 * survives MT encoding and decoding unchanged; utf8_decode walks exactly the bytes
 * utf8_valid accepts and utf8_encode writes them back; utf8_field's output is valid UTF-8
 * and NUL-terminated within its buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gwlib/gwlib.h"
#include "gw/sms.h"
#include "sms_text.h"
#include "utf8.h"
#include "utf8_field.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    gwlib_init();
    log_set_output_level(GW_PANIC);   /* gwlib's charset warnings are expected */
    return 0;
}

/* utf8_decode and utf8_encode against utf8_valid. */
static void check_core(const char *s, size_t n)
{
    size_t bad = n, pos = 0;
    int valid = utf8_valid(s, n, &bad);

    if (valid != smstext_utf8_valid(s, n) || (!valid && bad >= n))
        abort();
    while (pos < n) {
        size_t at = pos;
        char buf[4];
        uint32_t cp = utf8_decode(s, n, &pos);

        if (cp == UTF8_INVALID) {
            if (valid || pos != at || at != bad)
                abort();
            break;
        }
        if (utf8_encode(cp, buf) != pos - at || memcmp(buf, s + at, pos - at) != 0)
            abort();
    }
}

static void check_field(const char *s, size_t n, int field)
{
    char out[48];

    memset(out, 'x', sizeof(out));
    utf8_field(s, n, field, out, sizeof(out));
    if (memchr(out, '\0', sizeof(out)) == NULL || !utf8_valid(out, strlen(out), NULL))
        abort();
}

/* An MT with the UTF-8 `text` as UCS-2, decoded again as an MO. */
static void check_round_trip(const char *text, size_t n)
{
    struct mt mt;
    Msg *m, *mo;
    Octstr *back;
    int valid;

    if (n >= sizeof(mt.text) || memchr(text, '\0', n) != NULL)
        return;
    memset(&mt, 0, sizeof(mt));
    strcpy(mt.from, "7757");
    strcpy(mt.to, "77011234567");
    memcpy(mt.text, text, n);
    mt.ucs2 = 1;
    if ((m = smstext_mt(&mt, mt_reply, NULL, NULL)) == NULL)
        abort();   /* valid UTF-8 must convert */
    mo = msg_create(sms);
    mo->sms.coding = DC_UCS2;
    mo->sms.msgdata = octstr_duplicate(m->sms.msgdata);
    back = smstext_decode(mo, &valid);
    if (!valid || (size_t)octstr_len(back) != n || memcmp(octstr_get_cstr(back), text, n) != 0)
        abort();
    octstr_destroy(back);
    msg_destroy(mo);
    msg_destroy(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data + 1;
    size_t n = size ? size - 1 : 0;
    Msg *mo;
    Octstr *text;
    int valid = -1;

    if (size == 0)
        return 0;
    check_core(s, n);
    check_field(s, n, data[0] % 4);
    mo = msg_create(sms);
    mo->sms.coding = data[0] & 1 ? DC_UCS2 : DC_7BIT;
    mo->sms.msgdata = octstr_create_from_data(s, (long)n);
    text = smstext_decode(mo, &valid);
    if (valid != 0 && valid != 1)
        abort();
    if (valid) {
        size_t len = (size_t)octstr_len(text);

        if (!utf8_valid(octstr_get_cstr(text), len, NULL))
            abort();
        if (mo->sms.coding == DC_7BIT && (len != n || memcmp(octstr_get_cstr(text), s, n) != 0))
            abort();
        check_round_trip(octstr_get_cstr(text), len);
    }
    octstr_destroy(text);
    msg_destroy(mo);
    return 0;
}
