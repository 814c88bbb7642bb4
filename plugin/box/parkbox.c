/* parkbox.c: main of the Kannel box that runs the SMS parking service.
 *
 *   parkbox [gwlib options: -v LEVEL, -F/--logfile FILE, -V LEVEL, -D PLACES,
 *            -p PIDFILE, -d, ...] CONFIG
 *   parkbox --help | --version
 *
 * CONFIG is a Kannel-format file with a `group = parkbox` (see docs/parkbox.md);
 * it may be the carrier's kannel.conf. SIGTERM/SIGINT: stop reading from
 * bearerbox, finish the MOs in hand, join every thread, exit 0. SIGHUP: reopen
 * the log file and the access log (logrotate).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gwlib/gwlib.h"

#include "access_log.h"
#include "api.h"
#include "bblink.h"
#include "box_config.h"
#include "clock.h"
#include "localtime.h"
#include "enforce.h"
#include "marker.h"
#include "metrics.h"
#include "payments.h"
#include "reply.h"
#include "scheduler.h"
#include "service.h"
#include "tz_load.h"
#include "version.h"
#include "workers.h"

static volatile sig_atomic_t stopping;
static volatile sig_atomic_t reopen_logs;

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        reopen_logs = 1;
    else
        stopping = 1;
}

static void on_bearerbox_shutdown(void *ctx)
{
    (void)ctx;
    stopping = 1;
}

static void setup_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

/* The service's log lines go to gwlib's log, at the same level. */
static void service_log(void *ctx, enum service_log_level level, const char *msg)
{
    (void)ctx;
    switch (level) {
    case SERVICE_LOG_DEBUG: debug("parkbox.service", 0, "%s", msg); break;
    case SERVICE_LOG_INFO: info(0, "%s", msg); break;
    case SERVICE_LOG_WARNING: warning(0, "%s", msg); break;
    default: error(0, "%s", msg); break;
    }
}

static void api_log(int level, const char *msg)
{
    switch (level) {
    case 0: debug("parkbox.http", 0, "%s", msg); break;
    case 1: info(0, "%s", msg); break;
    case 2: warning(0, "%s", msg); break;
    default: error(0, "%s", msg); break;
    }
}

static void enforce_db_log(void *ctx, const char *msg)
{
    (void)ctx;
    error(0, "HTTP API: %s", msg);
}

/* The HTTP API, when admin-port is set: *e and *api, or -1 after logging why. */
static int start_api(const struct box_config *c, const struct local_zone *zone,
                     struct enforce **e, struct api_server **api)
{
    char err[400];
    struct enforce_config ec = {
        .conninfo = c->pg_conninfo, .pool_size = (int)c->api_connections, .tz = zone,
        .plate_policy = strcmp(c->plate_policy, "allow-other") == 0
                        ? PLATE_POLICY_ALLOW_OTHER : PLATE_POLICY_KZ_ONLY,
        .grace = (int)c->grace_minutes * 60, .max_gap = (int)c->stay_gap_minutes * 60,
        .radius_m = (double)c->sighting_radius, .log = enforce_db_log };
    struct api_config ac = {
        .interface = c->admin_interface, .port = (int)c->admin_port,
        .cert_file = c->ssl_server_cert_file, .key_file = c->ssl_server_key_file,
        .threads = (int)c->api_threads, .rate_limit = (int)c->api_rate_limit,
        .reminder_minutes = (int)c->reminder_minutes, .now = clock_now, .log = api_log };

    *e = NULL;
    *api = NULL;
    if (c->admin_port == 0)
        return 0;
    if ((*e = enforce_create(&ec, err, sizeof err)) == NULL) {
        error(0, "cannot start the HTTP API: %s", err);
        return -1;
    }
    ac.enforce = *e;
    return (*api = api_start(&ac)) != NULL ? 0 : -1;
}

/* The templates file, parsed; NULL after logging why. */
static struct reply_templates *load_templates(const char *path)
{
    Octstr *buf = octstr_read_file(path);
    struct reply_templates *t;
    char err[256];

