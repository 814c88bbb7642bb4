/* gateway.c: a stand-in card payment gateway for the tests, on 127.0.0.1 only, speaking
 * the contract of docs/payments.md ("Bank card (gateway)") with fault knobs.
 *
 *   gateway -p PORT -j JOURNAL [-k API_KEY] [-C CERT -K KEY]
 *
 *   POST /v1/charges                    {amount, currency, card_token, idempotency_key,
 *                                        description} -> 201 {id, status, ...}; the same
 *                                        key again -> 200 and the same charge, no new debit
 *   GET  /v1/charges?idempotency_key=K  -> 200 the charge, 404 none
 *   POST /control                       test knobs (no api key needed), one JSON object:
 *        {"card":"tok_1","balance":100000}       create a card or set its balance (tiyn)
 *        {"decline_next":N,"status":"declined"}  the next N new charges get that status
 *                                                (declined|insufficient_funds|unknown_card)
 *        {"delay_next":N,"ms":M}                 the next N charge POSTs are applied, then
 *                                                answered M ms later
 *        {"drop_next":N}                         the next N charge POSTs are applied, then
 *                                                the connection is closed with no answer
 *   GET  /control?card=tok_1            -> {"card":"tok_1","balance":N}
 *
 * With -k, /v1 requests without "Authorization: Bearer API_KEY" get 401. With -C and -K
 * (PEM files) it speaks https. Every approved charge is appended to JOURNAL as one line
 * "id key token amount", flushed before the answer. One line per request on stderr.
 * Bodies over 16 KiB get 413, bad JSON or fields 400. SIGTERM or SIGINT stops it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#define BODY_MAX  16384
#define KEY_MAX   100

struct charge {
    char id[24];
    char key[KEY_MAX + 1];
    char *token;
    json_int_t amount;
    const char *status;       /* static */
};

struct cardbal {
    char *token;
    json_int_t balance;
};

/* Everything below is guarded by lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct charge *charges;
static size_t ncharges, capcharges;
static struct cardbal *cards;
static size_t ncards, capcards;
static long decline_next, delay_next, delay_ms, drop_next;
static const char *decline_status = "declined";
static FILE *journal;
static unsigned long next_id = 1;

static const char *api_key;   /* NULL: no check */
static volatile sig_atomic_t stop;

static const char *const statuses[] = { "approved", "declined", "insufficient_funds",
                                        "unknown_card" };

/* One request's upload. */
struct upload {
    char *data;
    size_t len;
    int too_long;
};

/* What a handler decided. */
struct reply {
    unsigned status;
    json_t *body;             /* owned */
    int drop;                 /* close the connection, no answer */
    long delay_ms;
};

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static const char *status_static(const char *s)
{
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (s && strcmp(s, statuses[i]) == 0)
            return statuses[i];
    return NULL;
}

static struct reply error_reply(unsigned status, const char *text)
{
    return (struct reply){ status, json_pack("{s:s}", "error", text), 0, 0 };
}

/* --- state (called with lock held) ------------------------------------------------ */

static struct cardbal *card_find(const char *token)
{
    for (size_t i = 0; i < ncards; i++)
        if (strcmp(cards[i].token, token) == 0)
            return &cards[i];
    return NULL;
}

static struct charge *charge_find(const char *key)
{
    for (size_t i = 0; i < ncharges; i++)
        if (strcmp(charges[i].key, key) == 0)
            return &charges[i];
    return NULL;
}

static json_t *charge_json(const struct charge *ch)
{
    return json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "id", ch->id, "status", ch->status,
                     "amount", ch->amount, "currency", "KZT", "card_token", ch->token,
                     "idempotency_key", ch->key);
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    void *q;

    if (n < *cap)
        return 0;
    q = realloc(*p, (*cap ? *cap * 2 : 64) * size);
    if (!q)
        return -1;
    *p = q;
    *cap = *cap ? *cap * 2 : 64;
    return 0;
}

/* A new charge under key: decides its status, debits and journals an approved one. */
static struct charge *charge_new(const char *key, const char *token, json_int_t amount)
{
    struct cardbal *cb = card_find(token);
    struct charge *ch;

    if (grow((void **)&charges, &capcharges, ncharges, sizeof *charges) != 0 ||
        !(token = strdup(token)))
        return NULL;
    ch = &charges[ncharges++];
    snprintf(ch->id, sizeof ch->id, "ch_%06lu", next_id++);
    snprintf(ch->key, sizeof ch->key, "%s", key);
    ch->token = (char *)token;
    ch->amount = amount;
    if (decline_next > 0) {
        decline_next--;
        ch->status = decline_status;
    } else if (!cb)
        ch->status = "unknown_card";
    else if (cb->balance < amount)
        ch->status = "insufficient_funds";
    else {
        cb->balance -= amount;
        ch->status = "approved";
        fprintf(journal, "%s %s %s %lld\n", ch->id, ch->key, ch->token, (long long)amount);
        fflush(journal);
    }
    return ch;
}

/* --- handlers --------------------------------------------------------------------- */

static int key_ok(const char *k)
{
    size_t n = strlen(k);

    return n > 0 && n <= KEY_MAX &&
        strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789;:._-") == n;
}

