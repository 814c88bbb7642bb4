/* bblink.h: parkbox's connection to bearerbox, as an smsbox.
 *
 * One reader thread connects (back-off 1, 2, 4, 8 s), identifies with
 * cmd_identify and the smsbox-id, and reads: MO messages and delivery reports
 * (report_mo) go to the on_mo callback with the connection's generation number,
 * to be acked by whoever handles them; admin cmd_shutdown calls on_shutdown,
 * cmd_restart drops the
 * connection and reconnects after 10 s. Any thread may send with bblink_send().
 *
 * Generations: every new connection gets a new number. An ack only makes sense
 * on the connection its MO came from, so bblink_send() refuses to write when
 * the caller names a generation that is no longer current; bearerbox then
 * redelivers the unacked MO on the new connection.
 *
 * Latency: TCP_NODELAY is set on connect and TCP_QUICKACK before every read
 * (Kannel sets neither; without them every hop waits ~40 ms).
 */
#ifndef PARKBOX_BBLINK_H
#define PARKBOX_BBLINK_H

#include "gwlib/gwlib.h"
#include "gw/msg.h"

struct bblink;

struct bblink_config {
    const char *host;
    long port;
    const char *smsbox_id;
    /* Called from the reader thread for every MO and report_mo; takes ownership. */
    void (*on_mo)(void *ctx, Msg *mo, long generation);
    /* Called from the reader thread when bearerbox asks the box to shut down. */
    void (*on_shutdown)(void *ctx);
    void *ctx;
};

/* Creates the link and starts its reader thread. The config's strings are
   copied. Returns NULL if the thread cannot be started. */
struct bblink *bblink_create(const struct bblink_config *cfg);

/* Sends `msg` (always consumed) if connected and, when `generation` is not 0,
   if the connection is still that generation. Returns 0 when the message was
   handed to the connection, -1 otherwise. A failed write drops the connection:
   the reader stops reading from it and reconnects. */
int bblink_send(struct bblink *l, Msg *msg, long generation);

/* The current connection's generation, or 0 when not connected. */
long bblink_generation(struct bblink *l);

/* Stop reading (new MOs are no longer taken) and join the reader thread. The
   connection stays open so that in-flight MOs can still be answered and acked. */
void bblink_stop_reading(struct bblink *l);

/* Close the connection and free everything; accepts NULL. Call after
   bblink_stop_reading() and after every sender has finished. */
void bblink_destroy(struct bblink *l);

#endif
