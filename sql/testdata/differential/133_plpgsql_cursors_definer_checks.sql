-- PL/pgSQL cursors: refcursor variables, bound cursors with positional
-- and named arguments, OPEN FOR query and FOR EXECUTE, FETCH and MOVE in
-- every direction, SCROLL and NO SCROLL, CLOSE, FOR over a cursor, and
-- cursors returned to the caller, who fetches from them with SQL FETCH
-- in the same transaction. Notices raised before an error come first; a
-- SECURITY DEFINER routine runs as its owner.
CREATE TABLE cur_t (a int, b int);
INSERT INTO cur_t VALUES (5, 10), (50, 100), (500, 1000);
SELECT 'abc'::refcursor, pg_typeof('abc'::refcursor), 'abc'::refcursor::text, 'x'::text::refcursor, pg_typeof(array['a']::refcursor[]);
CREATE FUNCTION cur_open() RETURNS refcursor AS $$ DECLARE rc refcursor; BEGIN OPEN rc FOR SELECT a FROM cur_t ORDER BY a; RETURN rc; END $$ LANGUAGE plpgsql;
CREATE FUNCTION cur_first(rc refcursor) RETURNS int AS $$ DECLARE x record; BEGIN FETCH rc INTO x; RETURN x.a; END $$ LANGUAGE plpgsql;
SELECT cur_first(cur_open());
CREATE FUNCTION cur_named(rc refcursor) RETURNS refcursor AS $$ BEGIN OPEN rc FOR SELECT a, b FROM cur_t ORDER BY a; RETURN rc; END $$ LANGUAGE plpgsql;
BEGIN;
SELECT cur_named('c_one');
FETCH NEXT FROM c_one;
FETCH ALL FROM c_one;
FETCH BACKWARD 2 FROM c_one;
SELECT cur_named('c_one');
CLOSE c_one;
COMMIT;
FETCH NEXT FROM c_one;
SELECT cur_named('c_two');
FETCH ALL FROM c_two;
-- Bound cursors with arguments, by position and by name.
CREATE FUNCTION cur_bound(int, int) RETURNS text AS $$ DECLARE c CURSOR (p1 int, p2 int) FOR SELECT a FROM cur_t WHERE a > p1 AND b > p2 ORDER BY a; x int; acc text := ''; BEGIN OPEN c($1, $2); LOOP FETCH c INTO x; EXIT WHEN NOT FOUND; acc := acc || x || ' '; END LOOP; CLOSE c; OPEN c(p2 := $2, p1 := 0); FETCH c INTO x; acc := acc || 'named ' || x || ' ' || c; CLOSE c; RETURN acc; END $$ LANGUAGE plpgsql;
SELECT cur_bound(10, 10), cur_bound(1000, 0);
CREATE FUNCTION cur_args_err() RETURNS void AS $$ DECLARE c CURSOR (p1 int) FOR SELECT p1; BEGIN OPEN c(1/0); END $$ LANGUAGE plpgsql;
SELECT cur_args_err();
-- SCROLL, NO SCROLL and the directions.
CREATE FUNCTION cur_scroll() RETURNS SETOF int AS $$ DECLARE c SCROLL CURSOR FOR SELECT a FROM cur_t ORDER BY a; x int; BEGIN OPEN c; FETCH LAST FROM c INTO x; WHILE FOUND LOOP RETURN NEXT x; FETCH PRIOR FROM c INTO x; END LOOP; FETCH ABSOLUTE 2 FROM c INTO x; RETURN NEXT x; FETCH RELATIVE -1 FROM c INTO x; RETURN NEXT x; FETCH FIRST FROM c INTO x; RETURN NEXT x; MOVE FORWARD ALL IN c; FETCH BACKWARD FROM c INTO x; RETURN NEXT x; MOVE ABSOLUTE 0 FROM c; FETCH NEXT FROM c INTO x; RETURN NEXT x; CLOSE c; END $$ LANGUAGE plpgsql;
SELECT * FROM cur_scroll();
CREATE FUNCTION cur_noscroll() RETURNS SETOF int AS $$ DECLARE c NO SCROLL CURSOR FOR SELECT a FROM cur_t ORDER BY a; x int; BEGIN OPEN c; FETCH LAST FROM c INTO x; RETURN NEXT x; FETCH PRIOR FROM c INTO x; END $$ LANGUAGE plpgsql;
SELECT * FROM cur_noscroll();
CREATE FUNCTION cur_move() RETURNS text AS $$ DECLARE c refcursor; x int; n int; acc text := ''; BEGIN OPEN c SCROLL FOR EXECUTE 'SELECT * FROM generate_series(1, $1)' USING 10; MOVE RELATIVE 3 IN c; acc := acc || FOUND; GET DIAGNOSTICS n = ROW_COUNT; acc := acc || n; FETCH c INTO x; acc := acc || ' ' || x; MOVE FORWARD 100 FROM c; GET DIAGNOSTICS n = ROW_COUNT; acc := acc || ' ' || n || FOUND; FETCH c INTO x; acc := acc || ' ' || coalesce(x::text, 'null') || FOUND; CLOSE c; RETURN acc; END $$ LANGUAGE plpgsql;
SELECT cur_move();
-- FOR over a bound cursor: the variable names the cursor, or a
-- generated name while a NULL one loops.
CREATE FUNCTION cur_for() RETURNS void AS $$ DECLARE c CURSOR (lo int, hi int) FOR SELECT i FROM generate_series(lo, hi) i; c2 CURSOR FOR SELECT 41 AS i; BEGIN FOR r IN c(5, 7) LOOP RAISE NOTICE '% from %', r.i, c; END LOOP; FOR r IN c(9, 9) LOOP RAISE NOTICE '% again from %', r.i, c; EXIT; END LOOP; c2 := 'special'; FOR r IN c2 LOOP RAISE NOTICE '% from %', r.i, c2; END LOOP; c2 := NULL; FOR r IN c2 LOOP RAISE NOTICE '%', r.i; END LOOP; RAISE NOTICE 'after, c2 = %', c2; END $$ LANGUAGE plpgsql;
SELECT cur_for();
-- Errors: a cursor already open, a NULL cursor variable, a cursor not
-- open, a CONSTANT variable OPEN would name.
DO $$ DECLARE c refcursor := 'dup'; BEGIN OPEN c FOR SELECT 1; OPEN c FOR SELECT 2; END $$;
DO $$ DECLARE c refcursor; r record; BEGIN FETCH c INTO r; END $$;
DO $$ DECLARE c refcursor := 'nope'; r record; BEGIN FETCH c INTO r; END $$;
DO $$ DECLARE c refcursor := 'nope'; BEGIN MOVE c; END $$;
DO $$ DECLARE c refcursor := 'nope'; BEGIN CLOSE c; END $$;
DO $$ DECLARE c refcursor; BEGIN CLOSE c; END $$;
CREATE FUNCTION cur_const() RETURNS refcursor AS $$ DECLARE rc CONSTANT refcursor; BEGIN OPEN rc FOR SELECT 1; RETURN rc; END $$ LANGUAGE plpgsql;
SELECT cur_const();
CREATE OR REPLACE FUNCTION cur_const() RETURNS refcursor AS $$ DECLARE rc CONSTANT refcursor := 'my_name'; BEGIN OPEN rc FOR SELECT 1; RETURN rc; END $$ LANGUAGE plpgsql;
SELECT cur_const();
-- FETCH INTO a list of variables; no row leaves them NULL.
DO $$ DECLARE c CURSOR FOR SELECT a, b FROM cur_t ORDER BY a; x int; y int; BEGIN OPEN c; FETCH c INTO x, y; RAISE NOTICE '% %', x, y; MOVE LAST IN c; FETCH c INTO x, y; RAISE NOTICE '% % %', x, y, FOUND; END $$;
-- Notices raised before an error reach the client.
CREATE FUNCTION cur_notice_then_fail() RETURNS void AS $$ BEGIN RAISE NOTICE 'before'; RAISE WARNING 'warned'; PERFORM 1/0; END $$ LANGUAGE plpgsql;
SELECT cur_notice_then_fail();
-- SECURITY DEFINER routines run as their owner: current_user is the owner
-- for the call (session_user stays), the owner's privileges apply, and SET
-- ROLE inside one is refused (42501).
CREATE ROLE diff133_sd_user;
CREATE TABLE sd_secret (v text);
INSERT INTO sd_secret VALUES ('hidden');
CREATE FUNCTION sd_read() RETURNS text AS $$ BEGIN RETURN (SELECT v FROM sd_secret); END $$ LANGUAGE plpgsql SECURITY DEFINER;
CREATE FUNCTION sd_read_invoker() RETURNS text AS $$ BEGIN RETURN (SELECT v FROM sd_secret); END $$ LANGUAGE plpgsql;
CREATE FUNCTION sd_who() RETURNS text AS $$ BEGIN RETURN current_user || ' ' || session_user; END $$ LANGUAGE plpgsql SECURITY DEFINER;
CREATE FUNCTION sd_who_sql() RETURNS text AS $$ SELECT current_user::text $$ LANGUAGE sql SECURITY DEFINER;
CREATE FUNCTION sd_setrole() RETURNS void AS $$ BEGIN SET ROLE diff133_sd_user; END $$ LANGUAGE plpgsql SECURITY DEFINER;
GRANT EXECUTE ON FUNCTION sd_read() TO diff133_sd_user;
SET ROLE diff133_sd_user;
SELECT current_user;
SELECT sd_read();
SELECT sd_read_invoker();
SELECT sd_who(), sd_who_sql(), current_user;
SELECT sd_setrole();
RESET ROLE;
SELECT current_user;
DROP FUNCTION sd_read(), sd_read_invoker(), sd_who(), sd_who_sql(), sd_setrole();
DROP TABLE sd_secret;
DROP ROLE diff133_sd_user;
-- plpgsql.extra_warnings and extra_errors: shadowed_variables at
-- CREATE, too_many_rows and strict_multi_assignment as the body runs;
-- plpgsql.check_asserts.
SET plpgsql.extra_warnings TO 'bogus';
SET plpgsql.extra_errors TO 'all, none';
SET plpgsql.extra_warnings TO 'shadowed_variables';
SHOW plpgsql.extra_warnings;
CREATE FUNCTION chk_shadow(in1 int) RETURNS TABLE (out1 int) AS $$ DECLARE in1 int; out1 int; BEGIN DECLARE in1 int; BEGIN END; END $$ LANGUAGE plpgsql;
SELECT * FROM chk_shadow(1);
CREATE FUNCTION chk_shadow_cur() RETURNS void AS $$ DECLARE f1 int; c1 CURSOR (f1 int) FOR SELECT 1; BEGIN END $$ LANGUAGE plpgsql;
CREATE FUNCTION chk_refcursor_param(rc refcursor) RETURNS refcursor AS $$ BEGIN OPEN rc FOR SELECT 1; RETURN rc; END $$ LANGUAGE plpgsql;
SET plpgsql.extra_errors TO 'shadowed_variables';
CREATE FUNCTION chk_shadow_err(f1 int) RETURNS int AS $$ DECLARE f1 int; BEGIN RETURN 1; END $$ LANGUAGE plpgsql;
SELECT chk_shadow_err(1);
RESET plpgsql.extra_errors;
RESET plpgsql.extra_warnings;
SET plpgsql.extra_warnings TO 'too_many_rows';
DO $$ DECLARE x int; BEGIN SELECT v FROM generate_series(1, 2) g(v) INTO x; RAISE NOTICE 'x = %', x; END $$;
SET plpgsql.extra_errors TO 'too_many_rows';
DO $$ DECLARE x int; BEGIN SELECT v FROM generate_series(1, 2) g(v) INTO x; END $$;
DO $$ DECLARE x int; BEGIN SELECT v FROM generate_series(1, 1) g(v) INTO x; RAISE NOTICE 'one row is fine'; END $$;
RESET plpgsql.extra_errors;
RESET plpgsql.extra_warnings;
SET plpgsql.extra_warnings TO 'strict_multi_assignment';
DO $$ DECLARE x int; y int; BEGIN SELECT 1 INTO x, y; SELECT 1, 2 INTO x, y; SELECT 1, 2, 3 INTO x, y; SELECT 1 INTO x, y WHERE false; END $$;
SET plpgsql.extra_errors TO 'strict_multi_assignment';
DO $$ DECLARE x int; y int; BEGIN SELECT 1, 2 INTO x, y; RAISE NOTICE 'ok'; SELECT 1, 2, 3 INTO x, y; END $$;
CREATE TABLE chk_t (a int, b int);
DO $$ DECLARE t chk_t; BEGIN SELECT 1, 2 INTO t; RAISE NOTICE 'ok %', t; SELECT 1 INTO t; END $$;
RESET plpgsql.extra_errors;
RESET plpgsql.extra_warnings;
DO $$ DECLARE t chk_t; BEGIN SELECT '7', 8.4 INTO t; RAISE NOTICE '% % %', t, pg_typeof(t.a), t.b; END $$;
SET plpgsql.check_asserts = off;
DO $$ BEGIN ASSERT 1 = 0; END $$;
RESET plpgsql.check_asserts;
DO $$ BEGIN ASSERT 1 = 0, 'checked again'; END $$;
DO $$ BEGIN RETURN 1; END $$;
-- Assignment within a variable's value: fields of composites (nested),
-- elements of arrays, and both.
CREATE TYPE chk_ct AS (a int, b text);
CREATE TYPE chk_nt AS (x chk_ct, y int, arr text[]);
DO $$ DECLARE r chk_nt; BEGIN r := row(row(1, 'a'), 2, '{p,q}')::chk_nt; r.y := 5; r.x.a := 9; r.x.b := 12; r.arr[2] := 'z'; r.arr[4] := 'w'; RAISE WARNING '%', r; END $$;
DO $$ DECLARE r record; BEGIN r := row(row(1, 'a')::chk_ct, 2, NULL)::chk_nt; r.x.b := 'zz'; r.arr[1] := 'n'; RAISE WARNING '%', r; END $$;
DO $$ DECLARE r chk_nt; BEGIN r.x.a := 3; RAISE WARNING '%', r; END $$;
DO $$ DECLARE a chk_ct[]; BEGIN a[2].a := 4; a[0].b := 'lo'; RAISE WARNING '% %', a, array_lower(a, 1); END $$;
DO $$ DECLARE r chk_nt; BEGIN r.y.a := 3; END $$;
DO $$ DECLARE r chk_nt; BEGIN r.x.q := 3; END $$;
DO $$ DECLARE r chk_nt; BEGIN r.y[1] := 3; END $$;
CREATE FUNCTION chk_out(OUT int, OUT text) AS $$ BEGIN $1 := 7; $2 := 'seven'; END $$ LANGUAGE plpgsql;
SELECT * FROM chk_out();
-- A function returning record yields the record whole.
CREATE FUNCTION chk_rec() RETURNS record AS $$ DECLARE v record; BEGIN v := (1, 'hello'::text); RETURN v; END $$ LANGUAGE plpgsql;
SELECT chk_rec();
SELECT * FROM chk_rec() AS t(a int, b text);
-- #variable_conflict and plpgsql.variable_conflict.
CREATE TABLE chk_cf (q1 int, q2 int);
INSERT INTO chk_cf VALUES (1, 2);
CREATE FUNCTION chk_cf_err() RETURNS int AS $$ DECLARE q1 int := 42; BEGIN RETURN (SELECT q1 FROM chk_cf); END $$ LANGUAGE plpgsql;
SELECT chk_cf_err();
CREATE FUNCTION chk_cf_var() RETURNS int AS $$ #variable_conflict use_variable
DECLARE q1 int := 42; BEGIN RETURN (SELECT q1 FROM chk_cf); END $$ LANGUAGE plpgsql;
SELECT chk_cf_var();
CREATE FUNCTION chk_cf_col() RETURNS int AS $$ #variable_conflict use_column
DECLARE q1 int := 42; BEGIN RETURN (SELECT q1 FROM chk_cf); END $$ LANGUAGE plpgsql;
SELECT chk_cf_col();
SET plpgsql.variable_conflict = use_column;
DO $$ DECLARE q1 int := 42; BEGIN RAISE WARNING '%', (SELECT q1 FROM chk_cf); END $$;
SET plpgsql.variable_conflict = bogus;
RESET plpgsql.variable_conflict;
-- Variables declared with a domain type are checked on every assignment.
CREATE DOMAIN pd_pos AS int CHECK (VALUE > 0);
CREATE DOMAIN pd_nn AS text NOT NULL;
CREATE DOMAIN pd_arr AS int[] CHECK (VALUE[1] < VALUE[2]);
DO $$ DECLARE v pd_pos := 1; BEGIN v := v + 1; RAISE WARNING '%', v; v := 0; END $$;
DO $$ DECLARE v pd_pos := 0; BEGIN END $$;
DO $$ DECLARE v pd_nn := 'x'; BEGIN v := NULL; END $$;
DO $$ DECLARE v pd_arr := array[1, 2]; BEGIN v[2] := 5; RAISE WARNING '%', v; v[2] := 0; END $$;
CREATE FUNCTION pd_f(x int) RETURNS pd_pos AS $$ DECLARE r pd_pos; BEGIN r := x; RETURN r; END $$ LANGUAGE plpgsql;
SELECT pd_f(3);
SELECT pd_f(-3);
-- RETURN NEXT of a NULL row, and a row returned from a scalar function
-- (converted by its text).
CREATE TYPE cp_t AS (x int, y varchar);
CREATE FUNCTION cp_set() RETURNS SETOF cp_t AS $$ BEGIN FOR i IN 1..2 LOOP RETURN NEXT (1, 'hello'::varchar); END LOOP; RETURN NEXT NULL::cp_t; RETURN NEXT (2, 'goodbye')::cp_t; END $$ LANGUAGE plpgsql;
SELECT * FROM cp_set();
CREATE FUNCTION cp_scalar() RETURNS cp_t AS $$ BEGIN RETURN 1 + 1; END $$ LANGUAGE plpgsql;
SELECT cp_scalar();
CREATE FUNCTION cp_int() RETURNS int AS $$ DECLARE v cp_t; BEGIN v := (1, 'hello'); RETURN v; END $$ LANGUAGE plpgsql;
SELECT cp_int();
CREATE FUNCTION cp_int2() RETURNS int AS $$ BEGIN RETURN (1, 'hello')::cp_t; END $$ LANGUAGE plpgsql;
SELECT cp_int2();
CREATE FUNCTION cp_text() RETURNS text AS $$ BEGIN RETURN (1, 'hello')::cp_t; END $$ LANGUAGE plpgsql;
SELECT cp_text();
-- Elements of multidimensional arrays.
DO $$ DECLARE arr text[] := array[array['foo','bar'], array['baz', 'quux']]; i int := 1; BEGIN arr[(SELECT i)][(SELECT i+1)] := 'fool'; RAISE WARNING '%', arr; END $$;
DO $$ DECLARE a int[]; BEGIN a[1][2] := 4; RAISE WARNING '% %', a, array_dims(a); END $$;
DO $$ DECLARE a int[] := '{{1,2},{3,4}}'; BEGIN a[3][1] := 4; END $$;
DO $$ DECLARE a int[] := '{{1,2},{3,4}}'; BEGIN a[1] := 4; END $$;
DO $$ DECLARE a int[] := '{1,2}'; BEGIN a[1][1] := 4; END $$;
DO $$ DECLARE a int[] := '[0:1][5:6]={{1,2},{3,4}}'; BEGIN a[0][6] := 9; RAISE WARNING '%', a; END $$;
-- GET DIAGNOSTICS into a row-typed parameter or a record is refused.
CREATE TABLE gd_slot (a int, b text);
CREATE FUNCTION gd_fx(x gd_slot) RETURNS void AS $$ BEGIN GET DIAGNOSTICS x = ROW_COUNT; RETURN; END $$ LANGUAGE plpgsql;
CREATE FUNCTION gd_fy() RETURNS void AS $$ DECLARE r record; BEGIN GET DIAGNOSTICS r = ROW_COUNT; END $$ LANGUAGE plpgsql;
CREATE FUNCTION gd_fz(x int) RETURNS int AS $$ BEGIN PERFORM 1; GET DIAGNOSTICS x = ROW_COUNT; RETURN x; END $$ LANGUAGE plpgsql;
SELECT gd_fz(7);
