-- User-defined aggregates that fold the same inputs with the same
-- transition function from the same initial state share one state: the
-- transition function runs once per row for all of them. A sequence
-- counts its calls.
CREATE SEQUENCE calls;
CREATE TYPE avg_state AS (total bigint, count bigint);

-- A row-typed parameter takes field assignments.
CREATE FUNCTION avg_transfn(state avg_state, n int) RETURNS avg_state AS $$
DECLARE new_state avg_state;
BEGIN
  PERFORM nextval('calls');
  IF state IS NULL THEN
    IF n IS NOT NULL THEN
      new_state.total := n;
      new_state.count := 1;
      RETURN new_state;
    END IF;
    RETURN NULL;
  ELSIF n IS NOT NULL THEN
    state.total := state.total + n;
    state.count := state.count + 1;
    RETURN state;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE FUNCTION avg_finalfn(state avg_state) RETURNS int4 AS $$
BEGIN
  IF state IS NULL THEN RETURN NULL; ELSE RETURN state.total / state.count; END IF;
END $$ LANGUAGE plpgsql;
CREATE FUNCTION sum_finalfn(state avg_state) RETURNS int4 AS $$
BEGIN
  IF state IS NULL THEN RETURN NULL; ELSE RETURN state.total; END IF;
END $$ LANGUAGE plpgsql;
CREATE AGGREGATE my_avg(int4) (stype = avg_state, sfunc = avg_transfn, finalfunc = avg_finalfn);
CREATE AGGREGATE my_sum(int4) (stype = avg_state, sfunc = avg_transfn, finalfunc = sum_finalfn);
CREATE AGGREGATE my_sum_init(int4) (stype = avg_state, sfunc = avg_transfn, finalfunc = sum_finalfn, initcond = '(10,0)');
CREATE AGGREGATE my_avg_init(int4) (stype = avg_state, sfunc = avg_transfn, finalfunc = avg_finalfn, initcond = '(10,0)');
CREATE AGGREGATE my_avg_init2(int4) (stype = avg_state, sfunc = avg_transfn, finalfunc = avg_finalfn, initcond = '(4,0)');

SELECT avg_transfn(NULL, 3), avg_transfn(ROW(1, 1), 4), avg_transfn(ROW(1, 1), NULL);
SELECT setval('calls', 1, false);

-- Shared: two calls per query.
SELECT my_avg(one), my_sum(one) FROM (VALUES (1), (3)) t(one);
SELECT nextval('calls');
SELECT my_avg(DISTINCT one), my_sum(DISTINCT one) FROM (VALUES (1), (3), (1)) t(one);
SELECT nextval('calls');
SELECT my_sum_init(one), my_avg_init(one) FROM (VALUES (1), (3)) t(one);
SELECT nextval('calls');
SELECT g, my_avg(one), my_sum(one) FROM (VALUES (1, 1), (3, 1), (5, 2)) t(one, g) GROUP BY g ORDER BY g;
SELECT nextval('calls');

-- Not shared: DISTINCT, FILTER, inputs or INITCOND differ.
SELECT my_avg(DISTINCT one), my_sum(one) FROM (VALUES (1), (3)) t(one);
SELECT nextval('calls');
SELECT my_avg(one) FILTER (WHERE one > 1), my_sum(one) FROM (VALUES (1), (3)) t(one);
SELECT nextval('calls');
SELECT my_avg(one), my_sum(two) FROM (VALUES (1, 2), (3, 4)) t(one, two);
SELECT nextval('calls');
SELECT my_sum_init(one), my_avg_init2(one) FROM (VALUES (1), (3)) t(one);
SELECT nextval('calls');
