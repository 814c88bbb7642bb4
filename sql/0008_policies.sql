-- 0008_policies: tariff policies (when parking in a zone is paid and at what rate), the public
-- holiday calendar, and the stable identifiers of the Curb Data Specification (CDS) feed.
--
-- A zone has one or more policies: a rate in tiyn per hour (0: free), a priority (the lower
-- number wins where policies overlap, as CDS defines), whether it is suspended on public
-- holidays, an optional max_stay, and time spans (days of the week, a local time-of-day window,
-- optional dates). Outside every span of every policy, parking is free. plugin/core/policy.h
-- states the rules exactly; the view policy_spans_core hands them to it as numbers.
--
-- zones.tariff_tiyn stays: it is the rate of the zone's default policy (is_default). Triggers
-- keep the two equal both ways: changing the tariff of a zone changes its default policy's
-- rate, and changing that rate in QGIS changes the tariff. A new zone gets a default policy
-- with the city's standard paid hours, Monday to Saturday 08:00-20:00, free on holidays; the
-- existing zones get one here, at their current tariff (the sample keeps 150 and 100 tenge).
--
-- CDS identifiers: each street block is one CDS Curb Zone with a UUID kept here; a block whose
-- line changes gets a new UUID (CDS 1.1: "a new curb_zone_id is required if this geometry
-- changes") and remembers the old ones. A policy's UUID changes whenever the policy or one of
-- its spans changes (CDS: "two Policy objects containing the same curb_policy_id MUST be
-- completely identical"); the holiday calendar, published as one policy, likewise. An
-- identifier assigned in the current transaction is not yet published and is kept.
-- scripts/migrate wraps this file in a transaction.

CREATE EXTENSION IF NOT EXISTS postgis;

-- ---- public holidays ------------------------------------------------------------------------

CREATE TABLE holidays (
    day    date PRIMARY KEY,
    name   text NOT NULL CONSTRAINT holidays_name_nonempty CHECK (btrim(name) <> ''),
    moves  boolean NOT NULL DEFAULT false,
    source text
);
COMMENT ON TABLE holidays IS
    'days off for public holidays, local dates; policies with holidays_free do not apply on them';
COMMENT ON COLUMN holidays.moves IS
    'true for a holiday whose date moves from year to year (Kurban Ait follows the lunar calendar)';

-- Kazakhstan's public holidays for 2027 (the days off that carry a holiday).
-- Where they come from: the Law of the Republic of Kazakhstan "On holidays in the Republic of
-- Kazakhstan" No. 267-II of 13 December 2001 (as amended in 2022: Republic Day, 25 October,
-- restored; Independence Day 16 December only) and the Labour Code of the Republic of
-- Kazakhstan (2015), art. 84, which makes the national and state holidays and the religious
-- holidays the Government names (the first day of Kurban Ait, Orthodox Christmas) days off.
-- Fixed dates: 1-2 January, 7 January, 8 March, 21-23 March, 1 May, 7 May, 9 May, 6 July,
-- 30 August, 25 October, 16 December. Moving: the first day of Kurban Ait (10 Dhu al-Hijjah),
-- announced each year by the Spiritual Administration of Muslims of Kazakhstan and set by a
-- Government decree; 16 May 2027 is the calendar estimate of 10 Dhu al-Hijjah 1448 and must be
-- checked against the decree. Not included: the extra days off the Government's yearly decree
-- creates by carrying a holiday that falls on a weekend over to a working day (e.g. a Monday);
-- add them with INSERT INTO holidays when the decree is published.
INSERT INTO holidays (day, name, moves, source) VALUES
    ('2027-01-01', 'New Year', false, 'Law No. 267-II art. 1; Labour Code art. 84'),
    ('2027-01-02', 'New Year', false, 'Law No. 267-II art. 1; Labour Code art. 84'),
    ('2027-01-07', 'Orthodox Christmas', false, 'Labour Code art. 84; Government decree'),
    ('2027-03-08', 'International Women''s Day', false, 'Law No. 267-II art. 1; Labour Code art. 84'),
    ('2027-03-21', 'Nauryz meyramy', false, 'Law No. 267-II art. 1; Labour Code art. 84'),
    ('2027-03-22', 'Nauryz meyramy', false, 'Law No. 267-II art. 1; Labour Code art. 84'),
    ('2027-03-23', 'Nauryz meyramy', false, 'Law No. 267-II art. 1; Labour Code art. 84'),
    ('2027-05-01', 'Kazakhstan People''s Unity Day', false, 'Law No. 267-II art. 1; Labour Code art. 84'),
    ('2027-05-07', 'Defender of the Fatherland Day', false, 'Law No. 267-II art. 1; Labour Code art. 84'),
    ('2027-05-09', 'Victory Day', false, 'Law No. 267-II art. 1; Labour Code art. 84'),
    ('2027-05-16', 'Kurban Ait (first day)', true,
     'Labour Code art. 84; date: estimate of 10 Dhu al-Hijjah 1448, to be confirmed by the Government decree'),
    ('2027-07-06', 'Capital Day', false, 'Law No. 267-II art. 1; Labour Code art. 84'),
    ('2027-08-30', 'Constitution Day', false, 'Law No. 267-II art. 1; Labour Code art. 84'),
    ('2027-10-25', 'Republic Day', false, 'Law No. 267-II art. 1 (as amended 2022); Labour Code art. 84'),
    ('2027-12-16', 'Independence Day', false, 'Law No. 267-II art. 1 (as amended 2022); Labour Code art. 84');

-- ---- policies and their time spans ----------------------------------------------------------

CREATE TABLE tariff_policies (
    id                serial PRIMARY KEY,
    zone              integer NOT NULL REFERENCES zones (number) ON UPDATE CASCADE ON DELETE CASCADE,
    name              text,
    priority          integer NOT NULL DEFAULT 10
                      CONSTRAINT tariff_policies_priority_range CHECK (priority BETWEEN 1 AND 1000),
    rate_tiyn         bigint NOT NULL CONSTRAINT tariff_policies_rate_range CHECK (rate_tiyn >= 0),
    holidays_free     boolean NOT NULL DEFAULT true,
    max_stay_minutes  integer CONSTRAINT tariff_policies_max_stay_positive CHECK (max_stay_minutes > 0),
    is_default        boolean NOT NULL DEFAULT false,
    curb_policy_id    uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    curb_policy_since timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tariff_policies_default_paid CHECK (NOT is_default OR rate_tiyn > 0)
);
CREATE UNIQUE INDEX tariff_policies_one_default ON tariff_policies (zone) WHERE is_default;
CREATE INDEX tariff_policies_zone ON tariff_policies (zone);
COMMENT ON TABLE tariff_policies IS
    'when parking in a zone is paid and at what rate; the lowest priority number wins (CDS)';
COMMENT ON COLUMN tariff_policies.priority IS
    '1..1000, the lower wins where policies overlap (0 is the published holiday calendar)';
COMMENT ON COLUMN tariff_policies.rate_tiyn IS 'tiyn per hour (1/100 tenge); 0: free';
COMMENT ON COLUMN tariff_policies.holidays_free IS 'true: does not apply on the days in holidays';
COMMENT ON COLUMN tariff_policies.is_default IS
    'the zone''s default policy: its rate is zones.tariff_tiyn (kept equal both ways)';
COMMENT ON COLUMN tariff_policies.curb_policy_id IS
    'CDS curb_policy_id; replaced whenever the policy or one of its spans changes';

CREATE TABLE tariff_policy_spans (
    id         serial PRIMARY KEY,
    policy     integer NOT NULL REFERENCES tariff_policies (id) ON DELETE CASCADE,
    days       text NOT NULL DEFAULT 'mon,tue,wed,thu,fri,sat,sun'
               CONSTRAINT tariff_policy_spans_days_known
               CHECK (days ~ '^(mon|tue|wed|thu|fri|sat|sun)(,(mon|tue|wed|thu|fri|sat|sun))*$'),
    time_start time NOT NULL DEFAULT '00:00',
    time_end   time NOT NULL DEFAULT '24:00',
    date_from  date,
    date_to    date,
    CONSTRAINT tariff_policy_spans_window CHECK (time_start < time_end),
    CONSTRAINT tariff_policy_spans_minutes
        CHECK (extract(second FROM time_start) = 0 AND extract(second FROM time_end) = 0),
    CONSTRAINT tariff_policy_spans_dates CHECK (date_from IS NULL OR date_to IS NULL OR date_from <= date_to)
);
CREATE INDEX tariff_policy_spans_policy ON tariff_policy_spans (policy);
COMMENT ON TABLE tariff_policy_spans IS
    'when a policy applies: days (mon,...,sun), local window [time_start, time_end), dates inclusive';
COMMENT ON COLUMN tariff_policy_spans.time_end IS
    'exclusive; 24:00 is the end of the day; a window never wraps past midnight (use two spans)';

-- The spans as plugin/core/policy.h takes them: days as bits (Monday = 1 ... Sunday = 64),
-- minutes after midnight, dates as yyyymmdd (0: unbounded). A policy without spans appears
-- once with days NULL (it applies at every time).
CREATE VIEW policy_spans_core AS
SELECT p.zone, p.id AS policy, p.priority, p.rate_tiyn, p.holidays_free,
       (SELECT sum(DISTINCT CASE d WHEN 'mon' THEN 1 WHEN 'tue' THEN 2 WHEN 'wed' THEN 4
                                   WHEN 'thu' THEN 8 WHEN 'fri' THEN 16 WHEN 'sat' THEN 32
                                   ELSE 64 END)::integer
        FROM unnest(string_to_array(s.days, ',')) d) AS days,
       (extract(epoch FROM s.time_start) / 60)::integer AS start_min,
       (extract(epoch FROM s.time_end) / 60)::integer AS end_min,
       coalesce(to_char(s.date_from, 'YYYYMMDD')::integer, 0) AS date_from,
       coalesce(to_char(s.date_to, 'YYYYMMDD')::integer, 0) AS date_to,
       p.is_default
FROM tariff_policies p
LEFT JOIN tariff_policy_spans s ON s.policy = p.id;
COMMENT ON VIEW policy_spans_core IS
    'tariff policies and spans as numbers for plugin/core/policy.h (order by zone, policy)';

-- ---- the default policy and zones.tariff_tiyn ----------------------------------------------

CREATE FUNCTION zone_default_policy() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    pid integer;
BEGIN
    INSERT INTO tariff_policies (zone, name, priority, rate_tiyn, holidays_free, is_default)
    VALUES (NEW.number, 'paid hours', 10, NEW.tariff_tiyn, true, true)
    RETURNING id INTO pid;
    INSERT INTO tariff_policy_spans (policy, days, time_start, time_end)
    VALUES (pid, 'mon,tue,wed,thu,fri,sat', '08:00', '20:00');
    RETURN NULL;
END
$$;

CREATE FUNCTION zone_tariff_to_policy() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tariff_policies SET rate_tiyn = NEW.tariff_tiyn
    WHERE zone = NEW.number AND is_default AND rate_tiyn IS DISTINCT FROM NEW.tariff_tiyn;
    RETURN NULL;
END
$$;

CREATE FUNCTION policy_rate_to_zone() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE zones SET tariff_tiyn = NEW.rate_tiyn
    WHERE number = NEW.zone AND tariff_tiyn IS DISTINCT FROM NEW.rate_tiyn;
    RETURN NULL;
END
$$;

CREATE TRIGGER zones_default_policy AFTER INSERT ON zones
    FOR EACH ROW EXECUTE FUNCTION zone_default_policy();
CREATE TRIGGER zones_tariff_to_policy AFTER UPDATE OF tariff_tiyn ON zones
    FOR EACH ROW EXECUTE FUNCTION zone_tariff_to_policy();
CREATE TRIGGER tariff_policies_rate_to_zone AFTER INSERT OR UPDATE OF rate_tiyn, is_default
    ON tariff_policies FOR EACH ROW WHEN (NEW.is_default) EXECUTE FUNCTION policy_rate_to_zone();

-- Existing zones: their default policy, at today's tariff.
WITH p AS (
    INSERT INTO tariff_policies (zone, name, priority, rate_tiyn, holidays_free, is_default)
    SELECT number, 'paid hours', 10, tariff_tiyn, true, true FROM zones
    RETURNING id
)
INSERT INTO tariff_policy_spans (policy, days, time_start, time_end)
SELECT id, 'mon,tue,wed,thu,fri,sat', '08:00', '20:00' FROM p;

-- ---- CDS identifiers ------------------------------------------------------------------------

ALTER TABLE street_blocks
    ADD COLUMN curb_zone_id uuid NOT NULL DEFAULT gen_random_uuid()
        CONSTRAINT street_blocks_curb_zone_id_key UNIQUE,
    ADD COLUMN curb_zone_since timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN prev_curb_zone_ids uuid[] NOT NULL DEFAULT '{}';
COMMENT ON COLUMN street_blocks.curb_zone_id IS
    'CDS curb_zone_id of this block; replaced (the old one kept in prev_curb_zone_ids) when the line changes';
COMMENT ON COLUMN street_blocks.curb_zone_since IS 'when curb_zone_id was assigned (CDS start_date)';

ALTER TABLE zones
    ADD COLUMN curb_area_id uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN curb_area_since timestamptz NOT NULL DEFAULT now();
ALTER TABLE zones ADD CONSTRAINT zones_curb_area_id_key UNIQUE (curb_area_id);
COMMENT ON COLUMN zones.curb_area_id IS 'CDS curb_area_id of the zone';

-- What the feed says about itself, and the identifier of the published holiday calendar.
CREATE TABLE cds_feed (
    id                   boolean PRIMARY KEY DEFAULT true CONSTRAINT cds_feed_one_row CHECK (id),
    time_zone            text NOT NULL DEFAULT 'Asia/Almaty',
    currency             text NOT NULL DEFAULT 'KZT' CONSTRAINT cds_feed_currency CHECK (currency ~ '^[A-Z]{3}$'),
    author               text NOT NULL DEFAULT 'Almaty paid parking operator',
    license_url          text,
    holiday_policy_id    uuid NOT NULL DEFAULT gen_random_uuid(),
    holiday_policy_since timestamptz NOT NULL DEFAULT now()
);
INSERT INTO cds_feed DEFAULT VALUES;
COMMENT ON TABLE cds_feed IS
    'the CDS feed''s time zone, currency, author and licence; the holiday calendar''s policy id';

CREATE FUNCTION curb_zone_new_id() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT ST_Equals(NEW.geom, OLD.geom) AND NEW.curb_zone_id = OLD.curb_zone_id
       AND OLD.curb_zone_since < now() THEN
        NEW.prev_curb_zone_ids := OLD.curb_zone_id || OLD.prev_curb_zone_ids;
        NEW.curb_zone_id := gen_random_uuid();
        NEW.curb_zone_since := now();
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER street_blocks_curb_zone_id BEFORE UPDATE OF geom ON street_blocks
    FOR EACH ROW EXECUTE FUNCTION curb_zone_new_id();

CREATE FUNCTION curb_policy_new_id() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.zone, NEW.name, NEW.priority, NEW.rate_tiyn, NEW.holidays_free, NEW.max_stay_minutes)
       IS DISTINCT FROM
       (OLD.zone, OLD.name, OLD.priority, OLD.rate_tiyn, OLD.holidays_free, OLD.max_stay_minutes)
       AND NEW.curb_policy_id = OLD.curb_policy_id AND OLD.curb_policy_since < now() THEN
        NEW.curb_policy_id := gen_random_uuid();
        NEW.curb_policy_since := now();
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER tariff_policies_curb_policy_id BEFORE UPDATE ON tariff_policies
    FOR EACH ROW EXECUTE FUNCTION curb_policy_new_id();

