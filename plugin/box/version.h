/* version.h: parkbox's own version and those of the libraries it runs with.
 *
 * The version comes from the file VERSION (via the generated config.h); the
 * Debian package's version is checked against the same file. gwlib is linked
 * statically, so its version is the one of the headers built against; libpq
 * and GEOS report the shared libraries loaded at run time.
 */
#ifndef PARKBOX_VERSION_H
#define PARKBOX_VERSION_H

#include <stddef.h>

struct box_versions {
    const char *parkbox;
    const char *gwlib;
    char libpq[16];         /* "15.14" */
    const char *geos;       /* GEOS's own string, "3.11.1-CAPI-1.17.1" */
};

void box_versions_get(struct box_versions *v);

/* The versions for `--version`, one per line, ending with a newline. */
void box_versions_text(char *buf, size_t size);

#endif
