/* payments.h: the external payment drivers the box's configuration asks for: the phone
 * account over Diameter (`payment = diameter`) and the card gateway (`card-gateway-url`),
 * handed to the service. Created at start, before the workers; destroyed after them.
 */
#ifndef PARK_BOX_PAYMENTS_H
#define PARK_BOX_PAYMENTS_H

#include "box_config.h"
#include "service.h"

struct box_payments {
    struct pay_driver *phone;   /* NULL unless payment = diameter */
    struct pay_driver *card;    /* NULL unless card-gateway-url is set */
};

/* Creates the drivers and gives them to svc. Returns 0, or -1 after logging an error
   that names the key at fault (nothing is left to destroy). */
int payments_start(const struct box_config *c, struct service *svc, struct box_payments *p);
void payments_stop(struct box_payments *p);     /* accepts a zeroed struct */

#endif
