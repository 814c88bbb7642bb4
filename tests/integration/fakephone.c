/* fakephone.c: a client for bearerbox's fake SMSC (smsc = fake) that stays connected.
 *
 *   fakephone [-H host] [-p port] [-w seconds] [-t seconds] [-u] [-m] [-q]
 *
 * Reads lines "FROM TO TEXT" (UTF-8) on stdin and sends each as an MO; prints
 * every message bearerbox delivers as "< FROM TO TEXT" and, unless -q, every
 * message sent as "> FROM TO TEXT", one line each, flushed at once. A line
 * "!raw LINE" sends LINE to the fake SMSC unchanged (e.g. "A B data %FF").
 *
 * The fake SMSC protocol (one line per message) is in fakesmsc_proto.h.
 * Concatenated parts (UDH IE 0x00 or 0x08) are joined before printing; a udh
 * line carries no coding, so UCS-2 is recognised by its bytes: data that is not
 * UTF-8 without control characters is taken as UTF-16BE.
 *
 * Options: -H host (127.0.0.1), -p port (10000), -w seconds to keep trying to
 * connect (10), -t seconds to keep listening after stdin ends (2), -u send
 * non-ASCII text as UCS-2 instead of UTF-8, -m print line breaks in received
 * text as indented lines (default: as " / "), -q do not echo sent messages.
 * Exit status: 0, 1 when the connection fails or closes, 2 for bad usage.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fakesmsc_proto.h"

#define LINE_MAX_LEN 8192
#define MAX_PARTS 16
#define MAX_PENDING 32

struct opts { const char *host; const char *port; int wait; int linger; int ucs2; int multiline;
              int quiet; };

struct pending {   /* one concatenated message being reassembled */
    int used; char from[64]; char to[64]; int ref; int total; int have;
    unsigned char *part[MAX_PARTS]; size_t len[MAX_PARTS];
};

static struct opts o = { "127.0.0.1", "10000", 10, 2, 0, 0, 0 };
static struct pending pend[MAX_PENDING];

/* Connect, retrying for o.wait seconds. */
static int connect_retrying(void)
{
    time_t until = time(NULL) + o.wait;
    int fd;

    while ((fd = smsc_connect(o.host, o.port)) == -1 && time(NULL) < until)
        usleep(200000);
    return fd;
}

/* UTF-8 -> UTF-16BE; returns the output length, or 0 on bad input. */
static size_t utf8_to_utf16be(const unsigned char *s, size_t n, unsigned char *out)
{
    size_t i = 0, k = 0;

    while (i < n) {
        unsigned cp, extra;
        if (s[i] < 0x80) { cp = s[i]; extra = 0; }
        else if ((s[i] & 0xE0) == 0xC0) { cp = s[i] & 0x1F; extra = 1; }
        else if ((s[i] & 0xF0) == 0xE0) { cp = s[i] & 0x0F; extra = 2; }
        else if ((s[i] & 0xF8) == 0xF0) { cp = s[i] & 0x07; extra = 3; }
        else return 0;
        if (extra > 0 && i + extra >= n)
            return 0;
        for (unsigned e = 1; e <= extra; e++)
            cp = cp << 6 | (s[i + e] & 0x3F);
        i += extra + 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            unsigned hi = 0xD800 | (cp >> 10), lo = 0xDC00 | (cp & 0x3FF);
            out[k++] = (unsigned char)(hi >> 8); out[k++] = (unsigned char)hi;
            out[k++] = (unsigned char)(lo >> 8); out[k++] = (unsigned char)lo;
        } else {
            out[k++] = (unsigned char)(cp >> 8); out[k++] = (unsigned char)cp;
        }
    }
    return k;
}

