/* access_log.c: one line per MO and per MT, full numbers and texts (see access_log.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "access_log.h"

static int opened;

int access_log_open(const char *path)
{
    FILE *f = fopen(path, "a");     /* alog_open only logs a failure: check first */

    if (f == NULL) {
        error(0, "group 'parkbox': key 'access-log': cannot open '%s': %s", path,
              strerror(errno));
        return -1;
    }
    fclose(f);
    alog_open((char *)path, 1, 1);  /* local time, as the main log; with timestamps */
    opened = 1;
    return 0;
}

void access_log_reopen(void)
{
    if (opened)
        alog_reopen();
}

void access_log_close(void)
{
    if (opened)
        alog_close();
    opened = 0;
}

Octstr *access_log_escape(const char *text, size_t len)
{
    Octstr *os = octstr_create("");

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c == 0x7f || c == '\\')
            octstr_format_append(os, "\\x%02X", c);
        else
            octstr_append_char(os, c);
    }
    return os;
}

static const char *or_empty(const Octstr *os)
{
    return os ? octstr_get_cstr(os) : "";
}

void access_log_mo(const struct mo *m, const Octstr *smsc_id)
{
    Octstr *text;

    if (!opened)
        return;
    text = access_log_escape(m->text, m->len);
    alog("Receive SMS [SMSC:%s] [id:%s] [from:%s] [to:%s] [msg:%zu:%s]", or_empty(smsc_id),
         m->id, m->from, m->to, m->len, octstr_get_cstr(text));
    octstr_destroy(text);
}

void access_log_mt(const struct mt *mt, const Octstr *smsc_id, const char *mo_id)
{
    size_t len;
    Octstr *text;

    if (!opened)
        return;
    len = strlen(mt->text);
    text = access_log_escape(mt->text, len);
    alog("Sent SMS [SMSC:%s] [id:%s] [outbox:%lld] [from:%s] [to:%s] [msg:%zu:%s]",
         or_empty(smsc_id), mo_id ? mo_id : "", mt->outbox_id, mt->from, mt->to, len,
         octstr_get_cstr(text));
    octstr_destroy(text);
}
