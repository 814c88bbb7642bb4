/* pay_card_drive.c: one card charge (or N at once) through plugin/pay/pay.h's card driver,
 * for the integration tests (tests/integration/pay_card.sh) and for trying a gateway by hand.
 *
 *   pay_card_drive [options] URL KEY TOKEN AMOUNT [resend]
 *
 * KEY is the idempotency key, AMOUNT in tiyn; "resend" sets req.resend = 1.
 * Output: "OUTCOME REFERENCE" (pay_outcome_name; REFERENCE only when charged). With -n N,
 * N threads charge at once, thread i with key KEY.i (-s: all with KEY), and each prints
 * "KEY.i OUTCOME REFERENCE", in the order of i. The driver's log lines go to stderr.
 *
 * Options: -k API_KEY (test-key), -t TIMEOUT_MS (2000), -a CA_FILE, -n THREADS (1, at
 * most 64), -s the threads share KEY.
 * Exit status: 0, 1 when the driver cannot be created (the reason on stderr), 2 bad usage.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pay.h"

#define MAX_THREADS 64

struct job {
    struct pay_driver *drv;
    char key[112];
    struct pay_request req;
    struct pay_result res;
};

static void log_stderr(void *ctx, int level, const char *msg)
{
    static const char *names[] = { "DEBUG", "INFO", "WARNING", "ERROR" };

    (void)ctx;
    fprintf(stderr, "%s: card: %s\n", names[level >= 0 && level <= 3 ? level : 3], msg);
}

static void *run(void *arg)
{
    struct job *j = arg;

    j->drv->charge(j->drv->ctx, &j->req, &j->res);
    return NULL;
}

static void usage(void)
{
    fprintf(stderr, "usage: pay_card_drive [-k API_KEY] [-t TIMEOUT_MS] [-a CA_FILE] "
            "[-n THREADS] [-s] URL KEY TOKEN AMOUNT [resend]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    struct pay_card_config cfg = { .api_key = "test-key", .timeout_ms = 2000,
                                   .log = log_stderr };
    static struct job jobs[MAX_THREADS];
    pthread_t th[MAX_THREADS];
    struct pay_driver *drv;
    char err[200];
    int n = 1, shared = 0, opt, resend;

    while ((opt = getopt(argc, argv, "k:t:a:n:s")) != -1) {
        switch (opt) {
        case 'k': cfg.api_key = optarg; break;
        case 't': cfg.timeout_ms = atoi(optarg); break;
        case 'a': cfg.ca_file = optarg; break;
        case 'n': n = atoi(optarg); break;
        case 's': shared = 1; break;
        default: usage();
        }
    }
    argc -= optind, argv += optind;
    if (argc < 4 || argc > 5 || n < 1 || n > MAX_THREADS ||
        (argc == 5 && strcmp(argv[4], "resend") != 0))
        usage();
    resend = argc == 5;
    cfg.url = argv[0];
    if (!(drv = pay_card_create(&cfg, err, sizeof err))) {
        fprintf(stderr, "pay_card_drive: %s\n", err);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        if (n == 1 || shared)
            snprintf(j->key, sizeof j->key, "%s", argv[1]);
        else
            snprintf(j->key, sizeof j->key, "%s.%d", argv[1], i + 1);
        j->drv = drv;
        j->req = (struct pay_request){ .key = j->key, .msisdn = "77010000001",
                                       .amount = strtoll(argv[3], NULL, 10),
                                       .card_token = argv[2],
                                       .description = "Parking 1001 A111AAA 1 h",
                                       .resend = resend };
    }
    for (int i = 0; i < n; i++)
        if (pthread_create(&th[i], NULL, run, &jobs[i]) != 0) {
            fprintf(stderr, "pay_card_drive: cannot start thread %d\n", i + 1);
            n = i;
            break;
        }
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < n; i++) {
        const struct pay_result *r = &jobs[i].res;
        if (n > 1)
            printf("%s ", jobs[i].key);
        printf("%s%s%s\n", pay_outcome_name(r->outcome), *r->reference ? " " : "", r->reference);
    }
    drv->destroy(drv->ctx);
    return 0;
}
