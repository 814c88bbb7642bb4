-- 0007_api: the HTTP API's keys, enforcement's single "paid at time t" rule, sightings
-- that are idempotent by device, violations with their evidence and hand-over to the
-- fines system, and adjustments of a parking account as ledger entries.
--
-- API keys are stored as the SHA-256 of the key (hex), never the key; a key has one role
-- (inspector, operator, fines, portal) and is revoked by setting revoked_at.
-- An adjustment (goodwill credit, correction) is a ledger transaction of kind 'adjust'
-- between parking:MSISDN and the account 'adjustment' (what the operators gave away:
-- negative when credited), with its reason and operator in `adjustments`.
-- scripts/migrate wraps this file in a transaction.

CREATE TABLE api_keys (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL CONSTRAINT api_keys_name_nonempty CHECK (btrim(name) <> ''),
    role        text NOT NULL CONSTRAINT api_keys_role_known
                CHECK (role IN ('inspector', 'operator', 'fines', 'portal')),
    key_sha256  text NOT NULL UNIQUE CONSTRAINT api_keys_hash_hex CHECK (key_sha256 ~ '^[0-9a-f]{64}$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
COMMENT ON TABLE api_keys IS 'HTTP API keys: the SHA-256 of each key, its role; never the key itself';

-- The rule, once: a session pays for its plate in its zone over the closed interval from
-- started_at to the stop time (a stopped session) or paid_until. Every look-up of
-- "paid at t" (the API's check, the violations' evaluation, parkctl) uses this range.
CREATE FUNCTION session_paid_range(p_started timestamptz, p_paid_until timestamptz,
                                   p_stopped timestamptz) RETURNS tstzrange
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT tstzrange(p_started, least(p_paid_until, coalesce(p_stopped, p_paid_until)), '[]')
$$;

CREATE INDEX sessions_plate_started ON sessions (plate, started_at DESC);

-- The session of p_plate paying at p_at: in zone p_zone when one does (in_zone true),
-- else in any zone (in_zone false), the latest start first; no row when none.
CREATE FUNCTION paid_at(p_plate text, p_zone integer, p_at timestamptz)
RETURNS TABLE (session_id bigint, zone integer, started_at timestamptz, paid_until timestamptz,
               in_zone boolean)
LANGUAGE sql STABLE AS $$
    SELECT s.id, s.zone, s.started_at, upper(session_paid_range(s.started_at, s.paid_until, s.stopped_at)),
           p_zone IS NULL OR s.zone = p_zone
      FROM sessions s
     WHERE s.plate = p_plate AND s.started_at <= p_at
       AND session_paid_range(s.started_at, s.paid_until, s.stopped_at) @> p_at
     ORDER BY (p_zone IS NULL OR s.zone = p_zone) DESC, s.started_at DESC
     LIMIT 1
$$;

-- Sightings from devices: idempotent by (device, device_ref), the device's own id.
ALTER TABLE sightings
    ADD COLUMN device     text CONSTRAINT sightings_device_nonempty CHECK (btrim(device) <> ''),
    ADD COLUMN device_ref text CONSTRAINT sightings_device_ref_nonempty CHECK (btrim(device_ref) <> ''),
    ADD CONSTRAINT sightings_device_ref_pair CHECK ((device IS NULL) = (device_ref IS NULL));
CREATE UNIQUE INDEX sightings_device_ref ON sightings (device, device_ref) WHERE device IS NOT NULL;
CREATE INDEX sightings_plate_zone_seen ON sightings (plate, zone, seen_at);

-- Violations keep their first and last sighting as evidence and who took them over.
ALTER TABLE violations
    ADD COLUMN first_sighting_id bigint REFERENCES sightings,
    ADD COLUMN last_sighting_id  bigint REFERENCES sightings,
    ADD COLUMN handed_over_at    timestamptz,
    ADD COLUMN handed_over_by    text,
    ADD COLUMN fine_ref          text;

-- Adjustments of a parking account.
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
              WHERE conrelid = 'ledger_tx'::regclass AND contype = 'c'
                AND pg_get_constraintdef(oid) LIKE '%''credit''%'
    LOOP
        EXECUTE format('ALTER TABLE ledger_tx DROP CONSTRAINT %I', c.conname);
    END LOOP;
    FOR c IN SELECT conname FROM pg_constraint
              WHERE conrelid = 'ledger_legs'::regclass AND contype = 'c'
                AND pg_get_constraintdef(oid) LIKE '%wallet|parking%'
    LOOP
        EXECUTE format('ALTER TABLE ledger_legs DROP CONSTRAINT %I', c.conname);
    END LOOP;
END
$$;
ALTER TABLE ledger_tx
    ADD CONSTRAINT ledger_tx_kind_known
        CHECK (kind IN ('topup', 'start', 'extend', 'stop', 'end', 'credit', 'adjust')),
    ADD CONSTRAINT ledger_tx_session_unless_money_in
        CHECK (kind IN ('topup', 'credit', 'adjust') OR session_id IS NOT NULL);
ALTER TABLE ledger_legs
    ADD CONSTRAINT ledger_legs_account_known
        CHECK (account ~ '^(wallet|parking|held|revenue|topup|payment|adjustment)(:.+)?$');

CREATE TABLE adjustments (
    tx_id      bigint PRIMARY KEY REFERENCES ledger_tx,
    msisdn     text   NOT NULL REFERENCES subscribers,
    kind       text   NOT NULL CHECK (kind IN ('goodwill', 'correction')),
    amount     bigint NOT NULL CHECK (amount <> 0),     -- into the parking account
    reason     text   NOT NULL CHECK (btrim(reason) <> ''),
    operator   text   NOT NULL CHECK (btrim(operator) <> ''),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (kind = 'correction' OR amount > 0)
);
CREATE INDEX adjustments_msisdn ON adjustments (msisdn, created_at);

-- Moves p_amount (tiyn, signed) into p_msisdn's parking account as one ledger transaction
-- with its reason and operator; idempotent by p_key (a repeated key returns the first
-- transaction). A goodwill credit must be positive; a correction may not take the account
-- below zero (the CHECK on subscribers refuses it). Returns the transaction id and the
-- new balance.
CREATE FUNCTION parking_adjust(p_msisdn text, p_kind text, p_amount bigint, p_reason text,
                               p_operator text, p_key text)
RETURNS TABLE (tx_id bigint, balance bigint, created boolean)
LANGUAGE plpgsql AS $$
DECLARE
    tx bigint;
BEGIN
    IF p_amount IS NULL OR p_amount = 0 THEN
        RAISE EXCEPTION 'parking_adjust: amount must not be zero' USING ERRCODE = '22023';
    END IF;
    PERFORM 1 FROM subscribers WHERE msisdn = p_msisdn FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'parking_adjust: no subscriber %', p_msisdn USING ERRCODE = 'P0002';
    END IF;
    SELECT t.id INTO tx FROM ledger_tx t WHERE t.idempotency_key = 'adjust:' || p_key;
    IF FOUND THEN
        RETURN QUERY SELECT tx, s.account_tiyn, false FROM subscribers s WHERE s.msisdn = p_msisdn;
        RETURN;
    END IF;
    INSERT INTO ledger_tx (kind, msisdn, idempotency_key, at)
         VALUES ('adjust', p_msisdn, 'adjust:' || p_key, now()) RETURNING id INTO tx;
    INSERT INTO ledger_legs (tx_id, account, amount) VALUES
        (tx, 'parking:' || p_msisdn, p_amount), (tx, 'adjustment', -p_amount);
    INSERT INTO adjustments (tx_id, msisdn, kind, amount, reason, operator)
         VALUES (tx, p_msisdn, p_kind, p_amount, p_reason, p_operator);
    RETURN QUERY UPDATE subscribers s SET account_tiyn = s.account_tiyn + p_amount
                  WHERE s.msisdn = p_msisdn RETURNING tx, s.account_tiyn, true;
END
$$;

-- What the NOC page and /metrics read from the database, in one cheap query: counts from
-- partial indexes and the outbox's recent delivery reports. p_now is the box's clock.
CREATE FUNCTION noc_stats(p_now timestamptz, p_reminder_minutes integer)
RETURNS TABLE (name text, label text, value double precision)
LANGUAGE sql STABLE AS $$
    SELECT 'active_sessions', '', count(*)::float8 FROM sessions WHERE ended_at IS NULL
    UNION ALL
    SELECT 'open_pending_debits', state, count(*)::float8 FROM pending_debits
     WHERE state IN ('open', 'charging') GROUP BY state
    UNION ALL
    SELECT 'outbox_backlog', '', count(*)::float8 FROM outbox WHERE sent_at IS NULL
    UNION ALL
    SELECT 'dlr', coalesce(dlr_status, 'none'), count(*)::float8 FROM outbox
     WHERE created_at > p_now - interval '1 day' AND sent_at IS NOT NULL GROUP BY 1, 2
    UNION ALL
    SELECT 'reminder_lag_seconds', '',
           greatest(0, coalesce(extract(epoch FROM p_now - (min(paid_until)
                    - make_interval(mins => p_reminder_minutes))), 0))::float8
      FROM sessions WHERE ended_at IS NULL AND reminder_sent_at IS NULL
       AND paid_until - make_interval(mins => p_reminder_minutes) <= p_now
    UNION ALL
    SELECT 'debits', m.method, count(*)::float8 FROM (
        SELECT CASE WHEN l.account LIKE 'wallet:%' THEN 'wallet'
                    WHEN l.account LIKE 'parking:%' THEN 'parking_account'
                    ELSE substr(l.account, 9) END AS method
          FROM ledger_tx t JOIN ledger_legs l ON l.tx_id = t.id
         WHERE t.kind IN ('start', 'extend') AND l.amount < 0
           AND l.account ~ '^(wallet|parking|payment):') m GROUP BY m.method
    UNION ALL
    SELECT 'debit_tiyn', m.method, sum(m.amount)::float8 FROM (
        SELECT CASE WHEN l.account LIKE 'wallet:%' THEN 'wallet'
                    WHEN l.account LIKE 'parking:%' THEN 'parking_account'
                    ELSE substr(l.account, 9) END AS method, -l.amount AS amount
          FROM ledger_tx t JOIN ledger_legs l ON l.tx_id = t.id
         WHERE t.kind IN ('start', 'extend') AND l.amount < 0
           AND l.account ~ '^(wallet|parking|payment):') m GROUP BY m.method
$$;

-- Every violated money invariant: 0006's, and every adjustment is one ledger transaction of
-- kind 'adjust' whose parking leg is the adjustment's amount, and nothing else is booked
-- to the account 'adjustment'.
ALTER FUNCTION money_invariants() RENAME TO money_invariants_0006;
CREATE FUNCTION money_invariants() RETURNS TABLE (invariant text, detail text)
LANGUAGE sql STABLE AS $$
    SELECT * FROM money_invariants_0006()
    UNION ALL
    SELECT 'adjustment_booked', 'tx ' || a.tx_id || ': ' || a.amount || ' adjusted, '
           || coalesce(l.amount::text, 'nothing') || ' booked'
      FROM adjustments a
      JOIN ledger_tx t ON t.id = a.tx_id
      LEFT JOIN ledger_legs l ON l.tx_id = a.tx_id AND l.account = 'parking:' || a.msisdn
     WHERE t.kind <> 'adjust' OR l.amount IS DISTINCT FROM a.amount
    UNION ALL
    SELECT 'adjustment_account', 'tx ' || l.tx_id || ' books to adjustment without an adjustment'
      FROM ledger_legs l
     WHERE l.account = 'adjustment' AND NOT EXISTS (SELECT 1 FROM adjustments a WHERE a.tx_id = l.tx_id)
$$;
