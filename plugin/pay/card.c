/* card.c: the bank card through a payment gateway's REST API (docs/payments.md, "Bank card
 * (gateway)"), over libcurl with jansson for the JSON.
 *
 *   POST {url}/charges                     charge once per idempotency key
 *   GET  {url}/charges?idempotency_key=K   look a charge up (404: the gateway has none)
 *
 * Each charge() borrows an easy handle from a small pool (kept connections are reused)
 * and gives it back; the pool is behind a mutex, so charge() may run in many threads.
 * A charge() never takes longer than timeout_ms in all, lookup and POST together.
 * The api key is only ever put in the Authorization header: it is in no log line, no why.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "pay.h"

#define POOL_MAX     8          /* idle easy handles kept */
#define ANSWER_MAX   65536      /* a longer answer is malformed */
#define KEY_MAX      100        /* pay.h: at most 100 bytes of [A-Za-z0-9;:._-] */

/* The driver handed out is the first member, and its ctx the card: destroy(ctx) frees
   both. */
struct card {
    struct pay_driver driver;
    char *charges_url;          /* {url}/charges */
    char *auth_header;          /* "Authorization: Bearer KEY": a secret */
    char *ca_file;              /* NULL: the system's CA bundle */
    long timeout_ms;
    pay_log_fn *log;
    void *log_ctx;
    pthread_mutex_t lock;       /* guards idle[] and nidle */
    CURL *idle[POOL_MAX];
    int nidle;
};

/* One HTTP exchange as seen from here. */
struct exchange {
    CURLcode rc;
    long status;                /* 0: no HTTP answer */
    int maybe_sent;             /* some of the request may have reached the gateway */
    char body[ANSWER_MAX + 1];
    size_t len;
    int too_long;
    long ms;
};

/* --- small helpers ---------------------------------------------------------------- */

static void say(const struct card *c, int level, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->log)
        c->log(c->log_ctx, level, msg);
    else
        fprintf(stderr, "pay.card: %s\n", msg);
}

