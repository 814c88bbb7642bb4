-- 0005_pipeline: what parkbox's pipelined transactions need.
--
-- parkbox sends the statements that apply a command and the COMMIT in one round
-- trip, so a statement that changes fewer rows than the dialogue decided must fail
-- the transaction by itself rather than let the COMMIT through: such statements
-- end in expect_rows(count, expected, what), which raises an error when they differ.
-- scripts/migrate wraps this file in a transaction.

CREATE FUNCTION expect_rows(n bigint, expected bigint, what text) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF n IS DISTINCT FROM expected THEN
        RAISE EXCEPTION '%: % rows changed, expected %', what, n, expected
            USING ERRCODE = 'data_exception';
    END IF;
    RETURN n;
END
$$;
