/* export_svg.c: an SVG map of the zones: one panel per group of nearby zones (all panels at
 * one scale, so far-apart zones stay legible), blocks coloured by zone and labelled with their
 * street, cross streets in grey, a scale bar per panel, a legend with zone numbers, names and
 * tariffs, an overview of where the panels lie, and the data credit. */
#include "export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tariff.h"

#define MARGIN 20.0          /* px around and between panels */
#define PANEL_PAD_M 70.0     /* metres of context around a panel's blocks */
#define GROUP_GAP_M 600.0    /* zones closer than this share a panel */
#define PANEL_MAX_H 700.0    /* px */
#define TITLE_H 56.0
#define LEGEND_ROW 26.0
#define OVERVIEW_W 260.0
#define FONT "font-family=\"DejaVu Sans, Verdana, sans-serif\""

struct box { double x0, y0, x1, y1; };           /* metres, y north */

struct panel {
    struct box m;            /* extent in metres */
    double px, py;           /* top-left in pixels */
    int *zones;              /* zone numbers in this panel */
    size_t nzones;
};

struct map {
    const struct export_data *d;
    double lon0, lat0, mx, my;   /* projection origin and metres per degree */
    double scale;                /* px per metre */
    struct panel *panels;
    size_t npanels;
    double width, height, legend_y;
};

/* ---- projection and boxes --------------------------------------------------------------- */

static void project(const struct map *m, double lon, double lat, double *x, double *y)
{
    *x = (lon - m->lon0) * m->mx;
    *y = (lat - m->lat0) * m->my;
}

static void box_empty(struct box *b)
{
    b->x0 = b->y0 = INFINITY;
    b->x1 = b->y1 = -INFINITY;
}

static void box_add(struct box *b, double x, double y)
{
    b->x0 = fmin(b->x0, x);
    b->y0 = fmin(b->y0, y);
    b->x1 = fmax(b->x1, x);
    b->y1 = fmax(b->y1, y);
}

static double box_gap(const struct box *a, const struct box *b)
{
    double dx = fmax(0, fmax(a->x0 - b->x1, b->x0 - a->x1));
    double dy = fmax(0, fmax(a->y0 - b->y1, b->y0 - a->y1));
    return hypot(dx, dy);
}

static struct box zone_box(const struct map *m, int zone)
{
    struct box b;
    box_empty(&b);
    for (size_t i = 0; i < m->d->set->nblocks; i++) {
        const struct zone_block *k = &m->d->set->blocks[i];
        for (size_t j = 0; k->zone == zone && j < k->npoints; j++) {
            double x, y;
            project(m, k->xy[2 * j], k->xy[2 * j + 1], &x, &y);
            box_add(&b, x, y);
        }
    }
    return b;
}

/* Screen position of a lon/lat point in panel p. */
static void to_px(const struct map *m, const struct panel *p, double lon, double lat,
                  double *sx, double *sy)
{
    double x, y;
    project(m, lon, lat, &x, &y);
    *sx = p->px + (x - p->m.x0) * m->scale;
    *sy = p->py + (p->m.y1 - y) * m->scale;
}

/* ---- layout ----------------------------------------------------------------------------- */

static void set_origin(struct map *m)
{
    struct box b;
    box_empty(&b);
    const struct zone_set *s = m->d->set;
    for (size_t i = 0; i < s->nblocks; i++)
        for (size_t j = 0; j < s->blocks[i].npoints; j++)
            box_add(&b, s->blocks[i].xy[2 * j], s->blocks[i].xy[2 * j + 1]);
    m->lon0 = isfinite(b.x0) ? (b.x0 + b.x1) / 2 : 0;
    m->lat0 = isfinite(b.y0) ? (b.y0 + b.y1) / 2 : 0;
    double phi = m->lat0 * M_PI / 180;
    m->my = 111132.954 - 559.822 * cos(2 * phi);
    m->mx = 111412.84 * cos(phi) - 93.5 * cos(3 * phi);
}

