-- LATERAL subqueries and functions in FROM that read the items to their left.
CREATE TABLE lt1 (a int, b int);
INSERT INTO lt1 VALUES (1, 10), (2, 20), (3, 30), (NULL, 40);
CREATE TABLE lt2 (x int, y int);
INSERT INTO lt2 VALUES (1, 100), (1, 101), (3, 300), (NULL, 400);
SELECT * FROM lt1, LATERAL (SELECT * FROM lt2 WHERE x = a) s ORDER BY 1, 3, 4;
SELECT * FROM lt1 LEFT JOIN LATERAL (SELECT y FROM lt2 WHERE x = a) s ON true ORDER BY 1, 3;
SELECT * FROM lt1 LEFT JOIN LATERAL (SELECT y FROM lt2 WHERE x = a) s ON s.y > 100 ORDER BY 1, 3;
SELECT * FROM lt1 JOIN LATERAL (SELECT y FROM lt2 WHERE x = a) s ON s.y > 100 ORDER BY 1, 3;
SELECT a, g FROM lt1, generate_series(1, a) g ORDER BY 1, 2;
SELECT a, g FROM lt1 CROSS JOIN LATERAL generate_series(1, a) g ORDER BY 1, 2;
SELECT * FROM lt1, LATERAL (VALUES (a * 2), (b)) v(z) ORDER BY 1, 3;
SELECT s1, s2, sm FROM generate_series(1, 3) s1,
  LATERAL (SELECT s2, sum(s1 + s2) sm FROM generate_series(1, 3) s2 GROUP BY s2) ss ORDER BY 1, 2;
-- The lateral item is joined before the item an equality then connects.
SELECT count(*) FROM lt1 p, lt1 q JOIN LATERAL (VALUES (p.a)) ss(x) ON q.a = ss.x;
SELECT *, (SELECT r FROM (SELECT a AS q2) x, LATERAL (SELECT q2 AS r) y) FROM lt1 ORDER BY 1;
-- A lateral reference into an outer join's left from the right of a later join.
SELECT * FROM lt1 p, lt2 x LEFT JOIN LATERAL (SELECT p.a FROM lt1 y) ss(z) ON x.x = ss.z ORDER BY 1, 2, 3, 4, 5;
-- Correlated to the enclosing query as well as to the items to the left.
SELECT (SELECT sum(z) FROM lt2, LATERAL (SELECT o.a + x) s(z)) FROM lt1 o ORDER BY 1;
SELECT (SELECT sum(z) FROM LATERAL (SELECT o.a + 1) s(z)) FROM lt1 o ORDER BY 1;
SELECT * FROM (VALUES (1), (2)) v(a) LEFT JOIN LATERAL (SELECT v.a, count(*) FROM lt2 WHERE x >= v.a GROUP BY ROLLUP (y)) s ON true ORDER BY 1, 3;
-- A nested lateral chain.
SELECT * FROM (VALUES (0), (1)) v(id), LATERAL (SELECT * FROM lt1 t, LATERAL (SELECT t.a + v.id AS w) u) w ORDER BY 1, 2, 4;
-- RIGHT and FULL joins cannot read their left side.
SELECT a, g FROM lt1 RIGHT JOIN LATERAL generate_series(0, lt1.a) g ON true;
SELECT a, g FROM lt1 FULL JOIN LATERAL generate_series(0, lt1.a) g ON true;
SELECT * FROM lt1 RIGHT JOIN LATERAL (SELECT lt1.a) s ON true;
-- An aggregate of the items to the left belongs to the outer level's FROM.
SELECT 1 FROM lt1 p, LATERAL (SELECT max(p.a) FROM lt2) ss;
SELECT * FROM lt1 p, LATERAL (SELECT max(p.a + x) FROM lt2) ss ORDER BY 1, 2;
SELECT * FROM (VALUES (1), (2)) v(x), LATERAL (SELECT y, sum(v.x) FROM lt2 GROUP BY ROLLUP (y)) s;
-- UPDATE ... FROM and DELETE ... USING: a LATERAL item cannot read the target.
CREATE TABLE lt3 (x1 int, x2 int);
INSERT INTO lt3 VALUES (1, 0), (3, 0);
UPDATE lt3 SET x2 = y FROM LATERAL (SELECT * FROM lt2 WHERE x = x1) ss;
DELETE FROM lt3 USING LATERAL (SELECT * FROM lt2 WHERE x = x1) ss;
UPDATE lt3 SET x2 = z FROM lt1, LATERAL (SELECT a + 1 AS z) ss WHERE a = x1;
SELECT * FROM lt3 ORDER BY x1;
-- The merged column of JOIN ... USING is its side's column for grouping.
SELECT a FROM lt1 LEFT JOIN lt2 ON false, lt1 l2 JOIN lt1 l3 USING (a) GROUP BY l2.a ORDER BY 1;
SELECT a, count(*) FROM lt1 p LEFT JOIN lt1 q USING (a) GROUP BY p.a ORDER BY 1;
SELECT p.a, count(*) FROM lt1 p JOIN lt1 q USING (a) GROUP BY a ORDER BY 1;
SELECT a, count(*) FROM lt1 p RIGHT JOIN lt1 q USING (a) GROUP BY q.a ORDER BY 1;
SELECT a, count(*) FROM lt1 p FULL JOIN lt1 q USING (a) GROUP BY p.a ORDER BY 1;
