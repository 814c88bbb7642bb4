-- 0001_core: zones, subscribers, pending debits, parking sessions, the money
-- ledger, processed MO ids and the outbox of SMS replies.
--
-- scripts/migrate runs this file in one transaction and records version 1 in
-- schema_version. Money is bigint tiyn (1/100 tenge); times are timestamptz (UTC).
-- The invariants are checked by money_invariants() at the end of this file;
-- docs/store.md explains them.

CREATE EXTENSION IF NOT EXISTS postgis;

-- Parking zones. The GIS migration (0002) adds columns and street blocks.
CREATE TABLE zones (
    number      integer PRIMARY KEY CHECK (number BETWEEN 0 AND 9999),
    name        text    NOT NULL CHECK (name <> ''),
    tariff_tiyn bigint  NOT NULL CHECK (tariff_tiyn > 0),   -- per hour
    active      boolean NOT NULL DEFAULT true
);

-- One row per phone number that ever wrote to the service. The two balances are
-- kept equal to the ledger balances of parking:MSISDN and wallet:MSISDN.
CREATE TABLE subscribers (
    msisdn         text   PRIMARY KEY CHECK (msisdn <> '' AND length(msisdn) <= 32),
    language       text   CHECK (language IN ('ru', 'kk', 'en')),  -- NULL: the default
    payment_method text   NOT NULL DEFAULT 'wallet' CHECK (payment_method <> ''),
    account_tiyn   bigint NOT NULL DEFAULT 0 CHECK (account_tiyn >= 0),  -- parking account
    wallet_tiyn    bigint NOT NULL DEFAULT 0 CHECK (wallet_tiyn >= 0),   -- built-in wallet
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Parking sessions. ended_at NULL = active (paid or running); a session ends by
-- S (end_reason 'stopped', ended_at = the stop time) or at paid_until ('expired').
CREATE TABLE sessions (
    id               bigserial PRIMARY KEY,
    msisdn           text    NOT NULL REFERENCES subscribers,
    zone             integer NOT NULL REFERENCES zones,
    plate            text    NOT NULL CHECK (plate <> ''),
    rate_tiyn        bigint  NOT NULL CHECK (rate_tiyn > 0),      -- per hour, fixed at start
    hours            integer NOT NULL CHECK (hours > 0),          -- paid hours in total
    started_at       timestamptz NOT NULL,
    paid_until       timestamptz NOT NULL,
    prepaid_tiyn     bigint  NOT NULL CHECK (prepaid_tiyn > 0),   -- every debit of the session
    reminder_sent_at timestamptz,
    stopped_at       timestamptz,
    ended_at         timestamptz,
    end_reason       text    CHECK (end_reason IN ('stopped', 'expired')),
    cost_tiyn        bigint  CHECK (cost_tiyn >= 0),              -- set when it ends
    to_account_tiyn  bigint  CHECK (to_account_tiyn >= 0),        -- unused part, to the account
    CHECK (paid_until > started_at),
    CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
    CHECK ((ended_at IS NULL) = (cost_tiyn IS NULL) AND (ended_at IS NULL) = (to_account_tiyn IS NULL)),
    CHECK (ended_at IS NULL OR cost_tiyn + to_account_tiyn = prepaid_tiyn),
    CHECK ((end_reason = 'stopped') = (stopped_at IS NOT NULL))
);
-- one active session per plate, whoever pays for it
CREATE UNIQUE INDEX sessions_active_plate ON sessions (plate) WHERE ended_at IS NULL;
CREATE INDEX sessions_active_msisdn ON sessions (msisdn) WHERE ended_at IS NULL;
-- due work: reminders (paid_until - reminder <= now) and ends (paid_until <= now)
CREATE INDEX sessions_reminder_due ON sessions (paid_until)
    WHERE ended_at IS NULL AND reminder_sent_at IS NULL;
CREATE INDEX sessions_end_due ON sessions (paid_until) WHERE ended_at IS NULL;

-- Debits awaiting "1" from the subscriber at the confirmation number. At most one
-- open per subscriber: a newer start/extend closes the older one as 'replaced'.
CREATE TABLE pending_debits (
    id            bigserial PRIMARY KEY,
    msisdn        text    NOT NULL REFERENCES subscribers,
    kind          text    NOT NULL CHECK (kind IN ('start', 'extend')),
    zone          integer NOT NULL REFERENCES zones,
    plate         text    NOT NULL CHECK (plate <> ''),
    hours         integer NOT NULL CHECK (hours > 0),
    rate_tiyn     bigint  NOT NULL CHECK (rate_tiyn > 0),
    amount_tiyn   bigint  NOT NULL CHECK (amount_tiyn > 0),
    account_part  bigint  NOT NULL CHECK (account_part >= 0),  -- as quoted to the subscriber
    payment_part  bigint  NOT NULL CHECK (payment_part > 0),
    session_id    bigint  REFERENCES sessions,     -- the session to extend; the started one
    mo_id         text    NOT NULL,                -- the command that asked for it
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    state         text    NOT NULL DEFAULT 'open'
                  CHECK (state IN ('open', 'confirmed', 'declined', 'expired', 'replaced',
                                   'failed', 'cancelled')),
    closed_at     timestamptz,
    CHECK (amount_tiyn = account_part + payment_part),
    CHECK (expires_at > created_at),
    CHECK ((state = 'open') = (closed_at IS NULL)),
    CHECK (kind = 'start' OR session_id IS NOT NULL)
);
CREATE UNIQUE INDEX pending_debits_one_open ON pending_debits (msisdn) WHERE state = 'open';
CREATE INDEX pending_debits_expiry_due ON pending_debits (expires_at) WHERE state = 'open';

-- Double-entry ledger. A transaction moves money between accounts; its legs sum
-- to zero. Accounts (text):
--   wallet:MSISDN   the built-in wallet (>= 0)       parking:MSISDN  the parking account (>= 0)
--   held:SESSION    prepayment held for a session     revenue:ZONE    money earned in a zone
--   topup           outside money put into wallets (negative: what came in)
-- A leg's amount is what flows into its account (negative = out of it).
CREATE TABLE ledger_tx (
    id              bigserial PRIMARY KEY,
    kind            text   NOT NULL CHECK (kind IN ('topup', 'start', 'extend', 'stop', 'end')),
    msisdn          text   REFERENCES subscribers,
    session_id      bigint REFERENCES sessions,
    pending_id      bigint REFERENCES pending_debits,
    idempotency_key text   UNIQUE,          -- e.g. pending:42, start:MO, stop:SESSION
    at              timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (kind = 'topup' OR session_id IS NOT NULL)
);
CREATE INDEX ledger_tx_session ON ledger_tx (session_id);
CREATE INDEX ledger_tx_pending ON ledger_tx (pending_id) WHERE pending_id IS NOT NULL;

CREATE TABLE ledger_legs (
    tx_id   bigint NOT NULL REFERENCES ledger_tx,
    account text   NOT NULL CHECK (account ~ '^(wallet|parking|held|revenue|topup|payment)(:.+)?$'),
    amount  bigint NOT NULL CHECK (amount <> 0),
    PRIMARY KEY (tx_id, account)
);
CREATE INDEX ledger_legs_account ON ledger_legs (account);

-- Every MO handled, for idempotency (Kannel may deliver the same sms.id twice).
CREATE TABLE processed_mo (
    mo_id        text PRIMARY KEY CHECK (mo_id <> ''),
    msisdn       text NOT NULL,
    at           timestamptz NOT NULL,                -- when the MO was received
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- Every SMS the service sends, written in the transaction that decided it: the
-- queue for the box and the audit of outgoing messages. mo_id is NULL for
-- reminders, session ends and expiries.
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    mo_id       text REFERENCES processed_mo,
    session_id  bigint REFERENCES sessions,
    pending_id  bigint REFERENCES pending_debits,
    kind        text NOT NULL,                       -- the reply template key
    sender      text NOT NULL,
    receiver    text NOT NULL,
    text        text NOT NULL,
    ucs2        boolean NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    claimed_at  timestamptz,                         -- last handed to a box by service_unsent
    sent_at     timestamptz
);
CREATE INDEX outbox_mo ON outbox (mo_id) WHERE mo_id IS NOT NULL;
CREATE INDEX outbox_unsent ON outbox (created_at) WHERE sent_at IS NULL;

-- Ledger balance of one account.
CREATE FUNCTION ledger_balance(acc text) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(amount), 0)::bigint FROM ledger_legs WHERE account = acc
$$;

