-- Joins whose order the planner chooses by cost after ANALYZE give the
-- rows they give in any order: a star and a chain with selective and
-- unselective filters, comma lists and JOIN lists, with the written
-- order forced by join_collapse_limit = 1.
CREATE TABLE jo_f (id int PRIMARY KEY, k1 int, k2 int, k3 int, flag bool);
CREATE TABLE jo_d1 (k int, a text);
CREATE TABLE jo_d2 (k int, a text);
CREATE TABLE jo_d3 (k int PRIMARY KEY, tag text);
INSERT INTO jo_f SELECT i, i % 50, (i / 3) % 50, i % 100, i % 10 <> 0 FROM generate_series(1, 1000) i;
INSERT INTO jo_d1 SELECT i % 50, 'a' || i FROM generate_series(1, 150) i;
INSERT INTO jo_d2 SELECT i % 50, 'b' || i FROM generate_series(1, 100) i;
INSERT INTO jo_d3 SELECT i, CASE WHEN i IN (7, 8) THEN 'rare' ELSE 'common' END FROM generate_series(0, 99) i;
ANALYZE;
SELECT count(*), sum(f.id), min(d1.a), max(d2.a) FROM jo_f f JOIN jo_d1 d1 ON d1.k = f.k1 JOIN jo_d2 d2 ON d2.k = f.k2 JOIN jo_d3 d3 ON d3.k = f.k3 WHERE f.flag AND d3.tag = 'rare';
SELECT count(*), sum(f.id) FROM jo_f f, jo_d1 d1, jo_d2 d2, jo_d3 d3 WHERE d1.k = f.k1 AND d2.k = f.k2 AND d3.k = f.k3 AND d3.tag = 'rare' AND d1.a > 'a5';
SELECT f.id, d3.tag, d1.a FROM jo_d3 d3, jo_f f, jo_d1 d1 WHERE d3.k = f.k3 AND d1.k = f.k1 AND d3.tag = 'rare' AND f.id < 120 ORDER BY f.id, d1.a;
SELECT count(*) FROM jo_f f JOIN jo_d1 d1 ON d1.k = f.k1 LEFT JOIN jo_d2 d2 ON d2.k = f.k2 AND d2.a = 'b1' WHERE f.k3 BETWEEN 10 AND 12;
SELECT count(*) FROM jo_f f, jo_d3 d3 WHERE d3.k = f.k3 AND d3.tag <> 'common' AND f.id % 7 = 0;
SELECT count(*) FROM jo_f f, jo_d1 d1 WHERE f.k1 = d1.k AND f.k1 < 3 AND d1.k >= 1;
SET join_collapse_limit = 1;
SELECT count(*), sum(f.id), min(d1.a), max(d2.a) FROM jo_f f JOIN jo_d1 d1 ON d1.k = f.k1 JOIN jo_d2 d2 ON d2.k = f.k2 JOIN jo_d3 d3 ON d3.k = f.k3 WHERE f.flag AND d3.tag = 'rare';
RESET join_collapse_limit;
-- After the data changes, ANALYZE again: other estimates, the same rows.
UPDATE jo_d3 SET tag = 'rare' WHERE k < 60;
ANALYZE jo_d3;
SELECT count(*), sum(f.id) FROM jo_f f JOIN jo_d1 d1 ON d1.k = f.k1 JOIN jo_d2 d2 ON d2.k = f.k2 JOIN jo_d3 d3 ON d3.k = f.k3 WHERE f.flag AND d3.tag = 'rare';
SELECT count(*) FROM jo_f f, jo_d1 d1, jo_d2 d2 WHERE d1.k = f.k1 AND d2.k = d1.k AND f.flag IS NOT TRUE;
