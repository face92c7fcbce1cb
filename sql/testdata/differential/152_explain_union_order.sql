-- EXPLAIN prints an ORDER BY key over UNION [ALL] as the first operand's
-- column or expression, as PostgreSQL's plan (an Append of the operands) does.
create table tk (thousand int, tenthous int, hundred int);
explain (costs off) SELECT thousand, tenthous FROM tk UNION ALL SELECT thousand, thousand FROM tk ORDER BY thousand, tenthous;
explain (costs off) SELECT thousand, tenthous, thousand+tenthous AS x FROM tk UNION ALL SELECT 42, 42, hundred FROM tk ORDER BY thousand, tenthous;
explain (costs off) SELECT thousand+1, tenthous FROM tk UNION ALL SELECT 42, 42 FROM tk ORDER BY 1;
explain (costs off) SELECT thousand, tenthous FROM tk UNION SELECT thousand, thousand FROM tk ORDER BY thousand, tenthous;
explain (costs off) SELECT 1 UNION ALL SELECT 2 ORDER BY 1;
explain (costs off) SELECT thousand FROM tk UNION ALL SELECT thousand FROM tk ORDER BY 1 LIMIT 3;
