/* nullbox.c: the ceiling of scripts/bench-box: a box that answers the bench's
 * conversation as parkbox does, without a database.
 *
 *   nullbox [-v LEVEL] [--logfile FILE] HOST PORT SMSBOX-ID
 *
 * It connects to bearerbox through parkbox's own link (plugin/box/bblink.c:
 * cmd_identify with SMSBOX-ID, TCP_NODELAY, TCP_QUICKACK before every read) and
 * answers every MO at once, from the reader thread, with the reply parkbox sends
 * to that command in the bench:
 *   "1" to 7701 -> "started" from 7757;  "S" -> "stopped" from 7757;
 *   anything else -> "confirm_start" from 7701 (the bench sends "ZONE*PLATE*1").
 * The texts are parkbox's [ru] templates (templates/replies.conf) filled in with
 * the values of a bench conversation, so each reply has the same coding (UCS-2),
 * length (100, 62 and 108 characters: 2, 1 and 2 parts), dlr-mask and kind of
 * dlr-url as parkbox's, and bearerbox does the same work for both boxes. Replies
 * first, then the ack; delivery reports (report_mo) are acked as parkbox acks
 * them. The dlr-url says "nullbox:N" rather than parkbox's "outbox:N", so that a
 * late report reaching a parkbox is dropped as foreign, never recorded.
 *
 * SIGTERM/SIGINT or bearerbox's shutdown: disconnect, log one line with the
 * counts ("nullbox stopped: N MOs acked, N replies sent, N delivery reports
 * acked") and exit 0.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gwlib/gwlib.h"
#include "gw/sms.h"

#include "bblink.h"
#include "sms_text.h"

static const char CONFIRM_START[] =
    "Зона 1001 Зелёный базар, 000AAA02, 1 ч: 150 тг, кошелёк. Оплатить: ответьте 1 до "
    "12:05, отменить: 0.";
static const char STARTED[] =
    "Оплачено 12:00–13:00: зона 1001, 000AAA02, 150 тг, чек №10000.";
static const char STOPPED[] =
    "Парковка завершена: зона 1001 Зелёный базар, 000AAA02, 0 мин, 0 тг. "
    "На счёт парковки 150 тг, остаток 150 тг.";

static volatile sig_atomic_t stopping;

static struct {
    Octstr *boxc_id;
    Octstr *confirm_start, *started, *stopped;   /* UTF-16BE */
    struct bblink *link;
    long mo, replies, reports, dlr_id;           /* touched by the reader thread only */
} nb;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static void on_shutdown(void *ctx)
{
    (void)ctx;
    stopping = 1;
}

static Octstr *ucs2(const char *utf8)
{
    Octstr *s = octstr_create(utf8);

    if (charset_convert(s, "UTF-8", "UTF-16BE") != 0)
        panic(0, "nullbox: cannot convert a reply to UTF-16BE");
    return s;
}

/* The reply parkbox sends to `mo`, as smstext_mt() builds it for an outbox row. */
static Msg *reply_to(const Msg *mo)
{
    const char *text = mo->sms.msgdata ? octstr_get_cstr(mo->sms.msgdata) : "";
    int confirming = strcmp(text, "1") == 0;
    int stopping_session = strcmp(text, "S") == 0 || strcmp(text, "s") == 0;
    Msg *m = msg_create(sms);

    m->sms.sms_type = mt_reply;
    m->sms.sender = octstr_create(confirming || stopping_session ? "7757" : "7701");
    m->sms.receiver = octstr_duplicate(mo->sms.sender);
    m->sms.msgdata = octstr_duplicate(confirming ? nb.started
                                      : stopping_session ? nb.stopped : nb.confirm_start);
    m->sms.time = time(NULL);
    m->sms.smsc_id = mo->sms.smsc_id ? octstr_duplicate(mo->sms.smsc_id) : NULL;
    m->sms.boxc_id = octstr_duplicate(nb.boxc_id);
    m->sms.dlr_mask = SMSTEXT_DLR_MASK;
    m->sms.dlr_url = octstr_format("nullbox:%ld", ++nb.dlr_id);
    m->sms.coding = DC_UCS2;
    m->sms.charset = octstr_create("UTF-16BE");
    return m;
}

/* bblink's on_mo: answer an MO, then ack it; ack a delivery report. */
static void on_mo(void *ctx, Msg *msg, long generation)
{
    (void)ctx;
    if (msg->sms.sms_type == report_mo) {
        if (bblink_send(nb.link, smstext_ack(msg), generation) == 0)
            nb.reports++;
    } else if (bblink_send(nb.link, reply_to(msg), generation) == 0) {
        nb.replies++;
        if (bblink_send(nb.link, smstext_ack(msg), generation) == 0)
            nb.mo++;
    }
    msg_destroy(msg);
}

static void setup_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

int main(int argc, char **argv)
{
    struct bblink_config lc = { .on_mo = on_mo, .on_shutdown = on_shutdown };
    int a, ok;

    gwlib_init();
    a = get_and_set_debugs(argc, argv, NULL);
    if (a + 3 != argc) {
        fprintf(stderr, "usage: nullbox [-v LEVEL] [--logfile FILE] HOST PORT SMSBOX-ID\n");
        gwlib_shutdown();
        return 2;
    }
    setup_signals();
    lc.host = argv[a];
    lc.port = atol(argv[a + 1]);
    lc.smsbox_id = argv[a + 2];
    nb.boxc_id = octstr_create(lc.smsbox_id);
    nb.confirm_start = ucs2(CONFIRM_START);
    nb.started = ucs2(STARTED);
    nb.stopped = ucs2(STOPPED);
    ok = (nb.link = bblink_create(&lc)) != NULL;
    while (ok && !stopping)
        gwthread_sleep(0.5);
    bblink_stop_reading(nb.link);
    bblink_destroy(nb.link);
    info(0, "nullbox stopped: %ld MOs acked, %ld replies sent, %ld delivery reports acked",
         nb.mo, nb.replies, nb.reports);
    octstr_destroy(nb.boxc_id);
    octstr_destroy(nb.confirm_start);
    octstr_destroy(nb.started);
    octstr_destroy(nb.stopped);
    gwlib_shutdown();
    return ok ? 0 : 1;
}
