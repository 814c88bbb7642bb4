/* workers.c: the MO worker pool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gw/sms.h"

#include "workers.h"
#include "access_log.h"
#include "backoff.h"
#include "clock.h"
#include "marker.h"
#include "metrics.h"
#include "mt_array.h"
#include "msisdn.h"
#include "sms_text.h"

#define RETRY_FIRST 0.25
#define RETRY_MAX 4.0
#define OUTAGE_NOTE_EVERY 30.0   /* s between "still unavailable" lines */

struct workers {
    struct service *svc;
    struct bblink *link;
    struct marker *marker;
    Octstr *boxc_id;
    volatile sig_atomic_t *stopping;
    List *queue;            /* struct mo_item */
    int count;
    long *threads;
    int stopped;
    Mutex *outage_lock;     /* guards the outage fields below */
    int held;               /* MOs waiting in handle_holding() now */
    int outage;             /* an outage has been logged and is not over */
    double last_note;       /* now_ms() of the last outage line */
};

struct mo_item {
    Msg *msg;
    long generation;
};

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Outage logging, shared by all workers: the first held MO of an outage is a
   warning, then one line at most every OUTAGE_NOTE_EVERY seconds while MOs are
   held; the service logs the database's return. `what` names the message ("MO
   <id>"); `delta` is +1 when it starts being held, -1 when it stops, 0 on a retry. */
static void outage_note(struct workers *w, const char *what, int delta)
{
    double t = now_ms();
    int first = 0, note = 0, held;
    long queued = gwlist_len(w->queue);

    mutex_lock(w->outage_lock);
    w->held += delta;
    held = w->held;
    if (delta > 0 && !w->outage) {
        w->outage = first = 1;
        w->last_note = t;
    } else if (delta == 0 && w->outage && t - w->last_note >= OUTAGE_NOTE_EVERY * 1e3) {
        w->last_note = t;
        note = 1;
    } else if (delta < 0 && held == 0) {
        w->outage = 0;
    }
    mutex_unlock(w->outage_lock);
    if (first)
        warning(0, "database unavailable: holding %s unacked and retrying", what);
    else if (note)
        warning(0, "database still unavailable: %ld MOs held, retrying", held + queued);
    else if (delta > 0)
        debug("parkbox.worker", 0, "database unavailable: holding %s unacked", what);
}

/* Retry attempt(ctx) while the database is unavailable, noting the outage.
   Returns 1 once attempt succeeded, or 0 when the message is abandoned (the box is
   stopping or its connection has gone: bearerbox will redeliver it). */
static int hold_until_done(struct workers *w, const struct mo_item *it, const char *what,
                           enum service_status (*attempt)(struct workers *, void *), void *ctx)
{
    double pause = RETRY_FIRST;
    int held = 0, ret = 1;

    while (attempt(w, ctx) == SERVICE_RETRY) {
        metrics_db(0);
        if (!held)
            metrics_held(1);
        outage_note(w, what, held ? 0 : 1);
        held = 1;
        if (*w->stopping || bblink_generation(w->link) != it->generation) {
            ret = 0;
            break;
        }
        gwthread_sleep(pause);
        pause = backoff_next(pause, RETRY_MAX);
    }
    if (ret)
        metrics_db(1);
    if (held) {
        metrics_held(-1);
        outage_note(w, what, -1);
        if (ret)
            debug("parkbox.worker", 0, "database back: %s handled", what);
    }
    return ret;
}

struct mo_attempt { const struct mo *m; struct mt **out; size_t *n; };

static enum service_status attempt_mo(struct workers *w, void *ctx)
{
    struct mo_attempt *a = ctx;

    return service_handle_mo(w->svc, a->m, a->out, a->n);
}

/* The MO's replies in *out, held while the database is unavailable (see hold_until_done). */
static int handle_holding(struct workers *w, const struct mo_item *it, const struct mo *m,
                          struct mt **out, size_t *n)
{
    struct mo_attempt a = { m, out, n };
    char what[UUID_STR_LEN + 8];

    snprintf(what, sizeof(what), "MO %s", m->id);
    return hold_until_done(w, it, what, attempt_mo, &a);
}