/* Groups zones with blocks into panels (single linkage on GROUP_GAP_M). */
static int group_panels(struct map *m)
{
    const struct zone_set *s = m->d->set;
    m->panels = calloc(s->nzones + 1, sizeof *m->panels);
    if (m->panels == NULL)
        return -1;
    for (size_t i = 0; i < s->nzones; i++) {
        struct box b = zone_box(m, s->zones[i].number);
        if (!isfinite(b.x0))
            continue;                      /* no blocks: legend only */
        struct panel *join = NULL;
        for (size_t p = 0; p < m->npanels && join == NULL; p++)
            if (box_gap(&m->panels[p].m, &b) < GROUP_GAP_M)
                join = &m->panels[p];
        if (join == NULL) {
            join = &m->panels[m->npanels++];
            box_empty(&join->m);
            join->zones = calloc(s->nzones, sizeof *join->zones);
            if (join->zones == NULL)
                return -1;
        }
        box_add(&join->m, b.x0, b.y0);
        box_add(&join->m, b.x1, b.y1);
        /* every panel below npanels got its zones array when it was opened */
        // NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
        join->zones[join->nzones++] = s->zones[i].number;
    }
    for (size_t p = 0; p < m->npanels; p++) {
        struct box *b = &m->panels[p].m;
        b->x0 -= PANEL_PAD_M; b->y0 -= PANEL_PAD_M; b->x1 += PANEL_PAD_M; b->y1 += PANEL_PAD_M;
        if (b->y1 - b->y0 < 220) {       /* room for the title and the scale bar */
            double c = (b->y0 + b->y1) / 2;
            b->y0 = c - 110;
            b->y1 = c + 110;
        }
    }
    return 0;
}

/* One scale for all panels: a single row when that keeps them large enough, else rows. */
static void place_panels(struct map *m)
{
    double avail = m->width - 2 * MARGIN, sum_w = 0, max_w = 1, max_h = 1;
    for (size_t p = 0; p < m->npanels; p++) {
        double w = m->panels[p].m.x1 - m->panels[p].m.x0, h = m->panels[p].m.y1 - m->panels[p].m.y0;
        sum_w += w;
        max_w = fmax(max_w, w);
        max_h = fmax(max_h, h);
    }
    double gaps = m->npanels > 1 ? (double)(m->npanels - 1) * MARGIN : 0;
    double s_one = fmin(avail / max_w, PANEL_MAX_H / max_h);
    double s_row = fmin(sum_w > 0 ? (avail - gaps) / sum_w : s_one, PANEL_MAX_H / max_h);
    m->scale = s_row >= 0.6 * s_one ? s_row : 0.75 * s_one;
    for (size_t p = 0; p < m->npanels; p++) {  /* room above for titles, below for the bar */
        m->panels[p].m.y1 += (12 + 20 * (double)m->panels[p].nzones) / m->scale;
        m->panels[p].m.y0 -= 24 / m->scale;
    }
    double x = MARGIN, y = TITLE_H, row_h = 0;
    for (size_t p = 0; p < m->npanels; p++) {
        struct panel *pn = &m->panels[p];
        double w = (pn->m.x1 - pn->m.x0) * m->scale, h = (pn->m.y1 - pn->m.y0) * m->scale;
        if (x > MARGIN && x + w > m->width - MARGIN + 0.5) {
            x = MARGIN;
            y += row_h + MARGIN;
            row_h = 0;
        }
        pn->px = x;
        pn->py = y;
        x += w + MARGIN;
        row_h = fmax(row_h, h);
    }
    m->legend_y = y + row_h + MARGIN;
    double legend_h = fmax((double)m->d->set->nzones * LEGEND_ROW + 40,
                           m->npanels > 1 ? OVERVIEW_W * 0.75 + 20 : 0);   /* the overview */
    m->height = ceil(m->legend_y + legend_h + 36);
}

/* ---- drawing helpers -------------------------------------------------------------------- */

/* Text with a white halo: drawn twice. attrs are extra attributes for both copies. */
static void halo_text(FILE *f, double x, double y, double angle, const char *attrs,
                      const char *fill, const char *text)
{
    for (int pass = 0; pass < 2; pass++) {
        fprintf(f, "<text transform=\"translate(%.1f %.1f) rotate(%.1f)\" %s %s", x, y, angle,
                FONT, attrs);
        if (pass == 0)
            fputs(" fill=\"#fff\" stroke=\"#fff\" stroke-width=\"3.5\" stroke-linejoin=\"round\">", f);
        else
            fprintf(f, " fill=\"%s\">", fill);
        export_put_xml_text(f, text);
        fputs("</text>\n", f);
    }
}