    if (buf == NULL) {
        error(0, "group 'parkbox': key 'templates': cannot read '%s'", path);
        return NULL;
    }
    t = reply_templates_parse(octstr_get_cstr(buf), (size_t)octstr_len(buf), err, sizeof(err));
    if (t == NULL)
        error(0, "group 'parkbox': key 'templates': %s: %s", path, err);
    octstr_destroy(buf);
    return t;
}

static struct service *start_service(const struct box_config *c,
                                     const struct reply_templates *t,
                                     const struct local_zone *zone,
                                     struct service_config *sc)
{
    char err[512];
    struct service *s;

    *sc = (struct service_config){
        .conninfo = c->pg_conninfo, .service_number = c->service_number,
        .confirm_number = c->confirm_number, .confirm_timeout = (int)c->confirm_timeout,
        .reminder_minutes = (int)c->reminder_minutes, .max_hours = (int)c->max_hours,
        .default_language = c->default_language, .templates = t, .zone = zone,
        .plate_policy = strcmp(c->plate_policy, "allow-other") == 0
                        ? PLATE_POLICY_ALLOW_OTHER : PLATE_POLICY_KZ_ONLY,
        .phone_default = strcmp(c->payment, "diameter") == 0,
        .charge_retry = (int)c->charge_retry, .rate_limit = (int)c->rate_limit };
    if ((s = service_create(sc, err, sizeof(err))) == NULL)
        error(0, "cannot start the parking service: %s", err);
    else
        service_set_log(s, service_log, NULL);
    return s;
}

/* Run until a signal or bearerbox's shutdown, then stop in order: reading,
   workers (they finish the MOs in hand), scheduler, marker (it writes what is
   pending and acks the reports it recorded), connection. */
static int run(const struct box_config *c, struct service *svc)
{
    Octstr *boxc_id = octstr_create(c->smsbox_id);
    Octstr *smsc_id = c->smsc_id ? octstr_create(c->smsc_id) : NULL;
    struct workers *w = workers_create(svc, boxc_id, (int)c->workers, &stopping);
    struct bblink_config lc = { .host = c->bearerbox_host, .port = c->bearerbox_port,
                                .smsbox_id = c->smsbox_id, .on_mo = workers_submit,
                                .on_shutdown = on_bearerbox_shutdown, .ctx = w };
    struct bblink *link = bblink_create(&lc);
    struct marker *marker = link ? marker_create(svc, link) : NULL;
    struct scheduler *sched = NULL;
    int ret = 1;

    if (marker != NULL && workers_start(w, link, marker) == 0 &&
        (sched = scheduler_start(svc, link, marker, boxc_id, smsc_id)) != NULL) {
        info(0, "parkbox running: service number %s, confirm number %s, %ld workers",
             c->service_number, c->confirm_number, c->workers);
        ret = 0;
        while (!stopping) {
            gwthread_sleep(0.5);
            if (reopen_logs) {
                reopen_logs = 0;
                log_reopen();
                access_log_reopen();
            }
        }
        info(0, "parkbox shutting down");
    }
    stopping = 1;
    bblink_stop_reading(link);
    workers_stop(w);
    scheduler_stop(sched);
    marker_destroy(marker);
    bblink_destroy(link);
    workers_destroy(w);
    octstr_destroy(boxc_id);
    octstr_destroy(smsc_id);
    return ret;
}

static void log_versions(void)
{
    struct box_versions v;

    box_versions_get(&v);
    info(0, "parkbox %s starting (gwlib %s, libpq %s, GEOS %s)", v.parkbox, v.gwlib, v.libpq,
         v.geos);
    report_versions("parkbox");         /* the system and every library, at debug level */
}