/* A report_mo: handed to the marker, which records its status on the outbox row and
   then acks it (the item's message is taken: it->msg is NULL afterwards). A report that
   is not for one of our rows is acked and dropped (bearerbox would resend it). */
static void process_report(struct workers *w, struct mo_item *it)
{
    enum service_dlr st;
    long long id;

    if (bblink_generation(w->link) != it->generation)
        return;
    if (smstext_dlr(it->msg, &id, &st) < 0) {
        warning(0, "delivery report without a parkbox outbox id (dlr-url '%s', type %ld); "
                "acked and dropped", it->msg->sms.dlr_url ? octstr_get_cstr(it->msg->sms.dlr_url)
                : "", it->msg->sms.dlr_mask);
        bblink_send(w->link, smstext_ack(it->msg), it->generation);
        return;
    }
    debug("parkbox.worker", 0, "delivery report for MT %lld: %s", id, service_dlr_name(st));
    marker_report(w->marker, it->msg, it->generation, id, st);
    it->msg = NULL;
}

/* Send the replies on the MO's connection and hand those bearerbox took to the marker
   (marked sent in a later batch). Returns 0, or -1
   when the connection failed (the MO must then not be acked). A reply that
   cannot be converted is logged and skipped: resending would fail the same way. */
static int send_replies(struct workers *w, const struct mo_item *it, const char *mo_id,
                        const struct mt *mt, size_t n, size_t *sent, enum metrics_cmd cmd)
{
    long long *ids = n ? gw_malloc(n * sizeof(*ids)) : NULL;
    int ret = 0;

    *sent = 0;
    for (size_t i = 0; i < n && ret == 0; i++) {
        Msg *m = smstext_mt(&mt[i], mt_reply, it->msg->sms.smsc_id, w->boxc_id);
        if (m == NULL) {
            warning(0, "reply %lld cannot be converted to UCS-2; not sent", mt[i].outbox_id);
            metrics_mt(cmd, MT_UNCONVERTIBLE);
        } else if (bblink_send(w->link, m, it->generation) == 0) {
            ids[(*sent)++] = mt[i].outbox_id;
            access_log_mt(&mt[i], it->msg->sms.smsc_id, mo_id);
            metrics_mt(cmd, MT_SENT);
        } else {
            metrics_mt(cmd, MT_FAILED);
            ret = -1;
        }
    }
    marker_sent(w->marker, ids, *sent);
    gw_free(ids);
    return ret;
}

/* The receiver for the log: a short code (1 to 6 digits, our service and confirmation
   numbers) as it is, since it cannot be a subscriber's (msisdn_check); anything else
   masked like a sender. */
static void receiver_for_log(const char *to, char *buf, size_t size)
{
    if (to[0] != '+' && msisdn_check(to) == MSISDN_TOO_SHORT)
        snprintf(buf, size, "%s", to);
    else
        msisdn_mask(to, buf, size);
}

static void log_handled(const struct mo *m, const char *how, size_t replies, double ms)
{
    char from[40], to[40];

    msisdn_mask(m->from, from, sizeof(from));
    receiver_for_log(m->to, to, sizeof(to));
    info(0, "MO %s from %s to %s: %s, %zu %s (%.1f ms)", m->id, from, to, how, replies,
         replies == 1 ? "reply" : "replies", ms);
}

static const char *cstr_or_empty(const Octstr *os)
{
    return os ? octstr_get_cstr(os) : "";
}

