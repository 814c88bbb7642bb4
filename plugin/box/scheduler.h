/* scheduler.h: the thread that sends time-driven messages.
 *
 * While bearerbox is connected it asks the service for due work (expired
 * confirmations, reminders, session ends, in that order of priority) and sends
 * what that produces as mt_push messages (the marker marks them sent). It asks
 * again at once while the last call found any work, and sleeps a second only
 * when nothing was due, so a backlog drains as fast as the database allows. Every RESEND_EVERY seconds
 * (also during a long backlog) it resends outbox rows that were never marked
 * sent (a crash between commit and send, a lost connection). The service
 * claims due rows with SKIP LOCKED, so several boxes may run schedulers
 * against one database.
 *
 * Ownership: everything passed in is borrowed and must outlive the scheduler.
 */
#ifndef PARKBOX_SCHEDULER_H
#define PARKBOX_SCHEDULER_H

#include "gwlib/gwlib.h"

#include "bblink.h"
#include "marker.h"
#include "service.h"

struct scheduler;

/* Starts the thread; messages bearerbox took are marked sent through `marker`.
   smsc_id may be NULL (bearerbox routes the messages). Returns NULL if the thread
   cannot be started. */
struct scheduler *scheduler_start(struct service *svc, struct bblink *link,
                                  struct marker *marker, const Octstr *boxc_id,
                                  const Octstr *smsc_id);

/* Stop and join the thread, free everything; accepts NULL. */
void scheduler_stop(struct scheduler *s);

#endif
