-- PL/pgSQL functions' expressions and lookups: what the simple-expression
-- evaluation and the index lookups by variables must keep of PostgreSQL's
-- semantics. Recursion re-enters an expression while it is being
-- evaluated; a VOLATILE function's expressions see the writes of the
-- statements before them, a STABLE one's the calling statement's
-- snapshot; errors name the expression in CONTEXT.
CREATE TABLE px (k int PRIMARY KEY, v int NOT NULL, t text);
INSERT INTO px SELECT g, g * 3, 'r' || g FROM generate_series(1, 40) g;
CREATE FUNCTION px_fact(n int) RETURNS numeric LANGUAGE plpgsql AS $$
BEGIN
  IF n <= 1 THEN RETURN 1; END IF;
  RETURN px_fact(n - 1) * n;
END $$;
SELECT px_fact(20), px_fact(1), px_fact(0);
CREATE FUNCTION px_fib(n int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE a int; BEGIN
  IF n < 2 THEN RETURN n; END IF;
  a := n + px_fib(n - 1) - n + px_fib(n - 2);
  RETURN a;
END $$;
SELECT px_fib(15);
CREATE FUNCTION px_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM px $$;
CREATE FUNCTION px_sees() RETURNS text LANGUAGE plpgsql AS $$
DECLARE before bigint; after bigint; BEGIN
  before := px_count();
  INSERT INTO px VALUES (100, 1, 'new');
  after := px_count();
  DELETE FROM px WHERE k = 100;
  RETURN before || ' ' || after || ' ' || px_count();
END $$;
SELECT px_sees();
CREATE FUNCTION px_loop(n int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE acc bigint := 0; x int; s text; BEGIN
  FOR i IN 1..n LOOP
    acc := acc + (i * 7 + 3) % 11;
    SELECT v, t INTO x, s FROM px WHERE k = i % 40 + 1;
    acc := acc + x + length(s);
    CONTINUE WHEN i % 3 = 0;
    acc := CASE WHEN acc % 2 = 0 THEN acc / 2 ELSE acc * 3 + 1 END;
  END LOOP;
  RETURN acc;
END $$;
SELECT px_loop(1000), px_loop(0);
CREATE FUNCTION px_lookup(key bigint, off int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; BEGIN
  SELECT t INTO r FROM px WHERE k = key - off;
  IF NOT FOUND THEN RETURN 'missing'; END IF;
  RETURN r;
END $$;
SELECT px_lookup(10, 2), px_lookup(10, 20), px_lookup(NULL, 1), px_lookup(3000000000, 0);
CREATE FUNCTION px_div(n int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE x int := 10; BEGIN x := x / n; RETURN x; END $$;
SELECT px_div(5);
SELECT px_div(0);
CREATE FUNCTION px_overflow(n int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE x int; BEGIN x := n * 1000000; RETURN x; END $$;
SELECT px_overflow(3);
SELECT px_overflow(3000);
CREATE FUNCTION px_assign_cast(n numeric) RETURNS text LANGUAGE plpgsql AS $$
DECLARE i int; s varchar(3); b boolean; BEGIN
  i := n * 2; s := 'abc'; b := n > 1;
  RETURN i || s || b;
END $$;
SELECT px_assign_cast(2.6), px_assign_cast(0.2);
CREATE FUNCTION px_stable() RETURNS bigint STABLE LANGUAGE plpgsql AS $$
DECLARE c bigint; BEGIN c := px_count() + 0; RETURN c; END $$;
SELECT px_stable();
CREATE FUNCTION px_case(x int) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  CASE x % 3 WHEN 0 THEN RETURN 'zero'; WHEN 1 THEN RETURN 'one'; ELSE RETURN 'two'; END CASE;
END $$;
SELECT px_case(3), px_case(4), px_case(5);
SELECT k, px_case(k) FROM px WHERE k <= 4 ORDER BY k;
