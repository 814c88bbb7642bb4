-- 0009_roles: database roles with the least each kind of user needs. The roles are group
-- roles (NOLOGIN); people and programs log in as their own named roles that are members:
--   CREATE ROLE aigerim LOGIN PASSWORD '...' IN ROLE planner;
-- so that zone_history.who (current_user) records who made each change.
--   parkbox    the box and parkctl: the service's tables, enforcement, the API's keys
--   planner    QGIS and parkzones: edits zones, street blocks, intersections, settings
--   inspector  reads zones and paid sessions, records sightings (parkctl check/sight)
--   readonly   reads everything (reports, the NOC's ad-hoc questions)
-- Roles belong to the cluster, not the database: an existing role is kept. Tables added by
-- later migrations grant their own privileges. scripts/migrate wraps this file in a
-- transaction.

DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['parkbox', 'planner', 'inspector', 'readonly'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$$;

GRANT USAGE ON SCHEMA public TO parkbox, planner, inspector, readonly;

-- everyone may read; only the box changes the service's rows
GRANT SELECT ON ALL TABLES IN SCHEMA public TO parkbox, planner, inspector, readonly;
GRANT INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO parkbox;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO parkbox;
REVOKE UPDATE ON schema_version, zones_version, zone_history FROM parkbox;

-- planners edit the map; the history triggers record them and bump the version
GRANT INSERT, UPDATE, DELETE ON zones, street_blocks, intersections TO planner;
GRANT UPDATE ON gis_settings, zones_version TO planner;
GRANT INSERT ON zone_history TO planner, parkbox;
GRANT UPDATE ON zones_version TO parkbox;
GRANT USAGE, SELECT ON SEQUENCE street_blocks_id_seq, intersections_id_seq, zone_history_id_seq
    TO planner;
-- and the paid hours (sql/0008_policies.sql): policies, their spans, the holiday calendar and
-- the CDS feed's settings; a new zone's default policy is written by its trigger as the planner
GRANT INSERT, UPDATE, DELETE ON tariff_policies, tariff_policy_spans, holidays TO planner;
GRANT UPDATE ON cds_feed TO planner;
GRANT USAGE, SELECT ON SEQUENCE tariff_policies_id_seq, tariff_policy_spans_id_seq TO planner;

-- inspectors record sightings (parkctl sight); violations are the box's
GRANT INSERT ON sightings TO inspector;
GRANT USAGE, SELECT ON SEQUENCE sightings_id_seq TO inspector;
REVOKE SELECT ON api_keys FROM planner, inspector, readonly;

-- functions: readers may call the stable ones; money moves only through the box's role
REVOKE EXECUTE ON FUNCTION wallet_topup(text, bigint), parking_adjust(text, text, bigint, text, text, text),
    payment_method_set(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wallet_topup(text, bigint), parking_adjust(text, text, bigint, text, text, text),
    payment_method_set(text, text, text, text) TO parkbox;
