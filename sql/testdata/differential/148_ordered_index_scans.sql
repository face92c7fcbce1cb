-- Index scans that return rows in order: btree indexes read forward and
-- backward with NULLs where ORDER BY wants them, boolean columns matched
-- to index keys, and nearest-first GiST scans.
CREATE TABLE oi (id int, b bool, i int, t text, junk int);
CREATE UNIQUE INDEX oi_id ON oi (id);
CREATE INDEX oi_b_i ON oi (b, i);
CREATE INDEX oi_t ON oi (t);
INSERT INTO oi SELECT g, CASE WHEN g % 5 = 0 THEN NULL ELSE g % 2 = 0 END,
  CASE WHEN g % 7 = 0 THEN NULL ELSE g % 4 END, CASE WHEN g % 6 = 0 THEN NULL ELSE 't' || (g % 9) END, g
  FROM generate_series(1, 60) g;
UPDATE oi SET i = 9, t = 'zz' WHERE id IN (3, 4, 8);
DELETE FROM oi WHERE id = 11;
EXPLAIN (COSTS OFF) SELECT * FROM oi WHERE b ORDER BY i LIMIT 10;
EXPLAIN (COSTS OFF) SELECT * FROM oi WHERE b = true ORDER BY i DESC LIMIT 10;
EXPLAIN (COSTS OFF) SELECT * FROM oi WHERE NOT b ORDER BY i LIMIT 10;
EXPLAIN (COSTS OFF) SELECT * FROM oi WHERE b IS TRUE ORDER BY i DESC LIMIT 10;
EXPLAIN (COSTS OFF) SELECT * FROM oi WHERE b IS FALSE ORDER BY i DESC LIMIT 10;
SELECT b, i, id FROM oi WHERE b ORDER BY i, id;
SELECT b, i FROM oi WHERE b ORDER BY i LIMIT 100;
SELECT b, i FROM oi WHERE b = true ORDER BY i DESC LIMIT 100;
SELECT b, i FROM oi WHERE NOT b ORDER BY i LIMIT 100;
SELECT b, i FROM oi WHERE b IS FALSE ORDER BY i DESC LIMIT 100;
SELECT b, i FROM oi WHERE b IS TRUE AND i > 0 ORDER BY i LIMIT 100;
SELECT b, i FROM oi ORDER BY b, i LIMIT 100;
SELECT b, i FROM oi ORDER BY b DESC, i DESC LIMIT 100;
SELECT id FROM oi ORDER BY id DESC LIMIT 5;
SELECT t FROM oi ORDER BY t LIMIT 100;
SELECT t FROM oi ORDER BY t DESC LIMIT 100;
SELECT b, i FROM oi ORDER BY b NULLS FIRST, i LIMIT 10;
SELECT b, count(*) FROM oi WHERE b IS NOT TRUE GROUP BY b ORDER BY b;

CREATE TABLE knn (id int, p point, c circle);
INSERT INTO knn SELECT g, point(g % 11 - 5, g / 11 - 3), circle(point(g % 7, g % 5), g % 3)
  FROM generate_series(1, 77) g;
INSERT INTO knn VALUES (100, NULL, NULL), (101, '(NaN,NaN)', NULL);
CREATE INDEX knn_p ON knn USING gist (p);
CREATE INDEX knn_c ON knn USING gist (c);
EXPLAIN (COSTS OFF) SELECT * FROM knn ORDER BY p <-> '(0,0)' LIMIT 5;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM knn WHERE p <@ '(-2,-2,2,2)'::box ORDER BY p <-> '(0,0)';
RESET enable_seqscan;
SELECT id, p <-> '(0.5,0.25)' AS d FROM knn ORDER BY p <-> '(0.5,0.25)', id LIMIT 12;
SELECT p <-> '(0.5,0.25)' AS d FROM knn ORDER BY p <-> '(0.5,0.25)';
SELECT p FROM knn WHERE p <@ '(-2,-2,2,2)'::box ORDER BY p <-> '(0.5,0.25)', p[0];
SELECT round((c <-> '(3.2,1.7)')::numeric, 6) AS d FROM knn ORDER BY c <-> '(3.2,1.7)' LIMIT 20;
UPDATE knn SET p = '(100,100)' WHERE id = 40;
SELECT id, p <-> '(100,99)' AS d FROM knn ORDER BY p <-> '(100,99)' LIMIT 2;