static int panel_has(const struct panel *p, int zone)
{
    for (size_t i = 0; i < p->nzones; i++)
        if (p->zones[i] == zone)
            return 1;
    return 0;
}

/* Angle in degrees of the screen segment, turned so that text is never upside down. */
static double label_angle(double x0, double y0, double x1, double y1)
{
    double a = atan2(y1 - y0, x1 - x0) * 180 / M_PI;
    if (a > 90)
        a -= 180;
    if (a < -90)
        a += 180;
    return a;
}

/* ---- panel contents --------------------------------------------------------------------- */

static int is_block_street(const struct zone_set *s, const struct panel *p, const char *name)
{
    for (size_t i = 0; i < s->nblocks; i++)
        if (panel_has(p, s->blocks[i].zone) && strcmp(s->blocks[i].street, name) == 0)
            return 1;
    return 0;
}

/* The direction (screen) of a block of street `name` in the panel, for a cross-street stub. */
static int street_direction(const struct map *m, const struct panel *p, const char *name,
                            double *dx, double *dy)
{
    const struct zone_set *s = m->d->set;
    for (size_t i = 0; i < s->nblocks; i++) {
        const struct zone_block *b = &s->blocks[i];
        if (!panel_has(p, b->zone) || strcmp(b->street, name) != 0 || b->npoints < 2)
            continue;
        double x0, y0, x1, y1;
        to_px(m, p, b->xy[0], b->xy[1], &x0, &y0);
        to_px(m, p, b->xy[2 * b->npoints - 2], b->xy[2 * b->npoints - 1], &x1, &y1);
        double len = hypot(x1 - x0, y1 - y0);
        if (len > 0) {
            *dx = (x1 - x0) / len;
            *dy = (y1 - y0) / len;
            return 1;
        }
    }
    return 0;
}

/* Screen points of the intersections of `name` in the panel, sorted along the main axis. */
static size_t cross_points(const struct map *m, const struct panel *p, const char *name,
                           double *pts, size_t max, const char **other)
{
    const struct zone_set *s = m->d->set;
    size_t n = 0;
    for (size_t i = 0; i < s->nintersections && n < max; i++) {
        const struct zone_intersection *x = &s->intersections[i];
        const char *o = strcmp(x->name_a, name) == 0 ? x->name_b
                      : strcmp(x->name_b, name) == 0 ? x->name_a : NULL;
        double lx, ly;
        project(m, x->lon, x->lat, &lx, &ly);
        if (o == NULL || lx < p->m.x0 || lx > p->m.x1 || ly < p->m.y0 || ly > p->m.y1)
            continue;
        to_px(m, p, x->lon, x->lat, &pts[2 * n], &pts[2 * n + 1]);
        *other = o;
        n++;
    }
    if (n < 2)
        return n;
    int vertical = fabs(pts[2 * n - 1] - pts[1]) > fabs(pts[2 * n - 2] - pts[0]);
    for (size_t i = 1; i < n; i++)           /* insertion sort on x or y */
        for (size_t j = i; j > 0 && pts[2 * j + vertical] < pts[2 * j - 2 + vertical]; j--) {
            double tx = pts[2 * j], ty = pts[2 * j + 1];
            pts[2 * j] = pts[2 * j - 2];
            pts[2 * j + 1] = pts[2 * j - 1];
            pts[2 * j - 2] = tx;
            pts[2 * j - 1] = ty;
        }
    return n;
}

/* A grey cross street through its intersections (or a stub across the block street when it
 * has only one), labelled at its end. */
static void draw_cross_street(FILE *f, const struct map *m, const struct panel *p,
                              const char *name)
{
    double pts[64], dx, dy, ext = 55 * m->scale;
    const char *other = NULL;
    size_t n = cross_points(m, p, name, pts, 32, &other);
    if (n == 0)
        return;
    double ax = pts[0], ay = pts[1], bx = pts[2 * n - 2], by = pts[2 * n - 1];
    if (n >= 2) {
        double len = hypot(bx - ax, by - ay);
        dx = (bx - ax) / len;
        dy = (by - ay) / len;
    } else if (street_direction(m, p, other, &dx, &dy)) {
        double t = dx;
        dx = -dy;                              /* perpendicular to the block street */
        dy = t;
    } else {
        return;
    }
    ax -= dx * ext; ay -= dy * ext; bx += dx * ext; by += dy * ext;
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c8c8c8\" "
               "stroke-width=\"7\" stroke-linecap=\"round\"/>\n", ax, ay, bx, by);
    /* label: between the first two crossings, or along the stub beyond its crossing */
    double lx = n >= 2 ? (pts[0] + pts[2]) / 2 : pts[0] + dx * ext * 0.55;
    double ly = n >= 2 ? (pts[1] + pts[3]) / 2 : pts[1] + dy * ext * 0.55;
    double angle = label_angle(ax, ay, bx, by);
    const char *attrs = "font-size=\"11\" font-style=\"italic\" text-anchor=\"middle\" y=\"-6\"";
    halo_text(f, lx, ly, angle, attrs, "#707070", name);
}

