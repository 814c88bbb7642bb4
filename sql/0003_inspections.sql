-- 0003_inspections: what inspectors and camera cars report, and the violations the
-- 15-minute rule finds in it, for the fines system.
--
-- A sighting is one observation of a plate (canonical form, as plate_normalise gives it)
-- in a zone at a time, by a source (an inspector id, a camera), optionally with the
-- point where it was seen. `parkzones violations` groups a plate's sightings into stays
-- and records a violation per unpaid stay (docs/inspectors.md states the rule exactly).
-- A stay is fined once: violations of one plate and zone never overlap in time (an
-- exclusion constraint), so evaluating again only extends the open row of that stay.
-- scripts/migrate wraps this file in a transaction.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE sightings (
    id          bigserial PRIMARY KEY,
    plate       text NOT NULL CONSTRAINT sightings_plate_canonical CHECK (plate ~ '^[A-Z0-9]{4,15}$'),
    zone        integer NOT NULL REFERENCES zones (number) ON UPDATE CASCADE,
    seen_at     timestamptz NOT NULL,
    source      text CONSTRAINT sightings_source_nonempty CHECK (btrim(source) <> ''),
    location    geometry(Point, 4326),
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sightings_plate_seen ON sightings (plate, seen_at);
CREATE INDEX sightings_seen ON sightings (seen_at);
CREATE INDEX sightings_location_gist ON sightings USING gist (location);
COMMENT ON TABLE sightings IS 'a plate seen in a zone by an inspector or a camera car';
COMMENT ON COLUMN sightings.source IS 'who saw it: an inspector id, a camera car';

CREATE TABLE violations (
    id            bigserial PRIMARY KEY,
    plate         text NOT NULL CONSTRAINT violations_plate_canonical CHECK (plate ~ '^[A-Z0-9]{4,15}$'),
    zone          integer NOT NULL REFERENCES zones (number) ON UPDATE CASCADE,
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    unpaid_from   timestamptz NOT NULL,
    sightings     integer NOT NULL CONSTRAINT violations_sightings_positive CHECK (sightings >= 2),
    status        text NOT NULL DEFAULT 'open'
                  CONSTRAINT violations_status_known
                  CHECK (status IN ('open', 'sent', 'paid', 'cancelled')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT violations_times_ordered
        CHECK (first_seen_at < last_seen_at AND unpaid_from BETWEEN first_seen_at AND last_seen_at),
    CONSTRAINT violations_one_per_stay UNIQUE (plate, zone, first_seen_at),
    CONSTRAINT violations_no_overlap EXCLUDE USING gist
        (plate WITH =, zone WITH =, tstzrange(first_seen_at, last_seen_at, '[]') WITH &&)
);
CREATE INDEX violations_status ON violations (status, last_seen_at);
COMMENT ON TABLE violations IS
    'an unpaid stay beyond the grace period; status: open (new), sent (to the fines system), paid, cancelled';
COMMENT ON COLUMN violations.unpaid_from IS 'the first moment after the grace period without a paid session';
