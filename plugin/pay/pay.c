/* pay.c: what every payment driver shares (pay.h). */
#include "pay.h"

const char *pay_outcome_name(enum pay_outcome o)
{
    switch (o) {
    case PAY_CHARGED: return "charged";
    case PAY_NO_FUNDS: return "no_funds";
    case PAY_DENIED: return "denied";
    case PAY_UNKNOWN_USER: return "unknown_user";
    case PAY_UNAVAILABLE: return "unavailable";
    case PAY_UNKNOWN: return "unknown";
    }
    return "?";
}
