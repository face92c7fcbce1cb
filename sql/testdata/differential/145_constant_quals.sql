-- A WHERE condition of constants and immutable operators folds when the
-- query is planned: false or NULL plans no scan (Result with One-Time
-- Filter: false), true disappears. Volatile calls and columns do not fold.
CREATE TABLE cq_a (x int, y text);
CREATE TABLE cq_b (x int, z text);
INSERT INTO cq_a VALUES (1, 'a'), (2, 'b'), (0, 'zero');
INSERT INTO cq_b VALUES (1, 'q'), (3, 'r');
SELECT * FROM cq_a WHERE false;
SELECT * FROM cq_a WHERE NULL;
SELECT * FROM cq_a WHERE 1 = 0;
SELECT * FROM cq_a WHERE NULLIF(1, 2) = 2;
SELECT * FROM cq_a WHERE NULLIF(1, 1) IS NOT NULL;
SELECT * FROM cq_a WHERE NULLIF(1, NULL) = 1 ORDER BY x;
SELECT * FROM cq_a WHERE 1 = 1 AND x > 0 ORDER BY x;
SELECT * FROM cq_a WHERE x > 0 AND 2 < 1;
SELECT count(*) FROM cq_a WHERE false;
SELECT count(*), max(x) FROM cq_a WHERE COALESCE(NULL, 1) = 1;
SELECT * FROM cq_a, cq_b WHERE cq_a.x = cq_b.x AND CASE WHEN 1 > 2 THEN true ELSE false END;
SELECT * FROM cq_a JOIN cq_b ON cq_a.x = cq_b.x AND 1 = 2;
-- An outer join keeps its outer rows when the inner side is empty.
SELECT * FROM cq_a LEFT JOIN (SELECT * FROM cq_b WHERE false) s ON cq_a.x = s.x ORDER BY cq_a.x;
SELECT * FROM cq_a LEFT JOIN (SELECT * FROM cq_b WHERE 1 IN (2, 3)) s ON true ORDER BY cq_a.x;
SELECT * FROM (SELECT * FROM cq_a WHERE NULL::boolean) s RIGHT JOIN cq_b ON s.x = cq_b.x ORDER BY cq_b.x;
SELECT * FROM cq_a FULL JOIN (SELECT * FROM cq_b WHERE false) s ON cq_a.x = s.x ORDER BY cq_a.x;
-- The rows are not read, so nothing computed from them runs.
SELECT * FROM (SELECT 10 / x AS q FROM cq_a) s WHERE false;
-- A volatile call is evaluated per row, never folded.
SELECT count(*) FROM cq_a WHERE random() >= 0;
SELECT 1 WHERE false;
SELECT 1 WHERE 1 BETWEEN 0 AND 2;
EXPLAIN (COSTS OFF) SELECT * FROM cq_a WHERE false;
EXPLAIN (COSTS OFF) SELECT * FROM cq_a WHERE NULLIF(1, 2) = 2;
EXPLAIN (COSTS OFF) SELECT * FROM cq_a WHERE NULLIF(1, 1) IS NOT NULL;
EXPLAIN (COSTS OFF) SELECT * FROM cq_a WHERE 1 = 1;
EXPLAIN (COSTS OFF) SELECT * FROM cq_a WHERE true AND x > 1;
EXPLAIN (COSTS OFF) SELECT * FROM cq_a WHERE x > 1 AND NULL;
EXPLAIN (COSTS OFF) SELECT * FROM cq_a, cq_b WHERE cq_a.x = cq_b.x AND 1 = 0;
EXPLAIN (COSTS OFF) SELECT count(*) FROM cq_a WHERE false;
EXPLAIN (COSTS OFF) SELECT * FROM cq_a LEFT JOIN cq_b ON cq_a.x = cq_b.x WHERE NULLIF(1, 1) IS NOT NULL;
-- An outer join's constant true condition is dropped: every pair matches.
SELECT * FROM cq_a LEFT JOIN cq_b ON 1 = 1 ORDER BY cq_a.x, cq_b.x;
SELECT * FROM cq_a FULL JOIN cq_b ON true ORDER BY cq_a.x, cq_b.x;
EXPLAIN (COSTS OFF) SELECT * FROM cq_a LEFT JOIN cq_b ON 1 = 1;
-- A LEFT JOIN condition that is constant false reads no inner row and
-- null-extends every outer row.
SELECT * FROM cq_a LEFT JOIN cq_b ON cq_a.x = cq_b.x AND false ORDER BY cq_a.x;
SELECT * FROM cq_a LEFT JOIN cq_b ON NULL ORDER BY cq_a.x;
SELECT cq_a.x FROM cq_a LEFT JOIN cq_b ON cq_a.x = cq_b.x AND 1 = 0 WHERE cq_b.x IS NULL ORDER BY 1;
SELECT * FROM cq_a RIGHT JOIN cq_b ON 1 = 0 ORDER BY cq_b.x;
SELECT * FROM cq_a FULL JOIN cq_b ON false ORDER BY cq_a.x, cq_b.x;
EXPLAIN (COSTS OFF) SELECT * FROM cq_a LEFT JOIN cq_b ON cq_a.x = cq_b.x AND false;
EXPLAIN (COSTS OFF) SELECT * FROM cq_a LEFT JOIN cq_b ON NULL;
