/* cmd_export.c: `parkzones export --format geojson|kml|svg|png|cds [--zone N] [--force]
 * [-o FILE]`.
 *
 * GeoJSON, KML and SVG are written by the export_* writers; PNG is the SVG rendered by
 * rsvg-convert (Debian package librsvg2-bin); CDS is the Curbs API response set of
 * export_cds.h: with -o DIR, the files DIR/zones.json, DIR/areas.json and DIR/policies.json
 * (DIR is created when missing); on stdout one object {"zones": ..., "areas": ...,
 * "policies": ...}. Output goes to stdout unless -o names a file; a file is written under a
 * temporary name and renamed, so a failed export leaves no file.
 * Data that validate calls an error (an empty or invalid line, a block outside the city, ...)
 * is not exported: the errors are listed and the exit status is 1, unless --force.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd_shared.h"
#include "commands.h"
#include "export.h"
#include "export_cds.h"
#include "zonedb.h"

#define ERRMAX 512

extern char **environ;

enum format { FMT_NONE, FMT_GEOJSON, FMT_KML, FMT_SVG, FMT_PNG, FMT_CDS };

struct export_opts {
    enum format format;
    int zone;                 /* -1: all */
    const char *out;          /* NULL or "-": stdout; a directory for CDS */
    int width;                /* SVG/PNG width in pixels */
    int force;                /* export even what validate calls an error */
};

static int usage(void)
{
    fprintf(stderr, "usage: parkzones export --format geojson|kml|svg|png|cds [--zone N] "
                    "[--width PIXELS] [--force] [-o FILE|DIR]\n");
    return PZ_EXIT_USAGE;
}

static enum format parse_format(const char *s)
{
    static const struct { const char *name; enum format f; } names[] = {
        { "geojson", FMT_GEOJSON }, { "json", FMT_GEOJSON }, { "kml", FMT_KML },
        { "svg", FMT_SVG }, { "png", FMT_PNG }, { "cds", FMT_CDS },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0)
            return names[i].f;
    return FMT_NONE;
}

/* Parses the arguments after "export"; 0, -1 for bad usage, or PZ_EXIT_DATA for a bad zone
   (reported). */
static int parse_args(int argc, char **argv, struct export_opts *o)
{
    *o = (struct export_opts){ FMT_NONE, -1, NULL, 1200, 0 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;
        /* argv[i] below argc is never NULL; the analyzer assumes argv[i + 1] may be */
        // NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
        if (strcmp(a, "--format") == 0 && v != NULL) {
            o->format = parse_format(v);
            if (o->format == FMT_NONE) {
                fprintf(stderr, "parkzones export: unknown format \"%s\" "
                                "(geojson, kml, svg, png, cds)\n", v);
                return -1;
            }
        } else if (strcmp(a, "--zone") == 0 && v != NULL) {
            if (cmd_parse_zone("export", v, &o->zone) != 0)
                return PZ_EXIT_DATA;
        } else if (strcmp(a, "--force") == 0) {
            o->force = 1;
            continue;
        } else if (strcmp(a, "--width") == 0 && v != NULL) {
            o->width = (int)strtol(v, &end, 10);
            if (*end != '\0' || o->width < 400 || o->width > 8000)
                return -1;
        } else if (strcmp(a, "-o") == 0 && v != NULL) {
            o->out = v;
        } else {
            return -1;
        }
        i++;
    }
    return o->format == FMT_NONE ? -1 : 0;
}

/* Runs rsvg-convert on the SVG file svg, writing png. Returns 0, or -1 with err. */
static int render_png(const char *svg, const char *png, char *err)
{
    char *const args[] = { "rsvg-convert", "--format=png", "-o", (char *)png, (char *)svg, NULL };
    pid_t pid;
    int st = posix_spawnp(&pid, "rsvg-convert", NULL, NULL, args, environ);
    if (st != 0) {
        snprintf(err, ERRMAX, "cannot run rsvg-convert: %s (Debian package librsvg2-bin)",
                 strerror(st));
        return -1;
    }
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        snprintf(err, ERRMAX, "rsvg-convert failed to render the map");
        return -1;
    }
    return 0;
}

static int write_format(FILE *f, const struct export_data *d, const struct export_opts *o)
{
    struct export_svg_options so = { o->width, NULL };
    switch (o->format) {
    case FMT_GEOJSON: return export_geojson(f, d);
    case FMT_KML: return export_kml(f, d);
    default: return export_svg(f, d, &so);
    }
}

