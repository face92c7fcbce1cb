-- A user-defined aggregate in a recursive term is refused (42P19) as a built-in
-- one is, rather than run; in a subquery of the term or outside the query it works.
CREATE AGGREGATE mysum (int) (SFUNC = int4pl, STYPE = int, INITCOND = '0');
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT mysum(n) FROM r WHERE n < 3) SELECT * FROM r;
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r GROUP BY n HAVING mysum(n) < 3) SELECT * FROM r;
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT (SELECT mysum(x) FROM generate_series(1, 2) x) + n FROM r WHERE n < 5) SELECT * FROM r;
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT mysum(n) FROM r;
