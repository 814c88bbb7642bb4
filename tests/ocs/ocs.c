/* ocs.c: a test Online Charging System: a Diameter Credit-Control (RFC 4006) server on
 * freeDiameter, for the phone-account driver's tests. Not for production.
 *
 *   ocs serve FDCONF CTLPORT JOURNAL   serve until SIGTERM or SIGINT
 *   ocs ctl CTLPORT COMMAND [ARG...]   send one control command, print the reply line
 *
 * serve listens for Diameter on 127.0.0.1 at the Port of FDCONF (a freeDiameter config
 * with SecPort = 0 and dict_nasreq.fdx + dict_dcca.fdx loaded), accepts any peer that
 * connects (a validator: no TLS, no ConnectPeer needed), and appends one line per debit
 * it applies to JOURNAL: "SESSION-ID MSISDN TIYN". Balances and the duplicate table
 * live in memory: a restarted OCS starts empty (the journal keeps its lines).
 *
 * Charging: only EVENT_REQUEST + DIRECT_DEBITING, Currency-Code 398, Exponent -2. An
 * MSISDN without a balance is 5030 USER_UNKNOWN, a balance below the amount 4012
 * CREDIT_LIMIT_REACHED, else the debit is applied and 2001 answered. Every request is
 * remembered by Session-Id + CC-Request-Number with its Result-Code; a duplicate (with
 * the T flag or without) gets that code again at once, debits nothing, and is not
 * subject to the knobs below, which apply to new requests only.
 *
 * Control: one command per line on TCP 127.0.0.1:CTLPORT, one reply line each:
 *   ping                 pong
 *   balance MSISDN TIYN  set a balance                                 ok
 *   balance MSISDN       read it                                       TIYN, or none
 *   decline N CODE       answer the next N new requests with CODE, no debit  ok
 *   delay MS N           apply the next N, answer each MS ms later     ok
 *   drop N               apply the next N, never answer them           ok
 *   journal              the debits applied                           SUM COUNT
 *   stats                requests R retransmits T duplicates D debits N
 * Errors reply "error: ...". Answers are sent from the dispatch thread at once, or from
 * a timer thread when delayed, so no dispatch thread ever sleeps.
 */
#include "dcca.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { SEEN_BUCKETS = 4096, SID_MAX = 128, LINE_MAX_ = 256 };

struct account {
    char msisdn[16];
    int64_t balance;
    struct account *next;
};

struct seen {
    char sid[SID_MAX];
    uint32_t number, code;
    struct seen *next;
};

/* A delayed answer, in a list sorted by due time. */
struct later {
    struct timespec due;
    struct msg *ans;
    struct later *next;
};

enum delivery { ANSWER_NOW, ANSWER_LATER, ANSWER_NEVER };

/* What a CCR asks, read once. */
struct ccr {
    char sid[SID_MAX], msisdn[16];
    uint32_t number;
    int32_t type, action, exponent;
    uint32_t currency;
    int64_t amount;
    int retransmit;
};

static struct {
    pthread_mutex_t mu;
    struct account *accounts;
    struct seen *seen[SEEN_BUCKETS];
    int decline_n, delay_n, delay_ms, drop_n;
    uint32_t decline_code;
    long requests, retransmits, duplicates, debits;
    int64_t debit_sum;
    FILE *journal;
} st = { .mu = PTHREAD_MUTEX_INITIALIZER };

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct later *head;
    int stop;
} lat = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0 };

static volatile int ctl_stop;

/* ---- state (callers hold st.mu) ------------------------------------------------------- */

static struct account *account_find(const char *msisdn, int create)
{
    struct account *a;
    for (a = st.accounts; a; a = a->next)
        if (strcmp(a->msisdn, msisdn) == 0)
            return a;
    if (!create || !(a = calloc(1, sizeof *a)))
        return NULL;
    snprintf(a->msisdn, sizeof a->msisdn, "%s", msisdn);
    a->next = st.accounts;
    st.accounts = a;
    return a;
}

static unsigned seen_hash(const char *sid, uint32_t number)
{
    unsigned h = 2166136261u ^ number;
    for (; *sid; sid++)
        h = (h ^ (unsigned char)*sid) * 16777619u;
    return h % SEEN_BUCKETS;
}

static struct seen *seen_find(const char *sid, uint32_t number)
{
    for (struct seen *s = st.seen[seen_hash(sid, number)]; s; s = s->next)
        if (s->number == number && strcmp(s->sid, sid) == 0)
            return s;
    return NULL;
}

static void seen_add(const char *sid, uint32_t number, uint32_t code)
{
    struct seen *s = calloc(1, sizeof *s);
    unsigned h = seen_hash(sid, number);
    if (!s)
        return;
    snprintf(s->sid, sizeof s->sid, "%s", sid);
    s->number = number;
    s->code = code;
    s->next = st.seen[h];
    st.seen[h] = s;
}

