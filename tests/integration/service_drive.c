/* service_drive.c: drives the dialogue service (plugin/store/service.h) from stdin, for
 * the integration tests and for trying the dialogue by hand without a bearerbox.
 *
 *   service_drive [options] < script
 *   service_drive -G            print a machine-readable template file and exit
 *
 * Script lines (blank lines and lines starting with '#' are skipped):
 *   ID FROM TO TEXT        one MO (TEXT is the rest of the line, may be empty; "\n" in
 *                          TEXT is a line break, "\xHH" in TEXT and FROM the byte HH),
 *                          received at the current clock
 *   @time T | @time +N     set the clock to epoch T, or advance it by N seconds
 *   @due [T]               run due work at T (default: the clock), up to 1000 items
 * With -H HOUR_SECONDS below 3600 the script's times are on a compressed clock, as
 * parkbox's `hour-seconds` makes it: from -O ORIGIN on (default: the first @time), a
 * script second is 3600/HOUR_SECONDS seconds for the service (ORIGIN + 60 with -H 60
 * is an hour after ORIGIN).
 *   @same N ID FROM TO TEXT   N threads send the same MO (same id) at once
 *   @many N ID FROM TO TEXT   N threads send MOs ID.1 .. ID.N at once
 *   @unsent AGE            claim outbox rows unsent for AGE seconds and print them
 *   @sent                  mark every reply printed so far as sent
 *   @dlrs ID STATUS ...    record delivery reports (STATUS: delivered, failed, ...) in
 *                          one batch (service_record_dlrs); prints "changed N"
 * Output: each reply as "FROM -> TO: TEXT" (line breaks printed as "\n", other control
 * bytes as "\xHH"), "RETRY ID"
 * when the service asks for a retry. Exit status: 0, 1 on a failed start, 2 bad usage.
 *
 * Options: -c CONNINFO ("" = PG* variables), -t TEMPLATES (templates/replies.conf),
 * -H HOUR_SECONDS (3600: real time), -O ORIGIN, -T CONFIRM_TIMEOUT (300), -r REMINDER_MINUTES (10),
 * -m MAX_HOURS (12), -l DEFAULT_LANGUAGE (ru), -z TIMEZONE (Asia/Almaty),
 * -s SERVICE_NUMBER (7757), -C CONFIRM_NUMBER (7701), -o allow non-KZ plates,
 * -L RATE_LIMIT (MOs per MSISDN a minute; 0, the default here: none), -P print each
 * reply's SMS parts after it (" [2]"),
 * -v log every message handled to stderr, -R print "round trips N mos M" to stderr at
 * the end (the database round trips the service made for M MOs).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "localtime.h"
#include "reply.h"
#include "service.h"
#include "store_pg.h"
#include "tz_load.h"

#define MAX_THREADS 32

static struct service *svc;
static time_t clock_now;
static time_t clock_origin;     /* -O, else the first absolute @time */
static long clock_speed = 1;    /* service seconds per script second (-H) */
static long long *sent_ids;
static size_t nsent, capsent;
static int verbose;
static int show_parts;          /* -P */
static unsigned long mos_handled;

static void print_text(const char *t)
{
    for (; *t; t++) {
        if (*t == '\n')
            fputs("\\n", stdout);
        else if ((unsigned char)*t < 0x20 || *t == 0x7f)
            printf("\\x%02X", (unsigned char)*t);
        else
            putchar(*t);
    }
}

static void print_replies(struct mt *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("%s -> %s: ", v[i].from, v[i].to);
        print_text(v[i].text);
        if (show_parts) {
            size_t chars;
            int ucs2, parts;
            reply_measure(v[i].text, strlen(v[i].text), &chars, &ucs2, &parts);
            printf(" [%d]", parts);
        }
        putchar('\n');
        if (nsent == capsent) {
            capsent = capsent ? capsent * 2 : 64;
            sent_ids = realloc(sent_ids, capsent * sizeof *sent_ids);
            if (sent_ids == NULL)
                exit(1);
        }
        sent_ids[nsent++] = v[i].outbox_id;
    }
    free(v);
    fflush(stdout);
}

static int hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* "a\nb" in a script line means a line break, "\xHH" the byte HH (also 00). Returns the
   length of the result. */
static size_t unescape(char *s)
{
    char *o = s, *start = s;

    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == 'n') {
            *o++ = '\n';
            s++;
        } else if (s[0] == '\\' && s[1] == 'x' && hex(s[2]) >= 0 && hex(s[3]) >= 0) {
            *o++ = (char)(hex(s[2]) * 16 + hex(s[3]));
            s += 3;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return (size_t)(o - start);
}

/* The service's time for a script time (see -H). */
static time_t service_time(time_t t)
{
    return clock_origin + (t - clock_origin) * clock_speed;
}

