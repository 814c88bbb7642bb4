/* pay.h: charging a subscriber's phone account or card through an external provider.
 *
 * A driver is a small struct of function pointers, so the box can hold either and the
 * tests can pass their own. The store records a charge as requested, with its key, in
 * a committed transaction BEFORE charge() is called; charge() blocks for at most the
 * driver's timeout and reports a definite outcome, or PAY_UNKNOWN when it cannot know.
 * An unknown charge is asked again later with resend = 1 (Diameter: the same Session-Id
 * and CC-Request-Number with the T flag; card: a lookup by idempotency key first, then
 * the same POST with the same key), never guessed: the provider's duplicate detection
 * makes asking again safe.
 *
 * Ownership: a request's strings are borrowed for the call. Thread-safety: charge() may
 * be called from several threads at once. Failure texts (why) are for the log only.
 */
#ifndef PARK_PAY_H
#define PARK_PAY_H

#include <stddef.h>
#include <stdint.h>

enum pay_outcome {
    PAY_CHARGED,        /* the money was taken; reference names the charge at the provider */
    PAY_NO_FUNDS,       /* Diameter 4012 CREDIT_LIMIT_REACHED, card insufficient_funds */
    PAY_DENIED,         /* Diameter 4010 END_USER_SERVICE_DENIED, card declined */
    PAY_UNKNOWN_USER,   /* Diameter 5030 USER_UNKNOWN, a card token the gateway does not know */
    PAY_UNAVAILABLE,    /* the request surely did not reach the provider: nothing was taken */
    PAY_UNKNOWN         /* maybe sent, no definite answer in time: ask again with resend */
};

struct pay_request {
    const char *key;          /* unique per charge, stored before the first call: Diameter
                                 Session-Id; the card's idempotency key. At most 100 bytes
                                 of [A-Za-z0-9;:._-] */
    const char *msisdn;       /* the subscriber, E.164 digits with or without '+' */
    int64_t amount;           /* tiyn, > 0 */
    const char *card_token;   /* card: the gateway's token for the driver's card */
    const char *description;  /* card: e.g. "Parking 1001 A111AAA 2 h" */
    int resend;               /* 0: the first call for key; 1: it may have been sent before */
};

struct pay_result {
    enum pay_outcome outcome;
    char reference[104];      /* the provider's id of the charge (card: its id; Diameter:
                                 the Session-Id); empty unless PAY_CHARGED */
    char why[160];            /* for the log: result code, HTTP status, timeout */
};

/* A log sink for drivers (levels as gwlib's: 0 debug, 1 info, 2 warning, 3 error). */
typedef void pay_log_fn(void *ctx, int level, const char *msg);

struct pay_driver {
    const char *name;         /* "diameter", "card" */
    void *ctx;
    void (*charge)(void *ctx, const struct pay_request *req, struct pay_result *out);
    void (*destroy)(void *ctx);   /* stops the driver and frees it */
};

/* The phone account over Diameter Credit-Control (RFC 4006, 3GPP Ro), through
   freeDiameter (one instance per process). */
struct pay_diameter_config {
    const char *fd_conf;             /* freeDiameter configuration file */
    const char *dest_realm;          /* Destination-Realm */
    const char *dest_host;           /* Destination-Host, or NULL */
    const char *service_context_id;  /* e.g. "32274@3gpp.org" */
    int timeout_ms;                  /* charge-timeout: no answer by then is PAY_UNKNOWN */
    pay_log_fn *log;                 /* freeDiameter's and the driver's lines; NULL: stderr */
    void *log_ctx;
};
/* Starts freeDiameter and waits (up to timeout_ms, and at least 5 s: freeDiameter may
   delay its first connection by up to 4 s) for the peer; a peer not yet open is
   not an error (charges then answer PAY_UNAVAILABLE until it is). NULL and err on a bad
   configuration. */
struct pay_driver *pay_diameter_create(const struct pay_diameter_config *c, char *err,
                                       size_t errsize);

/* The bank card through a payment gateway's REST API (docs/payments.md), over libcurl. */
struct pay_card_config {
    const char *url;                 /* the gateway's base URL, e.g. https://gw.example/v1 */
    const char *api_key;             /* sent as a bearer token; never logged */
    const char *ca_file;             /* CA bundle for https, or NULL for the system's */
    int timeout_ms;                  /* charge-timeout */
    pay_log_fn *log;
    void *log_ctx;
};
struct pay_driver *pay_card_create(const struct pay_card_config *c, char *err, size_t errsize);

/* "charged", "no_funds", ...: static. */
const char *pay_outcome_name(enum pay_outcome o);

#endif
