/* payments.c: the box's payment drivers from its configuration (see payments.h). */
#include <string.h>

#include "gwlib/gwlib.h"

#include "pay.h"
#include "payments.h"

/* The drivers' lines into gwlib's log. */
static void pay_log(void *ctx, int level, const char *msg)
{
    (void)ctx;
    switch (level) {
    case 0: debug("parkbox.pay", 0, "%s", msg); break;
    case 1: info(0, "%s", msg); break;
    case 2: warning(0, "%s", msg); break;
    default: error(0, "%s", msg); break;
    }
}

static int start_phone(const struct box_config *c, struct box_payments *p)
{
    struct pay_diameter_config dc = { c->diameter_config, c->diameter_realm, c->diameter_host,
                                      c->service_context_id, (int)c->charge_timeout, pay_log,
                                      NULL };
    char err[256];

    if (strcmp(c->payment, "diameter") != 0)
        return 0;
    if (c->diameter_config == NULL || c->diameter_realm == NULL) {
        error(0, "group 'parkbox': key 'payment' is 'diameter': keys 'diameter-config' and "
              "'diameter-realm' are required");
        return -1;
    }
    if ((p->phone = pay_diameter_create(&dc, err, sizeof err)) == NULL) {
        error(0, "group 'parkbox': key 'diameter-config': %s", err);
        return -1;
    }
    return 0;
}

static int start_card(const struct box_config *c, struct box_payments *p)
{
    struct pay_card_config cc = { c->card_gateway_url, c->card_gateway_api_key,
                                  c->card_gateway_ca_file, (int)c->charge_timeout, pay_log,
                                  NULL };
    char err[256];

    if (c->card_gateway_url == NULL)
        return 0;
    if ((p->card = pay_card_create(&cc, err, sizeof err)) == NULL) {
        error(0, "group 'parkbox': key 'card-gateway-url': %s", err);
        return -1;
    }
    return 0;
}

int payments_start(const struct box_config *c, struct service *svc, struct box_payments *p)
{
    memset(p, 0, sizeof *p);
    if (c->hour_seconds == 3600 && c->charge_retry * 1000 <= c->charge_timeout) {
        error(0, "group 'parkbox': key 'charge-retry': %ld s must be longer than "
              "charge-timeout (%ld ms)", c->charge_retry, c->charge_timeout);
        return -1;
    }
    if (start_phone(c, p) < 0 || start_card(c, p) < 0) {
        payments_stop(p);
        return -1;
    }
    service_set_payment(svc, p->phone, p->card);
    return 0;
}

void payments_stop(struct box_payments *p)
{
    if (p->phone != NULL)
        p->phone->destroy(p->phone->ctx);
    if (p->card != NULL)
        p->card->destroy(p->card->ctx);
    memset(p, 0, sizeof *p);
}
