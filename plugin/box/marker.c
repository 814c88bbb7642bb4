/* marker.c: batches of "sent" marks and delivery reports, written by one thread. */
#include <string.h>
#include <time.h>

#include "marker.h"
#include "backoff.h"
#include "sms_text.h"

#define FLUSH_EVERY 0.005   /* s: how long items wait for company */
#define BATCH_MAX 256       /* items that are written at once without waiting */
#define IDLE_SLEEP 60.0     /* s: nothing waits (a producer wakes the thread) */
#define RETRY_FIRST 0.25
#define RETRY_MAX 4.0
#define HELD_MAX 65536      /* items a producer may leave waiting; more make it wait */
#define STOP_GRACE 15.0     /* s: how long a stop waits for an unavailable database */

struct report_item {
    Msg *msg;
    long generation;
};

/* Items waiting to be written. */
struct batch {
    long long *sent;
    size_t nsent, capsent;
    long long *dlr_id;
    enum service_dlr *dlr_status;
    struct report_item *report;
    size_t ndlr, capdlr;
};

struct marker {
    struct service *svc;
    struct bblink *link;
    Mutex *lock;            /* guards pending and stopping */
    struct batch pending;   /* filled by producers, emptied by the thread */
    int stopping;
    int full_logged;        /* a producer waited for room (logged once per outage) */
    long thread;
};

static size_t batch_len(const struct batch *b)
{
    return b->nsent + b->ndlr;
}

static void reserve_sent(struct batch *b, size_t more)
{
    if (b->nsent + more <= b->capsent)
        return;
    b->capsent = (b->nsent + more) * 2;
    b->sent = gw_realloc(b->sent, b->capsent * sizeof(*b->sent));
}

static void reserve_dlr(struct batch *b, size_t more)
{
    if (b->ndlr + more <= b->capdlr)
        return;
    b->capdlr = (b->ndlr + more) * 2;
    b->dlr_id = gw_realloc(b->dlr_id, b->capdlr * sizeof(*b->dlr_id));
    b->dlr_status = gw_realloc(b->dlr_status, b->capdlr * sizeof(*b->dlr_status));
    b->report = gw_realloc(b->report, b->capdlr * sizeof(*b->report));
}

/* Appends everything in from to to and empties from (its memory is kept). */
static void batch_move(struct batch *to, struct batch *from)
{
    reserve_sent(to, from->nsent);
    reserve_dlr(to, from->ndlr);
    if (from->nsent)
        memcpy(to->sent + to->nsent, from->sent, from->nsent * sizeof(*to->sent));
    if (from->ndlr) {
        memcpy(to->dlr_id + to->ndlr, from->dlr_id, from->ndlr * sizeof(*to->dlr_id));
        memcpy(to->dlr_status + to->ndlr, from->dlr_status,
               from->ndlr * sizeof(*to->dlr_status));
        memcpy(to->report + to->ndlr, from->report, from->ndlr * sizeof(*to->report));
    }
    to->nsent += from->nsent;
    to->ndlr += from->ndlr;
    from->nsent = from->ndlr = 0;
}

/* Destroys the reports still in b (unacked: bearerbox redelivers them) and frees b. */
static void batch_free(struct batch *b)
{
    for (size_t i = 0; i < b->ndlr; i++)
        msg_destroy(b->report[i].msg);
    gw_free(b->sent);
    gw_free(b->dlr_id);
    gw_free(b->dlr_status);
    gw_free(b->report);
    memset(b, 0, sizeof(*b));
}

/* Acks and destroys b's reports (recorded). An ack for a connection that has gone is
   refused by the link; bearerbox redelivers that report and recording it again is
   harmless. */
static void ack_reports(struct marker *m, struct batch *b)
{
    for (size_t i = 0; i < b->ndlr; i++) {
        bblink_send(m->link, smstext_ack(b->report[i].msg), b->report[i].generation);
        msg_destroy(b->report[i].msg);
    }
    b->ndlr = 0;
}

/* Writes b: the sent marks, then the reports (acked once recorded). Returns 0 when b
   is empty afterwards, -1 when the database was unavailable (what is left stays). */
static int flush(struct marker *m, struct batch *b)
{
    size_t changed = 0;

    if (b->nsent > 0) {
        if (service_mark_sent(m->svc, b->sent, b->nsent) == SERVICE_RETRY)
            return -1;
        debug("parkbox.marker", 0, "%zu messages marked sent", b->nsent);
        b->nsent = 0;
    }
    if (b->ndlr > 0) {
        if (service_record_dlrs(m->svc, b->dlr_id, b->dlr_status, b->ndlr, &changed) ==
            SERVICE_RETRY)
            return -1;
        debug("parkbox.marker", 0, "%zu delivery reports recorded, %zu rows changed",
              b->ndlr, changed);
        ack_reports(m, b);
    }
    return 0;
}

/* Waits until items wait (and, unless there are BATCH_MAX of them or the marker is
   stopping, FLUSH_EVERY more), then moves them into b unless b already holds BATCH_MAX
   (while the database is away they wait in pending, where producers see how many).
   Returns 1 when stopping. */