/* Splits "ID FROM TO TEXT" in place; returns 0, or -1 if fields are missing. */
static int split_mo(char *line, struct mo *mo)
{
    char *save = NULL;

    memset(mo, 0, sizeof *mo);
    mo->id = strtok_r(line, " ", &save);
    mo->from = strtok_r(NULL, " ", &save);
    mo->to = strtok_r(NULL, " ", &save);
    if (mo->id == NULL || mo->from == NULL || mo->to == NULL)
        return -1;
    mo->text = save ? save : "";
    mo->len = unescape((char *)mo->text);
    unescape((char *)mo->from);
    mo->at = service_time(clock_now);
    return 0;
}

static void handle(const struct mo *mo)
{
    struct mt *out;
    size_t n;

    mos_handled++;
    if (service_handle_mo(svc, mo, &out, &n) != SERVICE_OK) {
        printf("RETRY %s\n", mo->id);
        fflush(stdout);
        return;
    }
    print_replies(out, n);
}

struct job {
    struct mo mo;
    char id[128];
    enum service_status st;
    struct mt *out;
    size_t n;
};

static void *job_run(void *arg)
{
    struct job *j = arg;

    j->st = service_handle_mo(svc, &j->mo, &j->out, &j->n);
    return NULL;
}

/* "@same N ID FROM TO TEXT" / "@many N ...": N threads at once, results in thread order. */
static void parallel(char *args, int same)
{
    struct job jobs[MAX_THREADS];
    pthread_t th[MAX_THREADS];
    struct mo mo;
    char *rest;
    int n = (int)strtol(args, &rest, 10);

    if (n < 1 || n > MAX_THREADS || split_mo(rest + strspn(rest, " "), &mo) < 0) {
        fprintf(stderr, "service_drive: bad parallel line\n");
        return;
    }
    for (int i = 0; i < n; i++) {
        jobs[i].mo = mo;
        snprintf(jobs[i].id, sizeof jobs[i].id, same ? "%s" : "%s.%d", mo.id, i + 1);
        jobs[i].mo.id = jobs[i].id;
        pthread_create(&th[i], NULL, job_run, &jobs[i]);
    }
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        if (jobs[i].st != SERVICE_OK)
            printf("RETRY %s\n", jobs[i].id);
        else
            print_replies(jobs[i].out, jobs[i].n);
    }
}

/* "@dlrs ID STATUS ID STATUS ...": one batch of delivery reports. An unknown status
   name is passed on as an out-of-range value, which the service must skip. */
static void dlrs(char *args)
{
    long long ids[64];
    enum service_dlr st[64];
    size_t n = 0, changed = 0;
    char *save = NULL, *id, *name;

    for (id = strtok_r(args, " ", &save); id && n < 64; id = strtok_r(NULL, " ", &save)) {
        if ((name = strtok_r(NULL, " ", &save)) == NULL)
            break;
        ids[n] = atoll(id);
        st[n] = (enum service_dlr)99;
        for (int k = 0; service_dlr_name((enum service_dlr)k) != NULL; k++)
            if (strcmp(service_dlr_name((enum service_dlr)k), name) == 0)
                st[n] = (enum service_dlr)k;
        n++;
    }
    if (service_record_dlrs(svc, ids, st, n, &changed) != SERVICE_OK)
        printf("RETRY dlrs\n");
    else
        printf("changed %zu\n", changed);
}

static void command(char *line)
{
    struct mt *out;
    size_t n;

    if (strncmp(line, "@time ", 6) == 0) {
        char *a = line + 6;
        clock_now = *a == '+' ? clock_now + atol(a + 1) : (time_t)atoll(a);
        if (*a != '+' && clock_origin == 0)
            clock_origin = clock_now;
    } else if (strncmp(line, "@due", 4) == 0) {
        time_t t = line[4] == ' ' ? (time_t)atoll(line + 5) : clock_now;
        if (service_run_due(svc, service_time(t), 1000, &out, &n) != SERVICE_OK)
            printf("RETRY due\n");
        else
            print_replies(out, n);
    } else if (strncmp(line, "@same ", 6) == 0) {
        parallel(line + 6, 1);
    } else if (strncmp(line, "@many ", 6) == 0) {
        parallel(line + 6, 0);
    } else if (strncmp(line, "@unsent ", 8) == 0) {
        if (service_unsent(svc, atoi(line + 8), 1000, &out, &n) != SERVICE_OK)
            printf("RETRY unsent\n");
        else
            print_replies(out, n);
    } else if (strncmp(line, "@dlrs ", 6) == 0) {
        dlrs(line + 6);
    } else if (strcmp(line, "@sent") == 0) {
        if (service_mark_sent(svc, sent_ids, nsent) != SERVICE_OK)
            printf("RETRY sent\n");
        nsent = 0;
    } else {
        fprintf(stderr, "service_drive: unknown command %s\n", line);
    }
    fflush(stdout);
}

