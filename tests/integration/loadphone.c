/* loadphone.c: a load driver for bearerbox's fake SMSC (smsc = fake): many phones
 * holding whole parking conversations at once over one connection.
 *
 *   loadphone [-H host] [-p port] [-n conversations] [-k in-flight] [-T seconds]
 *             [-W seconds] [-b first-msisdn] [-z zone] [-s] [-e number] [-t seconds] [-r]
 *
 * Conversation i is held by phone first-msisdn + i with plate NNNLLL02 (unique per i):
 *   hop 1: "ZONE*PLATE*1" to 7757, awaits the confirmation request from 7701
 *          ("Зона ZONE ...");
 *   hop 2: "1" to 7701, awaits "Оплачено ..." from 7757;
 *   hop 3 (with -s): "S" to 7757, awaits "Парковка завершена ..." from 7757.
 * With -e NUMBER the conversation is an echo instead: two MOs "ping" to NUMBER, each
 * awaiting any reply from NUMBER (for a box that answers every MO, e.g. Kannel's smsbox).
 * A reply counts when all its concatenated parts (UDH IE 0 or 8) have arrived; its
 * first part is checked against the expected sender and text. At most -k conversations
 * are in flight; a new one starts as soon as one ends, until -n have started or -T
 * seconds have passed. Then it waits up to -W seconds for the rest, and listens -t more
 * seconds for anything unexpected.
 *
 * A message to a phone that repeats a reply it already had (same sender, same start as
 * an earlier hop's reply) counts as a duplicate; one from the service number that starts
 * like a reminder ("В ") or a session end ("Парковка закончилась") counts as scheduled;
 * neither is unexpected (the parts after the first of such a message are taken with it).
 * With -r the driver reconnects when the fake SMSC's connection breaks (bearerbox
 * killed), every 0.5 s until its time is up; what it had not written is lost with the
 * connection, as on a link without acks, and those conversations count as lost.
 *
 * The socket has TCP_NODELAY, and TCP_QUICKACK is set again before every poll (the
 * kernel clears it), so that neither side's Nagle waits for our delayed ACK.
 *
 * Output on stdout, one "key=value" a line: started, done, failed (a reply with the
 * wrong sender or text), lost (no reply within -W), unexpected, duplicates, scheduled,
 * reconnects, mo, mt_parts,
 * elapsed_s (first MO to last reply), conv_per_s, mo_per_s, per hop
 * hopN_p50_ms, hopN_p99_ms, hopN_max_ms (MO written to last part of its reply read),
 * and p50_ms, p99_ms, max_ms over the hops of every kind together.
 * The first few problems are described on stderr.
 * Exit status: 0 when every started conversation ended as expected and nothing
 * unexpected or duplicated arrived, 1 otherwise or when the connection fails, 2 for bad usage.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fakesmsc_proto.h"

#define MAX_HOPS 3
#define NET_BUF (1 << 20)

struct hop { const char *to; char text[64]; const char *from; const char *prefix; };

struct conv {
    int step;              /* hop awaited; -1 not started, nhops done */
    int64_t sent_ns;       /* when the MO of the current hop was written */
    unsigned parts;        /* bitmask of the parts of the current reply seen */
    int total;             /* parts of the current reply (0 none yet) */
    int absorb;            /* parts still to come of a duplicate or scheduled message */
};

static struct {
    const char *host, *port, *echo;
    long n, k, first;
    int zone, stop, run_s, wait_s, linger_s, reconnect;
} o = { "127.0.0.1", "10000", NULL, 1000, 50, 77050000000L, 1001, 0, 60, 30, 1, 0 };

static struct conv *conv;
static int64_t *lat[MAX_HOPS];
static long nlat[MAX_HOPS];
static long started, done, failed, unexpected, mo, mt_parts, problems;
static long duplicates, scheduled, reconnects;
static int nhops;
static char *out;
static size_t outlen, outcap;

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void problem(const char *fmt, const char *a, const char *b)
{
    if (problems++ < 5)
        fprintf(stderr, fmt, a, b);
}

/* The plate of conversation i: NNN LLL 02, distinct for i < 17,576,000. */
static void plate_of(long i, char *buf, size_t size)
{
    long l = i / 1000;

    snprintf(buf, size, "%03ld%c%c%c02", i % 1000, (char)('A' + l / 676 % 26),
             (char)('A' + l / 26 % 26), (char)('A' + l % 26));
}

