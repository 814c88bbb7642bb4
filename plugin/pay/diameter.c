/* diameter.c: the phone-account driver: one RFC 4006 direct-debiting CCR per charge,
 * through freeDiameter (pay.h has the contract).
 *
 * One instance per process: freeDiameter is a process-wide singleton that cannot be
 * started twice, so a second pay_diameter_create() fails, even after a destroy().
 *
 * A charge is an EVENT_REQUEST / DIRECT_DEBITING CCR whose Session-Id is the request's
 * key, verbatim, and whose CC-Request-Number is 0; a resend rebuilds the same CCR from
 * the request and sets the T flag, so the OCS can find the duplicate by Session-Id +
 * CC-Request-Number. The key is used as it is (not prefixed with our identity) so that
 * a box restarted with another config still resends the same Session-Id; the store
 * should make it "<our Diameter identity>;<high>;<low>;<rest>" as RFC 6733 8.8 asks.
 *
 * Outcomes (the answer's Result-Code):
 *   2001 SUCCESS                        PAY_CHARGED, reference = the Session-Id
 *   4012 CREDIT_LIMIT_REACHED           PAY_NO_FUNDS
 *   4010 END_USER_SERVICE_DENIED        PAY_DENIED
 *   5030 USER_UNKNOWN                   PAY_UNKNOWN_USER
 *   3002 UNABLE_TO_DELIVER, E flag, made by freeDiameter itself (Origin-Host is us):
 *        no peer was open, the request never left  PAY_UNAVAILABLE
 *   no answer by timeout_ms             PAY_UNKNOWN
 *   any other code                      PAY_UNKNOWN, the code in why.
 * Other codes are unknown, not declines: a 3xxx from an agent on the way, a 5012
 * UNABLE_TO_COMPLY or a 4xxx we do not know may come after the OCS applied the debit
 * (or before); only the OCS's answer to a resend settles it, and a decline we guessed
 * would leave the driver parked for free or charged for nothing.
 */
#include "dcca.h"
#include "pay.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum {
    PEER_POLL_MS = 2,
    /* freeDiameter 1.2.1 delays the first connection to a ConnectPeer by a random 0-4 s
       when its peer thread starts after the core (a race in p_psm.c): wait that long at
       start, whatever the charge timeout. */
    PEER_WAIT_MS = 5000,
    GRACE_MS = 2000   /* after timeout_ms, how long we still wait for the core's callback */
};

struct dia {
    char *dest_realm, *dest_host, *service_context_id;
    int timeout_ms;
    pay_log_fn *log;
    void *log_ctx;
    struct pay_driver driver;
};

/* One charge in flight, shared by charge() and the core's callback: the last of the
   two to let go frees it. */
struct call {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int refs, done;
    char sid[104];           /* the request's key (at most 100 bytes, checked) */
    int timeout_ms;
    struct pay_result res;
};

static atomic_flag started = ATOMIC_FLAG_INIT;

/* ---- log ------------------------------------------------------------------------------ */