static void set_result(struct pay_result *out, enum pay_outcome o, const char *ref,
                       const char *fmt, ...)
{
    va_list ap;

    out->outcome = o;
    snprintf(out->reference, sizeof out->reference, "%s", o == PAY_CHARGED && ref ? ref : "");
    va_start(ap, fmt);
    vsnprintf(out->why, sizeof out->why, fmt, ap);
    va_end(ap);
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000L + (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

static int key_ok(const char *k)
{
    size_t n = k ? strlen(k) : 0;

    if (n == 0 || n > KEY_MAX)
        return 0;
    return strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789;:._-") == n;
}

/* --- libcurl: once per process, handles from the pool -------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

/* curl_global_init is not thread-safe before 7.84 and must run once; curl_global_cleanup
   is never called, as other parts of the process may still use libcurl. */
static void curl_init_once(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static CURL *handle_get(struct card *c)
{
    CURL *h = NULL;

    pthread_mutex_lock(&c->lock);
    if (c->nidle > 0)
        h = c->idle[--c->nidle];
    pthread_mutex_unlock(&c->lock);
    if (h)
        curl_easy_reset(h);   /* options back to defaults; kept connections stay */
    else
        h = curl_easy_init();
    return h;
}

static void handle_put(struct card *c, CURL *h)
{
    pthread_mutex_lock(&c->lock);
    if (c->nidle < POOL_MAX) {
        c->idle[c->nidle++] = h;
        h = NULL;
    }
    pthread_mutex_unlock(&c->lock);
    if (h)
        curl_easy_cleanup(h);
}

static size_t on_body(char *p, size_t size, size_t n, void *user)
{
    struct exchange *x = user;
    size_t len = size * n;

    if (x->len + len > ANSWER_MAX) {
        x->too_long = 1;
        return 0;             /* aborts the transfer: CURLE_WRITE_ERROR */
    }
    memcpy(x->body + x->len, p, len);
    x->len += len;
    x->body[x->len] = '\0';
    return len;
}

/* Appends a header line; -1 (the list unchanged) when out of memory. */
static int add_header(struct curl_slist **list, const char *line)
{
    struct curl_slist *l = curl_slist_append(*list, line);

    if (!l)
        return -1;
    *list = l;
    return 0;
}

/* Sends one request (a POST of post_body, or a GET when it is NULL) within timeout_ms and
   fills x. Fails only as x says: rc other than CURLE_OK, or an HTTP status. */
static void exchange(struct card *c, const char *url, const char *post_body, const char *key,
                     long timeout_ms, struct exchange *x)
{
    char idem[32 + KEY_MAX];
    struct curl_slist *hdr = NULL;
    struct timespec t0;
    curl_off_t pretransfer = 0;
    long request_size = 0;
    CURL *h;

    x->rc = CURLE_OK, x->status = 0, x->maybe_sent = 0, x->len = 0, x->too_long = 0, x->ms = 0;
    x->body[0] = '\0';
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!(h = handle_get(c))) {
        x->rc = CURLE_FAILED_INIT;
        return;
    }
    snprintf(idem, sizeof idem, "Idempotency-Key: %s", key);
    if (add_header(&hdr, c->auth_header) || add_header(&hdr, "Accept: application/json") ||
        (post_body && (add_header(&hdr, "Content-Type: application/json") ||
                       add_header(&hdr, idem) || add_header(&hdr, "Expect:")))) {
        x->rc = CURLE_OUT_OF_MEMORY;
        curl_slist_free_all(hdr);
        handle_put(c, h);
        return;
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "parkbox");
    if (c->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
    if (post_body)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, post_body);
    x->rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &x->status);
    curl_easy_getinfo(h, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
    curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_size);
    /* Either mark means the connection was up and the request on its way. */
    x->maybe_sent = pretransfer > 0 || request_size > 0 || x->status != 0;
    x->ms = ms_since(&t0);
    curl_slist_free_all(hdr);
    handle_put(c, h);
}

/* --- the gateway's answers -------------------------------------------------------- */

static const struct {
    const char *status;
    enum pay_outcome outcome;
} status_map[] = {
    { "approved",           PAY_CHARGED },
    { "insufficient_funds", PAY_NO_FUNDS },
    { "declined",           PAY_DENIED },
    { "unknown_card",       PAY_UNKNOWN_USER },
};

/* A charge object {id, status, ...} into out; a malformed one is PAY_UNKNOWN. */
static void charge_object(const struct exchange *x, const char *key, struct pay_result *out)
{
    const char *id = NULL, *status = NULL, *k = NULL;
    json_error_t err;
    json_t *j;
    size_t i;

    j = json_loadb(x->body, x->len, JSON_REJECT_DUPLICATES, &err);
    if (!j || json_unpack_ex(j, &err, 0, "{s:s, s:s, s?s}", "id", &id, "status", &status,
                             "idempotency_key", &k) != 0) {
        set_result(out, PAY_UNKNOWN, NULL, "HTTP %ld, malformed answer: %.80s", x->status,
                   err.text);
        json_decref(j);
        return;
    }
    if (*id == '\0' || strlen(id) >= sizeof out->reference)
        set_result(out, PAY_UNKNOWN, NULL, "HTTP %ld, malformed answer: id empty or too long",
                   x->status);
    else if (k && strcmp(k, key) != 0)
        set_result(out, PAY_UNKNOWN, NULL, "HTTP %ld, answer for another idempotency key",
                   x->status);
    else {
        for (i = 0; i < sizeof status_map / sizeof status_map[0]; i++)
            if (strcmp(status, status_map[i].status) == 0)
                break;
        if (i == sizeof status_map / sizeof status_map[0])
            set_result(out, PAY_UNKNOWN, NULL, "HTTP %ld, unknown status \"%.40s\"", x->status,
                       status);
        else
            set_result(out, status_map[i].outcome, id, "HTTP %ld %s %s (%ld ms)", x->status,
                       status, id, x->ms);
    }
    json_decref(j);
}

/* What an exchange means for the charge; returns 1 for a lookup's 404 (no such charge),
   with out untouched, else 0 with out set. */
static int judge(const struct card *c, const struct exchange *x, const char *key, int lookup,
                 struct pay_result *out)
{
    const char *what = lookup ? "lookup" : "charge";

    if (x->rc == CURLE_COULDNT_RESOLVE_HOST || x->rc == CURLE_COULDNT_RESOLVE_PROXY ||
        x->rc == CURLE_COULDNT_CONNECT || (x->rc != CURLE_OK && !x->maybe_sent))
        set_result(out, PAY_UNAVAILABLE, NULL, "%s not sent: %s (%ld ms)", what,
                   curl_easy_strerror(x->rc), x->ms);
    else if (x->too_long)
        set_result(out, PAY_UNKNOWN, NULL, "%s: answer longer than %d bytes", what, ANSWER_MAX);
    else if (x->rc != CURLE_OK)
        set_result(out, PAY_UNKNOWN, NULL, "%s sent, no answer: %s (%ld ms)", what,
                   curl_easy_strerror(x->rc), x->ms);
    else if (x->status == 200 || x->status == 201)
        charge_object(x, key, out);
    else if (lookup && x->status == 404)
        return 1;
    else if (x->status == 401 || x->status == 403) {
        set_result(out, PAY_UNAVAILABLE, NULL, "%s refused: HTTP %ld, check the api key",
                   what, x->status);
        say(c, 3, "the gateway refused the api key (HTTP %ld): nothing can be charged until "
            "the configuration is fixed", x->status);
    } else if (x->status == 409)
        set_result(out, PAY_UNKNOWN, NULL, "%s: HTTP 409, the key names a charge with other "
                   "parameters", what);
    else if (x->status >= 400 && x->status < 500)
        set_result(out, PAY_UNAVAILABLE, NULL, "%s refused: HTTP %ld", what, x->status);
    else
        set_result(out, PAY_UNKNOWN, NULL, "%s: HTTP %ld (%ld ms)", what, x->status, x->ms);
    return 0;
}

/* --- charge ----------------------------------------------------------------------- */

static void charge_post(struct card *c, const struct pay_request *req, long timeout_ms,
                        struct pay_result *out)
{
    struct exchange *x;
    char *body;
    json_t *j;

    j = json_pack("{s:I, s:s, s:s, s:s, s:s*}", "amount", (json_int_t)req->amount,
                  "currency", "KZT", "card_token", req->card_token,
                  "idempotency_key", req->key, "description", req->description);
    body = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    x = malloc(sizeof *x);
    if (!body || !x) {
        set_result(out, PAY_UNAVAILABLE, NULL, "charge not sent: out of memory");
    } else {
        exchange(c, c->charges_url, body, req->key, timeout_ms, x);
        judge(c, x, req->key, 0, out);
    }
    free(x);
    free(body);
}

/* Looks the key up; returns 1 with out set (found, or no definite answer), 0 for a 404. */
static int charge_lookup(struct card *c, const struct pay_request *req, long timeout_ms,
                         struct pay_result *out)
{
    struct exchange *x;
    char *url;
    int found = 1;

    url = malloc(strlen(c->charges_url) + sizeof "?idempotency_key=" + (size_t)3 * KEY_MAX);
    x = malloc(sizeof *x);
    if (!url || !x) {
        set_result(out, PAY_UNKNOWN, NULL, "lookup not sent: out of memory");
    } else {
        /* key_ok() let through only characters that need no escaping in a query */
        sprintf(url, "%s?idempotency_key=%s", c->charges_url, req->key);
        exchange(c, url, NULL, req->key, timeout_ms, x);
        found = !judge(c, x, req->key, 1, out);
    }
    free(x);
    free(url);
    return found;
}

static void card_charge(void *ctx, const struct pay_request *req, struct pay_result *out)
{
    struct card *c = ctx;
    struct timespec t0;
    long left;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!key_ok(req->key) || req->amount <= 0 || !req->card_token || !*req->card_token) {
        set_result(out, req->resend ? PAY_UNKNOWN : PAY_UNAVAILABLE, NULL,
                   "not sent: bad request (key, amount or card token)");
        say(c, 3, "charge %.100s: %s", req->key ? req->key : "(null)", out->why);
        return;
    }
    if (!req->resend || !charge_lookup(c, req, c->timeout_ms, out)) {
        left = c->timeout_ms - ms_since(&t0);
        if (left <= 0)
            set_result(out, PAY_UNKNOWN, NULL, "no time left for the charge after the lookup");
        else
            charge_post(c, req, left, out);
    }
    /* Asked again, a charge an earlier call may have made is never "nothing taken". */
    if (req->resend && out->outcome == PAY_UNAVAILABLE) {
        char why[sizeof out->why];
        snprintf(why, sizeof why, "%s", out->why);
        set_result(out, PAY_UNKNOWN, NULL, "resend: %.140s", why);
    }
    say(c, out->outcome == PAY_UNKNOWN || out->outcome == PAY_UNAVAILABLE ? 2 : 1,
        "charge %s amount %lld%s: %s, %s", req->key, (long long)req->amount,
        req->resend ? " (resend)" : "", pay_outcome_name(out->outcome), out->why);
}