CREATE FUNCTION curb_policy_span_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tariff_policies SET curb_policy_id = gen_random_uuid(), curb_policy_since = now()
    WHERE id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.policy END,
                 CASE WHEN TG_OP <> 'DELETE' THEN NEW.policy END)
      AND curb_policy_since < now();
    RETURN NULL;
END
$$;
CREATE TRIGGER tariff_policy_spans_curb_policy_id AFTER INSERT OR UPDATE OR DELETE
    ON tariff_policy_spans FOR EACH ROW EXECUTE FUNCTION curb_policy_span_changed();

CREATE FUNCTION holiday_policy_new_id() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cds_feed SET holiday_policy_id = gen_random_uuid(), holiday_policy_since = now()
    WHERE holiday_policy_since < now();
    RETURN NULL;
END
$$;
CREATE TRIGGER holidays_curb_policy_id AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON holidays
    FOR EACH STATEMENT EXECUTE FUNCTION holiday_policy_new_id();

-- ---- history and reload, as for zones and blocks (0002) ------------------------------------

CREATE TRIGGER tariff_policies_history AFTER INSERT OR UPDATE OR DELETE ON tariff_policies
    FOR EACH ROW EXECUTE FUNCTION zone_history_record('id');
CREATE TRIGGER tariff_policy_spans_history AFTER INSERT OR UPDATE OR DELETE ON tariff_policy_spans
    FOR EACH ROW EXECUTE FUNCTION zone_history_record('id');
