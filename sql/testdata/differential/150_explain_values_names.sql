-- EXPLAIN names the columns of a FROM (VALUES ...) item as the Values
-- Scan's ("*VALUES*".column1), as PostgreSQL does once it pulls the
-- subquery up, whatever alias the item has.
EXPLAIN (COSTS OFF) SELECT x FROM (VALUES (1), (2)) _(x) WHERE x > 1 ORDER BY x;
EXPLAIN (COSTS OFF) SELECT * FROM (VALUES (1, 2), (2, 3)) v WHERE column1 > 1;
EXPLAIN (COSTS OFF) SELECT x FROM (VALUES (1), (2)) _(x), (VALUES (3), (4)) y(z) WHERE x = z;
EXPLAIN (COSTS OFF) SELECT x FROM (VALUES (1), (2)) _(x) UNION SELECT x FROM (VALUES (1), (3)) _(x);
EXPLAIN (COSTS OFF) SELECT x FROM (VALUES (1), (2)) _(x) INTERSECT SELECT x FROM (VALUES (1), (3)) _(x);
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT x FROM (VALUES (1), (2)) _(x) EXCEPT SELECT x FROM (VALUES (1), (3)) _(x);
RESET enable_hashagg;
SELECT x FROM (VALUES (1), (2)) _(x) UNION SELECT x FROM (VALUES (1), (3)) _(x) ORDER BY 1;
-- EXPLAIN prints BETWEEN as the two conditions PostgreSQL's parser makes of
-- it, and x IN (v) as x = v.
create table bt (a int, b char(2), c text);
explain (costs off) select * from bt where a between 3 and 23;
explain (costs off) select * from bt where a between 3 and 23 and b in ('ab');
explain (costs off) select * from bt where b in ('ab') and a between 3 and 23;
explain (costs off) select * from bt where c = 'x' and a between 3 and 23;
explain (costs off) select * from bt where a between 3 and 23 and c in ('x', 'y');
explain (costs off) select * from bt where a not between 3 and 23;
explain (costs off) select * from bt where a between 3 and 23 or c = 'z';
explain (costs off) select * from bt where c in ('x');
explain (costs off) select * from bt where c not in ('x');
explain (costs off) select * from bt where a in (1) and c = 'q';
