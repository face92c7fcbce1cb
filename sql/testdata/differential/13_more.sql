CREATE TABLE m (id int PRIMARY KEY, grp int, val numeric(8,3), f float8, d date, ts timestamp, tz timestamptz, s varchar(10));
INSERT INTO m VALUES
  (1, 1, 1.5, 0.1, '2024-01-31', '2024-01-31 23:59:59.5', '2024-01-31 23:59:59.5+00', 'Apple'),
  (2, 1, 2.25, 1e-10, '2023-12-01', '2023-12-01 00:00:00', '2023-12-01 05:00:00+05', 'banana'),
  (3, 2, -0.001, 12345678.9, '0001-01-01', '1970-01-01 00:00:01', '1970-01-01 00:00:00+00', 'cherry'),
  (4, 2, NULL, -1.5e-5, NULL, NULL, NULL, NULL),
  (5, 3, 100, 3.0, '2024-02-29', '2024-02-29 12:30:00.000001', '2024-02-29 12:30:00.000001-08', 'Date');
INSERT INTO m DEFAULT VALUES;
INSERT INTO m (id) VALUES (6) RETURNING *;
SELECT * FROM m ORDER BY id;
SELECT id, val * 2, val / 3, val + f, f * 2, -val FROM m WHERE id < 6 ORDER BY id;
SELECT grp, sum(val), avg(val), avg(f), sum(f), count(d) FROM m GROUP BY grp ORDER BY grp;
SELECT max(d), min(d), max(ts), min(tz), max(s), min(s) FROM m;
SELECT id FROM m WHERE d > '2024-01-01' ORDER BY id;
SELECT id FROM m WHERE ts >= '2024-01-31' ORDER BY id;
SELECT id FROM m WHERE tz < '2000-01-01 00:00:00+00' ORDER BY id;
SELECT id, s FROM m ORDER BY s, id;
SELECT id, s FROM m ORDER BY lower(s) DESC NULLS LAST, id;
SELECT grp, count(*) FROM m GROUP BY grp HAVING sum(val) IS NULL OR sum(val) > 3 ORDER BY grp;
SELECT count(*) FROM m HAVING count(*) > 1;
SELECT sum(val) FROM m HAVING sum(val) > 1000;
SELECT grp * 10 AS g10, count(*) FROM m GROUP BY grp * 10 ORDER BY g10;
SELECT grp, (SELECT count(*) FROM m m2 WHERE m2.grp = m.grp) FROM m GROUP BY grp ORDER BY grp;
SELECT grp FROM m GROUP BY grp HAVING count(*) = (SELECT max(c) FROM (SELECT count(*) AS c FROM m GROUP BY grp) t) ORDER BY grp;
SELECT DISTINCT grp FROM m ORDER BY id;
SELECT DISTINCT grp % 2 FROM m ORDER BY 1;
SELECT id FROM m WHERE s IN ('Apple', 'Date') ORDER BY id;
SELECT id FROM m WHERE val IN (1.5, 100) ORDER BY id;
SELECT id FROM m WHERE grp IN (SELECT grp FROM m WHERE val < 0) ORDER BY id;
UPDATE m SET val = val * 10 WHERE grp IN (SELECT grp FROM m WHERE s LIKE 'b%') RETURNING id, val;
DELETE FROM m WHERE id IN (SELECT id FROM m WHERE val IS NULL) RETURNING id;
UPDATE m SET s = 'waytoolongvalue' WHERE id = 1;
UPDATE m SET s = s || s WHERE id = 1 RETURNING s;
SELECT 1.5::float8, 0.1::float8 * 3, 1e21::float8, 1e-4::float8, 123456789012345680000::float8, 2.5e-320::float8;
SELECT 1/3::float8, 100.0::float8, -0.000001::float8, 1.0e15::float8 + 0.5;
SELECT 0.5::numeric(3,0), 1.5::numeric(3,0), -1.5::numeric(3,0), 0.05::numeric(2,1);
SELECT 1::numeric(3,2), 10::numeric(3,2);
SELECT 1.0 * 1.00, 1.10 + 2.2, 5.0 - 5, 3 * 0.333;
SELECT sum(x) FROM (SELECT 1.10 AS x UNION ALL SELECT 2.205) t;
SELECT 'It''s', E'tab\there', 'a\nb', U&'\0041';
SELECT '  leading', 'trailing  ', upper('straße'), length('日本語'), lower('ÀÉ');
SELECT 'x' || 'y' || 'z', 'abc' < 'abd', 'Z' < 'a', 'a' < 'B';
SELECT id, s FROM m WHERE s < 'b' ORDER BY id;
SELECT count(*), count(1), count(NULL) FROM m;
SELECT true AND NULL, false OR NULL, NOT true, true = false, true < false, true > false;
SELECT 5 BETWEEN 1 AND 10, 5 BETWEEN 10 AND 1, 5 BETWEEN SYMMETRIC 10 AND 1, NULL BETWEEN 1 AND 2;
SELECT 1 IN (1, NULL), 2 IN (1, NULL), 2 NOT IN (1, NULL), NULL IN (1);
SELECT id FROM m ORDER BY id DESC LIMIT 2 OFFSET 1;
SELECT id FROM m ORDER BY id LIMIT 1 + 1;
SELECT id FROM m ORDER BY id LIMIT 'x';
SELECT id FROM m ORDER BY id LIMIT 1.5;
SELECT * FROM m m1, m m2;
SELECT id, id FROM m WHERE id = 1;
SELECT id AS a, s AS a FROM m WHERE id = 1;
SELECT "id", "ID" FROM m;
SELECT m.* FROM m WHERE id = 2;
SELECT count(*) FROM m WHERE NOT (id > 2 AND grp = 2) ORDER BY 1;
