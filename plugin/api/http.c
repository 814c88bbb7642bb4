/* http.c: the libmicrohttpd server, the routing and the answers (api.h). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_int.h"
#include "metrics.h"

struct api_server {
    struct api_config cfg;
    struct MHD_Daemon *daemon;
    char *cert, *key;
};

struct body {                         /* one request's upload */
    char buf[API_BODY_MAX + 1];
    size_t len;
    int too_large;
};

void api_error(struct api_response *rs, int status, const char *fmt, ...)
{
    char msg[300];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_decref(rs->json);
    rs->status = status;
    rs->json = json_pack("{s:s}", "error", msg);
}

void api_answer(struct api_response *rs, enum en_status st, json_t **out, const struct en_error *err)
{
    static const int code[] = { [EN_OK] = 200, [EN_INVALID] = 400, [EN_NOT_FOUND] = 404,
                                [EN_CONFLICT] = 409, [EN_UNAVAILABLE] = 503 };

    if (st == EN_OK) {
        rs->status = 200;
        rs->json = *out;
    } else {
        api_error(rs, code[st], "%s", err->msg);
    }
}

const char *api_query(const struct api_request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

json_t *api_body(const struct api_request *rq, struct api_response *rs)
{
    json_error_t e;
    json_t *j = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &e);

    if (j == NULL)
        api_error(rs, 400, "malformed JSON: %s (line %d, column %d)", e.text, e.line, e.column);
    else if (!json_is_object(j)) {
        json_decref(j);
        api_error(rs, 400, "the body must be a JSON object");
        return NULL;
    }
    return j;
}

/* A whole number in [min, max] from text into *v; -1 otherwise. */
static int parse_int(const char *text, long min, long max, long *v)
{
    char *end;

    if (text == NULL || text[0] == '\0')
        return -1;
    *v = strtol(text, &end, 10);
    return *end == '\0' && *v >= min && *v <= max ? 0 : -1;
}

int api_paging(const struct api_request *rq, struct api_response *rs, int def, int max,
               int *limit, int *offset)
{
    const char *l = api_query(rq, "limit"), *o = api_query(rq, "offset");
    long lv = def, ov = 0;

    if ((l != NULL && parse_int(l, 1, max, &lv) != 0) || (o != NULL && parse_int(o, 0, 1000000, &ov) != 0)) {
        api_error(rs, 400, "limit must be 1..%d and offset 0 or more", max);
        return -1;
    }
    *limit = (int)lv;
    *offset = (int)ov;
    return 0;
}