/* A template file in which every key renders as "key field=value ...". */
static void print_test_templates(void)
{
    const char *const *keys = reply_keys();

    puts("# generated by service_drive -G: every reply shows its key and fields");
    puts("[ru]");
    for (size_t i = 0; keys[i]; i++) {
        printf("%s = %s", keys[i], keys[i]);
        for (const char *const *f = reply_key_fields(keys[i]); f && *f; f++)
            printf(" %s={%s}", *f, *f);
        putchar('\n');
    }
    puts("[kk]\nlanguage_set = kk:language_set\nhelp = kk:help");
    puts("[en]\nlanguage_set = en:language_set\nhelp = en:help");
}

static struct reply_templates *load_templates(const char *path)
{
    char err[256], *buf;
    FILE *f = fopen(path, "rb");
    long len;
    struct reply_templates *t;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)len + 1)) == NULL) {
        fprintf(stderr, "service_drive: cannot read %s\n", path);
        exit(1);
    }
    if (fread(buf, 1, (size_t)len, f) != (size_t)len)
        exit(1);
    fclose(f);
    t = reply_templates_parse(buf, (size_t)len, err, sizeof err);
    free(buf);
    if (t == NULL) {
        fprintf(stderr, "service_drive: %s: %s\n", path, err);
        exit(1);
    }
    return t;
}

static void log_stderr(void *ctx, enum service_log_level level, const char *msg)
{
    (void)ctx;
    if (verbose || level >= SERVICE_LOG_WARNING)
        fprintf(stderr, "service: %d %s\n", (int)level, msg);
}

int main(int argc, char **argv)
{
    struct service_config cfg = { "", "7757", "7701", 300, 10, 12, "ru", NULL,
                                  PLATE_POLICY_KZ_ONLY, NULL, 0, 0, 0 };
    const char *templates = "templates/replies.conf", *zone_name = "Asia/Almaty";
    struct local_zone zone;
    long hour_seconds;
    int report = 0;
    unsigned long trips0;
    struct reply_templates *t;
    char err[256], line[2048];
    int c;

    while ((c = getopt(argc, argv, "Gc:t:H:O:T:r:m:l:z:s:C:L:ovPR")) != -1) {
        switch (c) {
        case 'G': print_test_templates(); return 0;
        case 'c': cfg.conninfo = optarg; break;
        case 't': templates = optarg; break;
        case 'H':
            hour_seconds = atol(optarg);
            clock_speed = hour_seconds > 0 && hour_seconds < 3600 ? 3600 / hour_seconds : 1;
            break;
        case 'O': clock_origin = (time_t)atoll(optarg); break;
        case 'T': cfg.confirm_timeout = atoi(optarg); break;
        case 'r': cfg.reminder_minutes = atoi(optarg); break;
        case 'm': cfg.max_hours = atoi(optarg); break;
        case 'l': cfg.default_language = optarg; break;
        case 'z': zone_name = optarg; break;
        case 's': cfg.service_number = optarg; break;
        case 'C': cfg.confirm_number = optarg; break;
        case 'L': cfg.rate_limit = atoi(optarg); break;
        case 'o': cfg.plate_policy = PLATE_POLICY_ALLOW_OTHER; break;
        case 'v': verbose = 1; break;
        case 'P': show_parts = 1; break;
        case 'R': report = 1; break;
        default: return 2;
        }
    }
    if (tz_load(zone_name, &zone, err, sizeof err) != 0) {
        fprintf(stderr, "service_drive: time zone: %s\n", err);
        return 1;
    }
    t = load_templates(templates);
    cfg.templates = t;
    cfg.zone = &zone;
    clock_now = time(NULL);
    svc = service_create(&cfg, err, sizeof err);
    if (svc == NULL) {
        fprintf(stderr, "service_drive: %s\n", err);
        reply_templates_destroy(t);
        return 1;
    }
    service_set_log(svc, log_stderr, NULL);
    trips0 = pg_round_trips();
    while (fgets(line, sizeof line, stdin)) {
        struct mo mo;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        if (line[0] == '@')
            command(line);
        else if (split_mo(line, &mo) == 0)
            handle(&mo);
        else
            fprintf(stderr, "service_drive: bad line: %s\n", line);
    }
    if (report)
        fprintf(stderr, "round trips %lu mos %lu\n", pg_round_trips() - trips0, mos_handled);
    service_destroy(svc);
    reply_templates_destroy(t);
    free(sent_ids);
    return 0;
}
