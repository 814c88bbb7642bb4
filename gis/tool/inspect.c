/* inspect.c: zone numbers and plate problems for the operators' input commands (inspect.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "inspect.h"

/* Exactly n ASCII digits at *p into *v; advances *p. 0 or -1. */
static int digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (!isdigit((unsigned char)**p))
            return -1;
        *v = *v * 10 + (**p - '0');
    }
    return 0;
}

int inspect_parse_zone(const char *cmd, const char *text, int *zone)
{
    size_t n = strlen(text);
    const char *p = text;

    if (n >= 1 && n <= 4 && strspn(text, "0123456789") == n && digits(&p, (int)n, zone) == 0)
        return 0;
    fprintf(stderr, "parkzones %s: bad zone '%s': a zone is a number of up to 4 digits "
            "(e.g. 1001)\n", cmd, text);
    return PZ_EXIT_DATA;
}

void inspect_plate_problem(const char *text, enum plate_error e, size_t pos, char *buf,
                           size_t size)
{
    size_t ch = 1;

    for (size_t i = 0; i < pos && text[i] != '\0'; i++)
        ch += ((unsigned char)text[i] & 0xC0) != 0x80;
    if (e == PLATE_BAD_UTF8 || e == PLATE_BAD_CHAR || e == PLATE_TOO_LONG || e == PLATE_BAD_REGION)
        snprintf(buf, size, "%s (at character %zu)", plate_error_reason(e), ch);
    else
        snprintf(buf, size, "%s", plate_error_reason(e));
}