CREATE TRIGGER holidays_history AFTER INSERT OR UPDATE OR DELETE ON holidays
    FOR EACH ROW EXECUTE FUNCTION zone_history_record('day');

CREATE TRIGGER tariff_policies_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tariff_policies
    FOR EACH STATEMENT EXECUTE FUNCTION zones_changed();
CREATE TRIGGER tariff_policy_spans_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tariff_policy_spans
    FOR EACH STATEMENT EXECUTE FUNCTION zones_changed();
CREATE TRIGGER holidays_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON holidays
    FOR EACH STATEMENT EXECUTE FUNCTION zones_changed();

-- ---- the CDS Curbs API documents ------------------------------------------------------------
-- One row per object with the object as JSON: parkzones export --format cds wraps them in the
-- response envelope (version, time_zone, last_updated, currency, author, data); an HTTP API can
-- serve the same rows. Times are milliseconds since the epoch; dates of spans and holidays are
-- local midnights of cds_feed.time_zone; rates are tiyn per hour (KZT's smallest unit).

CREATE FUNCTION cds_ms(t timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT floor(extract(epoch FROM t) * 1000)::bigint $$;

-- Local midnight at the start of day d in the feed's time zone, in milliseconds.
CREATE FUNCTION cds_day_ms(d date) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT cds_ms(d::timestamp AT TIME ZONE (SELECT time_zone FROM cds_feed))
$$;

-- The published holiday calendar applies to a zone when one of its policies is holidays_free.
CREATE VIEW cds_zone_policy_ids AS
SELECT z.number AS zone,
       (CASE WHEN EXISTS (SELECT 1 FROM tariff_policies p WHERE p.zone = z.number AND p.holidays_free)
                  AND EXISTS (SELECT 1 FROM holidays)
             THEN jsonb_build_array(f.holiday_policy_id) ELSE '[]'::jsonb END)
       || coalesce((SELECT jsonb_agg(p.curb_policy_id ORDER BY p.priority, p.id)
                    FROM tariff_policies p WHERE p.zone = z.number), '[]'::jsonb) AS ids,
       greatest(CASE WHEN EXISTS (SELECT 1 FROM tariff_policies p
                                  WHERE p.zone = z.number AND p.holidays_free)
                     THEN f.holiday_policy_since END,
                (SELECT max(p.curb_policy_since) FROM tariff_policies p WHERE p.zone = z.number),
                (SELECT max(h.at) FROM zone_history h
                 WHERE h.table_name = 'zones' AND h.row_id = z.number::text)) AS changed
FROM zones z CROSS JOIN cds_feed f;

CREATE VIEW cds_curb_zones AS
SELECT b.zone, b.id, jsonb_strip_nulls(jsonb_build_object(
    'curb_zone_id', b.curb_zone_id,
    'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(
        ST_Buffer(ST_Transform(b.geom, 32643), s.kerb_width_m,
                  CASE b.side WHEN 'left' THEN 'side=left' WHEN 'right' THEN 'side=right'
                              ELSE 'endcap=flat' END), 4326)), 7)::jsonb,
    'name', b.street || ' (' || b.from_street || ' – ' || b.to_street || ')',
    'description', z.name,
    'user_zone_id', b.zone::text,
    'street_name', b.street,
    'cross_street_start_name', b.from_street,
    'cross_street_end_name', b.to_street,
    'length', round(ST_Length(b.geom::geography) * 100)::bigint,
    'width', round(s.kerb_width_m * 100)::integer,
    'available', z.active,
    'jurisdiction_type', 'public',
    'curb_policy_ids', c.ids,
    'prev_curb_zone_ids', CASE WHEN cardinality(b.prev_curb_zone_ids) > 0
                               THEN to_jsonb(b.prev_curb_zone_ids) END,
    'published_date', cds_ms(b.curb_zone_since),
    'start_date', cds_ms(b.curb_zone_since),
    'last_updated_date', cds_ms(greatest(b.curb_zone_since, c.changed,
        (SELECT max(h.at) FROM zone_history h
         WHERE h.table_name = 'street_blocks' AND h.row_id = b.id::text)))
)) AS doc
FROM street_blocks b
JOIN zones z ON z.number = b.zone
JOIN cds_zone_policy_ids c ON c.zone = b.zone
CROSS JOIN gis_settings s;
COMMENT ON VIEW cds_curb_zones IS 'CDS Curb Zones: one per street block (order by zone, id)';