/* The Result-Code for a new request; applies the debit on 2001. */
static uint32_t charge(const struct ccr *r)
{
    struct account *a;
    if (r->type != DCCA_EVENT_REQUEST || r->action != DCCA_DIRECT_DEBITING ||
        r->currency != DCCA_CURRENCY_KZT || r->exponent != DCCA_EXPONENT_TIYN || r->amount <= 0)
        return 5012;   /* UNABLE_TO_COMPLY: not what this OCS does */
    if (st.decline_n > 0) {
        st.decline_n--;
        return st.decline_code;
    }
    if (!(a = account_find(r->msisdn, 0)))
        return 5030;
    if (a->balance < r->amount)
        return 4012;
    a->balance -= r->amount;
    st.debits++;
    st.debit_sum += r->amount;
    fprintf(st.journal, "%s %s %lld\n", r->sid, r->msisdn, (long long)r->amount);
    fflush(st.journal);
    return 2001;
}

/* Decides the answer to r: its code, and when it goes (*delay_ms for ANSWER_LATER). */
static enum delivery decide(const struct ccr *r, uint32_t *code, int *delay_ms)
{
    enum delivery how = ANSWER_NOW;
    pthread_mutex_lock(&st.mu);
    st.requests++;
    st.retransmits += r->retransmit;
    struct seen *s = seen_find(r->sid, r->number);
    if (s) {
        st.duplicates++;
        *code = s->code;
    } else {
        *code = charge(r);
        seen_add(r->sid, r->number, *code);
        if (st.drop_n > 0) {
            st.drop_n--;
            how = ANSWER_NEVER;
        } else if (st.delay_n > 0) {
            st.delay_n--;
            how = ANSWER_LATER;
            *delay_ms = st.delay_ms;
        }
    }
    pthread_mutex_unlock(&st.mu);
    return how;
}

/* ---- delayed answers ------------------------------------------------------------------ */

static struct timespec after_ms(int ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static int ts_before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void later_add(struct msg *ans, int ms)
{
    struct later *l = calloc(1, sizeof *l), **p;
    if (!l) {
        fd_msg_free(ans);
        return;
    }
    l->due = after_ms(ms);
    l->ans = ans;
    pthread_mutex_lock(&lat.mu);
    for (p = &lat.head; *p && !ts_before(&l->due, &(*p)->due); p = &(*p)->next)
        ;
    l->next = *p;
    *p = l;
    pthread_cond_signal(&lat.cv);
    pthread_mutex_unlock(&lat.mu);
}

static void *later_run(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lat.mu);
    while (!lat.stop) {
        struct timespec now = after_ms(0);
        struct later *l = lat.head;
        if (!l)
            pthread_cond_wait(&lat.cv, &lat.mu);
        else if (ts_before(&now, &l->due))
            pthread_cond_timedwait(&lat.cv, &lat.mu, &l->due);
        else {
            lat.head = l->next;
            pthread_mutex_unlock(&lat.mu);
            fd_msg_send(&l->ans, NULL, NULL);
            free(l);
            pthread_mutex_lock(&lat.mu);
        }
    }
    while (lat.head) {   /* stopping: the answers still waiting are never sent */
        struct later *l = lat.head;
        lat.head = l->next;
        fd_msg_free(l->ans);
        free(l);
    }
    pthread_mutex_unlock(&lat.mu);
    return NULL;
}

/* ---- the CCR handler ------------------------------------------------------------------ */

static void ccr_read(struct msg *m, struct ccr *r)
{
    struct avp *sub = dcca_find(m, dcca.subscription_id);
    struct avp *rsu = dcca_find(m, dcca.rsu);
    struct avp *money = rsu ? dcca_find(rsu, dcca.cc_money) : NULL;
    struct avp *unit = money ? dcca_find(money, dcca.unit_value) : NULL;
    struct msg_hdr *h = NULL;

    memset(r, 0, sizeof *r);
    r->type = r->action = r->exponent = -1;
    dcca_get_str(m, dcca.session_id, r->sid, sizeof r->sid);
    dcca_get_u32(m, dcca.cc_request_number, &r->number);
    dcca_get_i32(m, dcca.cc_request_type, &r->type);
    dcca_get_i32(m, dcca.requested_action, &r->action);
    if (sub)
        dcca_get_str(sub, dcca.subscription_id_data, r->msisdn, sizeof r->msisdn);
    if (money)
        dcca_get_u32(money, dcca.currency_code, &r->currency);
    if (unit) {
        dcca_get_i64(unit, dcca.value_digits, &r->amount);
        dcca_get_i32(unit, dcca.exponent, &r->exponent);
    }
    r->retransmit = fd_msg_hdr(m, &h) == 0 && (h->msg_flags & CMD_FLAG_RETRANSMIT) != 0;
}

