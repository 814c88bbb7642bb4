/* dcca.h: freeDiameter start-up and the Credit-Control (RFC 4006) dictionary, shared by
 * the phone-account driver (diameter.c) and the test OCS (tests/ocs/ocs.c).
 *
 * freeDiameter keeps one global instance per process: dcca_init() may run once, and
 * fd_core_initialize cannot run again even after a shutdown. The order of calls is
 * dcca_init(), then (server) fd_disp_register, then dcca_start(); dcca_stop() at the end.
 *
 * Include <freeDiameter/freeDiameter-host.h> before <freeDiameter/libfdcore.h> (this
 * header does it). Errors are written into err (for the log) and returned as -1.
 */
#ifndef PARK_DCCA_H
#define PARK_DCCA_H

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include <stddef.h>
#include <stdint.h>

#include "pay.h"

/* RFC 4006 values this project uses. */
enum {
    DCCA_APP_ID = 4,                 /* Diameter Credit-Control Application */
    DCCA_EVENT_REQUEST = 4,          /* CC-Request-Type */
    DCCA_DIRECT_DEBITING = 0,        /* Requested-Action */
    DCCA_END_USER_E164 = 0,          /* Subscription-Id-Type */
    DCCA_CURRENCY_KZT = 398,         /* Currency-Code (ISO 4217) */
    DCCA_EXPONENT_TIYN = -2          /* Unit-Value Exponent: amounts in tiyn */
};

/* The dictionary objects looked up once at start; read-only afterwards. */
struct dcca_dict {
    struct dict_object *app, *ccr, *cca;
    struct dict_object *session_id, *origin_host, *dest_realm, *dest_host, *auth_app_id;
    struct dict_object *service_context_id, *cc_request_type, *cc_request_number;
    struct dict_object *requested_action, *subscription_id, *subscription_id_type;
    struct dict_object *subscription_id_data, *rsu, *cc_money, *unit_value, *value_digits;
    struct dict_object *exponent, *currency_code, *result_code, *experimental_result;
    struct dict_object *experimental_result_code;
};
extern struct dcca_dict dcca;

/* Routes freeDiameter's log into log(ctx, gwlib level, line); log NULL writes stderr.
   Lines below min_fd_level (FD_LOG_*) are not even formatted. */
void dcca_log_to(pay_log_fn *log, void *ctx, int min_fd_level);

/* Ignores SIGPIPE, initialises freeDiameter, reads conf, adds listen (an IPv4 address
   such as "127.0.0.1", which freeDiameter's own ListenOn drops for loopback) unless
   NULL, loads the dictionary into `dcca` and announces application 4. Once per
   process. */
int dcca_init(const char *conf, const char *listen, char *err, size_t errsize);

/* Registers a no-op hook for the per-message events (else the core formats a dump of
   every message whatever the log level) and a one-line one for routing errors, starts
   the core and waits for it. */
int dcca_start(char *err, size_t errsize);

/* fd_core_shutdown and wait (about 0.1 s); lines logged meanwhile drop to debug. */
void dcca_stop(void);

/* Adds a child AVP to a message or grouped AVP. Values are copied. 0 or an errno. */
int dcca_add_u32(msg_or_avp *parent, struct dict_object *what, uint32_t v);
int dcca_add_i32(msg_or_avp *parent, struct dict_object *what, int32_t v);
int dcca_add_i64(msg_or_avp *parent, struct dict_object *what, int64_t v);
int dcca_add_str(msg_or_avp *parent, struct dict_object *what, const char *s);
/* Adds an empty grouped AVP and returns it in *child to add its members. */
int dcca_add_group(msg_or_avp *parent, struct dict_object *what, struct avp **child);

/* The first child AVP of parent (message or grouped AVP) of this kind, or NULL. Works
   on grouped AVPs, which fd_msg_search_avp does not search. */
struct avp *dcca_find(msg_or_avp *parent, struct dict_object *what);
/* Its value, or -1 when absent. Strings are copied NUL-terminated, cut at size-1. */
int dcca_get_u32(msg_or_avp *parent, struct dict_object *what, uint32_t *v);
int dcca_get_i32(msg_or_avp *parent, struct dict_object *what, int32_t *v);
int dcca_get_i64(msg_or_avp *parent, struct dict_object *what, int64_t *v);
int dcca_get_str(msg_or_avp *parent, struct dict_object *what, char *buf, size_t size);

#endif
