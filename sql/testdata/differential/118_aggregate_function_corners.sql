-- string_agg of byte strings, the boolean transition functions, and SQL
-- functions returning a table's row type as a whole row.
CREATE TABLE bt (v bytea, o int);
SELECT string_agg(v, '') FROM bt;
INSERT INTO bt VALUES ('\xff', 1);
SELECT string_agg(v, '') FROM bt;
INSERT INTO bt VALUES ('\xaa', 2), (NULL, 3);
SELECT string_agg(v, '' ORDER BY o), string_agg(v, NULL ORDER BY o), string_agg(v, decode('ee', 'hex') ORDER BY o DESC) FROM bt;
SELECT string_agg(v, 'x'::text) FROM bt;
SELECT booland_statefunc(NULL, NULL) IS NULL, booland_statefunc(true, NULL) IS NULL, booland_statefunc(true, true), booland_statefunc(true, false), booland_statefunc(false, false);
SELECT boolor_statefunc(NULL, true) IS NULL, boolor_statefunc(true, false), boolor_statefunc(false, false), boolor_statefunc(false, true);
CREATE TABLE pair (q1 int8, q2 int8);
CREATE TABLE single (f1 int4);
CREATE FUNCTION mkpair(bigint, bigint) RETURNS pair AS $$SELECT row($1, $2)::pair$$ LANGUAGE sql;
CREATE FUNCTION mksingle(int) RETURNS single AS $$SELECT row($1)::single$$ LANGUAGE sql;
CREATE FUNCTION mkpairs(bigint) RETURNS SETOF pair AS $$SELECT row($1, 1)::pair UNION ALL SELECT row($1, 2)::pair$$ LANGUAGE sql;
SELECT * FROM mkpair(1, 2);
SELECT * FROM mksingle(42);
SELECT mkpair(1, 2), (mkpair(3, 4)).q2, mksingle(5);
SELECT * FROM mkpairs(7) ORDER BY q2;
-- unnest of several arrays in FROM: side by side, the shorter padded.
SELECT * FROM unnest(array[1, 2, 3], array['a', 'b']) u(i, v) ORDER BY i;
SELECT * FROM unnest(array[1, 2], NULL::text[], array[true]) ORDER BY 1;
SELECT * FROM unnest(array[1, 1], array['a', 'b']) WITH ORDINALITY AS u(i, v, o) ORDER BY o;
SELECT v || 'a', count(*) FROM unnest(array[1, 1], array['a', 'b']) u(i, v) GROUP BY ROLLUP (i, v || 'a') ORDER BY 1, 2;
-- A routine's parameter may set a window frame's offset.
CREATE TABLE wf (u int);
INSERT INTO wf SELECT generate_series(1, 6);
CREATE FUNCTION framed(x int) RETURNS TABLE (s bigint, u int) LANGUAGE sql AS $$
  SELECT sum(u) OVER (ORDER BY u ROWS BETWEEN x PRECEDING AND x FOLLOWING), u FROM wf $$;
SELECT * FROM framed(1) ORDER BY u;
SELECT * FROM framed(2) ORDER BY u;
