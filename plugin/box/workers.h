/* workers.h: the threads that turn MO messages into replies and acks.
 *
 * bearerbox lets ~100 MOs per connection go unacked (smsbox-max-pending); a
 * pool of workers uses that window. Each MO: decode its text, hand it to the
 * service (one transaction), send the replies on the connection it came from,
 * then ack it. While the database is unavailable (SERVICE_RETRY) the MO is
 * held, unacked, and retried with back-off: bearerbox stops sending when the
 * window is full. Nothing is acked with ack_failed_tmp. An MO whose connection
 * has gone is dropped unprocessed or unacked: bearerbox redelivers it, and the
 * service answers a duplicate id with the replies of the first time.
 *
 * Replies bearerbox took are handed to the marker (marker.h), which marks them
 * sent in batches. Delivery reports (report_mo) go through the same queue to the
 * marker, which records each status on the outbox row named in the report's
 * dlr_url in a batch and acks the report once that batch is committed.
 *
 * Ownership: the service, link, marker and boxc_id are borrowed and must outlive
 * the workers; workers_submit() takes the MO.
 */
#ifndef PARKBOX_WORKERS_H
#define PARKBOX_WORKERS_H

#include <signal.h>

#include "gwlib/gwlib.h"
#include "gw/msg.h"

#include "bblink.h"
#include "marker.h"
#include "service.h"

struct workers;

/* A pool of `count` workers, not yet running: MOs submitted now wait. */
struct workers *workers_create(struct service *svc, const Octstr *boxc_id, int count,
                               volatile sig_atomic_t *stopping);

/* Start the threads, sending through `link`, marking through `marker`. Returns 0,
   or -1 if a thread cannot be started. */
int workers_start(struct workers *w, struct bblink *link, struct marker *marker);

/* bblink on_mo callback: queue one MO or report_mo (ctx is the struct workers). */
void workers_submit(void *ctx, Msg *mo, long generation);

/* Let the workers finish every queued MO (those held for the database are
   abandoned once *stopping is set), and join them. */
void workers_stop(struct workers *w);

void workers_destroy(struct workers *w);   /* accepts NULL; after workers_stop() */

#endif
