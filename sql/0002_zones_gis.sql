-- 0002_zones_gis: street blocks, intersections, zone areas and change history for planners.
--
-- Zones (from 0001) gain paid hours and a note. Street blocks and intersections are PostGIS
-- tables that QGIS edits directly (primary key, declared geometry type and SRID 4326, GiST
-- index). zone_areas derives each zone's area from its blocks buffered by the kerb width in
-- gis_settings. Triggers record every change in zone_history, bump zones_version and send
-- NOTIFY zones_changed so running boxes reload without a restart.
-- scripts/migrate wraps this file in a transaction.

CREATE EXTENSION IF NOT EXISTS postgis;

ALTER TABLE zones
    ADD COLUMN IF NOT EXISTS paid_hours integer
        CONSTRAINT zones_paid_hours_range CHECK (paid_hours BETWEEN 1 AND 24),
    ADD COLUMN IF NOT EXISTS note text;
COMMENT ON COLUMN zones.paid_hours IS
    'hours per day during which parking is charged (e.g. 12 for 08:00-20:00); NULL: not stated';
COMMENT ON COLUMN zones.note IS 'free text for planners and operators';

-- One block of paid parking: a street between two cross streets.
CREATE TABLE street_blocks (
    id          serial PRIMARY KEY,
    zone        integer NOT NULL REFERENCES zones (number) ON UPDATE CASCADE,
    street      text NOT NULL CONSTRAINT street_blocks_street_nonempty CHECK (btrim(street) <> ''),
    from_street text NOT NULL CONSTRAINT street_blocks_from_nonempty CHECK (btrim(from_street) <> ''),
    to_street   text NOT NULL CONSTRAINT street_blocks_to_nonempty CHECK (btrim(to_street) <> ''),
    side        text NOT NULL DEFAULT 'both'
                CONSTRAINT street_blocks_side_known
                CHECK (side IN ('both', 'odd', 'even', 'left', 'right')),
    approximate boolean NOT NULL DEFAULT false,
    source      text,
    geom        geometry(LineString, 4326) NOT NULL
);
CREATE INDEX street_blocks_geom_gist ON street_blocks USING gist (geom);
CREATE INDEX street_blocks_zone ON street_blocks (zone);
COMMENT ON TABLE street_blocks IS
    'paid parking along a street between two cross streets; geometry follows the street centre line';
COMMENT ON COLUMN street_blocks.side IS
    'which side of the street is paid: both, odd/even house numbers, or left/right of the line direction';
COMMENT ON COLUMN street_blocks.approximate IS 'true when the geometry is only approximately placed';
COMMENT ON COLUMN street_blocks.source IS 'where the geometry comes from, with its licence credit';

-- Named crossings of two streets; validation checks that block ends lie near them.
CREATE TABLE intersections (
    id     serial PRIMARY KEY,
    name_a text NOT NULL CONSTRAINT intersections_name_a_nonempty CHECK (btrim(name_a) <> ''),
    name_b text NOT NULL CONSTRAINT intersections_name_b_nonempty CHECK (btrim(name_b) <> ''),
    geom   geometry(Point, 4326) NOT NULL
);
CREATE INDEX intersections_geom_gist ON intersections USING gist (geom);
CREATE UNIQUE INDEX intersections_names_key
    ON intersections (least(name_a, name_b), greatest(name_a, name_b));

-- Settings for derived geometry (exactly one row).
CREATE TABLE gis_settings (
    id           boolean PRIMARY KEY DEFAULT true CONSTRAINT gis_settings_one_row CHECK (id),
    kerb_width_m double precision NOT NULL DEFAULT 6
                 CONSTRAINT gis_settings_kerb_width_range CHECK (kerb_width_m > 0 AND kerb_width_m <= 50)
);
INSERT INTO gis_settings DEFAULT VALUES;
COMMENT ON COLUMN gis_settings.kerb_width_m IS
    'width in metres of the paid strip on each paid side of a block (zone_areas buffers by it)';

-- Each zone's area: its blocks buffered in UTM 43N (metres) by the kerb width, on the paid side
-- (left/right) or on both sides, unioned. Zones without blocks have no row.
CREATE VIEW zone_areas AS
SELECT z.number AS zone,
       z.name,
       z.tariff_tiyn,
       z.active,
       count(b.id)::integer AS blocks,
       round(ST_Area(ST_Union(a.g))::numeric, 1) AS area_m2,
       ST_Multi(ST_Transform(ST_Union(a.g), 4326))::geometry(MultiPolygon, 4326) AS geom