CREATE VIEW cds_curb_areas AS
SELECT a.zone, jsonb_build_object(
    'curb_area_id', z.curb_area_id,
    'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(ST_ConvexHull(a.geom)), 7)::jsonb,
    'name', z.number || ' ' || z.name,
    'published_date', cds_ms(z.curb_area_since),
    'last_updated_date', cds_ms(greatest(z.curb_area_since, c.changed,
        (SELECT max(h.at) FROM zone_history h JOIN street_blocks b ON b.zone = z.number
         WHERE h.table_name = 'street_blocks' AND h.row_id = b.id::text))),
    'curb_zone_ids', (SELECT jsonb_agg(b.curb_zone_id ORDER BY b.id)
                      FROM street_blocks b WHERE b.zone = z.number)
) AS doc
FROM zone_areas a
JOIN zones z ON z.number = a.zone
JOIN cds_zone_policy_ids c ON c.zone = a.zone;
COMMENT ON VIEW cds_curb_areas IS 'CDS Curb Areas: one per zone that has blocks (order by zone)';

-- A span as a CDS Time Span: days, the local window, and dates as local midnights (end
-- exclusive: the day after date_to).
CREATE FUNCTION cds_time_span(s tariff_policy_spans) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'days_of_week', to_jsonb(string_to_array(s.days, ',')),
        'time_of_day_start', to_char(s.time_start, 'HH24:MI'),
        'time_of_day_end', to_char(s.time_end, 'HH24:MI'),
        'start_date', CASE WHEN s.date_from IS NOT NULL THEN cds_day_ms(s.date_from) END,
        'end_date', CASE WHEN s.date_to IS NOT NULL THEN cds_day_ms(s.date_to + 1) END))