/* The hops of conversation i. */
static void hops_of(long i, struct hop *h)
{
    static char zone_prefix[32];
    char plate[16];

    if (o.echo) {
        for (int s = 0; s < 2; s++)
            h[s] = (struct hop){ o.echo, "ping", o.echo, "" };
        return;
    }
    snprintf(zone_prefix, sizeof(zone_prefix), "Зона %d ", o.zone);
    plate_of(i, plate, sizeof(plate));
    h[0] = (struct hop){ "7757", "", "7701", zone_prefix };
    snprintf(h[0].text, sizeof(h[0].text), "%d*%s*1", o.zone, plate);
    h[1] = (struct hop){ "7701", "1", "7757", "Оплачено" };
    h[2] = (struct hop){ "7757", "S", "7757", "Парковка завершена" };
}

static void queue_out(const char *line)
{
    size_t n = strlen(line);

    if (outlen + n > outcap) {
        outcap = (outcap + n) * 2;
        out = realloc(out, outcap);
        if (!out) { perror("loadphone"); exit(1); }
    }
    /* out is a counted buffer (outlen), not a string */
    // NOLINTNEXTLINE(bugprone-not-null-terminated-result)
    memcpy(out + outlen, line, n);
    outlen += n;
}

/* Queue the MO of conversation i's current hop. */
static void send_hop(long i)
{
    struct hop h[MAX_HOPS];
    char line[128];

    hops_of(i, h);
    snprintf(line, sizeof(line), "%ld %s text %s\n", o.first + i, h[conv[i].step].to,
             h[conv[i].step].text);
    queue_out(line);
    conv[i].sent_ns = now_ns();
    conv[i].parts = 0;
    conv[i].total = 0;
    mo++;
}

static void start_next(void)
{
    conv[started].step = 0;
    send_hop(started++);
}

static int flush_out(int fd)
{
    if (smsc_write_all(fd, out, outlen) == -1)
        return -1;
    outlen = 0;
    return 0;
}

/* 1 when data starts with the UTF-8 prefix, as UTF-8 or as UTF-16BE. */
static int has_prefix(const unsigned char *data, size_t n, const char *prefix)
{
    const unsigned char *p = (const unsigned char *)prefix;
    size_t k = 0;

    if (n >= strlen(prefix) && memcmp(data, prefix, strlen(prefix)) == 0)
        return 1;
    while (*p) {                                  /* BMP only: enough for the prefixes */
        unsigned cp, extra = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : 2;
        cp = extra == 0 ? *p : extra == 1 ? (*p & 0x1Fu) : (*p & 0x0Fu);
        for (unsigned e = 1; e <= extra; e++)
            cp = cp << 6 | (p[e] & 0x3Fu);
        p += extra + 1;
        if (k + 2 > n || data[k] != (cp >> 8) || data[k + 1] != (cp & 0xFF))
            return 0;
        k += 2;
    }
    return 1;
}

static void record_latency(int step, int64_t ns)
{
    lat[step][nlat[step]++] = ns;
}

/* A message that is not the awaited reply: 1 (counted) when its first part repeats an
   earlier reply of conversation i or is a reminder or an end; its other parts follow. */
static int other_message(long i, const char *from, int total, int seq,
                         const unsigned char *data, size_t n)
{
    struct conv *c = &conv[i];
    struct hop h[MAX_HOPS];

    if (seq > 1 && c->absorb > 0) {
        c->absorb--;
        return 1;
    }
    if (seq != 1 || o.echo)
        return 0;
    hops_of(i, h);
    for (int s = 0; s < nhops && s <= c->step; s++)
        if ((s < c->step || (c->parts & 1u)) && strcmp(from, h[s].from) == 0 &&
            has_prefix(data, n, h[s].prefix)) {
            duplicates++;
            c->absorb = total - 1;
            return 1;
        }
    if (strcmp(from, "7757") == 0 &&
        (has_prefix(data, n, "В ") || has_prefix(data, n, "Парковка закончилась"))) {
        scheduled++;
        c->absorb = total - 1;
        return 1;
    }
    return 0;
}