/* Writes the export to path (a temporary name first, then renamed). */
static int write_file(const struct export_data *d, const struct export_opts *o, const char *path,
                      char *err)
{
    char tmp[4096], svgtmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    snprintf(svgtmp, sizeof svgtmp, "%s.svg.tmp%ld", path, (long)getpid());
    const char *first = o->format == FMT_PNG ? svgtmp : tmp;
    FILE *f = fopen(first, "w");
    if (f == NULL) {
        snprintf(err, ERRMAX, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    int rc = write_format(f, d, o);
    if (fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        snprintf(err, ERRMAX, "cannot write %s: %s", path, strerror(errno));
    if (rc == 0 && o->format == FMT_PNG) {
        rc = render_png(svgtmp, tmp, err);
        unlink(svgtmp);
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(err, ERRMAX, "cannot write %s: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc != 0) {
        unlink(first);
        unlink(tmp);
    }
    return rc;
}

/* PNG to stdout goes through a temporary file. */
static int write_stdout(const struct export_data *d, const struct export_opts *o, char *err)
{
    if (o->format != FMT_PNG) {
        int rc = write_format(stdout, d, o);
        if (fflush(stdout) != 0 || rc != 0) {
            snprintf(err, ERRMAX, "cannot write to standard output: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    char path[] = "/tmp/parkzones-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(err, ERRMAX, "cannot create a temporary file: %s", strerror(errno));
        return -1;
    }
    close(fd);
    int rc = write_file(d, o, path, err);
    FILE *f = rc == 0 ? fopen(path, "rb") : NULL;
    char buf[65536];
    size_t n;
    while (f != NULL && (n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, stdout);
    if (f != NULL)
        fclose(f);
    unlink(path);
    return rc == 0 && fflush(stdout) == 0 ? 0 : -1;
}

/* Writes doc to path through a temporary name. */
static int write_json_file(json_t *doc, const char *path, char *err)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof tmp) {
        snprintf(err, ERRMAX, "cannot write %.200s...: the path is too long", path);
        return -1;
    }
    if (json_dump_file(doc, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) != 0
        || rename(tmp, path) != 0) {
        snprintf(err, ERRMAX, "cannot write %.400s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* The CDS responses: three files in the directory o->out, or one object on stdout. */
static int write_cds(PGconn *c, const struct export_opts *o, char *err)
{
    json_t *docs[EXPORT_CDS_NDOCS];
    char path[2048];
    int rc = 0;

    if (export_cds_load(c, o->zone, docs, err, ERRMAX) != 0)
        return -1;
    if (o->out == NULL || strcmp(o->out, "-") == 0) {
        json_t *all = json_object();
        for (int d = 0; d < EXPORT_CDS_NDOCS; d++)
            json_object_set_new(all, export_cds_doc_name(d), docs[d]);
        if (json_dumpf(all, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) != 0
            || fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
            snprintf(err, ERRMAX, "cannot write to standard output: %s", strerror(errno));
            rc = -1;
        }
        json_decref(all);
        return rc;
    }
    if (mkdir(o->out, 0777) != 0 && errno != EEXIST) {
        snprintf(err, ERRMAX, "cannot create the directory %s: %s", o->out, strerror(errno));
        rc = -1;
    }
    for (int d = 0; d < EXPORT_CDS_NDOCS; d++) {
        if (snprintf(path, sizeof path, "%s/%s.json", o->out, export_cds_doc_name(d))
            >= (int)sizeof path && rc == 0) {
            snprintf(err, ERRMAX, "the directory name is too long");
            rc = -1;
        }
        if (rc == 0 && write_json_file(docs[d], path, err) != 0)
            rc = -1;
        json_decref(docs[d]);
    }
    return rc;
}

/* 0 when the data may be exported: no errors, or --force (then they are listed as such). */
static int check_data(const struct export_data *d, const struct export_opts *o)
{
    long n = cmd_check_errors("export", d->set, NULL, 0, o->force
                              ? "exporting anyway (--force)"
                              : "nothing exported (fix them, or export anyway with --force)");
    return n < 0 ? PZ_EXIT_FAIL : n > 0 && !o->force ? PZ_EXIT_DATA : 0;
}

int cmd_export(int argc, char **argv)
{
    struct export_opts o;
    char err[ERRMAX] = "";
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc == PZ_EXIT_DATA ? rc : usage();
    PGconn *c = zonedb_connect(NULL, err, sizeof err);
    struct export_data *d = NULL;
    int missing_zone = 0;
    if (c != NULL && zonedb_check_schema(c, err, sizeof err) == 0) {
        d = export_load_pg(c, o.zone, err, sizeof err);
        missing_zone = d == NULL && strstr(err, "does not exist") != NULL;
    }
    if (d == NULL) {
        PQfinish(c);
        fprintf(stderr, "parkzones export: %s\n", err);
        return missing_zone ? PZ_EXIT_DATA : PZ_EXIT_FAIL;
    }
    int status = check_data(d, &o);
    if (status == 0 && o.format == FMT_CDS)
        rc = write_cds(c, &o, err);
    else if (status == 0)
        rc = o.out == NULL || strcmp(o.out, "-") == 0 ? write_stdout(d, &o, err)
                                                       : write_file(d, &o, o.out, err);
    export_data_destroy(d);
    PQfinish(c);
    if (status == 0 && rc != 0) {
        fprintf(stderr, "parkzones export: %s\n", err);
        status = PZ_EXIT_FAIL;
    }
    return status;
}