$$;

CREATE VIEW cds_curb_policies AS
SELECT p.zone, p.priority, p.id, jsonb_strip_nulls(jsonb_build_object(
    'curb_policy_id', p.curb_policy_id,
    'name', coalesce(p.name, 'zone ' || p.zone),
    'published_date', cds_ms(p.curb_policy_since),
    'priority', p.priority,
    'rules', jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
        'activity', 'parking',
        'max_stay', CASE WHEN p.max_stay_minutes % 60 = 0 THEN p.max_stay_minutes / 60
                         ELSE p.max_stay_minutes END,
        'max_stay_unit', CASE WHEN p.max_stay_minutes % 60 = 0 THEN 'hour'
                              WHEN p.max_stay_minutes IS NOT NULL THEN 'minute' END,
        'rate', CASE WHEN p.rate_tiyn > 0 THEN jsonb_build_array(jsonb_build_object(
                     'rate', p.rate_tiyn, 'rate_unit', 'hour')) END))),
    'time_spans', (SELECT jsonb_agg(cds_time_span(s) ORDER BY s.id)
                   FROM tariff_policy_spans s WHERE s.policy = p.id)
                  || CASE WHEN p.holidays_free THEN jsonb_build_array(jsonb_build_object(
                          'designated_period', 'holidays', 'designated_period_except', true))
                     ELSE '[]'::jsonb END
)) AS doc
FROM tariff_policies p
UNION ALL
-- The holiday calendar as one policy: free parking, priority 0, a span per run of days.
SELECT NULL, 0, NULL, jsonb_build_object(
    'curb_policy_id', f.holiday_policy_id,
    'name', 'public holidays: parking is free',
    'published_date', cds_ms(f.holiday_policy_since),
    'priority', 0,
    'rules', jsonb_build_array(jsonb_build_object('activity', 'parking')),
    'time_spans', (SELECT jsonb_agg(jsonb_build_object(
                       'start_date', cds_day_ms(r.first), 'end_date', cds_day_ms(r.last + 1))
                       ORDER BY r.first)
                   FROM (SELECT min(day) AS first, max(day) AS last
                         FROM (SELECT day, day - (row_number() OVER (ORDER BY day))::integer AS run
                               FROM holidays) d
                         GROUP BY run) r))
FROM cds_feed f
WHERE EXISTS (SELECT 1 FROM holidays);
COMMENT ON VIEW cds_curb_policies IS
    'CDS Curb Policies: each tariff policy, and the holiday calendar (zone NULL, priority 0)';