/* 1 when path matches pattern ({} = one non-empty segment, stored in rq->params). */
static int match(const char *pattern, const char *path, struct api_request *rq)
{
    static _Thread_local char seg[4][128];
    int n = 0;

    while (*pattern && *path) {
        if (pattern[0] == '{' && pattern[1] == '}') {
            size_t len = strcspn(path, "/");
            if (len == 0 || len >= sizeof seg[0] || n == 4)
                return 0;
            memcpy(seg[n], path, len);
            seg[n][len] = '\0';
            rq->params[n] = seg[n];
            n++;
            path += len;
            pattern += 2;
        } else if (*pattern++ != *path++) {
            return 0;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

static const struct { const char *path; api_handler *handler; } noc_routes[] = {
    { "/health", noc_health }, { "/status", noc_status_text },
    { "/status.json", noc_status_json }, { "/metrics", noc_metrics },
};

/* Finds the handler; answers 404/405 itself. */
static void dispatch(struct api_request *rq, struct api_response *rs)
{
    int path_known = 0;

    for (size_t i = 0; i < sizeof noc_routes / sizeof noc_routes[0]; i++)
        if (strcmp(rq->path, noc_routes[i].path) == 0) {
            if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0)
                return api_error(rs, 405, "%s takes GET", rq->path);
            return noc_routes[i].handler(rq, rs);
        }
    for (const struct api_route *r = api_routes; r->pattern != NULL; r++) {
        if (!match(r->pattern, rq->path, rq))
            continue;
        path_known = 1;
        if (strcmp(r->method, rq->method) != 0)
            continue;
        if (auth_check(rq, rs, r->roles) == 0)
            r->handler(rq, rs);
        return;
    }
    if (path_known)
        api_error(rs, 405, "%s does not take %s", rq->path, rq->method);
    else
        api_error(rs, 404, "no such endpoint: %s", rq->path);
}

static enum MHD_Result send_answer(struct MHD_Connection *conn, struct api_response *rs)
{
    char *text = rs->json ? json_dumps(rs->json, JSON_COMPACT) : rs->text;
    size_t len = text ? strlen(text) : 0;
    struct MHD_Response *r;
    enum MHD_Result ret;

    if (rs->json)
        free(rs->text);
    if (rs->status == 0)
        rs->status = 500;
    r = MHD_create_response_from_buffer(len, text ? text : (char *)"", text ? MHD_RESPMEM_MUST_FREE
                                                                       : MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", rs->content_type ? rs->content_type
                                                                : "application/json");
    if (rs->status == 429)
        MHD_add_response_header(r, "Retry-After", "1");
    ret = MHD_queue_response(conn, (unsigned)rs->status, r);
    MHD_destroy_response(r);
    json_decref(rs->json);
    return ret;
}

static void log_request(const struct api_config *cfg, const struct api_request *rq, int status)
{
    char line[300];

    if (cfg->log == NULL)
        return;
    snprintf(line, sizeof line, "HTTP %s %s -> %d%s%s", rq->method, rq->path, status,
             rq->key_name[0] ? " key " : "", rq->key_name);
    cfg->log(status >= 500 ? 2 : strcmp(rq->method, "GET") == 0 && status < 400 ? 0 : 1, line);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **state)
{
    struct api_server *s = cls;
    struct body *b = *state;
    struct api_request rq;
    struct api_response rs = { 0 };
    struct timespec t0, t1;
    enum MHD_Result ret;

    (void)version;
    if (b == NULL) {
        if ((b = calloc(1, sizeof(*b))) == NULL)
            return MHD_NO;
        *state = b;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (b->len + *upload_size > API_BODY_MAX)
            b->too_large = 1;
        else
            memcpy(b->buf + b->len, upload, *upload_size), b->len += *upload_size;
        *upload_size = 0;
        return MHD_YES;
    }
    rq = (struct api_request){ .cfg = &s->cfg, .conn = conn, .method = method, .path = url,
                               .body = b->buf, .body_len = b->len };
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (b->too_large)
        api_error(&rs, 413, "the body is larger than %zu bytes", API_BODY_MAX);
    else
        dispatch(&rq, &rs);
    log_request(&s->cfg, &rq, rs.status);
    ret = send_answer(conn, &rs);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (strncmp(url, "/v1/", 4) == 0)
        metrics_http((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)conn, (void)why;
    free(*state);
    *state = NULL;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n < 1 << 20 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = calloc(1, (size_t)n + 1)) != NULL &&
        fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static void say(const struct api_config *cfg, int level, const char *fmt, ...)
{
    char line[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (cfg->log)
        cfg->log(level, line);
}

/* Reads the certificate and key for HTTPS; -1 after logging. */
static int load_tls(struct api_server *s)
{
    if (s->cfg.cert_file == NULL && s->cfg.key_file == NULL)
        return 0;
    if (s->cfg.cert_file == NULL || s->cfg.key_file == NULL) {
        say(&s->cfg, 3, "group 'parkbox': keys 'ssl-server-cert-file' and 'ssl-server-key-file' go together");
        return -1;
    }
    if ((s->cert = read_file(s->cfg.cert_file)) == NULL || (s->key = read_file(s->cfg.key_file)) == NULL) {
        say(&s->cfg, 3, "group 'parkbox': key '%s': cannot read '%s'",
            s->cert ? "ssl-server-key-file" : "ssl-server-cert-file",
            s->cert ? s->cfg.key_file : s->cfg.cert_file);
        return -1;
    }
    return 0;
}

struct api_server *api_start(const struct api_config *cfg)
{
    struct api_server *s = calloc(1, sizeof(*s));
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->port) };
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO;

    if (s == NULL)
        return NULL;
    s->cfg = *cfg;
    auth_init();
    if (inet_pton(AF_INET, cfg->interface, &addr.sin_addr) != 1) {
        say(cfg, 3, "group 'parkbox': key 'admin-interface': '%s' is not an IPv4 address", cfg->interface);
        api_stop(s);
        return NULL;
    }
    if (load_tls(s) != 0) {
        api_stop(s);
        return NULL;
    }
    s->daemon = MHD_start_daemon(flags | (s->cert ? MHD_USE_TLS : 0), (uint16_t)cfg->port, NULL, NULL,
        on_request, s, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
        s->cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, s->cert,
        MHD_OPTION_HTTPS_MEM_KEY, s->key, MHD_OPTION_END);
    if (s->daemon == NULL) {
        say(cfg, 3, "group 'parkbox': key 'admin-port': cannot listen on %s:%d%s", cfg->interface,
            cfg->port, s->cert ? " with TLS (check the certificate and key)" : " (in use?)");
        api_stop(s);
        return NULL;
    }
    say(cfg, 1, "HTTP API listening on %s://%s:%d", s->cert ? "https" : "http", cfg->interface, cfg->port);
    return s;
}

void api_stop(struct api_server *s)
{
    if (s == NULL)
        return;
    if (s->daemon != NULL)
        MHD_stop_daemon(s->daemon);
    free(s->cert);
    free(s->key);
    free(s);
}