/* --- create, destroy -------------------------------------------------------------- */

static void card_destroy(void *ctx)
{
    struct card *c = ctx;

    if (!c)
        return;
    while (c->nidle > 0)
        curl_easy_cleanup(c->idle[--c->nidle]);
    pthread_mutex_destroy(&c->lock);
    free(c->charges_url);
    if (c->auth_header)
        memset(c->auth_header, 0, strlen(c->auth_header));
    free(c->auth_header);
    free(c->ca_file);
    free(c);
}

/* 0, or -1 with err naming the key that is wrong. */
static int config_check(const struct pay_card_config *cfg, char *err, size_t errsize)
{
    const char *url = cfg->url;

    if (!url || (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0))
        snprintf(err, errsize, "url: want http:// or https://, got \"%.80s\"", url ? url : "");
    else if (!cfg->api_key || !*cfg->api_key || strpbrk(cfg->api_key, "\r\n"))
        snprintf(err, errsize, "api-key: empty or not one line");
    else if (cfg->timeout_ms <= 0)
        snprintf(err, errsize, "charge-timeout: want > 0 ms, got %d", cfg->timeout_ms);
    else if (cfg->ca_file && access(cfg->ca_file, R_OK) != 0)
        snprintf(err, errsize, "ca-file: cannot read \"%.100s\"", cfg->ca_file);
    else
        return 0;
    return -1;
}

