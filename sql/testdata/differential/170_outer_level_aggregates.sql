-- Aggregates of enclosing query levels: an aggregate whose arguments,
-- FILTER or ORDER BY name only an outer query's columns aggregates that
-- query's rows.
CREATE TABLE o (x int, y int);
INSERT INTO o VALUES (1, 10), (2, 20), (3, 30), (4, 10);
CREATE TABLE i (a int);
INSERT INTO i VALUES (1), (2);

-- The outer query becomes an aggregating one.
SELECT (SELECT max(o.x)) FROM o;
SELECT (SELECT max(o.x) FROM i LIMIT 1) FROM o;
SELECT (SELECT count(*) FILTER (WHERE o.x > 1) FROM i LIMIT 1) FROM o;
SELECT (SELECT max(0) FILTER (WHERE o.y = 10)) FROM o;
SELECT (SELECT string_agg(o.x::text, ',' ORDER BY o.x DESC)) FROM o;
SELECT (SELECT max((SELECT i.a FROM i WHERE i.a = oo.x))) FROM o oo;
-- A subquery that is not itself aggregating: one row per row of i.
SELECT (SELECT max(o.x) FROM i) FROM o;
SELECT (SELECT array_agg(i.a + sum(o.x) ORDER BY i.a) FROM i) FROM o;

-- Within an aggregating outer query: with GROUP BY and in HAVING.
SELECT y, (SELECT sum(o.x)) FROM o GROUP BY y ORDER BY y;
SELECT y, (SELECT sum(o.x) + count(*) FROM i) FROM o GROUP BY y ORDER BY y;
SELECT y FROM o GROUP BY y HAVING EXISTS (SELECT 1 FROM i WHERE sum(o.x) > i.a * 3) ORDER BY y;
SELECT y, sum(DISTINCT x) FROM o GROUP BY y
  HAVING EXISTS (SELECT 1 FROM o b WHERE sum(DISTINCT o.x) = b.x) ORDER BY y;

-- Mixed levels: the innermost level a column is of decides.
SELECT x, (SELECT sum(o.x + i.a) FROM i) FROM o ORDER BY x;

-- Errors.
SELECT x, (SELECT max(o.y)) FROM o;
SELECT * FROM o WHERE EXISTS (SELECT sum(o.x));
SELECT y FROM o GROUP BY y HAVING EXISTS (SELECT 1 FROM i WHERE sum(a) > 0);

-- An ordered-set aggregate's level is its ORDER BY's; its direct
-- arguments may not name a column of a lower level.
SELECT array(SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM i) FROM generate_series(1, 5) g(x);
SELECT (SELECT rank(3) WITHIN GROUP (ORDER BY g.x) FROM i LIMIT 1) FROM generate_series(1, 5) g(x);
SELECT array(SELECT percentile_disc(a) WITHIN GROUP (ORDER BY x) FROM i GROUP BY a) FROM generate_series(1, 5) g(x);