static void dia_log(const struct dia *d, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void dia_log(const struct dia *d, int level, const char *fmt, ...)
{
    char line[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (d->log)
        d->log(d->log_ctx, level, line);
    else
        fprintf(stderr, "%s\n", line);
}

static void set_result(struct pay_result *r, enum pay_outcome o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_result(struct pay_result *r, enum pay_outcome o, const char *fmt, ...)
{
    va_list ap;
    r->outcome = o;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
}

/* ---- the call's lifetime -------------------------------------------------------------- */

static struct call *call_new(const char *sid, int timeout_ms)
{
    struct call *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    c->refs = 1;
    snprintf(c->sid, sizeof c->sid, "%s", sid);
    c->timeout_ms = timeout_ms;
    return c;
}

static void call_release(struct call *c)
{
    pthread_mutex_lock(&c->mu);
    int last = --c->refs == 0;
    pthread_mutex_unlock(&c->mu);
    if (!last)
        return;
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* The callback's side: publish the result once and let go. */
static void call_finish(struct call *c, const struct pay_result *r)
{
    pthread_mutex_lock(&c->mu);
    if (!c->done) {
        c->res = *r;
        c->done = 1;
        pthread_cond_signal(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
    call_release(c);
}

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

/* charge()'s side: the callback's result, or PAY_UNKNOWN if none came by `until`. */
static void call_wait(struct call *c, const struct timespec *until, struct pay_result *out)
{
    pthread_mutex_lock(&c->mu);
    while (!c->done)
        if (pthread_cond_timedwait(&c->cv, &c->mu, until) == ETIMEDOUT)
            break;
    if (c->done)
        *out = c->res;
    else
        set_result(out, PAY_UNKNOWN, "no answer and no expiry from freeDiameter in %d ms",
                   c->timeout_ms + GRACE_MS);
    c->done = 1;   /* a late callback's result is dropped */
    pthread_mutex_unlock(&c->mu);
}

/* ---- the answer ----------------------------------------------------------------------- */

static int made_by_us(struct msg *ans)
{
    char host[256];
    if (dcca_get_str(ans, dcca.origin_host, host, sizeof host))
        return 0;
    return strcasecmp(host, (const char *)fd_g_config->cnf_diamid) == 0;
}

static void classify_code(struct msg *ans, uint32_t code, struct call *c,
                          struct pay_result *r)
{
    struct msg_hdr *h = NULL;
    fd_msg_hdr(ans, &h);
    switch (code) {
    case 2001:
        set_result(r, PAY_CHARGED, "2001 DIAMETER_SUCCESS");
        snprintf(r->reference, sizeof r->reference, "%s", c->sid);
        return;
    case 4012: set_result(r, PAY_NO_FUNDS, "4012 CREDIT_LIMIT_REACHED"); return;
    case 4010: set_result(r, PAY_DENIED, "4010 END_USER_SERVICE_DENIED"); return;
    case 5030: set_result(r, PAY_UNKNOWN_USER, "5030 USER_UNKNOWN"); return;
    }
    if (code == 3002 && h && (h->msg_flags & CMD_FLAG_ERROR) && made_by_us(ans))
        set_result(r, PAY_UNAVAILABLE, "3002 UNABLE_TO_DELIVER made locally: no peer open");
    else
        set_result(r, PAY_UNKNOWN, "Result-Code %u from the peer", code);
}

static void classify(struct msg *ans, struct call *c, struct pay_result *r)
{
    uint32_t code;
    struct avp *er;
    if (dcca_get_u32(ans, dcca.result_code, &code) == 0)
        classify_code(ans, code, c, r);
    else if ((er = dcca_find(ans, dcca.experimental_result)) &&
             dcca_get_u32(er, dcca.experimental_result_code, &code) == 0)
        set_result(r, PAY_UNKNOWN, "Experimental-Result-Code %u from the peer", code);
    else
        set_result(r, PAY_UNKNOWN, "answer without Result-Code");
}

/* Both callbacks run on the core's threads. The core frees the request with the answer. */
static void on_answer(void *data, struct msg **ans)
{
    struct call *c = data;
    struct pay_result r = { 0 };
    classify(*ans, c, &r);
    fd_msg_free(*ans);
    *ans = NULL;
    call_finish(c, &r);
}

static void on_expiry(void *data, DiamId_t peer, size_t peerlen, struct msg **req)
{
    struct call *c = data;
    struct pay_result r = { 0 };
    set_result(&r, PAY_UNKNOWN, "no answer from %.*s in %d ms", (int)peerlen,
               (const char *)peer, c->timeout_ms);
    fd_msg_free(*req);
    *req = NULL;
    call_finish(c, &r);
}

/* ---- the request ---------------------------------------------------------------------- */

/* The MSISDN's digits into e164 (at most 15), or -1. */
static int e164_digits(const char *msisdn, char *e164, size_t size)
{
    size_t n = 0;
    if (*msisdn == '+')
        msisdn++;
    for (; *msisdn; msisdn++) {
        if (*msisdn < '0' || *msisdn > '9' || n >= 15 || n + 1 >= size)
            return -1;
        e164[n++] = *msisdn;
    }
    e164[n] = '\0';
    return n ? 0 : -1;
}

static int key_ok(const char *key)
{
    size_t n = key ? strlen(key) : 0;
    return n > 0 && n <= 100 && strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                            "0123456789;:._-") == n;
}

/* Requested-Service-Unit { CC-Money { Unit-Value { Value-Digits, Exponent -2 },
   Currency-Code 398 } } */
static int add_money(struct msg *m, int64_t tiyn)
{
    struct avp *rsu, *money, *unit;
    return dcca_add_group(m, dcca.rsu, &rsu) ||
           dcca_add_group(rsu, dcca.cc_money, &money) ||
           dcca_add_group(money, dcca.unit_value, &unit) ||
           dcca_add_i64(unit, dcca.value_digits, tiyn) ||
           dcca_add_i32(unit, dcca.exponent, DCCA_EXPONENT_TIYN) ||
           dcca_add_u32(money, dcca.currency_code, DCCA_CURRENCY_KZT);
}

static int add_subscriber(struct msg *m, const char *e164)
{
    struct avp *sub;
    return dcca_add_group(m, dcca.subscription_id, &sub) ||
           dcca_add_i32(sub, dcca.subscription_id_type, DCCA_END_USER_E164) ||
           dcca_add_str(sub, dcca.subscription_id_data, e164);
}

/* The CCR for req; the same bytes but the T flag and the ids for a resend. */
static int ccr_build(const struct dia *d, const struct pay_request *req, const char *e164,
                     struct msg **out)
{
    struct msg *m = NULL;
    struct msg_hdr *h = NULL;
    int bad = fd_msg_new(dcca.ccr, MSGFL_ALLOC_ETEID, &m) ||
        dcca_add_str(m, dcca.session_id, req->key) ||   /* first, as RFC 6733 asks */
        fd_msg_add_origin(m, 0) ||
        dcca_add_str(m, dcca.dest_realm, d->dest_realm) ||
        (d->dest_host && dcca_add_str(m, dcca.dest_host, d->dest_host)) ||
        dcca_add_u32(m, dcca.auth_app_id, DCCA_APP_ID) ||
        dcca_add_str(m, dcca.service_context_id, d->service_context_id) ||
        dcca_add_i32(m, dcca.cc_request_type, DCCA_EVENT_REQUEST) ||
        dcca_add_u32(m, dcca.cc_request_number, 0) ||
        dcca_add_i32(m, dcca.requested_action, DCCA_DIRECT_DEBITING) ||
        add_subscriber(m, e164) || add_money(m, req->amount) ||
        fd_msg_hdr(m, &h);
    if (bad) {
        if (m)
            fd_msg_free(m);
        return -1;
    }
    if (req->resend)
        h->msg_flags |= CMD_FLAG_RETRANSMIT;
    *out = m;
    return 0;
}

/* ---- charge --------------------------------------------------------------------------- */

/* Sends the CCR and waits for its outcome; out is set on every path. */
static void send_and_wait(struct dia *d, struct msg *m, struct call *c, struct pay_result *out)
{
    struct timespec expiry = after_ms(d->timeout_ms);
    struct timespec until = after_ms(d->timeout_ms + GRACE_MS);
    c->refs = 2;   /* ours and the callback's */
    if (fd_msg_send_timeout(&m, on_answer, c, on_expiry, &expiry)) {
        fd_msg_free(m);
        c->refs = 1;
        set_result(out, PAY_UNAVAILABLE, "freeDiameter did not take the request");
        return;
    }
    call_wait(c, &until, out);
}

static void dia_charge(void *ctx, const struct pay_request *req, struct pay_result *out)
{
    struct dia *d = ctx;
    char e164[16];
    struct msg *m = NULL;
    struct call *c = NULL;

    memset(out, 0, sizeof *out);
    if (!key_ok(req->key) || e164_digits(req->msisdn, e164, sizeof e164) || req->amount <= 0)
        set_result(out, PAY_UNAVAILABLE, "bad request (key, msisdn or amount): not sent");
    else if (!(c = call_new(req->key, d->timeout_ms)))
        set_result(out, PAY_UNAVAILABLE, "out of memory: not sent");
    else if (ccr_build(d, req, e164, &m))
        set_result(out, PAY_UNAVAILABLE, "cannot build the CCR: not sent");
    else
        send_and_wait(d, m, c, out);
    if (c)
        call_release(c);
    dia_log(d, out->outcome == PAY_CHARGED ? 1 : 2, "diameter: charge %s%s %lld tiyn: %s (%s)",
            req->key ? req->key : "(null)", req->resend ? " (resend)" : "",
            (long long)req->amount, pay_outcome_name(out->outcome), out->why);
}

/* ---- create and destroy --------------------------------------------------------------- */

/* Waits up to ms for an open peer (the Destination-Host if set); 1 if one is. */
static int peer_open(const struct dia *d)
{
    int open = 0;
    pthread_rwlock_rdlock(&fd_g_peers_rw);
    for (struct fd_list *li = fd_g_peers.next; li != &fd_g_peers && !open; li = li->next) {
        struct peer_hdr *p = (struct peer_hdr *)li->o;
        if (d->dest_host && strcasecmp(p->info.pi_diamid, d->dest_host) != 0)
            continue;
        open = fd_peer_get_state(p) == STATE_OPEN;
    }
    pthread_rwlock_unlock(&fd_g_peers_rw);
    return open;
}

static int wait_peer(const struct dia *d, int ms)
{
    struct timespec nap = { 0, PEER_POLL_MS * 1000000L };
    for (int waited = 0; waited < ms; waited += PEER_POLL_MS) {
        if (peer_open(d))
            return 1;
        nanosleep(&nap, NULL);
    }
    return peer_open(d);
}

static void dia_free(struct dia *d)
{
    if (!d)
        return;
    free(d->dest_realm);
    free(d->dest_host);
    free(d->service_context_id);
    free(d);
}

/* Stops freeDiameter (charges still waiting end PAY_UNKNOWN or PAY_UNAVAILABLE) and
   frees the driver. Call it after every charge() returned. */
static void dia_destroy(void *ctx)
{
    if (!ctx)
        return;
    dcca_stop();
    dia_free(ctx);
}

static const char *config_error(const struct pay_diameter_config *c)
{
    if (!c->fd_conf || !*c->fd_conf)
        return "no freeDiameter config file";
    if (!c->dest_realm || !*c->dest_realm)
        return "no Destination-Realm";
    if (!c->service_context_id || !*c->service_context_id)
        return "no Service-Context-Id";
    if (c->timeout_ms <= 0)
        return "charge-timeout must be > 0";
    return NULL;
}

static struct dia *dia_new(const struct pay_diameter_config *c)
{
    struct dia *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->dest_realm = strdup(c->dest_realm);
    d->dest_host = c->dest_host && *c->dest_host ? strdup(c->dest_host) : NULL;
    d->service_context_id = strdup(c->service_context_id);
    d->timeout_ms = c->timeout_ms;
    d->log = c->log;
    d->log_ctx = c->log_ctx;
    d->driver = (struct pay_driver){ "diameter", d, dia_charge, dia_destroy };
    return d;
}

struct pay_driver *pay_diameter_create(const struct pay_diameter_config *c, char *err,
                                       size_t errsize)
{
    const char *bad = config_error(c);
    struct dia *d = NULL;
    if (bad) {
        snprintf(err, errsize, "diameter: %s", bad);
        return NULL;
    }
    if (atomic_flag_test_and_set(&started)) {
        snprintf(err, errsize, "diameter: freeDiameter runs once per process");
        return NULL;
    }
    if (!(d = dia_new(c)) || !d->dest_realm || !d->service_context_id) {
        snprintf(err, errsize, "diameter: out of memory");
        dia_free(d);
        return NULL;
    }
    dcca_log_to(c->log, c->log_ctx, FD_LOG_NOTICE);
    if (dcca_init(c->fd_conf, NULL, err, errsize) || dcca_start(err, errsize)) {
        dia_destroy(d);
        return NULL;
    }
    int wait_ms = c->timeout_ms > PEER_WAIT_MS ? c->timeout_ms : PEER_WAIT_MS;
    if (wait_peer(d, wait_ms))
        dia_log(d, 1, "diameter: peer open, realm %s", d->dest_realm);
    else
        dia_log(d, 2, "diameter: no peer open after %d ms; charges are unavailable until "
                "one is", wait_ms);
    return &d->driver;
}