static void draw_block(FILE *f, const struct map *m, const struct panel *p,
                       const struct zone_block *b)
{
    const struct zone_set *s = m->d->set;
    const struct zone_info *z = zone_set_find_zone(s, b->zone);
    const char *colour = export_zone_colour(b->zone);
    if (b->npoints < 2)
        return;
    fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"4\" "
               "stroke-linecap=\"round\" stroke-linejoin=\"round\"%s points=\"", colour,
            z != NULL && !z->active ? " stroke-dasharray=\"10 6\"" : "");
    for (size_t i = 0; i < b->npoints; i++) {
        double x, y;
        to_px(m, p, b->xy[2 * i], b->xy[2 * i + 1], &x, &y);
        fprintf(f, "%s%.1f,%.1f", i ? " " : "", x, y);
    }
    fputs("\"/>\n", f);
}

static void label_block(FILE *f, const struct map *m, const struct panel *p,
                        const struct zone_block *b)
{
    if (b->npoints < 2)
        return;
    size_t k = (b->npoints - 1) / 2;     /* middle segment */
    double x0, y0, x1, y1;
    to_px(m, p, b->xy[2 * k], b->xy[2 * k + 1], &x0, &y0);
    to_px(m, p, b->xy[2 * k + 2], b->xy[2 * k + 3], &x1, &y1);
    if (hypot(x1 - x0, y1 - y0) < 40)
        return;                          /* too short to carry a label */
    halo_text(f, (x0 + x1) / 2, (y0 + y1) / 2, label_angle(x0, y0, x1, y1),
              "font-size=\"12\" font-weight=\"bold\" text-anchor=\"middle\" y=\"-8\"", "#222",
              b->street);
}

static void draw_area(FILE *f, const struct map *m, const struct panel *p,
                      const struct export_area *a, const char *colour)
{
    fprintf(f, "<path fill=\"%s\" fill-opacity=\"0.4\" fill-rule=\"evenodd\" stroke=\"none\" d=\"",
            colour);
    for (size_t i = 0; i < a->npolygons; i++)
        for (size_t r = 0; r < a->polygons[i].nrings; r++) {
            const struct export_ring *ring = &a->polygons[i].rings[r];
            for (size_t j = 0; j < ring->npoints; j++) {
                double x, y;
                to_px(m, p, ring->xy[2 * j], ring->xy[2 * j + 1], &x, &y);
                fprintf(f, "%c%.1f,%.1f", j ? 'L' : 'M', x, y);
            }
            fputc('Z', f);
        }
    fputs("\"/>\n", f);
}

/* A round length (metres) whose bar is 80..200 px long. */
static double scale_length(double scale)
{
    static const double steps[] = { 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000 };
    double best = steps[0];
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] * scale <= 200)
            best = steps[i];
    return best;
}

static void draw_scale_bar(FILE *f, double x, double y, double scale)
{
    double len = scale_length(scale), w = len * scale;
    fprintf(f, "<g " FONT " font-size=\"11\" fill=\"#333\">"
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"6\" fill=\"#fff\" stroke=\"#333\"/>"
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"6\" fill=\"#333\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">0</text>"
               "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.0f m</text></g>\n",
            x, y, w, x, y, w / 2, x, y - 4, x + w, y - 4, len);
}

static void draw_north(FILE *f, double x, double y)
{
    fprintf(f, "<g " FONT "><path d=\"M%.1f,%.1f l7,18 l-7,-5 l-7,5 z\" fill=\"#333\"/>"
               "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" "
               "font-weight=\"bold\" fill=\"#333\">N</text></g>\n", x, y + 14, x, y + 12);
}

