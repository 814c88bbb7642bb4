/* scheduler.c: due work, run until nothing is due, and unsent outbox rows. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scheduler.h"
#include "access_log.h"
#include "clock.h"
#include "metrics.h"
#include "mt_array.h"
#include "msisdn.h"
#include "sms_text.h"

#define TICK 1.0            /* s of sleep when nothing is due */
#define BATCH 100
#define DRAIN_MAX 5         /* s of back-to-back due work before resend() gets a turn */
#define RESEND_EVERY 10     /* s */
#define RESEND_AGE 60       /* s: older unsent rows are resent */

struct scheduler {
    struct service *svc;
    struct bblink *link;
    struct marker *marker;
    Octstr *boxc_id;
    Octstr *smsc_id;
    volatile sig_atomic_t stopping;
    int db_down;
    long thread;
};

/* Log the database going away once, not every second (the service logs its return). */
static void note_status(struct scheduler *s, enum service_status st)
{
    if (st == SERVICE_RETRY && !s->db_down)
        warning(0, "database unavailable: reminders and session ends wait");
    else if (st == SERVICE_OK && s->db_down)
        debug("parkbox.scheduler", 0, "database back: reminders and session ends resume");
    s->db_down = st == SERVICE_RETRY;
}

/* Send n messages as mt_push, hand those bearerbox took to the marker; free mt. */
static void deliver(struct scheduler *s, struct mt *mt, size_t n, const char *what)
{
    long long *ids = n ? gw_malloc(n * sizeof(*ids)) : NULL;
    size_t sent = 0;
    char to[40];

    for (size_t i = 0; i < n && ids != NULL; i++) {
        Msg *m = smstext_mt(&mt[i], mt_push, s->smsc_id, s->boxc_id);
        msisdn_mask(mt[i].to, to, sizeof(to));
        if (m == NULL) {
            warning(0, "%s %lld cannot be converted to UCS-2; not sent", what, mt[i].outbox_id);
            metrics_mt(MC_DUE, MT_UNCONVERTIBLE);
        } else if (bblink_send(s->link, m, 0) != 0) {
            metrics_mt(MC_DUE, MT_FAILED);
        } else {
            metrics_mt(MC_DUE, MT_SENT);
            ids[sent++] = mt[i].outbox_id;
            access_log_mt(&mt[i], s->smsc_id, NULL);
            info(0, "MT %s %lld from %s to %s sent", what, mt[i].outbox_id, mt[i].from, to);
        }
    }
    marker_sent(s->marker, ids, sent);
    gw_free(ids);
    mt_array_free(mt);
}

/* Runs due work again at once while the last call did any, for at most DRAIN_MAX
   seconds. Returns 1 when work may still be due (the caller should not sleep), 0 when
   nothing was due, the database is unavailable, or the box is stopping or disconnected. */
static int run_due(struct scheduler *s)
{
    time_t start = time(NULL);
    struct timespec t0, t1;
    enum service_status st;
    struct mt *out;
    size_t n;

    do {
        out = NULL;
        n = 0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        st = service_run_due(s->svc, clock_now(), BATCH, &out, &n);
        note_status(s, st);
        if (st == SERVICE_OK) {
            clock_gettime(CLOCK_MONOTONIC, &t1);
            metrics_scheduler_ran((double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                                  (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
            deliver(s, out, n, "scheduled");
        }
    } while (st == SERVICE_OK && n > 0 && !s->stopping && bblink_generation(s->link) &&
             time(NULL) - start < DRAIN_MAX);
    return st == SERVICE_OK && n > 0;
}

static void resend(struct scheduler *s)
{
    struct mt *out = NULL;
    size_t n = 0;
    enum service_status st = service_unsent(s->svc, RESEND_AGE, BATCH, &out, &n);

    note_status(s, st);
    if (st == SERVICE_OK)
        deliver(s, out, n, "resent");
}

static void loop(void *arg)
{
    struct scheduler *s = arg;
    time_t last_resend = time(NULL);
    int busy;

    while (!s->stopping) {
        busy = 0;
        if (bblink_generation(s->link) != 0) {
            busy = run_due(s);
            if (time(NULL) - last_resend >= RESEND_EVERY) {
                resend(s);
                last_resend = time(NULL);
            }
        }
        if (!s->stopping && !busy)
            gwthread_sleep(TICK);
    }
}

struct scheduler *scheduler_start(struct service *svc, struct bblink *link,
                                  struct marker *marker, const Octstr *boxc_id,
                                  const Octstr *smsc_id)
{
    struct scheduler *s = gw_malloc(sizeof(*s));

    memset(s, 0, sizeof(*s));
    s->svc = svc;
    s->link = link;
    s->marker = marker;
    s->boxc_id = octstr_duplicate(boxc_id);
    s->smsc_id = smsc_id ? octstr_duplicate(smsc_id) : NULL;
    if ((s->thread = gwthread_create(loop, s)) == -1) {
        error(0, "cannot start the scheduler thread");
        scheduler_stop(s);
        return NULL;
    }
    return s;
}

void scheduler_stop(struct scheduler *s)
{
    if (s == NULL)
        return;
    if (s->thread != -1) {
        s->stopping = 1;
        gwthread_wakeup(s->thread);
        gwthread_join(s->thread);
    }
    octstr_destroy(s->boxc_id);
    octstr_destroy(s->smsc_id);
    gw_free(s);
}