static int gather(struct marker *m, struct batch *b)
{
    size_t n;
    int stopping;

    mutex_lock(m->lock);
    n = batch_len(&m->pending);
    stopping = m->stopping;
    mutex_unlock(m->lock);
    if (n == 0 && !stopping && batch_len(b) == 0)
        gwthread_sleep(IDLE_SLEEP);
    else if (n < BATCH_MAX && !stopping)
        gwthread_sleep(FLUSH_EVERY);
    mutex_lock(m->lock);
    if (batch_len(b) < BATCH_MAX)
        batch_move(b, &m->pending);
    stopping = m->stopping;
    mutex_unlock(m->lock);
    return stopping;
}

static size_t pending_len(struct marker *m)
{
    size_t n;

    mutex_lock(m->lock);
    n = batch_len(&m->pending);
    mutex_unlock(m->lock);
    return n;
}

static void flusher(void *arg)
{
    struct marker *m = arg;
    struct batch b = { 0 };
    double pause = RETRY_FIRST;
    int stopping = 0, outage = 0;
    time_t stop_at = 0;

    while (!stopping || batch_len(&b) > 0 || pending_len(m) > 0) {
        stopping = gather(m, &b);
        if (stopping && stop_at == 0)
            stop_at = time(NULL);
        if (batch_len(&b) == 0 || flush(m, &b) == 0) {
            if (outage)
                info(0, "database back: held sent marks and delivery reports written");
            outage = 0;
            pause = RETRY_FIRST;
            mutex_lock(m->lock);
            m->full_logged = 0;
            mutex_unlock(m->lock);
            continue;
        }
        if (!outage)
            warning(0, "database unavailable: holding %zu sent marks and %zu delivery "
                    "reports, retrying", b.nsent, b.ndlr);
        outage = 1;
        if (stopping && difftime(time(NULL), stop_at) >= STOP_GRACE) {
            mutex_lock(m->lock);
            batch_move(&b, &m->pending);
            mutex_unlock(m->lock);
            warning(0, "stopping with the database unavailable for %.0f s: %zu sent marks "
                    "lost (those replies will be resent), %zu delivery reports left unacked",
                    STOP_GRACE, b.nsent, b.ndlr);
            break;
        }
        gwthread_sleep(pause);
        pause = backoff_next(pause, RETRY_MAX);
    }
    batch_free(&b);
}

struct marker *marker_create(struct service *svc, struct bblink *link)
{
    struct marker *m = gw_malloc(sizeof(*m));

    memset(m, 0, sizeof(*m));
    m->svc = svc;
    m->link = link;
    m->lock = mutex_create();
    if ((m->thread = gwthread_create(flusher, m)) == -1) {
        error(0, "cannot start the thread that marks messages sent");
        marker_destroy(m);
        return NULL;
    }
    return m;
}

/* Called with the lock held before adding items: while HELD_MAX items wait (the
   database has been away long), the producer waits for room, so memory stays bounded;
   a producer that waits holds its MO unacked, as it would for the database. */
static void wait_for_room(struct marker *m)
{
    while (batch_len(&m->pending) >= HELD_MAX && !m->stopping) {
        if (!m->full_logged)
            warning(0, "%d sent marks and delivery reports wait for the database: "
                    "producers wait for room", HELD_MAX);
        m->full_logged = 1;
        mutex_unlock(m->lock);
        gwthread_sleep(0.1);
        mutex_lock(m->lock);
    }
}

/* Called with the lock held after adding items that made pending n long: wakes the
   thread on the first item and when a full batch waits. */
static void wake_if_needed(struct marker *m, size_t before, size_t n)
{
    if (m->thread != -1 && (before == 0 || (before < BATCH_MAX && n >= BATCH_MAX)))
        gwthread_wakeup(m->thread);
}

void marker_sent(struct marker *m, const long long *ids, size_t n)
{
    size_t before;

    if (n == 0)
        return;
    mutex_lock(m->lock);
    wait_for_room(m);
    before = batch_len(&m->pending);
    reserve_sent(&m->pending, n);
    memcpy(m->pending.sent + m->pending.nsent, ids, n * sizeof(*ids));
    m->pending.nsent += n;
    wake_if_needed(m, before, batch_len(&m->pending));
    mutex_unlock(m->lock);
}

void marker_report(struct marker *m, Msg *report, long generation, long long id,
                   enum service_dlr status)
{
    struct batch *p = &m->pending;
    size_t before;

    mutex_lock(m->lock);
    wait_for_room(m);
    before = batch_len(p);
    reserve_dlr(p, 1);
    p->dlr_id[p->ndlr] = id;
    p->dlr_status[p->ndlr] = status;
    p->report[p->ndlr] = (struct report_item){ report, generation };
    p->ndlr++;
    wake_if_needed(m, before, batch_len(p));
    mutex_unlock(m->lock);
}

void marker_destroy(struct marker *m)
{
    if (m == NULL)
        return;
    if (m->thread != -1) {
        mutex_lock(m->lock);
        m->stopping = 1;
        mutex_unlock(m->lock);
        gwthread_wakeup(m->thread);
        gwthread_join(m->thread);
    }
    batch_free(&m->pending);
    mutex_destroy(m->lock);
    gw_free(m);
}