/* One part (seq of total) of a message from FROM to conversation i. */
static void part_for(long i, const char *from, int total, int seq, const unsigned char *data,
                     size_t n, const char *to)
{
    struct conv *c = &conv[i];
    struct hop h[MAX_HOPS];

    if (c->step >= 0 && other_message(i, from, total, seq, data, n))
        return;
    if (c->step < 0 || c->step >= nhops || seq < 1 || seq > 32 || (c->parts & (1u << (seq - 1)))) {
        unexpected++;
        problem("loadphone: unexpected message from %s to %s\n", from, to);
        return;
    }
    hops_of(i, h);
    if (seq == 1 && (strcmp(from, h[c->step].from) != 0 || !has_prefix(data, n, h[c->step].prefix))) {
        failed++;
        problem("loadphone: wrong reply from %s to %s\n", from, to);
        c->step = nhops + 1;                      /* ended, badly */
        return;
    }
    c->parts |= 1u << (seq - 1);
    c->total = total;
    if (__builtin_popcount(c->parts) < c->total)
        return;
    record_latency(c->step, now_ns() - c->sent_ns);
    if (++c->step < nhops) {
        send_hop(i);
        return;
    }
    done++;
}

/* One line from the fake SMSC (always 0: a handler for smsc_take_lines). */
static int received(int fd, char *line)
{
    struct smsc_line m;
    int total = 1, seq = 1;
    long i;

    (void)fd;
    if (smsc_parse(line, &m) == -1)
        return 0;
    mt_parts++;
    i = strtol(m.to, NULL, 10) - o.first;
    if (i < 0 || i >= started) {
        unexpected++;
        problem("loadphone: message from %s to unknown %s\n", m.from, m.to);
        return 0;
    }
    if (m.udh)
        smsc_udh_concat(m.udh, m.udh_len, &total, &seq);   /* none: stays 1 of 1 */
    part_for(i, m.from, total, seq, m.data, m.len, m.to);
    return 0;
}

static long in_flight(void)
{
    return started - done - failed;
}

