/* bblink.c: the bearerbox connection: connect, identify, read, send, reconnect. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backoff.h"
#include "bblink.h"
#include "metrics.h"

#define BACKOFF_MIN 1.0
#define BACKOFF_MAX 8.0
#define RESTART_PAUSE 10.0
#define READ_SLICE 1.0

enum read_end { END_GONE, END_STOP, END_RESTART, END_SHUTDOWN };

struct bblink {
    Octstr *host;
    long port;
    Octstr *smsbox_id;
    void (*on_mo)(void *ctx, Msg *mo, long generation);
    void (*on_shutdown)(void *ctx);
    void *ctx;

    Mutex *lock;            /* guards conn, up and generation for senders */
    Connection *conn;       /* destroyed only by the reader, after up = 0 */
    int up;
    long generation;
    long last_generation;
    volatile sig_atomic_t stopping;
    long thread;
};

/* A connected TCP socket to host:port, or -1; says why at info level (an
   absent bearerbox is expected while it restarts). */
static int tcp_connect(const char *host, long port)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res, *ai;
    char service[16];
    int fd = -1, err, one = 1;

    snprintf(service, sizeof(service), "%ld", port);
    if ((err = getaddrinfo(host, service, &hints, &res)) != 0) {
        warning(0, "bearerbox host '%s': %s", host, gai_strerror(err));
        return -1;
    }
    for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd != -1 && connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
            err = errno;
            close(fd);
            fd = -1;
            errno = err;
        }
    }
    if (fd == -1)
        info(0, "bearerbox at %s:%ld not reachable: %s", host, port, strerror(errno));
    freeaddrinfo(res);
    if (fd != -1)
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

