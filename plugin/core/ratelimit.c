/* ratelimit.c: token buckets per MSISDN in a fixed set-associative table (see ratelimit.h).
   Tokens are counted in 1/60 of an MO, so that a refill of per_minute MOs a minute is
   per_minute units a second, in integers. */
#include "ratelimit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNIT 60                /* tokens of one MO */

struct entry {
    char key[RATELIMIT_KEY_MAX + 1];   /* "" when free */
    int64_t tokens;
    time_t last;
    int told;                  /* RATELIMIT_FIRST given since the last pass */
};

struct ratelimit {
    int64_t capacity;          /* per_minute * UNIT */
    int64_t rate;              /* units a second */
    size_t mask;               /* sets - 1 */
    struct entry *e;
};

struct ratelimit *ratelimit_create(int per_minute, size_t sets)
{
    struct ratelimit *rl;
    size_t n = 1;

    if (per_minute < 1 || (rl = calloc(1, sizeof *rl)) == NULL)
        return NULL;
    while (n < sets && n < ((size_t)1 << 24))
        n <<= 1;
    rl->capacity = (int64_t)per_minute * UNIT;
    rl->rate = per_minute;
    rl->mask = n - 1;
    if ((rl->e = calloc(n * RATELIMIT_WAYS, sizeof *rl->e)) == NULL) {
        free(rl);
        return NULL;
    }
    return rl;
}

void ratelimit_destroy(struct ratelimit *rl)
{
    if (rl == NULL)
        return;
    free(rl->e);
    free(rl);
}

static size_t hash(const char *key)
{
    uint32_t h = 2166136261u;                  /* FNV-1a */

    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 16777619u;
    return h;
}

/* The key's entry in its set, or the one to reuse: a free one, else the longest idle. */
static struct entry *find(struct ratelimit *rl, const char *key, int *found)
{
    struct entry *set = rl->e + (hash(key) & rl->mask) * RATELIMIT_WAYS, *pick = set;

    for (int i = 0; i < RATELIMIT_WAYS; i++) {
        if (set[i].key[0] && strcmp(set[i].key, key) == 0) {
            *found = 1;
            return &set[i];
        }
        if (pick->key[0] && (!set[i].key[0] || set[i].last < pick->last))
            pick = &set[i];
    }
    *found = 0;
    return pick;
}

enum ratelimit_verdict ratelimit_take(struct ratelimit *rl, const char *key, time_t now)
{
    char k[RATELIMIT_KEY_MAX + 1];
    struct entry *e;
    int found;

    snprintf(k, sizeof k, "%s", key ? key : "");
    e = find(rl, k, &found);
    if (!found) {
        memcpy(e->key, k, sizeof k);
        e->tokens = rl->capacity;
        e->last = now;
        e->told = 0;
    } else if (now > e->last) {
        int64_t gap = (int64_t)(now - e->last);
        e->tokens = gap >= rl->capacity / rl->rate ? rl->capacity
                    : e->tokens + gap * rl->rate < rl->capacity ? e->tokens + gap * rl->rate
                    : rl->capacity;
        e->last = now;
    }
    if (e->tokens >= UNIT) {
        e->tokens -= UNIT;
        e->told = 0;
        return RATELIMIT_PASS;
    }
    if (e->told)
        return RATELIMIT_DROP;
    e->told = 1;
    return RATELIMIT_FIRST;
}
