/* sms_text.c: charset handling between Kannel messages and the service. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sms_text.h"
#include "utf8.h"
#include "gw/sms.h"
#include "gw/dlr.h"

#define DLR_URL_PREFIX "outbox:"

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
    *valid = utf8_valid(octstr_get_cstr(text), (size_t)octstr_len(text), NULL);
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
    if (mt->outbox_id > 0) {
        m->sms.dlr_mask = SMSTEXT_DLR_MASK;
        m->sms.dlr_url = octstr_format(DLR_URL_PREFIX "%lld", mt->outbox_id);
    }
    if (mt->ucs2) {
        /* charset_convert copies invalid bytes through (odd-length UCS-2) */
        if (!utf8_valid(mt->text, strlen(mt->text), NULL) ||
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

/* The status a report's type stands for; -1 for none. */
static int dlr_status_of(long type)
{
    if (type == DLR_UNDEFINED || type <= 0)
        return -1;
    if (type & DLR_SUCCESS)
        return SERVICE_DLR_DELIVERED;
    if (type & DLR_FAIL)
        return SERVICE_DLR_FAILED;
    if (type & DLR_BUFFERED)
        return SERVICE_DLR_BUFFERED;
    if (type & DLR_SMSC_SUCCESS)
        return SERVICE_DLR_SMSC_ACCEPTED;
    if (type & DLR_SMSC_FAIL)
        return SERVICE_DLR_SMSC_REJECTED;
    return -1;
}

int smstext_dlr(const Msg *report, long long *outbox_id, enum service_dlr *status)
{
    const char *url, *digits;
    char *end;
    long long id;
    int st;

    if (msg_type((Msg *)report) != sms || report->sms.sms_type != report_mo ||
        report->sms.dlr_url == NULL)
        return -1;
    url = octstr_get_cstr(report->sms.dlr_url);
    if (strncmp(url, DLR_URL_PREFIX, strlen(DLR_URL_PREFIX)) != 0)
        return -1;
    digits = url + strlen(DLR_URL_PREFIX);
    if (*digits < '1' || *digits > '9')
        return -1;
    errno = 0;
    id = strtoll(digits, &end, 10);
    if (errno != 0 || *end != '\0' || (long)(end - url) != octstr_len(report->sms.dlr_url))
        return -1;
    if ((st = dlr_status_of(report->sms.dlr_mask)) < 0)
        return -1;
    *outbox_id = id;
    *status = (enum service_dlr)st;
    return 0;
}

Msg *smstext_ack(const Msg *mo)
{
    Msg *a = msg_create(ack);

    a->ack.nack = ack_success;
    a->ack.time = mo->sms.time;
    uuid_copy(a->ack.id, mo->sms.id);
    return a;
}