static void quickack(Connection *conn)
{
    int one = 1;

    setsockopt(conn_get_id(conn), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
}

/* One message from bearerbox: 0 got it, 1 nothing within `seconds`, -1 the
   connection is gone. */
static int read_msg(Connection *conn, Msg **msg, double seconds)
{
    Octstr *pack;
    int ret;

    *msg = NULL;
    for (;;) {
        if ((pack = conn_read_withlen(conn)) != NULL) {
            *msg = msg_unpack(pack);
            octstr_destroy(pack);
            if (*msg == NULL)
                warning(0, "bearerbox sent a message that cannot be unpacked; disconnecting");
            return *msg ? 0 : -1;
        }
        if (conn_error(conn) || conn_eof(conn))
            return -1;
        quickack(conn);
        ret = conn_wait(conn, seconds);
        if (ret < 0)
            return -1;
        if (ret == 1)
            return 1;
    }
}

/* Sleep up to `seconds`, woken early by bblink_stop_reading(). */
static void pause_unless_stopping(struct bblink *l, double seconds)
{
    if (!l->stopping)
        gwthread_sleep(seconds);
}

static long attach(struct bblink *l, Connection *conn)
{
    long gen;

    mutex_lock(l->lock);
    l->conn = conn;
    l->up = 1;
    metrics_bearerbox(1);
    gen = l->generation = ++l->last_generation;
    mutex_unlock(l->lock);
    return gen;
}

static void detach(struct bblink *l)
{
    Connection *conn;

    mutex_lock(l->lock);
    conn = l->conn;
    l->conn = NULL;
    l->up = 0;
    metrics_bearerbox(0);
    l->generation = 0;
    mutex_unlock(l->lock);
    conn_destroy(conn);
}

static int is_current(struct bblink *l, long gen)
{
    int current;

    mutex_lock(l->lock);
    current = l->up && l->generation == gen;
    mutex_unlock(l->lock);
    return current;
}

static void identify(struct bblink *l, long gen)
{
    Msg *id = msg_create(admin);

    id->admin.command = cmd_identify;
    id->admin.boxc_id = octstr_duplicate(l->smsbox_id);
    bblink_send(l, id, gen);
}

static void log_mt_ack(const Msg *a)
{
    char id[UUID_STR_LEN + 1];

    if (a->ack.nack == ack_success || a->ack.nack == ack_buffered)
        return;
    uuid_unparse(a->ack.id, id);
    warning(0, "bearerbox did not accept MT %s (ack status %ld)", id, a->ack.nack);
}

/* Hand one message from bearerbox on. Returns -1 to go on reading, or why the
   reading ends. */
static int dispatch(struct bblink *l, Msg *msg, long gen)
{
    int end = -1;

    if (msg_type(msg) == sms && (msg->sms.sms_type == mo || msg->sms.sms_type == report_mo)) {
        l->on_mo(l->ctx, msg, gen);
        return -1;
    }
    if (msg_type(msg) == admin && msg->admin.command == cmd_shutdown) {
        info(0, "bearerbox asks us to shut down");
        end = END_SHUTDOWN;
    } else if (msg_type(msg) == admin && msg->admin.command == cmd_restart) {
        info(0, "bearerbox restarts; reconnecting in %.0f s", RESTART_PAUSE);
        end = END_RESTART;
    } else if (msg_type(msg) == ack) {
        log_mt_ack(msg);
    } else {
        debug("parkbox.link", 0, "ignoring message type %d from bearerbox", msg_type(msg));
    }
    msg_destroy(msg);
    return end;
}

static enum read_end read_loop(struct bblink *l, Connection *conn, long gen)
{
    Msg *msg;
    int r, end;

    while (!l->stopping) {
        if (!is_current(l, gen))
            return END_GONE;        /* a write failed */
        r = read_msg(conn, &msg, READ_SLICE);
        if (r == 1)
            continue;
        if (r == -1) {
            warning(0, "connection to bearerbox lost");
            return END_GONE;
        }
        if ((end = dispatch(l, msg, gen)) != -1)
            return (enum read_end)end;
    }
    return END_STOP;
}

static void reader(void *arg)
{
    struct bblink *l = arg;
    double backoff = BACKOFF_MIN;
    enum read_end end = END_GONE;
    Connection *conn;
    long gen;
    int fd;

    while (!l->stopping) {
        if ((fd = tcp_connect(octstr_get_cstr(l->host), l->port)) == -1 ||
            (conn = conn_wrap_fd(fd, 0)) == NULL) {
            if (fd != -1)
                close(fd);
            pause_unless_stopping(l, backoff);
            backoff = backoff_next(backoff, BACKOFF_MAX);
            continue;
        }
        backoff = BACKOFF_MIN;
        gen = attach(l, conn);
        identify(l, gen);
        info(0, "connected to bearerbox at %s:%ld as smsbox-id '%s'",
             octstr_get_cstr(l->host), l->port, octstr_get_cstr(l->smsbox_id));
        end = read_loop(l, conn, gen);
        if (end == END_STOP)
            break;
        detach(l);
        if (end == END_SHUTDOWN) {
            l->on_shutdown(l->ctx);
            break;
        }
        pause_unless_stopping(l, end == END_RESTART ? RESTART_PAUSE : BACKOFF_MIN);
    }
}

struct bblink *bblink_create(const struct bblink_config *cfg)
{
    struct bblink *l = gw_malloc(sizeof(*l));

    memset(l, 0, sizeof(*l));
    l->host = octstr_create(cfg->host);
    l->port = cfg->port;
    l->smsbox_id = octstr_create(cfg->smsbox_id);
    l->on_mo = cfg->on_mo;
    l->on_shutdown = cfg->on_shutdown;
    l->ctx = cfg->ctx;
    l->lock = mutex_create();
    l->thread = gwthread_create(reader, l);
    if (l->thread == -1) {
        error(0, "cannot start the bearerbox reader thread");
        bblink_destroy(l);
        return NULL;
    }
    return l;
}

int bblink_send(struct bblink *l, Msg *msg, long generation)
{
    Octstr *pack = NULL;
    int r = -1;

    mutex_lock(l->lock);
    if (l->up && (generation == 0 || generation == l->generation)) {
        pack = msg_pack(msg);
        r = conn_write_withlen(l->conn, pack);
        if (r == -1) {
            l->up = 0;
            warning(0, "write to bearerbox failed; reconnecting");
        }
        if (r != 0)
            gwthread_wakeup(l->thread);   /* to flush, or to notice the failure */
    }
    mutex_unlock(l->lock);
    octstr_destroy(pack);
    msg_destroy(msg);
    return r == -1 ? -1 : 0;
}

long bblink_generation(struct bblink *l)
{
    long gen;

    mutex_lock(l->lock);
    gen = l->up ? l->generation : 0;
    mutex_unlock(l->lock);
    return gen;
}

void bblink_stop_reading(struct bblink *l)
{
    if (l == NULL || l->thread == -1)
        return;
    l->stopping = 1;
    gwthread_wakeup(l->thread);
    gwthread_join(l->thread);
    l->thread = -1;
}

/* Give buffered output up to a few seconds to leave before closing. */
static void flush_briefly(Connection *conn)
{
    for (int i = 0; i < 10 && conn_outbuf_len(conn) > 0; i++)
        if (conn_wait(conn, 0.5) < 0)
            break;
}

void bblink_destroy(struct bblink *l)
{
    if (l == NULL)
        return;
    bblink_stop_reading(l);
    if (l->conn != NULL) {
        flush_briefly(l->conn);
        info(0, "disconnecting from bearerbox");
    }
    detach(l);
    mutex_destroy(l->lock);
    octstr_destroy(l->host);
    octstr_destroy(l->smsbox_id);
    gw_free(l);
}
