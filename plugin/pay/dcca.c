/* dcca.c: freeDiameter start-up, its log routed to a pay_log_fn, and Credit-Control AVP
 * helpers (see dcca.h). */
#include "dcca.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct dcca_dict dcca;

/* ---- log ------------------------------------------------------------------------------ */

static pay_log_fn *log_fn;
static void *log_ctx;
static volatile int log_stopping;  /* during shutdown the core logs a "FATAL!" line */

static int gw_level(int fd_level)
{
    if (log_stopping || fd_level <= FD_LOG_DEBUG)
        return 0;
    if (fd_level <= FD_LOG_NOTICE)
        return 1;
    return fd_level == FD_LOG_ERROR ? 2 : 3;
}

static void fd_logger(int level, const char *format, va_list args)
{
    char line[512];
    if (level < fd_g_debug_lvl)
        return;
    vsnprintf(line, sizeof line, format, args);
    if (log_fn)
        log_fn(log_ctx, gw_level(level), line);
    else
        fprintf(stderr, "freeDiameter: %s\n", line);
}

void dcca_log_to(pay_log_fn *log, void *ctx, int min_fd_level)
{
    log_fn = log;
    log_ctx = ctx;
    fd_g_debug_lvl = min_fd_level;
    fd_log_handler_register(fd_logger);
}

/* ---- dictionary ----------------------------------------------------------------------- */

#define AVP_ENTRY(field, name) { offsetof(struct dcca_dict, field), name }
static const struct { size_t off; const char *name; } avp_names[] = {
    AVP_ENTRY(session_id, "Session-Id"),
    AVP_ENTRY(origin_host, "Origin-Host"),
    AVP_ENTRY(dest_realm, "Destination-Realm"),
    AVP_ENTRY(dest_host, "Destination-Host"),
    AVP_ENTRY(auth_app_id, "Auth-Application-Id"),
    AVP_ENTRY(service_context_id, "Service-Context-Id"),
    AVP_ENTRY(cc_request_type, "CC-Request-Type"),
    AVP_ENTRY(cc_request_number, "CC-Request-Number"),
    AVP_ENTRY(requested_action, "Requested-Action"),
    AVP_ENTRY(subscription_id, "Subscription-Id"),
    AVP_ENTRY(subscription_id_type, "Subscription-Id-Type"),
    AVP_ENTRY(subscription_id_data, "Subscription-Id-Data"),
    AVP_ENTRY(rsu, "Requested-Service-Unit"),
    AVP_ENTRY(cc_money, "CC-Money"),
    AVP_ENTRY(unit_value, "Unit-Value"),
    AVP_ENTRY(value_digits, "Value-Digits"),
    AVP_ENTRY(exponent, "Exponent"),
    AVP_ENTRY(currency_code, "Currency-Code"),
    AVP_ENTRY(result_code, "Result-Code"),
    AVP_ENTRY(experimental_result, "Experimental-Result"),
    AVP_ENTRY(experimental_result_code, "Experimental-Result-Code"),
};

static int dict_load(char *err, size_t errsize)
{
    struct dictionary *d = fd_g_config->cnf_dict;
    application_id_t app = DCCA_APP_ID;
    if (fd_dict_search(d, DICT_APPLICATION, APPLICATION_BY_ID, &app, &dcca.app, ENOENT) ||
        fd_dict_search(d, DICT_COMMAND, CMD_BY_NAME, "Credit-Control-Request", &dcca.ccr, ENOENT) ||
        fd_dict_search(d, DICT_COMMAND, CMD_BY_NAME, "Credit-Control-Answer", &dcca.cca, ENOENT)) {
        snprintf(err, errsize, "Credit-Control not in the dictionary: "
                 "LoadExtension dict_nasreq.fdx and dict_dcca.fdx in the freeDiameter config");
        return -1;
    }
    for (size_t i = 0; i < sizeof avp_names / sizeof avp_names[0]; i++) {
        struct dict_object **o = (struct dict_object **)((char *)&dcca + avp_names[i].off);
        if (fd_dict_search(d, DICT_AVP, AVP_BY_NAME, avp_names[i].name, o, ENOENT)) {
            snprintf(err, errsize, "AVP %s not in the dictionary (dict_dcca.fdx loaded?)",
                     avp_names[i].name);
            return -1;
        }
    }
    return 0;
}

/* ---- start and stop ------------------------------------------------------------------- */

static int listen_on(const char *addr, char *err, size_t errsize)
{
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(fd_g_config->cnf_port) };
    if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
        snprintf(err, errsize, "listen address '%s' is not an IPv4 address", addr);
        return -1;
    }
    if (fd_ep_add_merge(&fd_g_config->cnf_endpoints, (sSA *)&sin, sizeof sin,
                        EP_FL_CONF | EP_ACCEPTALL)) {
        snprintf(err, errsize, "cannot add listen address %s", addr);
        return -1;
    }
    return 0;
}

int dcca_init(const char *conf, const char *listen, char *err, size_t errsize)
{
    signal(SIGPIPE, SIG_IGN);   /* the library writes without MSG_NOSIGNAL */
    if (fd_core_initialize()) {
        snprintf(err, errsize, "freeDiameter: initialisation failed (already started?)");
        return -1;
    }
    if (fd_core_parseconf(conf)) {
        snprintf(err, errsize, "freeDiameter: cannot use config %s (see the log above)", conf);
        return -1;
    }
    if ((listen && listen_on(listen, err, errsize)) || dict_load(err, errsize))
        return -1;
    if (fd_disp_app_support(dcca.app, NULL, 1, 0)) {
        snprintf(err, errsize, "freeDiameter: cannot announce application 4");
        return -1;
    }
    return 0;
}

