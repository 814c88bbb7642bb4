-- always_paid.sql: every zone paid at all hours, holidays too, at its tariff.
--
-- For the tests and the demo, whose scripted conversations must work at any time of the
-- week: load it after sql/sample/zones.sql. The city's real paid hours (Monday to
-- Saturday 08:00-20:00, free on public holidays) are the zones' default policies that
-- sql/0008_policies.sql creates; tests of paid hours leave them in place.
DELETE FROM tariff_policy_spans;
UPDATE tariff_policies SET holidays_free = false;
