/* sms_text.h: Kannel messages <-> the service's UTF-8 text.
 *
 * MO text arrives as UTF-8 (DC_7BIT, DC_UNDEF: the SMSC modules convert GSM to
 * UTF-8) or as UTF-16BE (DC_UCS2). MT text leaves as UTF-8 with DC_7BIT, or as
 * UTF-16BE with DC_UCS2 when the reply needs it (Cyrillic).
 *
 * Ownership: returned Octstr and Msg objects belong to the caller.
 */
#ifndef PARKBOX_SMS_TEXT_H
#define PARKBOX_SMS_TEXT_H

#include <stddef.h>

#include "gwlib/gwlib.h"
#include "gw/msg.h"

#include "service.h"

/* The MO's text as UTF-8. Never fails: text that cannot be decoded is returned
   as the bytes received (the dialogue then answers "bad characters"), and
   *valid is set to 0; otherwise *valid is 1. */
Octstr *smstext_decode(const Msg *mo, int *valid);

/* An MT message for `mt`: sms_type `type` (mt_reply or mt_push), smsc_id and
   boxc_id copied when not NULL. Returns NULL only if the UTF-16BE conversion
   fails, i.e. mt->ucs2 is set and mt->text is not valid UTF-8 (the caller
   logs and drops the message). */
Msg *smstext_mt(const struct mt *mt, int type, const Octstr *smsc_id, const Octstr *boxc_id);

/* Delivery reports. Every MT built by smstext_mt() for an outbox row (outbox_id > 0)
   asks for reports with SMSTEXT_DLR_MASK (delivered | failed | buffered: Kannel's
   DLR_SUCCESS | DLR_FAIL | DLR_BUFFERED) and carries "outbox:ID" in sms.dlr_url, which
   bearerbox hands back in the dlr_url of the report_mo, with the report's type in
   sms.dlr_mask. */
#define SMSTEXT_DLR_MASK 7

/* The outbox id and status of a report_mo. Returns 0, or -1 when the message is not a
   report for one of our outbox rows (no or foreign dlr_url, unknown type). Types are
   read in the order delivered, failed (also expired, unknown), buffered, SMSC
   accepted, SMSC rejected. */
int smstext_dlr(const Msg *report, long long *outbox_id, enum service_dlr *status);

/* The ack_success for an MO or a delivery report. */
Msg *smstext_ack(const Msg *mo);

#endif
