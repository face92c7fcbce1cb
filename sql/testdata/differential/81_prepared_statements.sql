-- pg_prepared_statements: the session's named prepared statements, with
-- the query string each came from, its declared parameter types as
-- regtype[], from_sql, and how many times it ran (cairn counts every run
-- as a generic plan, so the sum of the two plan columns is compared).
-- EXECUTE's errors (26000, 42601, 42P05) abort a transaction block.
SELECT count(*) FROM pg_prepared_statements;
PREPARE q1(int, text, numeric) AS SELECT $1 + 1, $2 || 'x', $3;
PREPARE q2 AS SELECT 42;
PREPARE q3(date) AS VALUES ($1);
SELECT name, statement, parameter_types, parameter_types::text, from_sql, generic_plans + custom_plans AS runs
  FROM pg_prepared_statements ORDER BY name;
SELECT name, cardinality(parameter_types), prepare_time <= now() FROM pg_prepared_statements ORDER BY 1;
SELECT pg_typeof(parameter_types), pg_typeof(prepare_time), pg_typeof(generic_plans) FROM pg_prepared_statements WHERE name = 'q2';
EXECUTE q1(1, 'a', 2.5);
EXECUTE q1(2, 'b', 3.5);
EXECUTE q2;
SELECT name, generic_plans + custom_plans AS runs FROM pg_prepared_statements ORDER BY name;
PREPARE q2 AS SELECT 1;
EXECUTE nothing;
EXECUTE q1(1);
EXECUTE q2(1);
DEALLOCATE q3;
SELECT name FROM pg_prepared_statements ORDER BY name;
DEALLOCATE q3;
BEGIN;
EXECUTE q2;
EXECUTE q1(1);
SELECT 1;
ROLLBACK;
BEGIN;
PREPARE q1 AS SELECT 2;
SELECT 1;
ROLLBACK;
BEGIN;
EXECUTE nothing;
SELECT 1;
ROLLBACK;
CREATE TABLE ps_t (a int);
PREPARE ins(int) AS INSERT INTO ps_t VALUES ($1);
EXECUTE ins(7);
EXECUTE ins(8);
SELECT a FROM ps_t ORDER BY a;
SELECT name, parameter_types, generic_plans + custom_plans FROM pg_prepared_statements WHERE name = 'ins';
DEALLOCATE ALL;
SELECT count(*) FROM pg_prepared_statements;
DROP TABLE ps_t;
