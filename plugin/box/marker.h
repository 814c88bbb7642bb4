/* marker.h: marks replies sent and records delivery reports in batches, off the MO's path.
 *
 * Workers and the scheduler hand the marker the outbox ids bearerbox accepted and the
 * delivery reports (report_mo) bearerbox sent; one thread writes them every FLUSH_EVERY
 * (5 ms) or as soon as BATCH_MAX (256) items wait: one statement marks a batch sent
 * (service_mark_sent), one records a batch of reports (service_record_dlrs). A report
 * is acked to bearerbox only after its batch is committed, on the connection it came
 * from (when that connection has gone, bearerbox redelivers it and recording it again
 * changes nothing).
 *
 * While the database is unavailable (down, restarting, failing over) the items are kept
 * and the batch is retried with back-off (0.25 s doubling to 4 s) until it is back;
 * nothing is dropped, so replies sent meanwhile are not resent. Memory is bounded: while
 * HELD_MAX (65,536) items wait, marker_sent() and marker_report() wait for room (their
 * MO stays unacked, as for any outage). marker_destroy() flushes what is pending and
 * waits up to STOP_GRACE (15 s) for an unavailable database; if it is still away then,
 * the remaining sent marks are lost (the scheduler resends those replies a minute later:
 * a reply may be sent twice, never lost) and the remaining reports stay unacked
 * (bearerbox redelivers them).
 *
 * Ownership: the service and the link are borrowed and must outlive the marker.
 * marker_report() takes the report. Thread-safety: marker_sent() and marker_report()
 * may be called from any thread.
 */
#ifndef PARKBOX_MARKER_H
#define PARKBOX_MARKER_H

#include "gwlib/gwlib.h"
#include "gw/msg.h"

#include "bblink.h"
#include "service.h"

struct marker;

/* Starts the flushing thread. Returns NULL if it cannot be started. */
struct marker *marker_create(struct service *svc, struct bblink *link);

/* Queues n outbox ids (copied) to be marked sent. */
void marker_sent(struct marker *m, const long long *ids, size_t n);

/* Queues a delivery report for outbox row id with status, read from `report` (taken:
   acked on connection `generation` once recorded, then destroyed). */
void marker_report(struct marker *m, Msg *report, long generation, long long id,
                   enum service_dlr status);

/* Flushes what is pending (for up to STOP_GRACE if the database is unavailable), stops the thread
   and frees everything; accepts NULL. Call after every producer has stopped and before
   the link is destroyed. */
void marker_destroy(struct marker *m);

#endif