static void no_hook(enum fd_hook_type type, struct msg *msg, struct peer_hdr *peer,
                    void *other, struct fd_hook_permsgdata *pmd, void *regdata)
{
    (void)type, (void)msg, (void)peer, (void)other, (void)pmd, (void)regdata;
}

/* One line instead of the default dump of the whole message (a charge with no peer open
   is a routing error; the driver logs its outcome itself). */
static void routing_error_hook(enum fd_hook_type type, struct msg *msg, struct peer_hdr *peer,
                               void *other, struct fd_hook_permsgdata *pmd, void *regdata)
{
    (void)type, (void)msg, (void)peer, (void)pmd, (void)regdata;
    fd_log(FD_LOG_NOTICE, "routing error: %s", other ? (const char *)other : "?");
}

int dcca_start(char *err, size_t errsize)
{
    static struct fd_hook_hdl *hook, *rhook;
    uint32_t mask = HOOK_MASK(HOOK_DATA_RECEIVED, HOOK_MESSAGE_RECEIVED, HOOK_MESSAGE_LOCAL,
                              HOOK_MESSAGE_SENDING, HOOK_MESSAGE_SENT,
                              HOOK_MESSAGE_ROUTING_FORWARD, HOOK_MESSAGE_ROUTING_LOCAL);
    if (fd_hook_register(mask, no_hook, NULL, NULL, &hook) ||
        fd_hook_register(HOOK_MASK(HOOK_MESSAGE_ROUTING_ERROR), routing_error_hook, NULL, NULL,
                         &rhook)) {
        snprintf(err, errsize, "freeDiameter: cannot register the message hook");
        return -1;
    }
    if (fd_core_start() || fd_core_waitstartcomplete()) {
        snprintf(err, errsize, "freeDiameter: the core did not start (see the log)");
        return -1;
    }
    return 0;
}

void dcca_stop(void)
{
    log_stopping = 1;
    fd_core_shutdown();
    fd_core_wait_shutdown_complete();
}

/* ---- AVPs ----------------------------------------------------------------------------- */

static int add_value(msg_or_avp *parent, struct dict_object *what, union avp_value *v)
{
    struct avp *a = NULL;
    int rc = fd_msg_avp_new(what, 0, &a);
    if (rc == 0 && v)
        rc = fd_msg_avp_setvalue(a, v);
    if (rc == 0)
        rc = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, a);
    if (rc && a)
        fd_msg_free(a);
    return rc;
}

int dcca_add_u32(msg_or_avp *parent, struct dict_object *what, uint32_t v)
{
    return add_value(parent, what, &(union avp_value){ .u32 = v });
}

int dcca_add_i32(msg_or_avp *parent, struct dict_object *what, int32_t v)
{
    return add_value(parent, what, &(union avp_value){ .i32 = v });
}

int dcca_add_i64(msg_or_avp *parent, struct dict_object *what, int64_t v)
{
    return add_value(parent, what, &(union avp_value){ .i64 = v });
}

int dcca_add_str(msg_or_avp *parent, struct dict_object *what, const char *s)
{
    union avp_value v = { .os = { .data = (uint8_t *)s, .len = strlen(s) } };
    return add_value(parent, what, &v);
}

int dcca_add_group(msg_or_avp *parent, struct dict_object *what, struct avp **child)
{
    struct avp *a = NULL;
    int rc = fd_msg_avp_new(what, 0, &a);
    if (rc == 0)
        rc = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, a);
    if (rc && a)
        fd_msg_free(a);
    *child = rc ? NULL : a;
    return rc;
}

struct avp *dcca_find(msg_or_avp *parent, struct dict_object *what)
{
    struct avp *a = NULL;
    if (fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &a, NULL))
        return NULL;
    while (a) {
        struct dict_object *model = NULL;
        if (fd_msg_model(a, &model) == 0 && model == what)
            return a;
        if (fd_msg_browse(a, MSG_BRW_NEXT, &a, NULL))
            return NULL;
    }
    return NULL;
}

static union avp_value *find_value(msg_or_avp *parent, struct dict_object *what)
{
    struct avp *a = dcca_find(parent, what);
    struct avp_hdr *h = NULL;
    if (!a || fd_msg_avp_hdr(a, &h) || !h)
        return NULL;
    return h->avp_value;
}

int dcca_get_u32(msg_or_avp *parent, struct dict_object *what, uint32_t *v)
{
    union avp_value *val = find_value(parent, what);
    if (!val)
        return -1;
    *v = val->u32;
    return 0;
}

int dcca_get_i32(msg_or_avp *parent, struct dict_object *what, int32_t *v)
{
    union avp_value *val = find_value(parent, what);
    if (!val)
        return -1;
    *v = val->i32;
    return 0;
}

int dcca_get_i64(msg_or_avp *parent, struct dict_object *what, int64_t *v)
{
    union avp_value *val = find_value(parent, what);
    if (!val)
        return -1;
    *v = val->i64;
    return 0;
}

int dcca_get_str(msg_or_avp *parent, struct dict_object *what, char *buf, size_t size)
{
    union avp_value *val = find_value(parent, what);
    if (!val || size == 0)
        return -1;
    size_t n = val->os.len < size - 1 ? val->os.len : size - 1;
    memcpy(buf, val->os.data, n);
    buf[n] = '\0';
    return 0;
}