/* UTF-16BE -> UTF-8 (NUL-terminated); unpaired surrogates become U+FFFD. */
static void utf16be_to_utf8(const unsigned char *s, size_t n, char *out)
{
    size_t k = 0;

    for (size_t i = 0; i + 1 < n; i += 2) {
        unsigned cp = (unsigned)s[i] << 8 | s[i + 1];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < n) {
            unsigned lo = (unsigned)s[i + 2] << 8 | s[i + 3];
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF)
            cp = 0xFFFD;
        if (cp < 0x80) out[k++] = (char)cp;
        else if (cp < 0x800) { out[k++] = (char)(0xC0 | cp >> 6); out[k++] = (char)(0x80 | (cp & 0x3F)); }
        else if (cp < 0x10000) { out[k++] = (char)(0xE0 | cp >> 12); out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                                 out[k++] = (char)(0x80 | (cp & 0x3F)); }
        else { out[k++] = (char)(0xF0 | cp >> 18); out[k++] = (char)(0x80 | ((cp >> 12) & 0x3F));
               out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[k++] = (char)(0x80 | (cp & 0x3F)); }
    }
    out[k] = '\0';
}

/* 1 when s[0..n) is UTF-8 text: valid sequences, no control bytes but \t \n \r. */
static int looks_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned extra;
        if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return 0;
        if (s[i] < 0x80) { i++; continue; }
        if ((s[i] & 0xE0) == 0xC0) extra = 1;
        else if ((s[i] & 0xF0) == 0xE0) extra = 2;
        else if ((s[i] & 0xF8) == 0xF0) extra = 3;
        else return 0;
        if (i + extra >= n)
            return 0;
        for (unsigned e = 1; e <= extra; e++)
            if ((s[i + e] & 0xC0) != 0x80) return 0;
        i += extra + 1;
    }
    return 1;
}

static void print_message(const char *dir, const char *from, const char *to,
                          const unsigned char *data, size_t n)
{
    char *text = malloc(n * 2 + 8);

    if (looks_utf8(data, n)) {
        memcpy(text, data, n);
        text[n] = '\0';
    } else {
        utf16be_to_utf8(data, n, text);
    }
    printf("%s %s %s ", dir, from, to);
    for (char *p = text; *p; p++) {
        if (*p == '\r')
            continue;
        if (*p == '\n')
            fputs(o.multiline ? "\n      " : " / ", stdout);
        else
            putchar(*p);
    }
    putchar('\n');
    fflush(stdout);
    free(text);
}

static void add_part(const char *from, const char *to, int ref, int total, int seq,
                     const unsigned char *data, size_t n)
{
    struct pending *p = NULL;

    for (int i = 0; i < MAX_PENDING && !p; i++)
        if (pend[i].used && pend[i].ref == ref && !strcmp(pend[i].from, from) && !strcmp(pend[i].to, to))
            p = &pend[i];
    for (int i = 0; i < MAX_PENDING && !p; i++)
        if (!pend[i].used) {
            p = &pend[i];
            memset(p, 0, sizeof(*p));
            p->used = 1; p->ref = ref; p->total = total;
            snprintf(p->from, sizeof(p->from), "%s", from);
            snprintf(p->to, sizeof(p->to), "%s", to);
        }
    if (!p || seq < 1 || seq > MAX_PARTS || total > MAX_PARTS || p->part[seq - 1])
        return;
    p->part[seq - 1] = malloc(n + 1);
    memcpy(p->part[seq - 1], data, n);
    p->len[seq - 1] = n;
    if (++p->have < p->total)
        return;
    size_t all = 0, k = 0;
    for (int i = 0; i < p->total; i++) all += p->len[i];
    unsigned char *joined = malloc(all + 1);
    for (int i = 0; i < p->total; i++) {
        memcpy(joined + k, p->part[i], p->len[i]);
        k += p->len[i];
        free(p->part[i]);
    }
    print_message("<", p->from, p->to, joined, all);
    free(joined);
    p->used = 0;
}

/* One line from the fake SMSC. */
static void received(char *line)
{
    struct smsc_line m;
    int total, seq, ref;

    if (smsc_parse(line, &m) == -1)
        return;
    if (!strcmp(m.type, "text") || !strcmp(m.type, "data") || !strcmp(m.type, "ucs-2") ||
        !strcmp(m.type, "ucs2")) {
        print_message("<", m.from, m.to, m.data, m.len);   /* ucs-2 is not UTF-8: UTF-16BE */
    } else if (!strcmp(m.type, "udh") && m.udh) {
        if ((ref = smsc_udh_concat(m.udh, m.udh_len, &total, &seq)) >= 0)
            add_part(m.from, m.to, ref, total, seq, m.data, m.len);
        else
            print_message("<", m.from, m.to, m.data, m.len);
    }
}