static void draw_panel_title(FILE *f, const struct map *m, const struct panel *p)
{
    const struct zone_set *s = m->d->set;
    for (size_t i = 0; i < p->nzones; i++) {
        double y = p->py + 22 + 20.0 * (double)i;
        const struct zone_info *z = zone_set_find_zone(s, p->zones[i]);
        char text[256];
        snprintf(text, sizeof text, "%04d %s", z->number, z->name);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\"/>\n",
                p->px + 10, y - 12, export_zone_colour(z->number));
        halo_text(f, p->px + 30, y, 0, "font-size=\"15\" font-weight=\"bold\"", "#111", text);
    }
}

static void draw_panel(FILE *f, const struct map *m, size_t pi)
{
    const struct panel *p = &m->panels[pi];
    const struct zone_set *s = m->d->set;
    double w = (p->m.x1 - p->m.x0) * m->scale, h = (p->m.y1 - p->m.y0) * m->scale;
    fprintf(f, "<clipPath id=\"panel%zu\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
               "height=\"%.1f\"/></clipPath>\n", pi, p->px, p->py, w, h);
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#f4f3ef\" "
               "stroke=\"#999\"/>\n<g clip-path=\"url(#panel%zu)\">\n", p->px, p->py, w, h, pi);
    for (size_t i = 0; i < s->nintersections; i++) {
        const struct zone_intersection *x = &s->intersections[i];
        const char *names[2] = { x->name_a, x->name_b };
        for (int k = 0; k < 2; k++) {
            int first = 1;                   /* draw each cross street once */
            for (size_t j = 0; j < i && first; j++)
                first = strcmp(s->intersections[j].name_a, names[k]) != 0 &&
                        strcmp(s->intersections[j].name_b, names[k]) != 0;
            if (first && (k == 0 || strcmp(names[0], names[1]) != 0) &&
                !is_block_street(s, p, names[k]))
                draw_cross_street(f, m, p, names[k]);
        }
    }
    for (size_t i = 0; i < p->nzones; i++) {
        const struct export_area *a = export_find_area(m->d, p->zones[i]);
        if (a != NULL)
            draw_area(f, m, p, a, export_zone_colour(p->zones[i]));
    }
    for (size_t i = 0; i < s->nblocks; i++)
        if (panel_has(p, s->blocks[i].zone))
            draw_block(f, m, p, &s->blocks[i]);
    for (size_t i = 0; i < s->nblocks; i++)
        if (panel_has(p, s->blocks[i].zone))
            label_block(f, m, p, &s->blocks[i]);
    fputs("</g>\n", f);
    draw_panel_title(f, m, p);
    draw_scale_bar(f, p->px + 12, p->py + h - 14, m->scale);
    draw_north(f, p->px + w - 20, p->py + 8);
}

/* ---- legend, overview, credit ----------------------------------------------------------- */

static void draw_legend(FILE *f, const struct map *m)
{
    const struct zone_set *s = m->d->set;
    double y = m->legend_y + 16;
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" " FONT " font-size=\"14\" font-weight=\"bold\" "
               "fill=\"#111\">Zones</text>\n", MARGIN, y);
    for (size_t i = 0; i < s->nzones; i++) {
        const struct zone_info *z = &s->zones[i];
        char money[32];
        size_t nb = 0;
        for (size_t j = 0; j < s->nblocks; j++)
            nb += s->blocks[j].zone == z->number;
        tariff_format_money(z->tariff_tiyn, money, sizeof money);
        y += LEGEND_ROW;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                   "stroke-width=\"6\" stroke-linecap=\"round\"%s/>\n", MARGIN + 4, y - 5,
                MARGIN + 34, y - 5, export_zone_colour(z->number),
                z->active ? "" : " stroke-dasharray=\"8 5\"");
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" " FONT " font-size=\"13\" fill=\"#111\">"
                   "<tspan font-weight=\"bold\">%04d</tspan> ", MARGIN + 46, y, z->number);
        export_put_xml_text(f, z->name);
        fprintf(f, " \xe2\x80\x94 %s \xe2\x82\xb8/h \xe2\x80\x94 %zu block%s%s</text>\n", money,
                nb, nb == 1 ? "" : "s", z->active ? "" : " \xe2\x80\x94 inactive");
    }
    y += LEGEND_ROW;
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" " FONT " font-size=\"11\" fill=\"#555\">Coloured "
               "lines: paid blocks; shading: the zone area (kerb strip %.0f m); grey: cross "
               "streets.%s</text>\n", MARGIN, y,
            m->d->kerb_width_m, m->npanels > 1 ? " All panels share one scale." : "");
}

