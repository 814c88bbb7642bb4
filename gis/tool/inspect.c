/* inspect.c: plate problems for the operators' input commands (inspect.h). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "inspect.h"

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
