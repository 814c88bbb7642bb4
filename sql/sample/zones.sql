-- Sample zones from the seed (Almaty, 2016). The seed numbers only Green Market
-- (1001); 1002 and 1003 are our numbering. Tariffs in tiyn per hour: Green Market
-- later charged 150 tenge/h, the others 100 tenge/h. Names in Russian, Kazakh and
-- English for the replies (sql/0010_names.sql). Safe to run again: updates name,
-- names and tariff of an existing zone number.
INSERT INTO zones (number, name, name_ru, name_kk, name_en, tariff_tiyn, active) VALUES
    (1001, 'Green Market',        'Зелёный базар',      'Көк базар',        'Green Market',        15000, true),
    (1002, 'City Administration', 'Акимат',             'Әкімдік',          'City Administration', 10000, true),
    (1003, 'Republican Square',   'Площадь Республики', 'Республика алаңы', 'Republican Square',   10000, true)
ON CONFLICT (number) DO UPDATE
    SET name = EXCLUDED.name, name_ru = EXCLUDED.name_ru, name_kk = EXCLUDED.name_kk,
        name_en = EXCLUDED.name_en, tariff_tiyn = EXCLUDED.tariff_tiyn, active = EXCLUDED.active;