/* Turns the request *m into its CCA with Result-Code code. */
static int cca_make(struct msg **m, const struct ccr *r, uint32_t code)
{
    struct msg_hdr *h = NULL;
    if (fd_msg_new_answer_from_req(fd_g_config->cnf_dict, m, 0) ||
        dcca_add_u32(*m, dcca.result_code, code) || fd_msg_add_origin(*m, 0) ||
        dcca_add_u32(*m, dcca.auth_app_id, DCCA_APP_ID) ||
        dcca_add_i32(*m, dcca.cc_request_type, r->type) ||
        dcca_add_u32(*m, dcca.cc_request_number, r->number) || fd_msg_hdr(*m, &h))
        return -1;
    if (code >= 3000 && code < 4000)
        h->msg_flags |= CMD_FLAG_ERROR;
    return 0;
}

static int on_ccr(struct msg **m, struct avp *avp, struct session *sess, void *opaque,
                  enum disp_action *act)
{
    struct ccr r;
    uint32_t code = 0;
    int delay_ms = 0;
    (void)avp, (void)sess, (void)opaque, (void)act;

    ccr_read(*m, &r);
    enum delivery how = decide(&r, &code, &delay_ms);
    if (cca_make(m, &r, code))
        return EINVAL;   /* the core answers 5012 itself */
    struct msg *ans = *m;
    *m = NULL;
    if (how == ANSWER_NOW)
        fd_msg_send(&ans, NULL, NULL);
    else if (how == ANSWER_LATER)
        later_add(ans, delay_ms);
    else
        fd_msg_free(ans);
    return 0;
}

/* Any peer may connect, without TLS: this OCS listens on loopback only. */
static int accept_peer(struct peer_info *info, int *auth, int (**cb2)(struct peer_info *))
{
    (void)cb2;
    info->config.pic_flags.sec |= PI_SEC_NONE;
    *auth = 1;
    return 0;
}

/* ---- control -------------------------------------------------------------------------- */

static void ctl_balance(int argc, char **argv, char *out, size_t size)
{
    pthread_mutex_lock(&st.mu);
    struct account *a = account_find(argv[1], argc == 3);
    if (argc == 3 && a) {
        a->balance = strtoll(argv[2], NULL, 10);
        snprintf(out, size, "ok");
    } else if (a)
        snprintf(out, size, "%lld", (long long)a->balance);
    else
        snprintf(out, size, argc == 3 ? "error: out of memory" : "none");
    pthread_mutex_unlock(&st.mu);
}

/* One command line (split in place) -> one reply line. */
static void ctl_command(char *line, char *out, size_t size)
{
    char *argv[4];
    int argc = 0;
    for (char *t = strtok(line, " \t\r\n"); t && argc < 4; t = strtok(NULL, " \t\r\n"))
        argv[argc++] = t;
    if (argc == 0) {
        snprintf(out, size, "error: empty command");
        return;
    }
    if (!strcmp(argv[0], "ping") && argc == 1)
        snprintf(out, size, "pong");
    else if (!strcmp(argv[0], "balance") && (argc == 2 || argc == 3))
        ctl_balance(argc, argv, out, size);
    else {
        pthread_mutex_lock(&st.mu);
        if (!strcmp(argv[0], "decline") && argc == 3) {
            st.decline_n = atoi(argv[1]);
            st.decline_code = (uint32_t)strtoul(argv[2], NULL, 10);
            snprintf(out, size, "ok");
        } else if (!strcmp(argv[0], "delay") && argc == 3) {
            st.delay_ms = atoi(argv[1]);
            st.delay_n = atoi(argv[2]);
            snprintf(out, size, "ok");
        } else if (!strcmp(argv[0], "drop") && argc == 2) {
            st.drop_n = atoi(argv[1]);
            snprintf(out, size, "ok");
        } else if (!strcmp(argv[0], "journal") && argc == 1)
            snprintf(out, size, "%lld %ld", (long long)st.debit_sum, st.debits);
        else if (!strcmp(argv[0], "stats") && argc == 1)
            snprintf(out, size, "requests %ld retransmits %ld duplicates %ld debits %ld",
                     st.requests, st.retransmits, st.duplicates, st.debits);
        else
            snprintf(out, size, "error: unknown command or wrong arguments: %s", argv[0]);
        pthread_mutex_unlock(&st.mu);
    }
}

/* One stream each way: a single "r+" stream may not switch from reading to writing
   without a positioning call, which a socket has none of. */
