/* msisdn.h: who may use the service (the sender rule) and phone numbers for logs.
 *
 * Pure core: no I/O, no allocation, no state. Every function takes borrowed input.
 *
 * The sender rule (docs/parkbox.md, "Senders"): an MSISDN in E.164 digits, written with
 * or without a leading '+': 7 to 15 digits, the first of them not 0. Nothing else (an
 * alphanumeric sender such as "ABC", "+", "0", a short code, a national number written
 * with a trunk 0, anything longer) can start, confirm or stop anything.
 */
#ifndef PARK_MSISDN_H
#define PARK_MSISDN_H

#include <stddef.h>

#define MSISDN_DIGITS_MIN 7
#define MSISDN_DIGITS_MAX 15

enum msisdn_error {
    MSISDN_OK,
    MSISDN_EMPTY,          /* "" or "+" */
    MSISDN_NOT_DIGITS,     /* a character other than the digits after the optional '+' */
    MSISDN_LEADING_ZERO,   /* "0", "+0...", "8..." is fine, "07..." is not */
    MSISDN_TOO_SHORT,      /* fewer than MSISDN_DIGITS_MIN digits */
    MSISDN_TOO_LONG        /* more than MSISDN_DIGITS_MAX digits (or characters) */
};

/* Checks `sender` (NULL is MSISDN_EMPTY) against the rule above; the first failing
   check in the order of the enum. */
enum msisdn_error msisdn_check(const char *sender);

/* A short English reason for logs ("not digits"), static; "" for MSISDN_OK. */
const char *msisdn_error_reason(enum msisdn_error e);

/* `number` (any sender, valid or not) for logs, the one mask every log line uses:
   numbers of 10 characters or more keep the first four and the last two
   ("77011234567" -> "7701*****67", "+77011234567" -> "+770******67"); shorter ones keep
   only the last two ("7757" -> "**57", "123456" -> "****56"); of 4 or fewer characters
   nothing is kept ("ABC" -> "***"). Every other character is '*', one per byte, so no
   two lines can show different parts of one number. A kept character that is not a
   letter, a digit or '+' is written '?'. A result cut to size - 1 bytes shows no tail
   ("77011234567" in 8 bytes -> "7701***"). size 0 writes nothing. */
void msisdn_mask(const char *number, char *buf, size_t size);

#endif
