/* sms_text.c: charset handling between Kannel messages and the service. */
#include <string.h>
#include <time.h>

#include "sms_text.h"
#include "gw/sms.h"

int smstext_utf8_valid(const char *buf, size_t len)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;

    while (i < len) {
        unsigned c = s[i], need, cp, min;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; min = 0x80; }
        else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; min = 0x800; }
        else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; min = 0x10000; }
        else return 0;
        if (len - i <= need)
            return 0;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += need + 1;
    }
    return 1;
}

/* UTF-16BE -> UTF-8 in place. Returns 0, or -1 when the input is not
   well-formed UTF-16 (odd length, unpaired surrogates). */
static int from_ucs2(Octstr *text)
{
    const unsigned char *p = (const unsigned char *)octstr_get_cstr(text);
    long n = octstr_len(text);

    if (n % 2 != 0)
        return -1;
    for (long i = 0; i < n; i += 2) {
        unsigned u = (unsigned)p[i] << 8 | p[i + 1];
        if (u >= 0xDC00 && u <= 0xDFFF)
            return -1;
        if (u >= 0xD800 && u <= 0xDBFF) {
            unsigned lo = i + 3 < n ? ((unsigned)p[i + 2] << 8 | p[i + 3]) : 0;
            if (lo < 0xDC00 || lo > 0xDFFF)
                return -1;
            i += 2;
        }
    }
    return charset_convert(text, "UTF-16BE", "UTF-8") == 0 ? 0 : -1;
}

Octstr *smstext_decode(const Msg *mo, int *valid)
{
    Octstr *text = mo->sms.msgdata ? octstr_duplicate(mo->sms.msgdata) : octstr_create("");

    if (mo->sms.coding == DC_UCS2 && from_ucs2(text) == -1) {
        *valid = 0;
        return text;
    }
    *valid = smstext_utf8_valid(octstr_get_cstr(text), (size_t)octstr_len(text));
    return text;
}

Msg *smstext_mt(const struct mt *mt, int type, const Octstr *smsc_id, const Octstr *boxc_id)
{
    Msg *m = msg_create(sms);

    m->sms.sms_type = type;
    m->sms.sender = octstr_create(mt->from);
    m->sms.receiver = octstr_create(mt->to);
    m->sms.msgdata = octstr_create(mt->text);
    m->sms.time = time(NULL);
    m->sms.smsc_id = smsc_id ? octstr_duplicate(smsc_id) : NULL;
    m->sms.boxc_id = boxc_id ? octstr_duplicate(boxc_id) : NULL;
    if (mt->ucs2) {
        /* charset_convert copies invalid bytes through (odd-length UCS-2) */
        if (!smstext_utf8_valid(mt->text, strlen(mt->text)) ||
            charset_convert(m->sms.msgdata, "UTF-8", "UTF-16BE") != 0) {
            msg_destroy(m);
            return NULL;
        }
        m->sms.coding = DC_UCS2;
        m->sms.charset = octstr_create("UTF-16BE");
    } else {
        m->sms.coding = DC_7BIT;
        m->sms.charset = octstr_create("UTF-8");
    }
    return m;
}

Msg *smstext_ack(const Msg *mo)
{
    Msg *a = msg_create(ack);

    a->ack.nack = ack_success;
    a->ack.time = mo->sms.time;
    uuid_copy(a->ack.id, mo->sms.id);
    return a;
}

void smstext_mask(const char *number, char *buf, size_t size)
{
    size_t n = strlen(number);

    if (size == 0)
        return;
    snprintf(buf, size, "%s", number);
    if (n <= 6)
        return;
    for (size_t i = 4; i < n - 2 && i < size - 1; i++)
        buf[i] = '*';
}
