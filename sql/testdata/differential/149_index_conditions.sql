-- Conditions an index lookup holds: later key columns tested on the
-- entries, and row IN lists whose NULL rows can never match.
CREATE TABLE ic (a int, b int, c text, junk int);
CREATE INDEX ic_ab ON ic (a, b);
CREATE INDEX ic_ca ON ic (c, a);
INSERT INTO ic SELECT g % 100, g, 'c' || (g % 7), g FROM generate_series(1, 2000) g;
INSERT INTO ic VALUES (1, NULL, NULL, -1), (NULL, 5, 'c1', -2);
UPDATE ic SET b = 1999 WHERE junk = 101;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SET enable_indexonlyscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM ic WHERE a < 2 AND b IN (1001, 1501, 1999) ORDER BY junk;
SELECT * FROM ic WHERE a < 2 AND b IN (1001, 1501, 1999) ORDER BY junk;
EXPLAIN (COSTS OFF) SELECT * FROM ic WHERE a = 5 AND b > 1800;
SELECT * FROM ic WHERE a = 5 AND b > 1800 ORDER BY junk;
SELECT * FROM ic WHERE a <= 2 AND b >= 1990 AND b < 1999 ORDER BY junk;
SELECT junk FROM ic WHERE c = 'c3' AND a > 95 ORDER BY junk;
SELECT junk FROM ic WHERE c > 'c5' AND a = 3 ORDER BY junk;
EXPLAIN (COSTS OFF) SELECT * FROM ic WHERE (a, b) IN ((1, 1001), (NULL, NULL));
SELECT * FROM ic WHERE (a, b) IN ((1, 1001), (NULL, NULL));
SELECT * FROM ic WHERE (a, b) IN ((1, 1101), (2, NULL), (NULL, 5));
SELECT * FROM ic WHERE (a, b) IN ((NULL, NULL));
SELECT * FROM ic WHERE (a, b) IN ((1, 1001), (2, 1002)) ORDER BY junk;
