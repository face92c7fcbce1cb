-- User-defined functions and procedures in LANGUAGE sql: string and
-- SQL-standard bodies, parameters with defaults, named and VARIADIC
-- arguments, overloading, set-returning functions in FROM, procedures
-- and CALL, the catalog (pg_proc, pg_get_functiondef, regprocedure),
-- and the errors of each.
CREATE TABLE fn_t (a int, b text);
INSERT INTO fn_t VALUES (1, 'one'), (2, 'two'), (3, 'three');
CREATE FUNCTION fn_add(a int, b int DEFAULT 10) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
SELECT fn_add(1), fn_add(1, 2), fn_add(b => 5, a => 1), fn_add(2, b := 3);
SELECT fn_add(1::smallint), fn_add('4');
SELECT fn_add(NULL), fn_add(NULL, 1);
CREATE FUNCTION fn_strict(int) RETURNS int LANGUAGE sql STRICT AS 'SELECT coalesce($1, -1)';
CREATE FUNCTION fn_lax(int) RETURNS int LANGUAGE sql AS 'SELECT coalesce($1, -1)';
SELECT fn_strict(NULL), fn_lax(NULL), fn_strict(5);
CREATE FUNCTION fn_ret(x int) RETURNS int RETURN x * 2;
CREATE FUNCTION fn_atomic(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT x + 100; END;
SELECT fn_ret(21), fn_atomic(1);
-- Overloading and resolution.
CREATE FUNCTION fn_ov(int) RETURNS text LANGUAGE sql AS 'SELECT ''int''';
CREATE FUNCTION fn_ov(text) RETURNS text LANGUAGE sql AS 'SELECT ''text''';
CREATE FUNCTION fn_ov(numeric) RETURNS text LANGUAGE sql AS 'SELECT ''numeric''';
SELECT fn_ov(1), fn_ov('x'), fn_ov(1.5), fn_ov(1::bigint);
CREATE FUNCTION fn_amb(int, text) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION fn_amb(text, int) RETURNS int LANGUAGE sql AS 'SELECT 2';
SELECT fn_amb('1', '2');
SELECT fn_amb(1, 'x'), fn_amb('x', 1);
CREATE FUNCTION fn_dflt(int) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION fn_dflt(int, int DEFAULT 0) RETURNS int LANGUAGE sql AS 'SELECT 2';
SELECT fn_dflt(1);
SELECT fn_dflt(1, 2);
-- VARIADIC.
CREATE FUNCTION fn_var(VARIADIC nums int[]) RETURNS int LANGUAGE sql AS 'SELECT sum(n)::int FROM unnest(nums) n';
SELECT fn_var(1, 2, 3), fn_var(VARIADIC ARRAY[4, 5]);
SELECT fn_var(ARRAY[1, 2]);
-- Wrong arguments.
SELECT fn_add('x');
SELECT fn_add(1, 2, 3);
SELECT fn_add(c => 1);
SELECT fn_nosuch(1);
SELECT public.fn_nosuch(1);
-- Qualified names and the search path.
CREATE SCHEMA fn_s;
CREATE FUNCTION fn_s.fn_ov(int) RETURNS text LANGUAGE sql AS 'SELECT ''fn_s''';
SELECT fn_ov(1), fn_s.fn_ov(1), public.fn_ov(1);
SET search_path = fn_s, public;
SELECT fn_ov(1), fn_ov('x');
RESET search_path;
-- Built-in functions come first.
CREATE FUNCTION abs(int) RETURNS int LANGUAGE sql AS 'SELECT 42';
SELECT abs(-3), public.abs(-3);
DROP FUNCTION public.abs(int);
-- Volatile bodies see their earlier statements.
CREATE FUNCTION fn_ins(x int) RETURNS bigint LANGUAGE sql AS $$
  INSERT INTO fn_t VALUES (x, 'new');
  SELECT count(*) FROM fn_t;
$$;
SELECT fn_ins(10);
SELECT fn_ins(11);
CREATE FUNCTION fn_stable_ins() RETURNS int LANGUAGE sql STABLE AS $$ INSERT INTO fn_t VALUES (0, 'x') RETURNING a $$;
SELECT fn_stable_ins();
-- Result shapes.
CREATE FUNCTION fn_set(lo int) RETURNS SETOF fn_t LANGUAGE sql AS 'SELECT * FROM fn_t WHERE a >= lo ORDER BY a';
SELECT * FROM fn_set(3);
SELECT b FROM fn_set(10) WHERE a = 11;
CREATE FUNCTION fn_tab(lo int) RETURNS TABLE (x int, y text) LANGUAGE sql AS 'SELECT a, b FROM fn_t WHERE a <= lo ORDER BY a';
SELECT * FROM fn_tab(2);
SELECT * FROM fn_tab(2) WITH ORDINALITY;
CREATE FUNCTION fn_series(n int) RETURNS SETOF int LANGUAGE sql AS 'SELECT generate_series(1, n)';
SELECT fn_series(3);
SELECT * FROM fn_series(2) AS s(v);
CREATE FUNCTION fn_out(IN a int, OUT doubled int, OUT label text) LANGUAGE sql AS 'SELECT a * 2, ''x'' || a';
SELECT * FROM fn_out(4);
SELECT (fn_out(5)).label;
CREATE FUNCTION fn_rec() RETURNS record LANGUAGE sql AS 'SELECT 1, ''a''::text';
SELECT * FROM fn_rec() AS r(i int, t text);
SELECT * FROM fn_rec();
SELECT * FROM fn_add(1) AS r(i int);
CREATE FUNCTION fn_row(int) RETURNS fn_t LANGUAGE sql AS 'SELECT * FROM fn_t WHERE a = $1';
SELECT * FROM fn_row(2);
SELECT (fn_row(3)).b;
SELECT * FROM fn_row(99);
CREATE FUNCTION fn_void() RETURNS void LANGUAGE sql AS 'SELECT 1';
SELECT fn_void();
-- Return type mismatches and other invalid definitions.
CREATE FUNCTION fn_bad() RETURNS int LANGUAGE sql AS 'SELECT ''a''::text';
CREATE FUNCTION fn_bad() RETURNS int LANGUAGE sql AS 'SELECT 1, 2';
CREATE FUNCTION fn_bad() RETURNS int LANGUAGE sql AS 'DELETE FROM fn_t WHERE false';
CREATE FUNCTION fn_bad() RETURNS int LANGUAGE sql AS 'SELECT nosuch FROM fn_t';
CREATE FUNCTION fn_bad() RETURNS fn_t LANGUAGE sql AS 'SELECT 1, 2, 3';
CREATE FUNCTION fn_bad(a int DEFAULT 1, b int) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION fn_bad(VARIADIC a int) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION fn_bad(a int, a int) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION fn_bad(OUT a int, OUT b int) RETURNS int LANGUAGE sql AS 'SELECT 1, 2';
CREATE FUNCTION fn_bad() LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION fn_bad() RETURNS int AS 'SELECT 1';
CREATE FUNCTION fn_bad() RETURNS int LANGUAGE nosuch AS 'SELECT 1';
CREATE FUNCTION fn_bad() RETURNS int LANGUAGE sql AS 'SELEC 1';
CREATE FUNCTION fn_bad() RETURNS nosuch LANGUAGE sql AS 'SELECT 1';
-- Duplicates and OR REPLACE.
CREATE FUNCTION fn_add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT 0';
CREATE OR REPLACE FUNCTION fn_add(a int, b int DEFAULT 10) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b + 1000';
SELECT fn_add(1);
CREATE OR REPLACE FUNCTION fn_add(a int, b int DEFAULT 10) RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint';
CREATE OR REPLACE FUNCTION fn_add(x int, b int DEFAULT 10) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE OR REPLACE FUNCTION fn_add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT 1';
-- Procedures and CALL.
CREATE PROCEDURE fn_proc(x int, y text DEFAULT 'p') LANGUAGE sql AS $$ INSERT INTO fn_t VALUES (x, y) $$;
CALL fn_proc(20);
CALL fn_proc(21, 'q');
SELECT * FROM fn_t WHERE a >= 20 ORDER BY a;
CREATE PROCEDURE fn_proc_out(x int, OUT y int, INOUT z int) LANGUAGE sql AS 'SELECT x * 2, z + 1';
CALL fn_proc_out(3, NULL, 7);
CALL fn_add(1);
SELECT fn_proc(1);
CALL fn_nosuch();
CREATE PROCEDURE fn_proc_bad() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE OR REPLACE FUNCTION fn_proc(x int, y text DEFAULT 'p') RETURNS void LANGUAGE sql AS 'SELECT 1';
-- The catalog.
SELECT proname, prokind, provolatile, proisstrict, proretset, pronargs, pronargdefaults, prorettype::regtype,
       pg_get_function_identity_arguments(oid), proallargtypes, proargmodes, proargnames, prosrc
FROM pg_proc WHERE proname IN ('fn_add', 'fn_strict', 'fn_tab', 'fn_out', 'fn_proc_out', 'fn_var') ORDER BY proname;
SELECT lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE proname = 'fn_ret';
SELECT oid, lanname, lanispl, lanpltrusted FROM pg_language ORDER BY oid;
SELECT pg_get_functiondef('fn_add'::regproc);
SELECT pg_get_functiondef('fn_ret'::regproc);
SELECT pg_get_functiondef('fn_proc'::regproc);
SELECT pg_get_functiondef('fn_set'::regproc);
SELECT pg_get_function_arguments('fn_out'::regproc), pg_get_function_identity_arguments('fn_out'::regproc),
       pg_get_function_result('fn_out'::regproc);
SELECT pg_get_function_result('fn_tab'::regproc), pg_get_function_result('fn_set'::regproc),
       pg_get_function_result('fn_proc'::regproc);
SELECT 'fn_add(int, int)'::regprocedure, 'fn_ret'::regproc, 'fn_s.fn_ov(integer)'::regprocedure;
SELECT 'fn_ov'::regproc;
SELECT 'fn_nosuch'::regproc;
SELECT 'fn_add(text)'::regprocedure;
COMMENT ON FUNCTION fn_add(int, int) IS 'adds';
SELECT obj_description('fn_add'::regproc, 'pg_proc');
COMMENT ON FUNCTION fn_add(int, int) IS NULL;
SELECT obj_description('fn_add'::regproc, 'pg_proc');
-- ALTER.
ALTER FUNCTION fn_ret(int) STABLE STRICT;
SELECT provolatile, proisstrict FROM pg_proc WHERE proname = 'fn_ret';
ALTER FUNCTION fn_ret(int) SET search_path = public;
SELECT proconfig FROM pg_proc WHERE proname = 'fn_ret';
ALTER FUNCTION fn_ret(int) RESET search_path;
SELECT proconfig FROM pg_proc WHERE proname = 'fn_ret';
ALTER FUNCTION fn_ret(int) RENAME TO fn_ret2;
SELECT fn_ret2(1);
SELECT fn_ret(1);
ALTER FUNCTION fn_ret2(int) RENAME TO fn_atomic;
ALTER FUNCTION fn_ret2(int) SET SCHEMA fn_s;
SELECT fn_s.fn_ret2(2);
ALTER FUNCTION fn_s.fn_ret2(int) SET SCHEMA public;
ALTER FUNCTION fn_ret2(text) IMMUTABLE;
ALTER PROCEDURE fn_ret2(int) IMMUTABLE;
ALTER FUNCTION fn_proc(int, text) IMMUTABLE;
-- Index expressions, CHECK and DEFAULT.
CREATE TABLE fn_idx (a int);
CREATE INDEX ON fn_idx (fn_add(a));
CREATE FUNCTION fn_rand(int) RETURNS int LANGUAGE sql AS 'SELECT $1 + (random() * 0)::int';
CREATE INDEX ON fn_idx (fn_rand(a));
CREATE TABLE fn_chk (a int CHECK (fn_lax(a) > 0), b int DEFAULT fn_add(1));
INSERT INTO fn_chk (a) VALUES (5);
INSERT INTO fn_chk (a) VALUES (-5);
SELECT * FROM fn_chk;
-- Types the functions use.
CREATE TYPE fn_mood AS ENUM ('sad', 'happy');
CREATE FUNCTION fn_is_happy(m fn_mood) RETURNS bool LANGUAGE sql AS 'SELECT m = ''happy''';
SELECT fn_is_happy('happy'), fn_is_happy('sad');
DROP TYPE fn_mood;
DROP TYPE fn_mood CASCADE;
-- Recursion.
CREATE FUNCTION fn_fact(n int) RETURNS numeric LANGUAGE sql AS 'SELECT CASE WHEN n <= 1 THEN 1 ELSE n * fn_fact(n - 1) END';
SELECT fn_fact(10);
-- DROP.
DROP FUNCTION fn_nosuch(int);
DROP FUNCTION IF EXISTS fn_nosuch(int);
DROP FUNCTION fn_ov;
DROP FUNCTION fn_ov(int), fn_ov(text);
DROP FUNCTION fn_ov;
DROP FUNCTION fn_proc(int, text);
DROP PROCEDURE fn_add(int, int);
DROP PROCEDURE fn_proc;
DROP ROUTINE fn_proc_out;
DROP FUNCTION fn_add(int, int), fn_strict(int) CASCADE;
SELECT fn_add(1);
SELECT count(*) FROM pg_proc WHERE proname IN ('fn_add', 'fn_ov', 'fn_proc');