static int start(const char *config_file)
{
    struct box_config c;
    struct reply_templates *t = NULL;
    struct service_config sc;
    struct service *svc = NULL;
    struct local_zone zone;             /* the service borrows it until it stops */
    struct box_payments pay = { NULL, NULL };
    struct enforce *enf = NULL;
    struct api_server *api = NULL;
    char err[256];
    int ret = 1;

    box_config_add_hooks();
    if (box_config_load(config_file, &c) == -1)
        return 1;
    if (c.log_file != NULL)
        log_open(c.log_file, (int)c.log_level, GW_NON_EXCL);
    log_versions();
    metrics_init(c.confirm_number);
    /* Before any thread: tz_load sets TZ for a moment, then puts it back. */
    clock_setup(c.hour_seconds, c.clock_origin);
    if (tz_load(c.timezone, &zone, err, sizeof err) == -1)
        error(0, "group 'parkbox': key 'timezone': %s", err);
    else if ((c.access_log == NULL || access_log_open(c.access_log) == 0) &&
             (t = load_templates(c.templates)) != NULL &&
             (svc = start_service(&c, t, &zone, &sc)) != NULL &&
             payments_start(&c, svc, &pay) == 0 &&
             start_api(&c, &zone, &enf, &api) == 0)
        ret = run(&c, svc);
    api_stop(api);
    enforce_destroy(enf);
    service_destroy(svc);
    payments_stop(&pay);
    reply_templates_destroy(t);
    access_log_close();
    box_config_free(&c);
    return ret;
}

static const char usage_text[] =
"usage: parkbox [OPTIONS] CONFIG\n"
"       parkbox --help | --version\n"
"\n"
"The SMS parking box for Kannel: connects to bearerbox as the smsbox-id of CONFIG's\n"
"`group = parkbox` and answers the messages routed to it (parkbox(8), parkbox.conf(5)).\n"
"\n"
"Options (gwlib's, as for every Kannel box):\n"
"  -v, --verbosity LEVEL      what goes to stderr: 0 debug (default), 1 info, 2 warning,\n"
"                             3 error, 4 panic\n"
"  -F, --logfile FILE         also log to FILE, at the level of -V (default 0)\n"
"  -V, --fileverbosity LEVEL  the level of that file\n"
"  -D, --debug PLACES         debug places, e.g. 'parkbox.*'\n"
"  -p, --pid-file FILE        write the process id to FILE (logrotate signals it)\n"
"  -d, --daemonize            run in the background\n"
"  -P, --parachute            restart the box when it dies\n"
"  -u, --user USER            run as USER\n"
"  -X, --panic-script SCRIPT  run SCRIPT on a panic\n"
"  -h, --help                 this text\n"
"      --version              parkbox's version and those of gwlib, libpq and GEOS\n"
"\n"
"Without a `templates` key the reply texts are read from\n"
PARKBOX_SYSCONFDIR "/parkbox/replies.conf.\n"
"Signals: SIGTERM or SIGINT stop it cleanly; SIGHUP reopens the log files.\n"
"Exit status: 0 after a clean stop, 1 when it cannot start, 2 for a wrong command line.\n";

/* --help and --version, before gwlib (which panics on the first and prints only
   Kannel's version for the second). Returns -1 when neither is given. */
static int early_options(int argc, char **argv)
{
    char text[512];

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            box_versions_text(text, sizeof text);
            fputs(text, stdout);
            return 0;
        }
    }
    return -1;
}

/* gwlib hook for an option it does not know: gwlib would panic with a backtrace. */
static int unknown_option(int i, int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "parkbox: unknown option '%s' (try parkbox --help)\n", argv[i]);
    exit(2);
}

int main(int argc, char **argv)
{
    int cf, ret;

    if ((ret = early_options(argc, argv)) >= 0)
        return ret;
    gwlib_init();
    cf = get_and_set_debugs(argc, argv, unknown_option);
    if (cf >= argc || cf + 1 != argc) {
        fputs("usage: parkbox [OPTIONS] CONFIG (try parkbox --help)\n", stderr);
        gwlib_shutdown();
        return 2;
    }
    setup_signals();
    ret = start(argv[cf]);
    if (ret == 0)
        info(0, "parkbox stopped");
    gwlib_shutdown();
    return ret;
}
