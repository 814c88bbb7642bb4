/* keys.c: API keys, stored as their SHA-256 only (portal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "enforce_int.h"
#include "portal.h"

void key_hash(const char *key, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;

    EVP_Digest(key, strlen(key), md, &n, EVP_sha256(), NULL);
    for (unsigned int i = 0; i < n && i < 32; i++)
        snprintf(hex + (size_t)2 * i, 3, "%02x", md[i]);
    hex[64] = '\0';
}

int key_generate(char *buf, size_t size)
{
    unsigned char raw[32];

    if (size < 68 || RAND_bytes(raw, sizeof raw) != 1)
        return -1;
    buf[0] = 'p', buf[1] = 'k', buf[2] = '_';   /* the hex digits follow, then the NUL */
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(buf + 3 + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

enum en_status key_lookup(struct enforce *e, const char *key, char role[16], long long *id,
                          char name[64], struct en_error *err)
{
    char hex[65];
    const char *params[1] = { hex };
    PGconn *c = en_get(e, err);
    PGresult *r;

    if (c == NULL)
        return err->status;
    key_hash(key, hex);
    r = en_exec(e, c, ST_key_lookup, params, err);
    en_put(e, c);
    if (r == NULL)
        return err->status;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return en_fail(err, EN_NOT_FOUND, "unknown or revoked API key");
    }
    *id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    snprintf(name, 64, "%s", PQgetvalue(r, 0, 1));
    snprintf(role, 16, "%s", PQgetvalue(r, 0, 2));
    PQclear(r);
    return EN_OK;
}

enum en_status key_add(struct enforce *e, const char *role, const char *name, const char *key,
                       long long *id, struct en_error *err)
{
    char hex[65];
    const char *params[3] = { name, role, hex };
    PGconn *c = en_get(e, err);
    PGresult *r;

    if (c == NULL)
        return err->status;
    key_hash(key, hex);
    r = en_exec(e, c, ST_key_add, params, err);
    en_put(e, c);
    if (r == NULL)
        return en_fail(err, EN_INVALID, "role must be inspector, operator, fines or portal");
    *id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return EN_OK;
}

enum en_status key_revoke(struct enforce *e, long long id, struct en_error *err)
{
    char is[24];
    const char *params[1] = { is };
    PGconn *c = en_get(e, err);
    PGresult *r;
    int n;

    if (c == NULL)
        return err->status;
    snprintf(is, sizeof is, "%lld", id);
    r = en_exec(e, c, ST_key_revoke, params, err);
    en_put(e, c);
    if (r == NULL)
        return err->status;
    n = atoi(PQcmdTuples(r));
    PQclear(r);
    return n == 1 ? EN_OK : en_fail(err, EN_NOT_FOUND, "no unrevoked key %lld", id);
}
