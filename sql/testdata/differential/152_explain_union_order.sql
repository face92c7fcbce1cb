-- EXPLAIN prints an ORDER BY key over UNION [ALL] as the first operand's
-- column or expression, as PostgreSQL's plan (an Append of the operands) does.
create table tk (thousand int, tenthous int, hundred int, unique2 int);
explain (costs off) SELECT thousand, tenthous FROM tk UNION ALL SELECT thousand, thousand FROM tk ORDER BY thousand, tenthous;
explain (costs off) SELECT thousand, tenthous, thousand+tenthous AS x FROM tk UNION ALL SELECT 42, 42, hundred FROM tk ORDER BY thousand, tenthous;
explain (costs off) SELECT thousand+1, tenthous FROM tk UNION ALL SELECT 42, 42 FROM tk ORDER BY 1;
explain (costs off) SELECT thousand, tenthous FROM tk UNION SELECT thousand, thousand FROM tk ORDER BY thousand, tenthous;
explain (costs off) SELECT 1 UNION ALL SELECT 2 ORDER BY 1;
explain (costs off) SELECT thousand FROM tk UNION ALL SELECT thousand FROM tk ORDER BY 1 LIMIT 3;
-- References to a UNION ALL subquery's columns above its Append print as
-- the first operand's, as PostgreSQL prints them once it pulls the
-- subquery up.
explain (costs off) SELECT x, y FROM (SELECT thousand AS x, tenthous AS y FROM tk a UNION ALL SELECT unique2 AS x, unique2 AS y FROM tk b) s ORDER BY x, y;
explain (costs off) SELECT x FROM (SELECT thousand + 1 AS x FROM tk a UNION ALL SELECT unique2 AS x FROM tk b) s ORDER BY x;
explain (costs off) SELECT t FROM (SELECT 1 AS t, thousand FROM tk a UNION ALL SELECT 2, unique2 FROM tk b) s ORDER BY t;
explain (costs off) SELECT x, count(*) FROM (SELECT thousand AS x FROM tk a UNION ALL SELECT unique2 AS x FROM tk b) s GROUP BY x;
explain (costs off) SELECT * FROM (SELECT thousand AS x FROM tk a UNION SELECT unique2 AS x FROM tk b) s ORDER BY x;