static void process(struct workers *w, struct mo_item *it)
{
    Msg *mo = it->msg;
    char id[UUID_STR_LEN + 1];
    double t0 = now_ms();
    struct mt *out = NULL;
    size_t n = 0, sent;
    int valid;
    Octstr *text, *shown;
    struct mo m;
    enum metrics_cmd cmd;

    uuid_unparse(mo->sms.id, id);
    if (bblink_generation(w->link) != it->generation) {
        debug("parkbox.worker", 0, "MO %s: its connection has gone; left for redelivery", id);
        return;
    }
    text = smstext_decode(mo, &valid);
    m = (struct mo){ .id = id, .from = cstr_or_empty(mo->sms.sender),
                     .to = cstr_or_empty(mo->sms.receiver), .text = octstr_get_cstr(text),
                     .len = (size_t)octstr_len(text),
                     .at = clock_at(mo->sms.time > 0 ? (time_t)mo->sms.time : time(NULL)),
                     .received = mo->sms.time > 0 ? (time_t)mo->sms.time : time(NULL) };
    if (!valid)
        warning(0, "MO %s: text is not valid %s", id, mo->sms.coding == DC_UCS2 ? "UCS-2" : "UTF-8");
    shown = access_log_escape(m.text, m.len);   /* no control character reaches the log */
    debug("parkbox.worker", 0, "MO %s text '%s'", id, valid ? octstr_get_cstr(shown) : "(invalid)");
    octstr_destroy(shown);
    cmd = metrics_classify(m.text, m.len, m.to);
    if (!handle_holding(w, it, &m, &out, &n)) {
        log_handled(&m, "not acked, left for redelivery", 0, now_ms() - t0);
        metrics_mo(cmd, MO_NOT_ACKED, now_ms() - t0);
    } else {
        access_log_mo(&m, mo->sms.smsc_id);
        if (send_replies(w, it, id, out, n, &sent, cmd) == 0 &&
            bblink_send(w->link, smstext_ack(mo), it->generation) == 0) {
            log_handled(&m, "acked", sent, now_ms() - t0);
            metrics_mo(cmd, MO_ACKED, now_ms() - t0);
        } else {
            log_handled(&m, "connection lost before the ack, left for redelivery", sent,
                        now_ms() - t0);
            metrics_mo(cmd, MO_LOST, now_ms() - t0);
        }
        mt_array_free(out);
    }
    octstr_destroy(text);
}

static void worker(void *arg)
{
    struct workers *w = arg;
    struct mo_item *it;

    while ((it = gwlist_consume(w->queue)) != NULL) {
        if (it->msg->sms.sms_type == report_mo)
            process_report(w, it);
        else
            process(w, it);
        if (it->msg != NULL)            /* NULL: a report the marker took */
            msg_destroy(it->msg);
        gw_free(it);
    }
}

struct workers *workers_create(struct service *svc, const Octstr *boxc_id, int count,
                               volatile sig_atomic_t *stopping)
{
    struct workers *w = gw_malloc(sizeof(*w));

    memset(w, 0, sizeof(*w));
    w->svc = svc;
    w->boxc_id = octstr_duplicate(boxc_id);
    w->stopping = stopping;
    w->count = count;
    w->queue = gwlist_create();
    gwlist_add_producer(w->queue);
    w->outage_lock = mutex_create();
    w->threads = gw_malloc(count * sizeof(*w->threads));
    for (int i = 0; i < count; i++)
        w->threads[i] = -1;
    return w;
}

int workers_start(struct workers *w, struct bblink *link, struct marker *marker)
{
    w->link = link;
    w->marker = marker;
    for (int i = 0; i < w->count; i++)
        if ((w->threads[i] = gwthread_create(worker, w)) == -1) {
            error(0, "cannot start worker thread %d of %d", i + 1, w->count);
            return -1;
        }
    return 0;
}

void workers_submit(void *ctx, Msg *mo, long generation)
{
    struct workers *w = ctx;
    struct mo_item *it = gw_malloc(sizeof(*it));

    it->msg = mo;
    it->generation = generation;
    gwlist_produce(w->queue, it);
}

void workers_stop(struct workers *w)
{
    if (w == NULL || w->stopped)
        return;
    w->stopped = 1;
    gwlist_remove_producer(w->queue);
    for (int i = 0; i < w->count; i++)
        if (w->threads[i] != -1) {
            gwthread_wakeup(w->threads[i]);
            gwthread_join(w->threads[i]);
            w->threads[i] = -1;
        }
}

static void item_destroy(void *p)
{
    struct mo_item *it = p;

    msg_destroy(it->msg);
    gw_free(it);
}

void workers_destroy(struct workers *w)
{
    if (w == NULL)
        return;
    workers_stop(w);
    gwlist_destroy(w->queue, item_destroy);
    octstr_destroy(w->boxc_id);
    mutex_destroy(w->outage_lock);
    gw_free(w->threads);
    gw_free(w);
}