static void ctl_serve_client(int fd)
{
    int wfd = dup(fd);
    FILE *in = fdopen(fd, "r"), *out = wfd >= 0 ? fdopen(wfd, "w") : NULL;
    char line[LINE_MAX_], reply[LINE_MAX_];

    if (!in || !out) {
        if (in)
            fclose(in);
        else
            close(fd);
        if (out)
            fclose(out);
        else if (wfd >= 0)
            close(wfd);
        return;
    }
    while (fgets(line, sizeof line, in)) {
        ctl_command(line, reply, sizeof reply);
        fprintf(out, "%s\n", reply);
        fflush(out);
    }
    fclose(out);
    fclose(in);
}

static void *ctl_run(void *arg)
{
    int lfd = *(int *)arg;
    while (!ctl_stop) {
        struct pollfd p = { lfd, POLLIN, 0 };
        if (poll(&p, 1, 200) <= 0)
            continue;
        int fd = accept(lfd, NULL, NULL);
        if (fd >= 0)
            ctl_serve_client(fd);
    }
    return NULL;
}

static int tcp_socket(int port, int do_listen)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (do_listen ? bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 8)
                  : connect(fd, (struct sockaddr *)&a, sizeof a)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* ---- main ----------------------------------------------------------------------------- */

static int ctl_client(int port, int argc, char **argv)
{
    char line[LINE_MAX_] = "", reply[LINE_MAX_];
    int fd = tcp_socket(port, 0);
    FILE *f = fd >= 0 ? fdopen(fd, "r+") : NULL;
    if (!f) {
        fprintf(stderr, "ocs ctl: cannot connect to 127.0.0.1:%d: %s\n", port, strerror(errno));
        return 2;
    }
    for (int i = 0; i < argc; i++)
        snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s", i ? " " : "", argv[i]);
    fprintf(f, "%s\n", line);
    fflush(f);
    if (!fgets(reply, sizeof reply, f)) {
        fprintf(stderr, "ocs ctl: no reply\n");
        fclose(f);
        return 2;
    }
    fclose(f);
    fputs(reply, stdout);
    return strncmp(reply, "error", 5) == 0;
}

static int serve_start(const char *conf, char *err, size_t errsize)
{
    struct disp_when when = { .app = NULL, .command = NULL };
    static struct disp_hdl *hdl;
    dcca_log_to(NULL, NULL, FD_LOG_NOTICE);
    if (dcca_init(conf, "127.0.0.1", err, errsize))
        return -1;
    when.app = dcca.app;
    when.command = dcca.ccr;
    if (fd_peer_validate_register(accept_peer) ||
        fd_disp_register(on_ccr, DISP_HOW_CC, &when, NULL, &hdl)) {
        snprintf(err, errsize, "cannot register the validator or the CCR handler");
        return -1;
    }
    return dcca_start(err, errsize);
}

static int serve(const char *conf, int ctlport, const char *journal)
{
    char err[256];
    sigset_t sigs;
    int sig, lfd;
    pthread_t ctl, later;

    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);   /* the threads made below inherit it */
    if (!(st.journal = fopen(journal, "a"))) {
        fprintf(stderr, "ocs: cannot open journal %s: %s\n", journal, strerror(errno));
        return 1;
    }
    if ((lfd = tcp_socket(ctlport, 1)) < 0) {
        fprintf(stderr, "ocs: cannot listen on 127.0.0.1:%d: %s\n", ctlport, strerror(errno));
        return 1;
    }
    if (serve_start(conf, err, sizeof err)) {
        fprintf(stderr, "ocs: %s\n", err);
        dcca_stop();
        return 1;
    }
    pthread_create(&later, NULL, later_run, NULL);
    pthread_create(&ctl, NULL, ctl_run, &lfd);
    fprintf(stderr, "ocs: serving Diameter on 127.0.0.1:%u, control on 127.0.0.1:%d\n",
            fd_g_config->cnf_port, ctlport);
    sigwait(&sigs, &sig);

    ctl_stop = 1;
    pthread_join(ctl, NULL);
    pthread_mutex_lock(&lat.mu);
    lat.stop = 1;
    pthread_cond_signal(&lat.cv);
    pthread_mutex_unlock(&lat.mu);
    pthread_join(later, NULL);
    dcca_stop();
    fclose(st.journal);
    close(lfd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "serve"))
        return serve(argv[2], atoi(argv[3]), argv[4]);
    if (argc >= 4 && !strcmp(argv[1], "ctl"))
        return ctl_client(atoi(argv[2]), argc - 3, argv + 3);
    fprintf(stderr, "usage: ocs serve FDCONF CTLPORT JOURNAL\n"
                    "       ocs ctl CTLPORT COMMAND [ARG...]\n");
    return 2;
}