FROM zones z
JOIN street_blocks b ON b.zone = z.number
CROSS JOIN gis_settings s
CROSS JOIN LATERAL (
    SELECT ST_Buffer(ST_Transform(b.geom, 32643), s.kerb_width_m,
                     CASE b.side WHEN 'left'  THEN 'side=left'
                                 WHEN 'right' THEN 'side=right'
                                 ELSE 'endcap=flat' END) AS g
) a
GROUP BY z.number, z.name, z.tariff_tiyn, z.active;
COMMENT ON VIEW zone_areas IS
    'derived: blocks buffered by gis_settings.kerb_width_m and unioned per zone (key: zone)';

-- Bumped by every change to zones, blocks, intersections or settings; boxes compare it or
-- LISTEN zones_changed (the payload is the new version).
CREATE TABLE zones_version (
    id         boolean PRIMARY KEY DEFAULT true CONSTRAINT zones_version_one_row CHECK (id),
    version    bigint NOT NULL DEFAULT 1,
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO zones_version DEFAULT VALUES;

-- Who changed what and when, for zones and street blocks (and intersections).
CREATE TABLE zone_history (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    who         text NOT NULL DEFAULT current_user,
    application text DEFAULT nullif(current_setting('application_name', true), ''),
    table_name  text NOT NULL,
    op          text NOT NULL CONSTRAINT zone_history_op_known CHECK (op IN ('INSERT', 'UPDATE', 'DELETE')),
    row_id      text NOT NULL,
    old         jsonb,
    new         jsonb
);
CREATE INDEX zone_history_row ON zone_history (table_name, row_id, at);

-- A row as JSON with its geometry as GeoJSON (7 decimals) instead of hex EWKB.
CREATE FUNCTION zone_history_json(r jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN r ? 'geom' AND r->>'geom' IS NOT NULL
                THEN jsonb_set(r, '{geom}', ST_AsGeoJSON((r->>'geom')::geometry, 7)::jsonb)
                ELSE r END
$$;

-- Row trigger; TG_ARGV[0] names the key column.
CREATE FUNCTION zone_history_record() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    o jsonb := CASE WHEN TG_OP <> 'INSERT' THEN zone_history_json(to_jsonb(OLD)) END;
    n jsonb := CASE WHEN TG_OP <> 'DELETE' THEN zone_history_json(to_jsonb(NEW)) END;
BEGIN
    IF TG_OP = 'UPDATE' AND o = n THEN
        RETURN NULL;
    END IF;
    INSERT INTO zone_history (table_name, op, row_id, old, new)
    VALUES (TG_TABLE_NAME, TG_OP, coalesce(n, o) ->> TG_ARGV[0], o, n);
    RETURN NULL;
END
$$;

-- Statement trigger: one version bump and one notification per changing statement.
CREATE FUNCTION zones_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v bigint;
BEGIN
    UPDATE zones_version SET version = version + 1, changed_at = now() RETURNING version INTO v;
    PERFORM pg_notify('zones_changed', v::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER zones_history AFTER INSERT OR UPDATE OR DELETE ON zones
    FOR EACH ROW EXECUTE FUNCTION zone_history_record('number');
CREATE TRIGGER street_blocks_history AFTER INSERT OR UPDATE OR DELETE ON street_blocks
    FOR EACH ROW EXECUTE FUNCTION zone_history_record('id');
CREATE TRIGGER intersections_history AFTER INSERT OR UPDATE OR DELETE ON intersections
    FOR EACH ROW EXECUTE FUNCTION zone_history_record('id');

CREATE TRIGGER zones_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON zones
    FOR EACH STATEMENT EXECUTE FUNCTION zones_changed();
CREATE TRIGGER street_blocks_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON street_blocks
    FOR EACH STATEMENT EXECUTE FUNCTION zones_changed();
CREATE TRIGGER intersections_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON intersections
    FOR EACH STATEMENT EXECUTE FUNCTION zones_changed();
CREATE TRIGGER gis_settings_notify AFTER UPDATE ON gis_settings
    FOR EACH STATEMENT EXECUTE FUNCTION zones_changed();
