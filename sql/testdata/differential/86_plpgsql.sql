-- PL/pgSQL DO blocks: variables, control flow, queries with INTO, dynamic
-- EXECUTE, RAISE and exception blocks with their subtransactions. Each
-- block records what it saw in a table, which the SELECTs compare.
CREATE TABLE pl_log (n serial PRIMARY KEY, msg text);
CREATE TABLE pl_t (a int PRIMARY KEY, b text);
INSERT INTO pl_t VALUES (1, 'one'), (2, 'two'), (3, 'three');
DO $$ DECLARE x int := 1; y text NOT NULL := 'a'; BEGIN x := x + 41; y = y || 'b'; INSERT INTO pl_log (msg) VALUES (x::text || y); END $$;
DO LANGUAGE plpgsql $$ BEGIN INSERT INTO pl_log (msg) VALUES ('language given'); END $$;
DO $$ DECLARE s int := 0; BEGIN FOR i IN 1..10 LOOP CONTINUE WHEN i % 2 = 0; s := s + i; END LOOP; FOR i IN REVERSE 10..1 BY 4 LOOP s := s * 10 + i; END LOOP; INSERT INTO pl_log (msg) VALUES ('for ' || s); END $$;
DO $$ DECLARE r record; acc text := ''; BEGIN FOR r IN SELECT a, b FROM pl_t ORDER BY a DESC LOOP acc := acc || r.a || r.b; END LOOP; INSERT INTO pl_log (msg) VALUES (acc); END $$;
DO $$ DECLARE r record; acc text := ''; BEGIN FOR r IN EXECUTE 'SELECT a FROM pl_t WHERE a > $1 ORDER BY a' USING 1 LOOP acc := acc || r.a; END LOOP; INSERT INTO pl_log (msg) VALUES ('dyn ' || acc); END $$;
DO $$ DECLARE x int; arr int[] := ARRAY[[1,2],[3,4]]; s int := 0; sl int[]; BEGIN FOREACH x IN ARRAY arr LOOP s := s + x; END LOOP; FOREACH sl SLICE 1 IN ARRAY arr LOOP s := s * 100 + sl[2]; END LOOP; INSERT INTO pl_log (msg) VALUES ('foreach ' || s); END $$;
DO $$ DECLARE n int := 0; BEGIN <<outer>> LOOP n := n + 1; WHILE true LOOP EXIT outer WHEN n > 3; EXIT; END LOOP; END LOOP; INSERT INTO pl_log (msg) VALUES ('loops ' || n); END $$;
DO $$ DECLARE x int := 5; r text; BEGIN CASE x WHEN 1, 2 THEN r := 'low'; WHEN 5 THEN r := 'five'; ELSE r := 'other'; END CASE; CASE WHEN x > 3 THEN r := r || '>3'; END CASE; INSERT INTO pl_log (msg) VALUES (r); END $$;
DO $$ DECLARE v text; n bigint; BEGIN SELECT b INTO v FROM pl_t WHERE a = 2; UPDATE pl_t SET b = b WHERE a > 1; GET DIAGNOSTICS n = ROW_COUNT; INSERT INTO pl_log (msg) VALUES (v || ' ' || n || ' ' || FOUND); END $$;
DO $$ DECLARE v text; BEGIN SELECT b INTO v FROM pl_t WHERE a = 9; INSERT INTO pl_log (msg) VALUES ('none ' || coalesce(v, 'null') || ' ' || FOUND); END $$;
DO $$ DECLARE x int; BEGIN EXECUTE 'SELECT $1 * 2' INTO x USING 21; INSERT INTO pl_log (msg) VALUES ('execute ' || x); END $$;
DO $$ DECLARE r pl_t%ROWTYPE; c pl_t.b%TYPE; BEGIN SELECT * INTO r FROM pl_t WHERE a = 3; c := r.b; INSERT INTO pl_log (msg) VALUES (r.a || c); END $$;
DO $$ DECLARE arr text[]; BEGIN arr[2] := 'b'; arr[1] := 'a'; INSERT INTO pl_log (msg) VALUES (array_to_string(arr, ',')); END $$;
DO $$ BEGIN PERFORM 1 FROM pl_t WHERE a = 1; IF FOUND THEN INSERT INTO pl_log (msg) VALUES ('perform found'); ELSIF NOT FOUND THEN NULL; ELSE NULL; END IF; END $$;
SELECT n, msg FROM pl_log ORDER BY n;
-- Errors: RAISE EXCEPTION is P0001, or the code it names.
DO $$ BEGIN RAISE EXCEPTION 'custom message %', 42; END $$;
DO $$ BEGIN RAISE EXCEPTION 'with detail' USING DETAIL = 'd', HINT = 'h'; END $$;
DO $$ BEGIN RAISE division_by_zero; END $$;
DO $$ BEGIN RAISE SQLSTATE '22023'; END $$;
DO $$ BEGIN RAISE EXCEPTION USING MESSAGE = 'by option', ERRCODE = 'unique_violation'; END $$;
DO $$ BEGIN RAISE; END $$;
DO $$ BEGIN RAISE NOTICE 'just a notice %', 1; RAISE WARNING 'and a warning'; END $$;
-- SELECT INTO STRICT: P0002 for no row, P0003 for several.
DO $$ DECLARE x int; BEGIN SELECT a INTO STRICT x FROM pl_t WHERE a > 5; END $$;
DO $$ DECLARE x int; BEGIN SELECT a INTO STRICT x FROM pl_t; END $$;
DO $$ DECLARE x int; BEGIN INSERT INTO pl_t VALUES (10, 'x'), (11, 'y') RETURNING a INTO x; END $$;
SELECT count(*) FROM pl_t;
-- An exception block undoes its own writes when a handler runs (22012
-- caught), and only those.
DO $$ BEGIN INSERT INTO pl_log (msg) VALUES ('kept'); BEGIN INSERT INTO pl_log (msg) VALUES ('undone'); UPDATE pl_t SET b = 'changed'; PERFORM 1 / 0; EXCEPTION WHEN division_by_zero THEN INSERT INTO pl_log (msg) VALUES ('caught ' || SQLSTATE || ' ' || SQLERRM); END; END $$;
SELECT msg FROM pl_log WHERE msg IN ('kept', 'undone') OR msg LIKE 'caught%' ORDER BY n;
SELECT a, b FROM pl_t ORDER BY a;
DO $$ DECLARE m text; d text; c text; BEGIN RAISE EXCEPTION 'stacked' USING DETAIL = 'det', ERRCODE = '22023'; EXCEPTION WHEN invalid_parameter_value OR unique_violation THEN GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, c = RETURNED_SQLSTATE; INSERT INTO pl_log (msg) VALUES (m || d || c); END $$;
DO $$ BEGIN BEGIN INSERT INTO pl_t VALUES (1, 'dup'); EXCEPTION WHEN SQLSTATE '23505' THEN INSERT INTO pl_log (msg) VALUES ('dup caught'); END; BEGIN PERFORM 1 / 0; EXCEPTION WHEN data_exception THEN INSERT INTO pl_log (msg) VALUES ('class caught'); END; END $$;
DO $$ BEGIN BEGIN PERFORM 1 / 0; EXCEPTION WHEN unique_violation THEN NULL; END; END $$;
DO $$ BEGIN BEGIN RAISE EXCEPTION 'inner'; EXCEPTION WHEN OTHERS THEN RAISE; END; END $$;
SELECT msg FROM pl_log WHERE n > 15 ORDER BY n;
-- An uncaught error inside a transaction block aborts it, and rolls
-- back what the block wrote.
BEGIN;
DO $$ BEGIN INSERT INTO pl_log (msg) VALUES ('in txn'); PERFORM 1 / 0; END $$;
SELECT 1;
ROLLBACK;
SELECT count(*) FROM pl_log WHERE msg = 'in txn';
-- Other errors: CASE without a match, NOT NULL, a SELECT without INTO,
-- ASSERT, a variable that is also a column, compile errors.
DO $$ DECLARE x int := 3; BEGIN CASE x WHEN 1 THEN NULL; END CASE; END $$;
DO $$ DECLARE x int NOT NULL := 1; BEGIN x := NULL; END $$;
DO $$ BEGIN SELECT 1; END $$;
DO $$ BEGIN ASSERT 1 = 2, 'assertion message'; END $$;
DO $$ DECLARE a int; BEGIN SELECT a INTO a FROM pl_t WHERE a = 1; END $$;
DO $$ BEGIN x := 1; END $$;
DO $$ BEGIN foo bar; END $$;
DO $$ DECLARE x CONSTANT int := 1; BEGIN x := 2; END $$;
DO $$ DECLARE x int := 'not a number'; BEGIN NULL; END $$;
DO $$ BEGIN FOR i IN 1..3 BY 0 LOOP NULL; END LOOP; END $$;
DO $$ DECLARE r record; BEGIN RAISE NOTICE '%', r.a; END $$;
DO $$ BEGIN EXECUTE NULL; END $$;
DO $$ BEGIN COMMIT; END $$;
DO LANGUAGE plperl $$ 1 $$;
-- LANGUAGE plpgsql functions and procedures.
CREATE FUNCTION pl_add1(a int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN a + 1; END $$;
SELECT pl_add1(41), pl_add1(NULL);
CREATE FUNCTION pl_fib(n int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN IF n < 2 THEN RETURN n; END IF; RETURN pl_fib(n - 1) + pl_fib(n - 2); END $$;
SELECT pl_fib(12);
CREATE FUNCTION pl_gen(n int) RETURNS SETOF int LANGUAGE plpgsql AS $$ BEGIN FOR i IN 1..n LOOP RETURN NEXT i * 10; END LOOP; RETURN QUERY SELECT -1; END $$;
SELECT * FROM pl_gen(3);
CREATE FUNCTION pl_tab(n int) RETURNS TABLE (a int, b text) LANGUAGE plpgsql AS $$ BEGIN FOR i IN 1..n LOOP a := i; b := 'x' || i; RETURN NEXT; END LOOP; END $$;
SELECT * FROM pl_tab(2);
CREATE FUNCTION pl_outs(x int, OUT y int, OUT z text) LANGUAGE plpgsql AS $$ BEGIN y := x * 2; z := 'z'; END $$;
SELECT * FROM pl_outs(4);
CREATE FUNCTION pl_row() RETURNS pl_t LANGUAGE plpgsql AS $$ DECLARE r pl_t; BEGIN r.a := 9; r.b := 'nine'; RETURN r; END $$;
SELECT * FROM pl_row();
CREATE FUNCTION pl_count() RETURNS bigint LANGUAGE plpgsql STABLE AS $$ DECLARE n bigint; BEGIN SELECT count(*) INTO n FROM pl_t; RETURN n; END $$;
SELECT pl_count();
CREATE FUNCTION pl_noret() RETURNS int LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
SELECT pl_noret();
CREATE FUNCTION pl_stable_write() RETURNS int LANGUAGE plpgsql STABLE AS $$ BEGIN INSERT INTO pl_log (msg) VALUES ('no'); RETURN 1; END $$;
SELECT pl_stable_write();
CREATE FUNCTION pl_div(a int, b int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN a / b; EXCEPTION WHEN division_by_zero THEN RETURN -1; END $$;
SELECT pl_div(6, 3), pl_div(1, 0);
CREATE FUNCTION pl_bad() RETURNS int LANGUAGE plpgsql AS $$ BEGIN x := 1; END $$;
CREATE FUNCTION pl_bad2() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN NEXT 1; END $$;
CREATE FUNCTION pl_bad3() RETURNS int LANGUAGE plpgsql AS $$ BEGIN IF true THEN END $$;
CREATE FUNCTION pl_recurse(n int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN pl_recurse(n + 1); END $$;
SELECT pl_recurse(1);
CREATE PROCEDURE pl_proc(n int) LANGUAGE plpgsql AS $$ BEGIN INSERT INTO pl_t VALUES (n, 'proc'); END $$;
CALL pl_proc(50);
CREATE PROCEDURE pl_inout(INOUT x int) LANGUAGE plpgsql AS $$ BEGIN x := x * 3; END $$;
CALL pl_inout(7);
CREATE PROCEDURE pl_commit() LANGUAGE plpgsql AS $$ BEGIN INSERT INTO pl_t VALUES (60, 'kept'); COMMIT; INSERT INTO pl_t VALUES (61, 'undone'); ROLLBACK; END $$;
CALL pl_commit();
SELECT a, b FROM pl_t WHERE a >= 50 ORDER BY a;
BEGIN;
CALL pl_commit();
ROLLBACK;
-- RETURN's checks at CREATE.
CREATE FUNCTION pl_missing_expr() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN ; END $$;
CREATE FUNCTION pl_void_expr() RETURNS void LANGUAGE plpgsql AS $$ BEGIN RETURN 5; END $$;
CREATE FUNCTION pl_out_expr(IN i int, OUT j int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN i + 1; END $$;
CREATE FUNCTION pl_set_expr() RETURNS SETOF int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
CREATE PROCEDURE pl_proc_expr() LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
