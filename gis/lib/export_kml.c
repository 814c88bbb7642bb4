/* export_kml.c: zones, blocks and intersections as KML 2.2: one Folder per kind (ogrinfo reads
 * each as a layer), attributes as typed SchemaData, blocks and areas styled in zone colours. */
#include "export.h"

#include <string.h>

static void put_data(FILE *f, const char *name, const char *value)
{
    if (value == NULL)
        return;
    fprintf(f, "<SimpleData name=\"%s\">", name);
    export_put_xml_text(f, value);
    fputs("</SimpleData>", f);
}

static void put_data_long(FILE *f, const char *name, long value)
{
    fprintf(f, "<SimpleData name=\"%s\">%ld</SimpleData>", name, value);
}

/* Ends a Placemark's <name>, gives it the style of zone (none when zone < 0) and opens its
 * typed attributes of schema ("zone", "block", "intersection"). */
static void put_data_start(FILE *f, int zone, const char *schema)
{
    fputs("</name>", f);
    if (zone >= 0)
        fprintf(f, "<styleUrl>#zone%d</styleUrl>", zone);
    fprintf(f, "<ExtendedData><SchemaData schemaUrl=\"#%s\">", schema);
}

static void put_coords(FILE *f, const double *xy, size_t n)
{
    fputs("<coordinates>", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%.7f,%.7f", i ? " " : "", xy[2 * i], xy[2 * i + 1]);
    fputs("</coordinates>", f);
}

/* KML colours are aabbggrr; in is "#rrggbb". */
static void put_kml_colour(FILE *f, const char *tag, const char *alpha, const char *rgb)
{
    fprintf(f, "<%s>%s%.2s%.2s%.2s</%s>", tag, alpha, rgb + 5, rgb + 3, rgb + 1, tag);
}

static void put_styles(FILE *f, const struct zone_set *s)
{
    for (size_t i = 0; i < s->nzones; i++) {
        const char *c = export_zone_colour(s->zones[i].number);
        fprintf(f, "<Style id=\"zone%d\"><LineStyle>", s->zones[i].number);
        put_kml_colour(f, "color", "ff", c);
        fputs("<width>4</width></LineStyle><PolyStyle>", f);
        put_kml_colour(f, "color", "80", c);
        fputs("</PolyStyle></Style>\n", f);
    }
}

static void put_schemas(FILE *f)
{
    fputs("<Schema name=\"zone\" id=\"zone\">"
          "<SimpleField name=\"number\" type=\"int\"/><SimpleField name=\"zone_name\" type=\"string\"/>"
          "<SimpleField name=\"tariff_tiyn\" type=\"int\"/><SimpleField name=\"active\" type=\"int\"/>"
          "<SimpleField name=\"paid_hours\" type=\"int\"/><SimpleField name=\"note\" type=\"string\"/>"
          "<SimpleField name=\"blocks\" type=\"int\"/><SimpleField name=\"area_m2\" type=\"double\"/>"
          "</Schema>\n"
          "<Schema name=\"block\" id=\"block\">"
          "<SimpleField name=\"id\" type=\"int\"/><SimpleField name=\"zone\" type=\"int\"/>"
          "<SimpleField name=\"street\" type=\"string\"/><SimpleField name=\"from_street\" type=\"string\"/>"
          "<SimpleField name=\"to_street\" type=\"string\"/><SimpleField name=\"side\" type=\"string\"/>"
          "<SimpleField name=\"approximate\" type=\"int\"/><SimpleField name=\"source\" type=\"string\"/>"
          "</Schema>\n"
          "<Schema name=\"intersection\" id=\"intersection\">"
          "<SimpleField name=\"name_a\" type=\"string\"/><SimpleField name=\"name_b\" type=\"string\"/>"
          "</Schema>\n", f);
}

static void put_area(FILE *f, const struct export_area *a)
{
    fputs("<MultiGeometry>", f);
    for (size_t p = 0; a != NULL && p < a->npolygons; p++) {
        const struct export_polygon *poly = &a->polygons[p];
        fputs("<Polygon><outerBoundaryIs><LinearRing>", f);
        put_coords(f, poly->rings[0].xy, poly->rings[0].npoints);
        fputs("</LinearRing></outerBoundaryIs>", f);
        for (size_t r = 1; r < poly->nrings; r++) {
            fputs("<innerBoundaryIs><LinearRing>", f);
            put_coords(f, poly->rings[r].xy, poly->rings[r].npoints);
            fputs("</LinearRing></innerBoundaryIs>", f);
        }
        fputs("</Polygon>", f);
    }
    fputs("</MultiGeometry>", f);
}

static void put_zone(FILE *f, const struct export_data *d, const struct zone_info *z)
{
    const struct export_area *a = export_find_area(d, z->number);
    fprintf(f, "<Placemark><name>%d ", z->number);
    export_put_xml_text(f, z->name);
    put_data_start(f, z->number, "zone");
    put_data_long(f, "number", z->number);
    put_data(f, "zone_name", z->name);
    put_data_long(f, "tariff_tiyn", z->tariff_tiyn);
    put_data_long(f, "active", z->active);
    if (z->paid_hours > 0)
        put_data_long(f, "paid_hours", z->paid_hours);
    put_data(f, "note", z->note);
    put_data_long(f, "blocks", (long)zone_set_count_blocks(d->set, z->number));
    if (a != NULL)
        fprintf(f, "<SimpleData name=\"area_m2\">%.1f</SimpleData>", a->area_m2);
    fputs("</SchemaData></ExtendedData>", f);
    if (a != NULL)
        put_area(f, a);
    fputs("</Placemark>\n", f);
}

static void put_block(FILE *f, const struct zone_block *b)
{
    fputs("<Placemark><name>", f);
    export_put_xml_text(f, b->street);
    fputs(": ", f);
    export_put_xml_text(f, b->from_street);
    fputs(" \xe2\x80\x93 ", f);
    export_put_xml_text(f, b->to_street);
    put_data_start(f, b->zone, "block");
    put_data_long(f, "id", b->id);
    put_data_long(f, "zone", b->zone);
    put_data(f, "street", b->street);
    put_data(f, "from_street", b->from_street);
    put_data(f, "to_street", b->to_street);
    put_data(f, "side", b->side);
    put_data_long(f, "approximate", b->approximate);
    put_data(f, "source", b->source);
    fputs("</SchemaData></ExtendedData>", f);
    if (b->npoints >= 2) {
        fputs("<LineString>", f);
        put_coords(f, b->xy, b->npoints);
        fputs("</LineString>", f);
    }
    fputs("</Placemark>\n", f);
}

static void put_intersection(FILE *f, const struct zone_intersection *x)
{
    fputs("<Placemark><name>", f);
    export_put_xml_text(f, x->name_a);
    fputs(" / ", f);
    export_put_xml_text(f, x->name_b);
    put_data_start(f, -1, "intersection");
    put_data(f, "name_a", x->name_a);
    put_data(f, "name_b", x->name_b);
    fprintf(f, "</SchemaData></ExtendedData><Point><coordinates>%.7f,%.7f</coordinates></Point>"
               "</Placemark>\n", x->lon, x->lat);
}

int export_kml(FILE *f, const struct export_data *d)
{
    const struct zone_set *s = d->set;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document><name>Paid parking zones</name>\n",
          f);
    if (d->has_osm)
        fputs("<description>" EXPORT_OSM_CREDIT "</description>\n", f);
    put_schemas(f);
    put_styles(f, s);
    fputs("<Folder><name>zones</name>\n", f);
    for (size_t i = 0; i < s->nzones; i++)
        put_zone(f, d, &s->zones[i]);
    fputs("</Folder>\n<Folder><name>blocks</name>\n", f);
    for (size_t i = 0; i < s->nblocks; i++)
        put_block(f, &s->blocks[i]);
    fputs("</Folder>\n<Folder><name>intersections</name>\n", f);
    for (size_t i = 0; i < s->nintersections; i++)
        put_intersection(f, &s->intersections[i]);
    fputs("</Folder>\n</Document>\n</kml>\n", f);
    return ferror(f) ? -1 : 0;
}
