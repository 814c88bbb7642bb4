/* msisdn.c: the sender rule and the log mask (see msisdn.h). */
#include "msisdn.h"

#include <string.h>

enum msisdn_error msisdn_check(const char *sender)
{
    const char *d = sender && sender[0] == '+' ? sender + 1 : sender;
    size_t n;

    if (d == NULL || *d == '\0')
        return MSISDN_EMPTY;
    n = strlen(d);
    for (size_t i = 0; i < n; i++)
        if (d[i] < '0' || d[i] > '9')
            return MSISDN_NOT_DIGITS;
    if (d[0] == '0')
        return MSISDN_LEADING_ZERO;
    if (n < MSISDN_DIGITS_MIN)
        return MSISDN_TOO_SHORT;
    return n > MSISDN_DIGITS_MAX ? MSISDN_TOO_LONG : MSISDN_OK;
}

const char *msisdn_error_reason(enum msisdn_error e)
{
    switch (e) {
    case MSISDN_OK:           return "";
    case MSISDN_EMPTY:        return "empty";
    case MSISDN_NOT_DIGITS:   return "not digits";
    case MSISDN_LEADING_ZERO: return "starts with 0";
    case MSISDN_TOO_SHORT:    return "fewer than 7 digits";
    case MSISDN_TOO_LONG:     return "more than 15 digits";
    }
    return "unknown";
}

static char shown(char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '+')
        return c;
    return '?';
}

void msisdn_mask(const char *number, char *buf, size_t size)
{
    size_t n = number ? strlen(number) : 0, head, tail, o = 0;

    if (size == 0)
        return;
    head = n >= 10 ? 4 : 0;
    tail = n >= 5 && n < size ? 2 : 0;     /* a cut result keeps no tail */
    for (size_t i = 0; i < n && o + 1 < size; i++)
        buf[o++] = (char)(i < head || i >= n - tail ? shown(number[i]) : '*');
    buf[o] = '\0';
}
