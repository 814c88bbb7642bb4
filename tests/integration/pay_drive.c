/* pay_drive.c: charges through a payment driver's pay.h API, for the integration tests
 * and for measuring.
 *
 *   pay_drive diameter CONF REALM KEY MSISDN AMOUNT [resend|retry]
 *       one charge (resend: with resend = 1; retry: again with resend = 1 if the first
 *       is unknown); prints one line per call: "OUTCOME REFERENCE|- | WHY"
 *   pay_drive diameter-load CONF REALM THREADS COUNT MSISDN AMOUNT KEYPREFIX
 *       COUNT charges with keys KEYPREFIX-1.. from THREADS threads; prints the count of
 *       each outcome that occurred ("charged 800"), and the rate on stderr
 *
 * Environment: PAY_TIMEOUT_MS (2000), PAY_SERVICE_CONTEXT (32274@3gpp.org),
 * PAY_DEST_HOST (unset). The driver's log goes to stderr.
 */
#include "pay.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *levels[] = { "DEBUG", "INFO", "WARNING", "ERROR" };

static void log_stderr(void *ctx, int level, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "%s: %s\n", levels[level < 0 ? 0 : level > 3 ? 3 : level], msg);
}

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && *v ? v : dflt;
}

static struct pay_driver *driver_start(const char *conf, const char *realm)
{
    char err[256];
    struct pay_diameter_config c = {
        .fd_conf = conf,
        .dest_realm = realm,
        .dest_host = getenv("PAY_DEST_HOST"),
        .service_context_id = env_or("PAY_SERVICE_CONTEXT", "32274@3gpp.org"),
        .timeout_ms = atoi(env_or("PAY_TIMEOUT_MS", "2000")),
        .log = log_stderr,
    };
    struct pay_driver *d = pay_diameter_create(&c, err, sizeof err);
    if (!d)
        fprintf(stderr, "pay_drive: %s\n", err);
    return d;
}

static enum pay_outcome charge_print(struct pay_driver *d, struct pay_request *req)
{
    struct pay_result r;
    d->charge(d->ctx, req, &r);
    printf("%s %s | %s\n", pay_outcome_name(r.outcome), r.reference[0] ? r.reference : "-",
           r.why);
    fflush(stdout);
    return r.outcome;
}

static int drive_one(char **argv, int argc)
{
    const char *mode = argc > 7 ? argv[7] : "";
    struct pay_request req = { .key = argv[4], .msisdn = argv[5],
                               .amount = strtoll(argv[6], NULL, 10),
                               .resend = !strcmp(mode, "resend") };
    struct pay_driver *d = driver_start(argv[2], argv[3]);
    if (!d)
        return 2;
    if (charge_print(d, &req) == PAY_UNKNOWN && !strcmp(mode, "retry")) {
        req.resend = 1;
        charge_print(d, &req);
    }
    d->destroy(d->ctx);
    return 0;
}

/* ---- load ----------------------------------------------------------------------------- */

struct load {
    struct pay_driver *d;
    const char *msisdn, *prefix;
    int64_t amount;
    int count;
    atomic_int next;
    atomic_int by_outcome[PAY_UNKNOWN + 1];
};

static void *load_run(void *arg)
{
    struct load *l = arg;
    char key[104];
    int i;
    while ((i = atomic_fetch_add(&l->next, 1)) < l->count) {
        struct pay_request req = { .key = key, .msisdn = l->msisdn, .amount = l->amount };
        struct pay_result r;
        snprintf(key, sizeof key, "%s-%d", l->prefix, i + 1);
        l->d->charge(l->d->ctx, &req, &r);
        atomic_fetch_add(&l->by_outcome[r.outcome], 1);
    }
    return NULL;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void load_print(struct load *l, double seconds)
{
    const char *sep = "";
    for (int o = 0; o <= PAY_UNKNOWN; o++)
        if (atomic_load(&l->by_outcome[o])) {
            printf("%s%s %d", sep, pay_outcome_name(o), atomic_load(&l->by_outcome[o]));
            sep = " ";
        }
    printf("\n");
    fprintf(stderr, "pay_drive: %d charges in %.3f s: %.0f/s\n", l->count, seconds,
            l->count / seconds);
}

static int drive_load(char **argv)
{
    int threads = atoi(argv[4]);
    struct load l = { .msisdn = argv[6], .prefix = argv[8], .count = atoi(argv[5]),
                      .amount = strtoll(argv[7], NULL, 10) };
    pthread_t *t = calloc((size_t)(threads > 0 ? threads : 1), sizeof *t);
    if (threads < 1 || !t || !(l.d = driver_start(argv[2], argv[3]))) {
        free(t);
        return 2;
    }
    double t0 = now_s();
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, load_run, &l);
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    load_print(&l, now_s() - t0);
    l.d->destroy(l.d->ctx);
    free(t);
    return 0;
}

int main(int argc, char **argv)
{
    if ((argc == 7 || argc == 8) && !strcmp(argv[1], "diameter"))
        return drive_one(argv, argc);
    if (argc == 9 && !strcmp(argv[1], "diameter-load"))
        return drive_load(argv);
    fprintf(stderr, "usage: pay_drive diameter CONF REALM KEY MSISDN AMOUNT [resend|retry]\n"
                    "       pay_drive diameter-load CONF REALM THREADS COUNT MSISDN AMOUNT "
                    "KEYPREFIX\n");
    return 2;
}