static struct reply post_charge(struct MHD_Connection *conn, json_t *in)
{
    const char *currency, *token, *key, *desc = NULL, *hkey;
    json_int_t amount;
    struct charge *ch;
    struct reply r;
    json_error_t err;

    if (json_unpack_ex(in, &err, JSON_STRICT, "{s:I, s:s, s:s, s:s, s?s}", "amount", &amount,
                       "currency", &currency, "card_token", &token, "idempotency_key", &key,
                       "description", &desc) != 0)
        return error_reply(400, err.text);
    hkey = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Idempotency-Key");
    if (amount <= 0 || strcmp(currency, "KZT") != 0 || !*token || !key_ok(key))
        return error_reply(400, "want amount > 0, currency KZT, a card_token and a key");
    if (hkey && strcmp(hkey, key) != 0)
        return error_reply(400, "Idempotency-Key header and body differ");
    pthread_mutex_lock(&lock);
    if ((ch = charge_find(key)) != NULL) {
        if (ch->amount != amount || strcmp(ch->token, token) != 0)
            r = error_reply(409, "idempotency key used with other parameters");
        else
            r = (struct reply){ 200, charge_json(ch), 0, 0 };
    } else if (!(ch = charge_new(key, token, amount)))
        r = error_reply(500, "out of memory");
    else
        r = (struct reply){ 201, charge_json(ch), 0, 0 };
    if (r.status < 300 && drop_next > 0)
        drop_next--, r.drop = 1;
    else if (r.status < 300 && delay_next > 0)
        delay_next--, r.delay_ms = delay_ms;
    pthread_mutex_unlock(&lock);
    return r;
}

static struct reply get_charge(struct MHD_Connection *conn)
{
    const char *key = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
                                                  "idempotency_key");
    struct charge *ch;
    struct reply r;

    if (!key || !key_ok(key))
        return error_reply(400, "want ?idempotency_key=KEY");
    pthread_mutex_lock(&lock);
    ch = charge_find(key);
    r = ch ? (struct reply){ 200, charge_json(ch), 0, 0 } : error_reply(404, "no such charge");
    pthread_mutex_unlock(&lock);
    return r;
}

static struct reply control_set(json_t *in)
{
    const char *card = NULL, *status = NULL;
    json_int_t balance = -1, dec = -1, del = -1, ms = 0, drop = -1;
    struct cardbal *cb = NULL;
    json_error_t err;

    if (json_unpack_ex(in, &err, JSON_STRICT, "{s?s, s?I, s?I, s?s, s?I, s?I, s?I}",
                       "card", &card, "balance", &balance, "decline_next", &dec,
                       "status", &status, "delay_next", &del, "ms", &ms,
                       "drop_next", &drop) != 0)
        return error_reply(400, err.text);
    if ((card && balance < 0) || (status && !status_static(status)) || ms < 0)
        return error_reply(400, "want card with balance >= 0, a known status, ms >= 0");
    pthread_mutex_lock(&lock);
    if (card && !(cb = card_find(card))) {
        if (grow((void **)&cards, &capcards, ncards, sizeof *cards) == 0 &&
            (cards[ncards].token = strdup(card)) != NULL)
            cb = &cards[ncards++];
    }
    if (card && cb)
        cb->balance = balance;
    if (dec >= 0)
        decline_next = (long)dec, decline_status = status_static(status ? status : "declined");
    if (del >= 0)
        delay_next = (long)del, delay_ms = (long)ms;
    if (drop >= 0)
        drop_next = (long)drop;
    pthread_mutex_unlock(&lock);
    if (card && !cb)
        return error_reply(500, "out of memory");
    return (struct reply){ 200, json_pack("{s:b}", "ok", 1), 0, 0 };
}

static struct reply control_get(struct MHD_Connection *conn)
{
    const char *card = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "card");
    struct cardbal *cb;
    struct reply r;

    if (!card)
        return error_reply(400, "want ?card=TOKEN");
    pthread_mutex_lock(&lock);
    cb = card_find(card);
    r = cb ? (struct reply){ 200, json_pack("{s:s, s:I}", "card", card, "balance",
                                           cb->balance), 0, 0 }
           : error_reply(404, "no such card");
    pthread_mutex_unlock(&lock);
    return r;
}

static int authorized(struct MHD_Connection *conn)
{
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");

    return !api_key || (h && strncmp(h, "Bearer ", 7) == 0 && strcmp(h + 7, api_key) == 0);
}

static struct reply route(struct MHD_Connection *conn, const char *method, const char *path,
                          const struct upload *up)
{
    int post = strcmp(method, "POST") == 0, get = strcmp(method, "GET") == 0;
    int is_charges = strcmp(path, "/v1/charges") == 0;
    int is_control = strcmp(path, "/control") == 0;
    json_error_t err;
    struct reply r;
    json_t *in;

    if (!is_charges && !is_control)
        return error_reply(404, "no such endpoint");
    if (!(post || get))
        return error_reply(405, "GET or POST");
    if (is_charges && !authorized(conn))
        return error_reply(401, "missing or wrong api key");
    if (get)
        return is_charges ? get_charge(conn) : control_get(conn);
    if (up->too_long)
        return error_reply(413, "body over 16 KiB");
    if (!(in = json_loadb(up->data ? up->data : "", up->len, JSON_REJECT_DUPLICATES, &err)))
        return error_reply(400, err.text);
    if (!json_is_object(in))
        r = error_reply(400, "want a JSON object");
    else
        r = is_charges ? post_charge(conn, in) : control_set(in);
    json_decref(in);
    return r;
}

