/* portal.h: what the subscribers' portal reads and writes (role `portal`), and the API's
 * keys. Same contract as enforce.h: EN_OK and *out (the caller's), or a status and a
 * reason that may be shown to the client.
 */
#ifndef PARK_PORTAL_H
#define PARK_PORTAL_H

#include "enforce.h"

/* method "phone" (the carrier's account), "card" (token from the gateway and the card's
   last four digits) or "default"; payment_method_set() in sql/0006_payments.sql. */
enum en_status portal_method_set(struct enforce *e, const char *msisdn, const char *method,
                                 const char *token, const char *last4, json_t **out,
                                 struct en_error *err);
enum en_status portal_balance(struct enforce *e, const char *msisdn, json_t **out,
                              struct en_error *err);
/* what: "sessions", "payments" (receipt = the confirmed debit's id) or "movements" (the
   parking account's ledger legs). */
enum en_status portal_history(struct enforce *e, const char *msisdn, const char *what,
                              int limit, int offset, json_t **out, struct en_error *err);

/* A subscriber's number: '+' optional, then 10 to 15 digits. 0 / -1. */
int portal_msisdn_ok(const char *msisdn);

/* API keys: the key's SHA-256 in hex (65 bytes with the NUL). */
void key_hash(const char *key, char hex[65]);
/* A new random key ("pk_" + 64 hex digits: 256 bits) into buf (>= 68 bytes); 0 / -1. */
int key_generate(char *buf, size_t size);
/* The role and id of an unrevoked key; EN_NOT_FOUND for an unknown or revoked key. */
enum en_status key_lookup(struct enforce *e, const char *key, char role[16], long long *id,
                          char name[64], struct en_error *err);
/* Stores the hash of key with role and name; EN_OK and *id. */
enum en_status key_add(struct enforce *e, const char *role, const char *name, const char *key,
                       long long *id, struct en_error *err);
enum en_status key_revoke(struct enforce *e, long long id, struct en_error *err);

#endif
