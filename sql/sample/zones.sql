-- Sample zones from the seed (Almaty, 2016). The seed numbers only Green Market
-- (1001); 1002 and 1003 are our numbering. Tariffs in tiyn per hour: Green Market
-- later charged 150 tenge/h, the others 100 tenge/h. Safe to run again: updates
-- name and tariff of an existing zone number.
INSERT INTO zones (number, name, tariff_tiyn, active) VALUES
    (1001, 'Green Market',        15000, true),
    (1002, 'City Administration', 10000, true),
    (1003, 'Republican Square',   10000, true)
ON CONFLICT (number) DO UPDATE
    SET name = EXCLUDED.name, tariff_tiyn = EXCLUDED.tariff_tiyn, active = EXCLUDED.active;
