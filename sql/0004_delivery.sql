-- 0004_delivery: delivery reports in the outbox, the audit of outgoing messages.
--
-- parkbox asks bearerbox for a delivery report on every message it sends
-- (dlr-mask delivered | failed | buffered, the outbox id in dlr-url). A report
-- sets dlr_status and dlr_at; delivered_at is the time of the "delivered"
-- report. A final status (delivered, failed) is never changed again, and a
-- report repeating the status a row has changes nothing, so a duplicate report
-- is harmless. scripts/migrate wraps this file in a transaction.

ALTER TABLE outbox
    ADD COLUMN dlr_status text
        CONSTRAINT outbox_dlr_status_known
        CHECK (dlr_status IN ('delivered', 'failed', 'buffered', 'smsc_accepted', 'smsc_rejected')),
    ADD COLUMN dlr_at timestamptz,                 -- when the last report changed dlr_status
    ADD COLUMN delivered_at timestamptz,           -- when the handset got it
    ADD CONSTRAINT outbox_dlr_consistent CHECK ((dlr_status IS NULL) = (dlr_at IS NULL)),
    ADD CONSTRAINT outbox_delivered_consistent
        CHECK ((delivered_at IS NOT NULL) = (dlr_status IS NOT DISTINCT FROM 'delivered'));

-- Records one delivery report on outbox row p_id. Returns true when the row
-- changed, false for an unknown id, a duplicate, or a report arriving after a
-- final status (delivered, failed).
CREATE FUNCTION outbox_record_dlr(p_id bigint, p_status text) RETURNS boolean
LANGUAGE sql AS $$
    WITH changed AS (
        UPDATE outbox
           SET dlr_status = p_status,
               dlr_at = now(),
               delivered_at = CASE WHEN p_status = 'delivered' THEN now() END
         WHERE id = p_id
           AND dlr_status IS DISTINCT FROM p_status
           AND (dlr_status IS NULL OR dlr_status NOT IN ('delivered', 'failed'))
        RETURNING 1)
    SELECT count(*) > 0 FROM changed
$$;
