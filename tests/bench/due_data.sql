-- due_data.sql: the data of scripts/bench-due, set-based. psql variables:
--   n  active sessions, one subscriber each (subscriber and session g = 1..n)
--   e  of them, sessions 1..e end in the minute starting at epoch m, spread over its
--      60 seconds; the others end 1 to 12 hours after it
--   p  open pending debits (subscribers 1..p, for another plate) expiring in that minute
--   m  the epoch of the minute (a multiple of 60)
-- The money is what the dialogue would have booked (docs/store.md, money_invariants()
-- in sql/0001_core.sql): each subscriber's wallet is topped up with the session's
-- prepayment plus 1,000 tenge (a 'topup' transaction: wallet:MSISDN +, topup -), then the
-- session is paid from the wallet (a 'start' transaction: held:SESSION +prepaid,
-- wallet:MSISDN -prepaid). Stored wallet balances equal the ledger's; parking accounts
-- stay 0. The open pending debits are not booked (an unconfirmed debit never is).
\set ON_ERROR_STOP on
BEGIN;

CREATE TEMP TABLE bench AS
SELECT g,
       (77100000000 + g)::text AS msisdn,
       1001 + g % 3 AS zone,
       CASE 1001 + g % 3 WHEN 1001 THEN 15000 ELSE 10000 END AS rate,
       1 + g % 4 AS hours,
       to_timestamp(CASE WHEN g <= :e THEN :m + (g * 7) % 60
                         ELSE :m + 3600 + (g::bigint * 7919) % 39600 END) AS paid_until,
       -- a Kazakhstan-style plate, unique for g < 17,576,000
       lpad((g % 1000)::text, 3, '0') || chr(65 + (g / 1000) % 26) ||
           chr(65 + (g / 26000) % 26) || chr(65 + (g / 676000) % 26) || '02' AS plate
  FROM generate_series(1, :n) AS g;

INSERT INTO subscribers (msisdn, wallet_tiyn)
SELECT msisdn, 100000 FROM bench;

INSERT INTO sessions (id, msisdn, zone, plate, rate_tiyn, hours, started_at, paid_until,
                      prepaid_tiyn)
SELECT g, msisdn, zone, plate, rate, hours, paid_until - make_interval(hours => hours),
       paid_until, rate * hours
  FROM bench;

INSERT INTO ledger_tx (id, kind, msisdn, session_id, idempotency_key, at)
SELECT g, 'topup', msisdn, NULL, NULL, paid_until - make_interval(hours => hours, mins => 5)
  FROM bench
UNION ALL
SELECT :n + g, 'start', msisdn, g, 'mo:bench-due-' || g, paid_until - make_interval(hours => hours)
  FROM bench;

INSERT INTO ledger_legs (tx_id, account, amount)
SELECT g, 'wallet:' || msisdn, rate * hours + 100000 FROM bench
UNION ALL
SELECT g, 'topup', -(rate * hours + 100000) FROM bench
UNION ALL
SELECT :n + g, 'held:' || g, rate * hours FROM bench
UNION ALL
SELECT :n + g, 'wallet:' || msisdn, -(rate * hours) FROM bench;

INSERT INTO pending_debits (msisdn, kind, zone, plate, hours, rate_tiyn, amount_tiyn,
                            account_part, payment_part, mo_id, created_at, expires_at)
SELECT msisdn, 'start', zone, 'Q' || plate, 1, rate, rate, 0, rate, 'bench-due-pending-' || g,
       to_timestamp(:m + (g * 13) % 60 - 300), to_timestamp(:m + (g * 13) % 60)
  FROM bench WHERE g <= :p;

SELECT setval('sessions_id_seq', :n), setval('ledger_tx_id_seq', 2 * :n);
COMMIT;