static void draw_overview(FILE *f, const struct map *m)
{
    struct box all;
    box_empty(&all);
    for (size_t p = 0; p < m->npanels; p++) {
        box_add(&all, m->panels[p].m.x0, m->panels[p].m.y0);
        box_add(&all, m->panels[p].m.x1, m->panels[p].m.y1);
    }
    if (m->npanels < 2)
        return;
    double ow = OVERVIEW_W, oh = OVERVIEW_W * 0.75 - 24;
    double ox = m->width - MARGIN - ow, oy = m->legend_y + 24;
    double s = fmin((ow - 20) / (all.x1 - all.x0), (oh - 20) / (all.y1 - all.y0));
    double cx = ox + (ow - (all.x1 - all.x0) * s) / 2, cy = oy + (oh - (all.y1 - all.y0) * s) / 2;
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" " FONT " font-size=\"12\" font-weight=\"bold\" "
               "fill=\"#111\">Where the panels lie</text>\n", ox, oy - 8);
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fafaf8\" "
               "stroke=\"#999\"/>\n", ox, oy, ow, oh);
    for (size_t p = 0; p < m->npanels; p++) {
        const struct panel *pn = &m->panels[p];
        double x = cx + (pn->m.x0 - all.x0) * s, y = cy + (all.y1 - pn->m.y1) * s;
        double w = (pn->m.x1 - pn->m.x0) * s, h = (pn->m.y1 - pn->m.y0) * s;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                   "fill-opacity=\"0.35\" stroke=\"%s\"/>\n", x, y, w, h,
                export_zone_colour(pn->zones[0]),
                export_zone_colour(pn->zones[0]));
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" " FONT " font-size=\"11\" fill=\"#111\" "
                   "text-anchor=\"middle\">", x + w / 2, y + h + 12 > oy + oh ? y - 3 : y + h + 12);
        for (size_t i = 0; i < pn->nzones; i++)
            fprintf(f, "%s%04d", i ? ", " : "", pn->zones[i]);
        fputs("</text>\n", f);
    }
    draw_scale_bar(f, ox + 8, oy + 20, s);
}

static void draw_credit(FILE *f, const struct map *m)
{
    int approximate = 0;
    for (size_t i = 0; i < m->d->set->nblocks; i++)
        approximate |= m->d->set->blocks[i].approximate;
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" " FONT " font-size=\"11\" fill=\"#555\">%s%s%s"
               "</text>\n", MARGIN, m->height - 12,
            approximate ? "Block positions are approximate (within about 150 m)." : "",
            approximate && m->d->has_osm ? " " : "",
            m->d->has_osm ? "Street data " EXPORT_OSM_CREDIT "." : "");
}

static void map_free(struct map *m)
{
    for (size_t p = 0; m->panels != NULL && p < m->npanels; p++)
        free(m->panels[p].zones);
    free(m->panels);
}

int export_svg(FILE *f, const struct export_data *d, const struct export_svg_options *o)
{
    struct map m = { .d = d, .width = o != NULL && o->width > 0 ? o->width : 1200 };
    const char *title = o != NULL && o->title != NULL ? o->title : "Paid parking zones";
    set_origin(&m);
    if (group_panels(&m) != 0) {
        map_free(&m);
        return -1;
    }
    place_panels(&m);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
               "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n"
               "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
            m.width, m.height, m.width, m.height);
    fprintf(f, "<text x=\"%.1f\" y=\"34\" " FONT " font-size=\"22\" font-weight=\"bold\" "
               "fill=\"#111\">", MARGIN);
    export_put_xml_text(f, title);
    fputs("</text>\n", f);
    for (size_t p = 0; p < m.npanels; p++)
        draw_panel(f, &m, p);
    draw_legend(f, &m);
    draw_overview(f, &m);
    draw_credit(f, &m);
    fputs("</svg>\n", f);
    map_free(&m);
    return ferror(f) ? -1 : 0;
}
