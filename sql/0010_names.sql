-- 0010_names: zone and street names in the drivers' languages (Russian, Kazakh, English).
--
-- zones.name and street_blocks.street, from_street and to_street stay what they were: the
-- name of record (Latin) and the fallback. Each gets a nullable column per language; the box
-- answers a driver in the language of his replies (subscribers.language, else the box's
-- default) and uses the plain column where that language's column is NULL. Plain columns:
-- QGIS edits them like any other attribute, `parkzones import` and `export` read and write
-- them (gis/data/README.md). The zone_history triggers of 0002 record them with the row.
--
-- A name is not blank and fits the box's buffers (plugin/dialogue/dialogue.h: a zone name
-- 255 bytes of UTF-8, a street name 127), so a reply never shows a cut name. The limits are
-- those of gis/lib/zonedata.h (ZONE_NAME_MAX_BYTES, ZONE_STREET_MAX_BYTES).
-- No GRANT: like the earlier migrations, the schema grants nothing; the box and parkzones use
-- the role that ran the migrations (docs/parkbox.md), which owns the new columns too.
-- scripts/migrate wraps this file in a transaction.

ALTER TABLE zones
    ADD COLUMN name_ru text CONSTRAINT zones_name_ru_ok
        CHECK (btrim(name_ru) <> '' AND octet_length(name_ru) <= 255),
    ADD COLUMN name_kk text CONSTRAINT zones_name_kk_ok
        CHECK (btrim(name_kk) <> '' AND octet_length(name_kk) <= 255),
    ADD COLUMN name_en text CONSTRAINT zones_name_en_ok
        CHECK (btrim(name_en) <> '' AND octet_length(name_en) <= 255);
COMMENT ON COLUMN zones.name_ru IS 'the zone''s name in Russian replies; NULL: name';
COMMENT ON COLUMN zones.name_kk IS 'the zone''s name in Kazakh replies; NULL: name';
COMMENT ON COLUMN zones.name_en IS 'the zone''s name in English replies; NULL: name';

ALTER TABLE street_blocks
    ADD COLUMN street_ru text CONSTRAINT street_blocks_street_ru_ok
        CHECK (btrim(street_ru) <> '' AND octet_length(street_ru) <= 127),
    ADD COLUMN street_kk text CONSTRAINT street_blocks_street_kk_ok
        CHECK (btrim(street_kk) <> '' AND octet_length(street_kk) <= 127),
    ADD COLUMN street_en text CONSTRAINT street_blocks_street_en_ok
        CHECK (btrim(street_en) <> '' AND octet_length(street_en) <= 127),
    ADD COLUMN from_street_ru text CONSTRAINT street_blocks_from_ru_ok
        CHECK (btrim(from_street_ru) <> '' AND octet_length(from_street_ru) <= 127),
    ADD COLUMN from_street_kk text CONSTRAINT street_blocks_from_kk_ok
        CHECK (btrim(from_street_kk) <> '' AND octet_length(from_street_kk) <= 127),
    ADD COLUMN from_street_en text CONSTRAINT street_blocks_from_en_ok
        CHECK (btrim(from_street_en) <> '' AND octet_length(from_street_en) <= 127),
    ADD COLUMN to_street_ru text CONSTRAINT street_blocks_to_ru_ok
        CHECK (btrim(to_street_ru) <> '' AND octet_length(to_street_ru) <= 127),
    ADD COLUMN to_street_kk text CONSTRAINT street_blocks_to_kk_ok
        CHECK (btrim(to_street_kk) <> '' AND octet_length(to_street_kk) <= 127),
    ADD COLUMN to_street_en text CONSTRAINT street_blocks_to_en_ok
        CHECK (btrim(to_street_en) <> '' AND octet_length(to_street_en) <= 127);
COMMENT ON COLUMN street_blocks.street_ru IS 'the street in Russian replies; NULL: street';
COMMENT ON COLUMN street_blocks.street_kk IS 'the street in Kazakh replies; NULL: street';
COMMENT ON COLUMN street_blocks.street_en IS 'the street in English replies; NULL: street';
COMMENT ON COLUMN street_blocks.from_street_ru IS
    'the first cross street in Russian replies; NULL: from_street';
COMMENT ON COLUMN street_blocks.from_street_kk IS
    'the first cross street in Kazakh replies; NULL: from_street';
COMMENT ON COLUMN street_blocks.from_street_en IS
    'the first cross street in English replies; NULL: from_street';
COMMENT ON COLUMN street_blocks.to_street_ru IS
    'the second cross street in Russian replies; NULL: to_street';
COMMENT ON COLUMN street_blocks.to_street_kk IS
    'the second cross street in Kazakh replies; NULL: to_street';
COMMENT ON COLUMN street_blocks.to_street_en IS
    'the second cross street in English replies; NULL: to_street';