-- Puts money into a subscriber's built-in wallet (demo, tests, a carrier's
-- back office). Creates the subscriber if new. Returns the new wallet balance.
CREATE FUNCTION wallet_topup(p_msisdn text, p_amount bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    tx bigint;
    bal bigint;
BEGIN
    IF p_amount IS NULL OR p_amount <= 0 THEN
        RAISE EXCEPTION 'wallet_topup: amount must be positive tiyn, got %', p_amount;
    END IF;
    INSERT INTO subscribers (msisdn) VALUES (p_msisdn) ON CONFLICT DO NOTHING;
    PERFORM 1 FROM subscribers WHERE msisdn = p_msisdn FOR UPDATE;
    INSERT INTO ledger_tx (kind, msisdn, at) VALUES ('topup', p_msisdn, now()) RETURNING id INTO tx;
    INSERT INTO ledger_legs (tx_id, account, amount) VALUES
        (tx, 'wallet:' || p_msisdn, p_amount), (tx, 'topup', -p_amount);
    UPDATE subscribers SET wallet_tiyn = wallet_tiyn + p_amount WHERE msisdn = p_msisdn
        RETURNING wallet_tiyn INTO bal;
    RETURN bal;
END
$$;

-- Every violated money invariant, one row each; empty when all hold.
CREATE FUNCTION money_invariants() RETURNS TABLE (invariant text, detail text)
LANGUAGE sql STABLE AS $$
    -- 1. every ledger transaction balances
    SELECT 'tx_balances', 'tx ' || tx_id || ' sums to ' || sum(amount)
      FROM ledger_legs GROUP BY tx_id HAVING sum(amount) <> 0
    UNION ALL
    -- 2. a transaction has legs
    SELECT 'tx_has_legs', 'tx ' || t.id
      FROM ledger_tx t WHERE NOT EXISTS (SELECT 1 FROM ledger_legs l WHERE l.tx_id = t.id)
    UNION ALL
    -- 3. stored balances equal ledger balances
    SELECT 'account_matches_ledger', s.msisdn || ': account ' || s.account_tiyn
           || ' ledger ' || ledger_balance('parking:' || s.msisdn)
      FROM subscribers s WHERE s.account_tiyn <> ledger_balance('parking:' || s.msisdn)
    UNION ALL
    SELECT 'wallet_matches_ledger', s.msisdn || ': wallet ' || s.wallet_tiyn
           || ' ledger ' || ledger_balance('wallet:' || s.msisdn)
      FROM subscribers s WHERE s.wallet_tiyn <> ledger_balance('wallet:' || s.msisdn)
    UNION ALL
    -- 4. no subscriber-owned or held account is ever negative
    SELECT 'non_negative', account || ' = ' || sum(amount)
      FROM ledger_legs WHERE account ~ '^(wallet|parking|held|revenue):'
     GROUP BY account HAVING sum(amount) < 0
    UNION ALL
    -- 5. a session's prepaid amount = its payment debits + parking-account use
    SELECT 'prepaid_equals_debits', 'session ' || s.id || ': prepaid ' || s.prepaid_tiyn
           || ', debits+account ' || coalesce(d.paid, 0)
      FROM sessions s
      LEFT JOIN (SELECT t.session_id, -sum(l.amount) AS paid
                   FROM ledger_tx t JOIN ledger_legs l ON l.tx_id = t.id
                  WHERE t.kind IN ('start', 'extend')
                    AND (l.account LIKE 'parking:%' OR l.account LIKE 'wallet:%'
                         OR l.account LIKE 'payment%')
                  GROUP BY t.session_id) d ON d.session_id = s.id
     WHERE s.prepaid_tiyn <> coalesce(d.paid, 0)
    UNION ALL
    -- 6. the held account of a session holds its prepayment while active, nothing after
    SELECT 'held_matches_session', 'session ' || s.id || ': held '
           || ledger_balance('held:' || s.id) || ', expected '
           || CASE WHEN s.ended_at IS NULL THEN s.prepaid_tiyn ELSE 0 END
      FROM sessions s
     WHERE ledger_balance('held:' || s.id) <> CASE WHEN s.ended_at IS NULL THEN s.prepaid_tiyn ELSE 0 END
    UNION ALL
    -- 7. an ended session paid its cost to revenue and the rest to the parking account
    SELECT 'end_split', 'session ' || s.id
      FROM sessions s
     WHERE s.ended_at IS NOT NULL AND (
           s.cost_tiyn <> coalesce((SELECT sum(l.amount) FROM ledger_tx t JOIN ledger_legs l ON l.tx_id = t.id
                                     WHERE t.session_id = s.id AND t.kind IN ('stop', 'end')
                                       AND l.account LIKE 'revenue:%'), 0)
        OR s.to_account_tiyn <> coalesce((SELECT sum(l.amount) FROM ledger_tx t JOIN ledger_legs l ON l.tx_id = t.id
                                     WHERE t.session_id = s.id AND t.kind IN ('stop', 'end')
                                       AND l.account LIKE 'parking:%'), 0))
    UNION ALL
    -- 8. a confirmed pending debit was booked exactly once, for its amount
    SELECT 'confirmed_once', 'pending ' || p.id
      FROM pending_debits p
     WHERE p.state = 'confirmed' AND (SELECT count(*) FROM ledger_tx t WHERE t.pending_id = p.id) <> 1
    UNION ALL
    SELECT 'unconfirmed_not_booked', 'pending ' || p.id || ' (' || p.state || ')'
      FROM pending_debits p
     WHERE p.state <> 'confirmed' AND EXISTS (SELECT 1 FROM ledger_tx t WHERE t.pending_id = p.id)
$$;