/* One line from stdin: "FROM TO TEXT" or "!raw LINE". Returns -1 on a failed write. */
static int send_line(int fd, char *line)
{
    char *out, *from, *to, *text;
    size_t n;
    int ascii = 1, r;

    if (!strncmp(line, "!raw ", 5)) {
        n = strlen(line + 5);
        line[5 + n] = '\n';
        return smsc_write_all(fd, line + 5, n + 1);
    }
    from = strtok(line, " ");
    to = strtok(NULL, " ");
    text = strtok(NULL, "");
    if (!from || !to)
        return 0;
    if (!text)
        text = "";
    n = strlen(text);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 32 || (unsigned char)text[i] > 126) ascii = 0;
    out = malloc(n * 12 + strlen(from) + strlen(to) + 32);
    if (ascii) {
        sprintf(out, "%s %s text %s\n", from, to, text);
    } else if (o.ucs2) {
        unsigned char *u = malloc(n * 4 + 4);
        size_t un = utf8_to_utf16be((unsigned char *)text, n, u);
        sprintf(out, "%s %s ucs2 ", from, to);
        smsc_url_encode(u, un, out + strlen(out));
        strcat(out, "\n");
        free(u);
    } else {
        sprintf(out, "%s %s data ", from, to);
        smsc_url_encode((unsigned char *)text, n, out + strlen(out));
        strcat(out, "\n");
    }
    r = smsc_write_all(fd, out, strlen(out));
    if (!o.quiet)
        print_message(">", from, to, (unsigned char *)text, n);
    free(out);
    return r;
}

static int on_received(int fd, char *line) { (void)fd; received(line); return 0; }

static int usage(void)
{
    fprintf(stderr, "usage: fakephone [-H host] [-p port] [-w seconds] [-t seconds] [-u] [-m] [-q]\n");
    return 2;
}

int main(int argc, char **argv)
{
    static char in[LINE_MAX_LEN], net[LINE_MAX_LEN * 4];
    size_t inlen = 0, netlen = 0;
    int c, fd, stdin_open = 1;
    time_t linger_until = 0;

    while ((c = getopt(argc, argv, "H:p:w:t:umq")) != -1) {
        switch (c) {
        case 'H': o.host = optarg; break;
        case 'p': o.port = optarg; break;
        case 'w': o.wait = atoi(optarg); break;
        case 't': o.linger = atoi(optarg); break;
        case 'u': o.ucs2 = 1; break;
        case 'm': o.multiline = 1; break;
        case 'q': o.quiet = 1; break;
        default: return usage();
        }
    }
    if (optind != argc)
        return usage();
    if ((fd = connect_retrying()) == -1) {
        fprintf(stderr, "fakephone: cannot connect to %s:%s\n", o.host, o.port);
        return 1;
    }
    for (;;) {
        struct pollfd p[2] = { { fd, POLLIN, 0 }, { 0, POLLIN, 0 } };
        int timeout = -1;
        if (!stdin_open) {
            long left = (long)(linger_until - time(NULL));
            if (left < 0)
                break;
            timeout = (int)left * 1000 + 100;
        }
        smsc_quickack(fd);
        if (poll(p, stdin_open ? 2 : 1, timeout) < 0 && errno != EINTR)
            break;
        if (p[0].revents) {
            ssize_t n = read(fd, net + netlen, sizeof(net) - netlen - 1);
            if (n <= 0) {
                fprintf(stderr, "fakephone: connection closed\n");
                return 1;
            }
            netlen += (size_t)n;
            smsc_take_lines(net, &netlen, fd, on_received);   /* on_received cannot fail */
            if (netlen == sizeof(net) - 1) netlen = 0;   /* absurdly long line: drop */
        }
        if (stdin_open && p[1].revents) {
            ssize_t n = read(0, in + inlen, sizeof(in) - inlen - 1);
            if (n <= 0) {
                stdin_open = 0;
                linger_until = time(NULL) + o.linger;
                continue;
            }
            inlen += (size_t)n;
            if (smsc_take_lines(in, &inlen, fd, send_line) == -1) {
                fprintf(stderr, "fakephone: write failed\n");
                return 1;
            }
            if (inlen == sizeof(in) - 1) inlen = 0;
        }
    }
    smsc_close_gently(fd);
    return 0;
}
