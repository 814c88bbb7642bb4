/* errbuf.h: filling a caller's error buffer (char *err, size_t errsize), for gis/lib's
 * own .c files only; not part of the library's interface. */
#ifndef PARK_GIS_ERRBUF_H
#define PARK_GIS_ERRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Writes the formatted message into err[0..errsize), cut to fit and NUL-terminated.
   Does nothing when err is NULL or errsize is 0 (the caller did not ask for a reason). */
static inline void errbuf_set(char *err, size_t errsize, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static inline void errbuf_set(char *err, size_t errsize, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || errsize == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errsize, fmt, ap);
    va_end(ap);
}

#endif