/* --- libmicrohttpd ---------------------------------------------------------------- */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *data, size_t *data_size, void **con_cls)
{
    struct upload *up = *con_cls;
    struct MHD_Response *resp;
    struct reply r;
    enum MHD_Result ret;
    char *text;

    (void)cls, (void)version;
    if (!up) {                                 /* headers only so far */
        if (!(up = calloc(1, sizeof *up)))
            return MHD_NO;
        *con_cls = up;
        return MHD_YES;
    }
    if (*data_size > 0) {                      /* a piece of the body */
        if (up->len + *data_size > BODY_MAX)
            up->too_long = 1;
        else {
            char *p = realloc(up->data, up->len + *data_size);
            if (!p)
                return MHD_NO;
            memcpy(p + up->len, data, *data_size);
            up->data = p, up->len += *data_size;
        }
        *data_size = 0;
        return MHD_YES;
    }
    r = route(conn, method, url, up);
    fprintf(stderr, "gateway: %s %s -> %u%s%s\n", method, url, r.status,
            r.drop ? " (dropped)" : "", r.delay_ms ? " (delayed)" : "");
    if (r.drop) {
        json_decref(r.body);
        return MHD_NO;                         /* closes the connection, no answer */
    }
    if (r.delay_ms > 0)
        nanosleep(&(struct timespec){ r.delay_ms / 1000, (r.delay_ms % 1000) * 1000000L },
                  NULL);
    text = r.body ? json_dumps(r.body, JSON_COMPACT) : NULL;
    json_decref(r.body);
    if (!text)
        return MHD_NO;
    resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", "application/json");
    ret = MHD_queue_response(conn, r.status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    struct upload *up = *con_cls;

    (void)cls, (void)conn, (void)code;
    if (up)
        free(up->data);
    free(up);
    *con_cls = NULL;
}

static void free_state(void)
{
    for (size_t i = 0; i < ncharges; i++)
        free(charges[i].token);
    for (size_t i = 0; i < ncards; i++)
        free(cards[i].token);
    free(charges), free(cards);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = calloc(1, (size_t)n + 1)) && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (f)
        fclose(f);
    return buf;
}

static void usage(void)
{
    fprintf(stderr, "usage: gateway -p PORT -j JOURNAL [-k API_KEY] [-C CERT.pem -K KEY.pem]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *journal_path = NULL, *cert_path = NULL, *key_path = NULL;
    char *cert = NULL, *key = NULL;
    struct sockaddr_in sa = { .sin_family = AF_INET };
    struct MHD_Daemon *d;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_ERROR_LOG;
    long port = 0;
    int opt;

    while ((opt = getopt(argc, argv, "p:j:k:C:K:")) != -1) {
        switch (opt) {
        case 'p': port = strtol(optarg, NULL, 10); break;
        case 'j': journal_path = optarg; break;
        case 'k': api_key = optarg; break;
        case 'C': cert_path = optarg; break;
        case 'K': key_path = optarg; break;
        default: usage();
        }
    }
    if (port <= 0 || port > 65535 || !journal_path || optind != argc || !cert_path != !key_path)
        usage();
    if (!(journal = fopen(journal_path, "a"))) {
        fprintf(stderr, "gateway: cannot open journal %s: %s\n", journal_path, strerror(errno));
        return 1;
    }
    if (cert_path && (!(cert = read_file(cert_path)) || !(key = read_file(key_path)))) {
        fprintf(stderr, "gateway: cannot read %s or %s\n", cert_path, key_path);
        return 1;
    }
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    signal(SIGPIPE, SIG_IGN);
    sigaction(SIGTERM, &(struct sigaction){ .sa_handler = on_signal }, NULL);
    sigaction(SIGINT, &(struct sigaction){ .sa_handler = on_signal }, NULL);
    d = MHD_start_daemon(flags | (cert ? MHD_USE_TLS : 0), (uint16_t)port, NULL, NULL,
                         on_request, NULL,
                         MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                         MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                         cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
                         MHD_OPTION_HTTPS_MEM_KEY, key,
                         MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "gateway: cannot listen on 127.0.0.1:%ld\n", port);
        return 1;
    }
    fprintf(stderr, "gateway: listening on %s://127.0.0.1:%ld\n", cert ? "https" : "http", port);
    while (!stop)             /* the signal may land in any thread: poll the flag */
        nanosleep(&(struct timespec){ 0, 50000000L }, NULL);
    MHD_stop_daemon(d);
    fclose(journal);
    free_state();
    free(cert), free(key);
    fprintf(stderr, "gateway: stopped\n");
    return 0;
}