/* Read what is there within timeout_ms; -1 when the connection is gone. */
static int pump(int fd, char *net, size_t *netlen, int timeout_ms)
{
    struct pollfd p = { fd, POLLIN, 0 };

    smsc_quickack(fd);
    if (poll(&p, 1, timeout_ms) < 0)
        return errno == EINTR ? 0 : -1;
    if (!p.revents)
        return 0;
    ssize_t n = read(fd, net + *netlen, NET_BUF - *netlen - 1);
    if (n <= 0)
        return -1;
    *netlen += (size_t)n;
    smsc_take_lines(net, netlen, fd, received);
    if (*netlen == NET_BUF - 1)
        *netlen = 0;                              /* absurdly long line: drop */
    return 0;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* The p-quantile of the n sorted latencies in v, in ms (0 when n is 0). */
static double pct_ms(const int64_t *v, long n, double p)
{
    if (n == 0)
        return 0;
    return (double)v[(long)(p * (double)(n - 1) + 0.5)] / 1e6;
}

/* "PREFIXp50_ms=...", p99 and max of the n latencies in v (sorted here). */
static void print_latency(const char *prefix, int64_t *v, long n)
{
    qsort(v, (size_t)n, sizeof(int64_t), cmp64);
    printf("%sp50_ms=%.2f\n%sp99_ms=%.2f\n%smax_ms=%.2f\n", prefix, pct_ms(v, n, 0.50),
           prefix, pct_ms(v, n, 0.99), prefix, pct_ms(v, n, 1.0));
}

static void report(int64_t t0, int64_t t_last)
{
    double secs = (double)(t_last - t0) / 1e9;
    int64_t *all = malloc((size_t)(nhops * o.n) * sizeof(int64_t));
    long nall = 0;
    char prefix[16];

    if (!all) { perror("loadphone"); exit(1); }
    printf("started=%ld\ndone=%ld\nfailed=%ld\nlost=%ld\nunexpected=%ld\nmo=%ld\nmt_parts=%ld\n",
           started, done, failed, started - done - failed, unexpected, mo, mt_parts);
    printf("duplicates=%ld\nscheduled=%ld\nreconnects=%ld\n", duplicates, scheduled, reconnects);
    printf("elapsed_s=%.3f\nconv_per_s=%.1f\nmo_per_s=%.1f\n", secs,
           secs > 0 ? (double)done / secs : 0, secs > 0 ? (double)mo / secs : 0);
    for (int s = 0; s < nhops; s++) {
        memcpy(all + nall, lat[s], (size_t)nlat[s] * sizeof(int64_t));
        nall += nlat[s];
        snprintf(prefix, sizeof(prefix), "hop%d_", s + 1);
        printf("%sn=%ld\n", prefix, nlat[s]);
        print_latency(prefix, lat[s], nlat[s]);
    }
    print_latency("", all, nall);
    free(all);
}

static int usage(void)
{
    fprintf(stderr, "usage: loadphone [-H host] [-p port] [-n conversations] [-k in-flight] "
                    "[-T seconds] [-W seconds] [-b first-msisdn] [-z zone] [-s] [-e number] "
                    "[-t seconds] [-r]\n");
    return 2;
}

static int parse_args(int argc, char **argv)
{
    int c;

    while ((c = getopt(argc, argv, "H:p:n:k:T:W:b:z:se:t:r")) != -1) {
        switch (c) {
        case 'H': o.host = optarg; break;
        case 'p': o.port = optarg; break;
        case 'n': o.n = atol(optarg); break;
        case 'k': o.k = atol(optarg); break;
        case 'T': o.run_s = atoi(optarg); break;
        case 'W': o.wait_s = atoi(optarg); break;
        case 'b': o.first = atol(optarg); break;
        case 'z': o.zone = atoi(optarg); break;
        case 's': o.stop = 1; break;
        case 'e': o.echo = optarg; break;
        case 't': o.linger_s = atoi(optarg); break;
        case 'r': o.reconnect = 1; break;
        default: return -1;
        }
    }
    if (optind != argc || o.n < 1 || o.n > 10000000 || o.k < 1 || o.run_s < 1 || o.wait_s < 0)
        return -1;
    nhops = o.echo ? 2 : o.stop ? 3 : 2;
    return 0;
}

int main(int argc, char **argv)
{
    static char net[NET_BUF];
    size_t netlen = 0;
    int fd;

    if (parse_args(argc, argv) == -1)
        return usage();
    conv = calloc((size_t)o.n, sizeof(*conv));
    for (int s = 0; s < nhops; s++)
        lat[s] = malloc((size_t)o.n * sizeof(int64_t));
    if ((fd = smsc_connect(o.host, o.port)) == -1) {
        fprintf(stderr, "loadphone: cannot connect to %s:%s\n", o.host, o.port);
        return 1;
    }
    int64_t t0 = now_ns(), t_last = t0, stop_at = t0 + (int64_t)o.run_s * 1000000000;
    int64_t wait_until = 0, linger_until = 0;
    int gone = 0;
    for (;;) {
        int64_t t = now_ns();
        if (gone) {                               /* -r: the link broke; connect again */
            int64_t limit = wait_until ? wait_until : stop_at + (int64_t)o.wait_s * 1000000000;
            if (t >= limit)
                break;
            usleep(500000);
            if ((fd = smsc_connect(o.host, o.port)) == -1)
                continue;
            gone = 0;
            reconnects++;
            netlen = 0;
            outlen = 0;                           /* not written: lost with the link */
            continue;
        }
        while (started < o.n && t < stop_at && in_flight() < o.k)
            start_next();
        if (outlen && flush_out(fd) == -1) { gone = 1; if (o.reconnect) { close(fd); continue; } break; }
        if (in_flight() == 0 && !linger_until && (started == o.n || t >= stop_at)) {
            t_last = t;
            linger_until = t + (int64_t)o.linger_s * 1000000000;
        }
        if (!wait_until && (started == o.n || t >= stop_at))
            wait_until = t + (int64_t)o.wait_s * 1000000000;
        if ((linger_until && t >= linger_until) || (wait_until && t >= wait_until && !linger_until))
            break;
        if (pump(fd, net, &netlen, 100) == -1) {
            gone = 1;
            if (o.reconnect) {
                close(fd);
                continue;
            }
            break;
        }
    }
    if (!linger_until)
        t_last = now_ns();
    if (gone)
        fprintf(stderr, "loadphone: connection to the fake SMSC lost\n");
    report(t0, t_last);
    if (!gone)
        smsc_close_gently(fd);
    return gone || failed || unexpected || duplicates || done != started ? 1 : 0;
}
