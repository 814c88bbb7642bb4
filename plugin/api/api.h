/* api.h: parkbox's HTTP server (libmicrohttpd): the NOC's /health, /status, /status.json
 * and /metrics, and the JSON API under /v1/ for inspectors, operators, the fines system
 * and the portal (docs/api.md).
 *
 * Started after the service and stopped before it (parkbox.c). Threads: a pool of
 * `threads` threads answers requests; every handler is thread-safe. Bodies above
 * API_BODY_MAX are refused with 413; errors are JSON {"error": "..."}. Keys are taken
 * from "Authorization: Bearer KEY" or "X-API-Key: KEY", looked up by their SHA-256, and
 * never logged.
 * Ownership: the config and what it points to are borrowed and must outlive the server.
 */
#ifndef PARK_API_H
#define PARK_API_H

#include <time.h>

#define API_BODY_MAX ((size_t)16 * 1024)

struct enforce;

struct api_config {
    const char *interface;            /* "127.0.0.1" */
    int port;
    const char *cert_file, *key_file; /* both or neither: HTTPS */
    int threads;
    int rate_limit;                   /* requests per second per key (burst: the same) */
    int reminder_minutes;             /* for the reminder lag */
    struct enforce *enforce;
    time_t (*now)(void);              /* the box's clock (clock_now) */
    void (*log)(int level, const char *msg);   /* 0 debug, 1 info, 2 warning, 3 error */
};

struct api_server;

/* Listens and serves; NULL after logging why (port taken, bad certificate, ...). */
struct api_server *api_start(const struct api_config *cfg);
void api_stop(struct api_server *s);                  /* accepts NULL; joins the threads */

#endif
