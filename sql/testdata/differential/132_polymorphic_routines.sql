-- Routines with polymorphic parameters and results: each call resolves
-- anyelement/anyarray/anynonarray to the one type its arguments share and
-- the anycompatible family to their common type, and runs the body with
-- the resolved types; arguments that do not fit leave the routine
-- unmatched (42883), an untyped argument alone is 42804, and a result no
-- input can resolve is refused at CREATE (42P13).
CREATE FUNCTION pm_add(x anyelement) RETURNS anyelement AS $$ BEGIN RETURN x + 1; END $$ LANGUAGE plpgsql;
SELECT pm_add(42) AS i, pm_add(4.5) AS n, pm_add(2::smallint) AS s, pg_typeof(pm_add(4.5::float8));
SELECT pm_add(point(1,2));
SELECT pm_add('7');
SELECT pm_add(NULL);
SELECT pm_add(NULL::int);
CREATE FUNCTION pm_pair(x anyelement) RETURNS anyarray AS $$ BEGIN RETURN array[x, x]; END $$ LANGUAGE plpgsql;
SELECT pm_pair(3), pm_pair('a'::text), pm_pair(2.5), pg_typeof(pm_pair(true));
CREATE FUNCTION pm_first(x anyarray) RETURNS anyelement AS $$ BEGIN RETURN x[1]; END $$ LANGUAGE plpgsql;
SELECT pm_first(array[2,4]), pm_first(array['b','c']), pg_typeof(pm_first(array[1.5]));
SELECT pm_first(5);
CREATE FUNCTION pm_same(a anyelement, b anyelement) RETURNS boolean AS $$ BEGIN RETURN a = b; END $$ LANGUAGE plpgsql;
SELECT pm_same(1, 1), pm_same('x'::text, 'y'), pm_same(1, '1');
SELECT pm_same(1, 2.5);
SELECT pm_same(1, 'a'::text);
CREATE FUNCTION pm_nonarray(x anynonarray) RETURNS text AS $$ BEGIN RETURN pg_typeof(x)::text; END $$ LANGUAGE plpgsql;
SELECT pm_nonarray(1), pm_nonarray('t'::text);
SELECT pm_nonarray(array[1]);
CREATE FUNCTION pm_compat(x anycompatible, y anycompatible) RETURNS anycompatiblearray AS $$ BEGIN RETURN array[x, y]; END $$ LANGUAGE plpgsql;
SELECT pm_compat(2, 4), pm_compat(2, 4.5), pm_compat(1, 2::bigint), pm_compat('a', 'b'), pg_typeof(pm_compat(1, 2.5));
SELECT pm_compat(1, 'a'::text);
CREATE FUNCTION pm_mixed(a anyelement, b anyarray, c anycompatible, d anycompatible, OUT x anyarray, OUT y anycompatiblearray)
AS $$ BEGIN x := a || b; y := array[c, d]; END $$ LANGUAGE plpgsql;
SELECT x, pg_typeof(x), y, pg_typeof(y) FROM pm_mixed(11, array[1, 2], 42, 34.5);
SELECT x, pg_typeof(x), y, pg_typeof(y) FROM pm_mixed(11, '{1,2}', point(1,2), '(3,4)');
SELECT (pm_mixed(1, array[2], 'a'::text, 'b')).y;
CREATE FUNCTION pm_dup(IN i anyelement, OUT j anyelement, OUT k anyarray) AS $$ BEGIN j := i; k := array[j, j]; END $$ LANGUAGE plpgsql;
SELECT * FROM pm_dup(42);
SELECT * FROM pm_dup('foo'::text);
SELECT pm_dup(1.5);
CREATE FUNCTION pm_set(x anyelement, n int) RETURNS SETOF anyelement AS $$ BEGIN FOR i IN 1..n LOOP RETURN NEXT x; END LOOP; END $$ LANGUAGE plpgsql;
SELECT * FROM pm_set('r'::text, 3);
SELECT * FROM pm_set(7, 2);
CREATE FUNCTION pm_each(anyarray) RETURNS int AS $$ DECLARE x int; s int := 0; BEGIN FOREACH x IN ARRAY $1 LOOP s := s + x; END LOOP; RETURN s; END $$ LANGUAGE plpgsql;
SELECT pm_each(array[1,2,3]), pm_each(array[[1,2],[3,4]]);
CREATE FUNCTION pm_slice(anyarray) RETURNS void AS $$ DECLARE x int; BEGIN FOREACH x SLICE 1 IN ARRAY $1 LOOP END LOOP; END $$ LANGUAGE plpgsql;
SELECT pm_slice(array[1,2]);
-- A SQL function is resolved the same way.
CREATE FUNCTION pm_sql(x anyelement, y anyelement) RETURNS anyelement AS 'SELECT greatest($1, $2)' LANGUAGE sql;
SELECT pm_sql(3, 9), pm_sql('b'::text, 'a');
-- Results no input resolves, and pseudo-type columns.
CREATE FUNCTION pm_bad1(x int) RETURNS anyelement AS $$ BEGIN RETURN x; END $$ LANGUAGE plpgsql;
CREATE FUNCTION pm_bad2(x anyelement) RETURNS anyrange AS $$ BEGIN RETURN NULL; END $$ LANGUAGE plpgsql;
CREATE FUNCTION pm_bad3(x anyelement) RETURNS anycompatible AS $$ BEGIN RETURN x; END $$ LANGUAGE plpgsql;
CREATE FUNCTION pm_bad4(x int, OUT y anyarray) AS $$ BEGIN END $$ LANGUAGE plpgsql;
CREATE TABLE pm_tab (a anyelement);
-- The routines are found by their declared signatures.
SELECT proname, pg_get_function_arguments(oid), pg_get_function_result(oid) FROM pg_proc WHERE proname LIKE 'pm\_%' ORDER BY proname;
DROP FUNCTION pm_add(anyelement);
DROP FUNCTION pm_mixed(anyelement, anyarray, anycompatible, anycompatible);
DROP FUNCTION pm_dup(x anyelement);
DROP FUNCTION pm_dup(anyelement);
-- Resolution among routines: one taking the arguments as they are wins
-- over one that expands VARIADIC; a routine in FROM that no candidate
-- fits is 42883.
CREATE FUNCTION pm_least(VARIADIC numeric[]) RETURNS numeric AS $$ BEGIN RETURN (SELECT min(v) FROM unnest($1) v); END $$ LANGUAGE plpgsql;
CREATE FUNCTION pm_least(numeric) RETURNS numeric AS $$ BEGIN RETURN -$1; END $$ LANGUAGE plpgsql;
SELECT pm_least(10), pm_least(10, 2, 30), pm_least(VARIADIC array[5, 6]);
SELECT * FROM pm_set(1, 'x'::text);
SELECT * FROM pm_set(2, 2);
-- A parameter or result declared as a column's type (%TYPE) takes the
-- column's type at CREATE, with a NOTICE.
CREATE TABLE pm_tab (a int, b text);
INSERT INTO pm_tab VALUES (1, 'one'), (2, 'two');
CREATE FUNCTION pm_typeof(x pm_tab.a%TYPE) RETURNS SETOF public.pm_tab.b%TYPE AS $$ BEGIN RETURN QUERY SELECT b FROM pm_tab WHERE a >= x ORDER BY a; END $$ LANGUAGE plpgsql;
SELECT * FROM pm_typeof(1);
SELECT pg_get_function_arguments('pm_typeof'::regproc), pg_get_function_result('pm_typeof'::regproc);
CREATE FUNCTION pm_typeof_bad(x pm_tab.nope%TYPE) RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql;
CREATE FUNCTION pm_typeof_bad(x pm_nowhere.a%TYPE) RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql;
-- A routine returning a table's row type follows the table's columns.
CREATE TABLE pm_cols (a int, b int, c int);
INSERT INTO pm_cols VALUES (1, 2, 3);
CREATE FUNCTION pm_rows() RETURNS SETOF pm_cols AS $$ BEGIN RETURN QUERY SELECT * FROM pm_cols; RETURN QUERY EXECUTE 'SELECT * FROM pm_cols'; END $$ LANGUAGE plpgsql;
CREATE FUNCTION pm_row() RETURNS pm_cols AS 'SELECT * FROM pm_cols LIMIT 1' LANGUAGE sql;
SELECT * FROM pm_rows();
ALTER TABLE pm_cols DROP COLUMN b;
SELECT * FROM pm_rows();
SELECT * FROM pm_row();
ALTER TABLE pm_cols ADD COLUMN d text DEFAULT 'new';
SELECT * FROM pm_rows();
SELECT pm_row();
-- A SQL function over polymorphic parameters is checked per call.
CREATE FUNCTION pm_cat(anyarray, anyelement) RETURNS anyarray AS 'SELECT $1 || $2' LANGUAGE sql;
SELECT pm_cat(array[1,2], 3), pm_cat(array['a'], 'b'::text);
SELECT pm_cat(array[1,2], 'x'::text);
CREATE FUNCTION pm_bad(anyelement) RETURNS anyelement AS 'SELECT $1 + ' LANGUAGE sql;
CREATE FUNCTION pm_plus(anyelement) RETURNS anyelement AS 'SELECT $1 + 1' LANGUAGE sql;
SELECT pm_plus(1), pm_plus(2.5);
SELECT pm_plus('a'::text);