struct pay_driver *pay_card_create(const struct pay_card_config *cfg, char *err, size_t errsize)
{
    struct card *c;
    size_t ulen;

    if (config_check(cfg, err, errsize) != 0)
        return NULL;
    pthread_once(&curl_once, curl_init_once);
    if (curl_init_rc != CURLE_OK) {
        snprintf(err, errsize, "libcurl: %s", curl_easy_strerror(curl_init_rc));
        return NULL;
    }
    ulen = strlen(cfg->url);
    while (ulen > 0 && cfg->url[ulen - 1] == '/')
        ulen--;
    if (!(c = calloc(1, sizeof *c)) || pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    c->charges_url = malloc(ulen + sizeof "/charges");
    c->auth_header = malloc(strlen(cfg->api_key) + sizeof "Authorization: Bearer ");
    c->ca_file = cfg->ca_file ? strdup(cfg->ca_file) : NULL;
    if (!c->charges_url || !c->auth_header || (cfg->ca_file && !c->ca_file)) {
        card_destroy(c);
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    sprintf(c->charges_url, "%.*s/charges", (int)ulen, cfg->url);
    sprintf(c->auth_header, "Authorization: Bearer %s", cfg->api_key);
    c->timeout_ms = cfg->timeout_ms;
    c->log = cfg->log;
    c->log_ctx = cfg->log_ctx;
    c->driver = (struct pay_driver){ "card", c, card_charge, card_destroy };
    if (strncmp(cfg->url, "http://", 7) == 0)
        say(c, 2, "url %s is plain http: use https outside tests", c->charges_url);
    return &c->driver;
}
