-- EXPLAIN (COSTS OFF) of single-table plans whose shape cairn and
-- PostgreSQL agree on: a sequential scan with a filter, an index scan by
-- primary key, a sort under a limit, grouping.
CREATE TABLE ex_t (id int PRIMARY KEY, a int, b varchar(10), c text);
INSERT INTO ex_t VALUES (1, 10, 'x', 'y'), (2, 20, 'z', 'w'), (3, 10, 'x', 'v');
EXPLAIN (COSTS OFF) SELECT * FROM ex_t;
EXPLAIN (COSTS OFF) SELECT * FROM ex_t WHERE c = 'y';
EXPLAIN (COSTS OFF) SELECT * FROM ex_t WHERE b = 'x';
EXPLAIN (COSTS OFF) SELECT * FROM ex_t WHERE a = 10 AND b = 'x';
EXPLAIN (COSTS OFF) SELECT * FROM ex_t WHERE a > 5 OR c IS NULL;
EXPLAIN (COSTS OFF) SELECT * FROM ex_t WHERE id = 2;
EXPLAIN (COSTS OFF) SELECT * FROM ex_t ORDER BY c LIMIT 2;
EXPLAIN (COSTS OFF) SELECT * FROM ex_t ORDER BY a DESC, c LIMIT 1;
EXPLAIN (COSTS OFF) SELECT a, count(*) FROM ex_t GROUP BY a;
EXPLAIN (COSTS OFF) SELECT count(*) FROM ex_t;
EXPLAIN (COSTS OFF) SELECT count(*) FROM ex_t WHERE c = 'w';
EXPLAIN (COSTS OFF) SELECT 1;
EXPLAIN EXPLAIN SELECT 1;
EXPLAIN (FORMAT bogus) SELECT 1;
EXPLAIN (NONSENSE) SELECT 1;
EXPLAIN (ANALYZE maybe) SELECT 1;
-- Conditions print in the order PostgreSQL evaluates them: cheapest
-- first, a column's equality to a constant after the others.
CREATE TABLE ex_q (id int PRIMARY KEY, a int, b varchar(10), c text, n numeric);
EXPLAIN (COSTS OFF) SELECT * FROM ex_q WHERE c = 'y' AND n > 1;
EXPLAIN (COSTS OFF) SELECT * FROM ex_q WHERE a = 10 AND c <> 'v';
EXPLAIN (COSTS OFF) SELECT * FROM ex_q WHERE c IS NOT NULL AND a > 5 OR b = 'x';
EXPLAIN (COSTS OFF) SELECT * FROM ex_q WHERE a IN (1, 2) AND b IN ('x', 'y');
EXPLAIN (COSTS OFF) SELECT * FROM ex_q WHERE n IN (1, 2.5);
EXPLAIN (COSTS OFF) SELECT * FROM ex_q WHERE a = -1 AND n < 1.5;
