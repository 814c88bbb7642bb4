/* fakesmsc_proto.h: the client side of bearerbox's fake SMSC protocol (smsc = fake),
 * shared by the test helpers fakephone.c and loadphone.c.
 *
 * The protocol is one line per message: "FROM TO TYPE DATA" with TYPE text (printable
 * ASCII as is), data (url-encoded bytes), ucs2 (MO) or ucs-2 (MT) (url-encoded
 * UTF-16BE), or udh (url-encoded UDH, then "data" and the url-encoded data; Kannel
 * before 1.4.5 leaves out the "data").
 *
 * Everything here is static inline: each helper program includes this header once and
 * uses what it needs. Nothing allocates; parsed fields point into the caller's line.
 */
#ifndef PARK_FAKESMSC_PROTO_H
#define PARK_FAKESMSC_PROTO_H

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* One line from the fake SMSC, split in place by smsc_parse. */
struct smsc_line {
    char *from, *to, *type;
    unsigned char *udh;    /* type udh: the decoded UDH (NULL when the line has none) */
    size_t udh_len;
    unsigned char *data;   /* the decoded data ("text" is taken as it is) */
    size_t len;
};

/* Connects to host:port with TCP_NODELAY set, so that our writes go out at once.
   Returns the socket, or -1 when the name does not resolve or no address accepts. */
static inline int smsc_connect(const char *host, const char *port)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res, *ai;
    int fd = -1, one = 1;

    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    for (ai = res; ai && fd == -1; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd != -1 && connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd != -1)
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

/* Sets TCP_QUICKACK; the kernel clears it again, so call it before every poll, lest
   the other side's Nagle wait for our delayed ACK. */
static inline void smsc_quickack(int fd)
{
    int one = 1;

    setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
}

/* Writes all of buf; returns 0, or -1 when a write fails or writes nothing. */
static inline int smsc_write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Url-encodes s[0..n) into out (room for 3 * n + 1 bytes), NUL-terminated; letters,
   digits and "-_.*" stay as they are. */
static inline void smsc_url_encode(const unsigned char *s, size_t n, char *out)
{
    static const char hex[] = "0123456789ABCDEF";

    for (size_t i = 0; i < n; i++) {
        if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
            (s[i] >= '0' && s[i] <= '9') || (s[i] && strchr("-_.*", s[i]) != NULL)) {
            *out++ = (char)s[i];
        } else {
            *out++ = '%';
            *out++ = hex[s[i] >> 4];
            *out++ = hex[s[i] & 15];
        }
    }
    *out = '\0';
}

static inline int smsc_hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
           c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Url-decodes s in place (also '+' -> ' '); returns the decoded length. A '%' without
   two hex digits stays as it is. */
static inline size_t smsc_url_decode(char *s)
{
    size_t i = 0, j = 0;

    while (s[i]) {
        if (s[i] == '%' && smsc_hexval(s[i + 1]) >= 0 && smsc_hexval(s[i + 2]) >= 0) {
            s[j++] = (char)(smsc_hexval(s[i + 1]) * 16 + smsc_hexval(s[i + 2]));
            i += 3;
        } else {
            if (s[i] == '+')
                s[j++] = ' ';
            else
                s[j++] = s[i];
            i++;
        }
    }
    return j;
}

/* Splits line ("FROM TO TYPE DATA" or "FROM TO udh UDH [data|text|ucs-2] DATA") in
   place into m and decodes the UDH and the data. Returns 0, or -1 when FROM, TO or
   TYPE is missing. */
static inline int smsc_parse(char *line, struct smsc_line *m)
{
    char *rest, *udh = NULL;

    m->from = strtok(line, " ");
    m->to = strtok(NULL, " ");
    m->type = strtok(NULL, " ");
    rest = strtok(NULL, "");
    if (!m->from || !m->to || !m->type)
        return -1;
    if (!rest)
        rest = "";
    if (!strcmp(m->type, "udh")) {
        udh = strtok(rest, " ");
        rest = strtok(NULL, "");
        if (!rest)
            rest = "";
        if (!strncmp(rest, "data ", 5) || !strncmp(rest, "text ", 5))
            rest += 5;
        else if (!strncmp(rest, "ucs-2 ", 6))
            rest += 6;
    }
    m->udh = (unsigned char *)udh;
    m->udh_len = udh ? smsc_url_decode(udh) : 0;
    m->data = (unsigned char *)rest;
    m->len = strcmp(m->type, "text") ? smsc_url_decode(rest) : strlen(rest);
    return 0;
}

/* The concatenation reference of a UDH (IE 0x00, 8-bit, or 0x08, 16-bit) with *total
   and *seq set, or -1 when it has none. */
static inline int smsc_udh_concat(const unsigned char *u, size_t n, int *total, int *seq)
{
    for (size_t i = 1; n > 0 && i + 1 < n; i += 2 + u[i + 1]) {
        if (u[i] == 0x00 && u[i + 1] == 3 && i + 4 < n) {
            *total = u[i + 3]; *seq = u[i + 4];
            return u[i + 2];
        }
        if (u[i] == 0x08 && u[i + 1] == 4 && i + 5 < n) {
            *total = u[i + 4]; *seq = u[i + 5];
            return u[i + 2] << 8 | u[i + 3];
        }
    }
    return -1;
}

/* Hands each complete line of buf[0..*len) to fn(fd, line), without its "\n" or
   "\r\n", and keeps the incomplete rest at the start of buf. Returns 0, or -1 when fn
   returned -1 for some line (the later lines are still handed on). */
static inline int smsc_take_lines(char *buf, size_t *len, int fd, int (*fn)(int, char *))
{
    char *start = buf, *nl;
    int rc = 0;

    while ((nl = memchr(start, '\n', *len - (size_t)(start - buf))) != NULL) {
        *nl = '\0';
        if (nl > start && nl[-1] == '\r') nl[-1] = '\0';
        if (fn(fd, start) == -1) rc = -1;
        start = nl + 1;
    }
    *len -= (size_t)(start - buf);
    memmove(buf, start, *len);
    return rc;
}

/* Half-closes fd and reads until bearerbox closes too (or 2 s pass), so that unread
   data does not turn the close into a reset that bearerbox logs as an error. */
static inline void smsc_close_gently(int fd)
{
    char buf[4096];
    time_t until = time(NULL) + 2;

    shutdown(fd, SHUT_WR);
    while (time(NULL) <= until) {
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, 200) > 0 && read(fd, buf, sizeof(buf)) <= 0)
            break;
    }
    close(fd);
}

#endif
