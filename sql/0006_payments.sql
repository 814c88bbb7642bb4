-- 0006_payments: paying through the carrier's online charging (the phone account over
-- Diameter) or a card gateway, with the charge recorded before it is requested.
--
-- A subscriber's payment method: 'default' (the box's `payment` key: the wallet or the
-- phone account), 'wallet', 'phone' or 'card' (with the gateway's token and the card's
-- last four digits). When "1" confirms a debit that an external method pays, one
-- transaction records the charge ('requested', with its key) and moves the pending
-- debit to 'charging'; the request goes out; a second transaction records the outcome:
-- 'charged' starts or extends the session (ledger leg payment:phone or payment:card,
-- receipt number = the pending debit's id), anything definite closes the pending debit
-- as 'failed'. A charge whose outcome is unknown stays 'requested' and is asked again
-- (next_try_at) until an answer comes. scripts/migrate wraps this file in a transaction.

ALTER FUNCTION money_invariants() RENAME TO money_invariants_0001;

-- payment methods
UPDATE subscribers SET payment_method = 'default' WHERE payment_method = 'wallet';
ALTER TABLE subscribers
    ALTER COLUMN payment_method SET DEFAULT 'default',
    ADD COLUMN card_token text CONSTRAINT subscribers_card_token_nonempty CHECK (card_token <> ''),
    ADD COLUMN card_last4 text CONSTRAINT subscribers_card_last4_digits CHECK (card_last4 ~ '^[0-9]{4}$'),
    ADD CONSTRAINT subscribers_payment_method_known
        CHECK (payment_method IN ('default', 'wallet', 'phone', 'card')),
    ADD CONSTRAINT subscribers_card_complete
        CHECK (payment_method <> 'card' OR (card_token IS NOT NULL AND card_last4 IS NOT NULL));

-- a pending debit whose charge was requested is 'charging': still open, not expiring
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
              WHERE conrelid = 'pending_debits'::regclass AND contype = 'c'
                AND (pg_get_constraintdef(oid) LIKE '%''replaced''%'
                     OR pg_get_constraintdef(oid) LIKE '%closed_at IS NULL%')
    LOOP
        EXECUTE format('ALTER TABLE pending_debits DROP CONSTRAINT %I', c.conname);
    END LOOP;
    FOR c IN SELECT conname FROM pg_constraint
              WHERE conrelid = 'ledger_tx'::regclass AND contype = 'c'
                AND pg_get_constraintdef(oid) LIKE '%''topup''%'
    LOOP
        EXECUTE format('ALTER TABLE ledger_tx DROP CONSTRAINT %I', c.conname);
    END LOOP;
END
$$;
ALTER TABLE pending_debits
    ADD CONSTRAINT pending_debits_state_known
        CHECK (state IN ('open', 'charging', 'confirmed', 'declined', 'expired', 'replaced',
                         'failed', 'cancelled')),
    ADD CONSTRAINT pending_debits_closed_when_final
        CHECK ((state IN ('open', 'charging')) = (closed_at IS NULL));
DROP INDEX pending_debits_one_open;
CREATE UNIQUE INDEX pending_debits_one_open ON pending_debits (msisdn)
    WHERE state IN ('open', 'charging');

-- 'credit': money charged for a debit that could no longer be made (the car was parked
-- or the session ended meanwhile) goes to the parking account
ALTER TABLE ledger_tx
    ADD CONSTRAINT ledger_tx_kind_known
        CHECK (kind IN ('topup', 'start', 'extend', 'stop', 'end', 'credit')),
    ADD CONSTRAINT ledger_tx_session_unless_money_in
        CHECK (kind IN ('topup', 'credit') OR session_id IS NOT NULL);

CREATE TABLE charges (
    id           bigserial PRIMARY KEY,
    pending_id   bigint NOT NULL UNIQUE REFERENCES pending_debits,   -- one charge per debit
    msisdn       text   NOT NULL REFERENCES subscribers,
    method       text   NOT NULL CHECK (method IN ('phone', 'card')),
    amount_tiyn  bigint NOT NULL CHECK (amount_tiyn > 0),
    key          text   NOT NULL UNIQUE CHECK (key ~ '^[A-Za-z0-9;:._-]{1,100}$'),
    card_token   text,                                 -- card: the token it was sent with
    card_last4   text,
    state        text   NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'charged', 'failed')),
    outcome      text   CHECK (outcome IN ('charged', 'no_funds', 'denied', 'unknown_user',
                                           'unavailable', 'unknown')),  -- the last answer
    reference    text,                                 -- the provider's id when charged
    attempts     integer NOT NULL DEFAULT 0,
    requested_at timestamptz NOT NULL,
    next_try_at  timestamptz NOT NULL,
    settled_at   timestamptz,
    CHECK ((state = 'requested') = (settled_at IS NULL)),
    CHECK (method <> 'card' OR card_token IS NOT NULL)
);
CREATE INDEX charges_unsettled ON charges (next_try_at) WHERE state = 'requested';

-- Sets a subscriber's payment method (the portal, the tests, a back office). Creates the
-- subscriber if new. Refuses a card without a token and four digits.
CREATE FUNCTION payment_method_set(p_msisdn text, p_method text, p_token text DEFAULT NULL,
                                   p_last4 text DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO subscribers (msisdn) VALUES (p_msisdn) ON CONFLICT DO NOTHING;
    UPDATE subscribers SET payment_method = p_method,
           card_token = CASE WHEN p_method = 'card' THEN p_token END,
           card_last4 = CASE WHEN p_method = 'card' THEN p_last4 END
     WHERE msisdn = p_msisdn;
$$;

-- Every violated money invariant, one row each; empty when all hold. 0001's, and: every
-- charge the provider took is in the ledger once (a debit's payment leg, or a credit),
-- for its amount; nothing is booked from a provider without a charge.
CREATE OR REPLACE FUNCTION money_invariants() RETURNS TABLE (invariant text, detail text)
LANGUAGE sql STABLE AS $$
    SELECT * FROM money_invariants_0001()
    UNION ALL
    SELECT 'charge_booked', 'charge ' || c.id || ' (' || c.state || '): ' || c.amount_tiyn
           || ' charged, ' || coalesce(b.booked, 0) || ' booked'
      FROM charges c
      LEFT JOIN (SELECT coalesce(t.pending_id, substr(t.idempotency_key, 8)::bigint) AS pending_id,
                        -sum(l.amount) AS booked
                   FROM ledger_tx t JOIN ledger_legs l ON l.tx_id = t.id
                  WHERE l.account IN ('payment:phone', 'payment:card')
                  GROUP BY 1) b ON b.pending_id = c.pending_id
     WHERE coalesce(b.booked, 0) <> CASE WHEN c.state = 'charged' THEN c.amount_tiyn ELSE 0 END
    UNION ALL
    SELECT 'provider_total', 'charged ' || (SELECT coalesce(sum(amount_tiyn), 0) FROM charges
                                              WHERE state = 'charged')
           || ', booked ' || -coalesce(sum(l.amount), 0)
      FROM ledger_legs l WHERE l.account IN ('payment:phone', 'payment:card')
    HAVING -coalesce(sum(l.amount), 0) <> (SELECT coalesce(sum(amount_tiyn), 0) FROM charges
                                             WHERE state = 'charged')
$$;
