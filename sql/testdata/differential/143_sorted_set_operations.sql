-- UNION, INTERSECT and EXCEPT over a type PostgreSQL does not hash in set
-- operations (money, records), or with enable_hashagg off, sort their
-- rows: the results come out sorted, and EXPLAIN shows Unique or SetOp
-- over a Sort.
CREATE TABLE so_a (k int, m money);
CREATE TABLE so_b (k int, m money);
INSERT INTO so_a VALUES (3, 30), (1, 10), (2, 20), (2, 20), (NULL, NULL), (5, 50);
INSERT INTO so_b VALUES (2, 20), (4, 40), (NULL, NULL), (1, 10), (1, 10);
SELECT k, m FROM so_a UNION SELECT k, m FROM so_b;
SELECT k, m FROM so_a INTERSECT SELECT k, m FROM so_b;
SELECT k, m FROM so_a INTERSECT ALL SELECT k, m FROM so_b;
SELECT k, m FROM so_a EXCEPT SELECT k, m FROM so_b;
SELECT k, m FROM so_a EXCEPT ALL SELECT k, m FROM so_b;
SELECT k, m FROM so_b EXCEPT ALL SELECT k, m FROM so_a;
SELECT x FROM (VALUES (row(1, 2)), (row(1, 3))) v(x) UNION SELECT x FROM (VALUES (row(1, 2)), (row(0, 4))) w(x);
EXPLAIN (COSTS OFF) SELECT k, m FROM so_a UNION SELECT k, m FROM so_b;
EXPLAIN (COSTS OFF) SELECT k, m FROM so_a INTERSECT SELECT k, m FROM so_b;
EXPLAIN (COSTS OFF) SELECT k, m FROM so_a EXCEPT ALL SELECT k, m FROM so_b;
SET enable_hashagg = off;
SELECT k FROM so_a UNION SELECT k FROM so_b;
SELECT k FROM so_a INTERSECT SELECT k FROM so_b;
SELECT k FROM so_a EXCEPT SELECT k FROM so_b;
SELECT FROM so_a INTERSECT SELECT FROM so_b;
SELECT count(*) FROM (SELECT FROM so_a UNION SELECT FROM so_b) s;
EXPLAIN (COSTS OFF) SELECT k FROM so_a UNION SELECT k FROM so_b;
EXPLAIN (COSTS OFF) SELECT k FROM so_a EXCEPT SELECT k FROM so_b;
EXPLAIN (COSTS OFF) SELECT FROM so_a UNION SELECT FROM so_b;
RESET enable_hashagg;
SELECT k FROM so_a UNION ALL SELECT k FROM so_b ORDER BY k;
