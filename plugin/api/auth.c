/* auth.c: API keys to roles (cached for a few seconds) and a rate limit per key. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api_int.h"
#include "portal.h"

#define SLOTS 4096
#define CACHE_TTL 5.0          /* s: a revoked key stops working within this */

struct slot {
    char hash[65];             /* the key's SHA-256; "" = empty slot */
    enum api_role role;
    long long id;
    char name[64];
    double fetched;            /* monotonic s */
    double tokens, refilled;   /* the rate limit's bucket */
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void auth_init(void)
{
    pthread_mutex_lock(&lock);
    memset(slots, 0, sizeof slots);
    pthread_mutex_unlock(&lock);
}

static enum api_role role_of(const char *name)
{
    static const struct { const char *name; enum api_role role; } roles[] = {
        { "inspector", ROLE_INSPECTOR }, { "operator", ROLE_OPERATOR }, { "fines", ROLE_FINES },
        { "portal", ROLE_PORTAL } };

    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(roles[i].name, name) == 0)
            return roles[i].role;
    return ROLE_NONE;
}

/* The key from "Authorization: Bearer KEY" or "X-API-Key: KEY"; NULL when none. */
static const char *key_of(const struct api_request *rq)
{
    const char *a = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Authorization");

    if (a != NULL && strncasecmp(a, "Bearer ", 7) == 0 && a[7] != '\0')
        return a + 7;
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-API-Key");
}

#define WAYS 8   /* a key's entry is one of WAYS slots from its hash's home slot */

/* The slot of hash: the one holding it, else (create) an empty or the least recently
   fetched one of its WAYS slots, cleared and claimed; NULL when not held and not create.
   Under lock. */
static struct slot *slot_of(const char *hash, int create)
{
    size_t home = strtoul((char[9]){ hash[0], hash[1], hash[2], hash[3], hash[4], hash[5],
                                     hash[6], hash[7], 0 }, NULL, 16) % SLOTS;
    struct slot *victim = NULL;

    for (size_t i = 0; i < WAYS; i++) {
        struct slot *s = &slots[(home + i) % SLOTS];
        if (strcmp(s->hash, hash) == 0)
            return s;
        if (victim == NULL || s->hash[0] == '\0' || (victim->hash[0] && s->fetched < victim->fetched))
            victim = s;
    }
    if (!create)
        return NULL;
    memset(victim, 0, sizeof(*victim));
    snprintf(victim->hash, sizeof victim->hash, "%s", hash);
    victim->tokens = -1;                 /* a full bucket on first use */
    return victim;
}

/* The cached entry for hash, copied into *out; 1 when fresh. */
static int cached(const char *hash, struct slot *out)
{
    struct slot *s;
    int fresh;

    pthread_mutex_lock(&lock);
    s = slot_of(hash, 0);
    fresh = s != NULL && now_s() - s->fetched < CACHE_TTL;
    if (fresh)
        *out = *s;
    pthread_mutex_unlock(&lock);
    return fresh;
}

static void remember(const char *hash, const struct slot *v)
{
    struct slot *s;

    pthread_mutex_lock(&lock);
    s = slot_of(hash, 1);
    s->role = v->role;
    s->id = v->id;
    s->fetched = v->fetched;
    snprintf(s->name, sizeof s->name, "%s", v->name);
    pthread_mutex_unlock(&lock);
}

/* Takes one token from the key's bucket; 0, or -1 when empty. */
static int take_token(const char *hash, int rate)
{
    struct slot *s;
    double t = now_s();
    int ok;

    pthread_mutex_lock(&lock);
    s = slot_of(hash, 1);
    if (s->tokens < 0)
        s->tokens = rate, s->refilled = t;
    s->tokens += (t - s->refilled) * rate;
    if (s->tokens > rate)
        s->tokens = rate;
    s->refilled = t;
    ok = s->tokens >= 1;
    if (ok)
        s->tokens -= 1;
    pthread_mutex_unlock(&lock);
    return ok ? 0 : -1;
}

/* The key's role, from the cache or the database; 0, or -1 after answering. */
static int resolve(struct api_request *rq, struct api_response *rs, const char *key,
                   const char *hash, struct slot *v)
{
    char role[16];
    struct en_error err = { 0, "" };

    if (cached(hash, v))
        return v->role == ROLE_NONE ? (api_error(rs, 401, "unknown or revoked API key"), -1) : 0;
    if (key_lookup(rq->cfg->enforce, key, role, &v->id, v->name, &err) == EN_UNAVAILABLE) {
        api_error(rs, 503, "%s", err.msg);
        return -1;
    }
    v->role = err.status == EN_OK ? role_of(role) : ROLE_NONE;
    v->fetched = now_s();
    remember(hash, v);
    if (v->role == ROLE_NONE) {
        api_error(rs, 401, "unknown or revoked API key");
        return -1;
    }
    return 0;
}

int auth_check(struct api_request *rq, struct api_response *rs, int roles)
{
    const char *key = key_of(rq);
    char hash[65];
    struct slot v = { 0 };

    if (key == NULL || key[0] == '\0') {
        api_error(rs, 401, "an API key is required: Authorization: Bearer KEY");
        return -1;
    }
    key_hash(key, hash);
    if (resolve(rq, rs, key, hash, &v) != 0)
        return -1;
    snprintf(rq->key_name, sizeof rq->key_name, "%s", v.name);
    rq->role = v.role;
    if (!(v.role & roles)) {
        api_error(rs, 403, "this key's role may not use %s %s", rq->method, rq->path);
        return -1;
    }
    if (take_token(hash, rq->cfg->rate_limit) != 0) {
        api_error(rs, 429, "more than %d requests per second with this key", rq->cfg->rate_limit);
        return -1;
    }
    return 0;
}
