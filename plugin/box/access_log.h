/* access_log.h: the access log, one line per MO handled and per MT sent, in the spirit
 * of Kannel's access log: full numbers and texts, for disputes with a driver.
 *
 *   2026-05-04 10:15:02 Receive SMS [SMSC:fake] [id:5844e645-...] [from:77011234567] [to:7757] [msg:14:1001*A111AAA*2]
 *   2026-05-04 10:15:02 Sent SMS [SMSC:fake] [id:5844e645-...] [outbox:42] [from:7701] [to:77011234567] [msg:152:Зона 1001 ...]
 *
 * [id:] is the MO's Kannel id (the MO a reply answers; empty for reminders and ends),
 * [msg:N:TEXT] the UTF-8 text and its length in bytes; control characters and '\'
 * are written as \xNN, so that a message is always one line. Timestamps are local
 * time, as in the main log. Built on gwlib's alog: thread-safe; SIGHUP's
 * access_log_reopen() reopens the file for logrotate.
 *
 * Without access_log_open() (no `access-log` key) every call does nothing.
 */
#ifndef PARKBOX_ACCESS_LOG_H
#define PARKBOX_ACCESS_LOG_H

#include "gwlib/gwlib.h"

#include "service.h"

/* Opens `path` for appending. Returns 0, or -1 after logging an error that names
   the key and the file. */
int access_log_open(const char *path);
void access_log_reopen(void);
void access_log_close(void);        /* also when never opened */

/* An MO handled and acked; smsc_id may be NULL. */
void access_log_mo(const struct mo *m, const Octstr *smsc_id);

/* An MT bearerbox took; mo_id is the MO it answers, or NULL. */
void access_log_mt(const struct mt *mt, const Octstr *smsc_id, const char *mo_id);

/* text[0..len) as written in [msg:...]: bytes below 0x20, 0x7f and '\' as \xNN, the rest
   (UTF-8 included) as they are. Returns a new Octstr the caller destroys. */
Octstr *access_log_escape(const char *text, size_t len);

#endif
