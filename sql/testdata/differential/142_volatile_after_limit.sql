-- A select list with a volatile function under ORDER BY and LIMIT is
-- computed only for the rows the LIMIT returns: nextval runs once per
-- returned row, whether the sort key is in the select list or not.
CREATE TABLE vl_t (id int, k int, v text);
INSERT INTO vl_t SELECT i, (i * 7) % 20, 'v' || i FROM generate_series(1, 20) i;
CREATE SEQUENCE vl_seq;
SELECT id, nextval('vl_seq') FROM vl_t ORDER BY id LIMIT 3;
SELECT currval('vl_seq');
SELECT id, v, nextval('vl_seq') FROM vl_t ORDER BY k DESC, id LIMIT 4 OFFSET 2;
SELECT currval('vl_seq');
SELECT id, nextval('vl_seq') AS n FROM vl_t ORDER BY k + id, id LIMIT 2;
SELECT currval('vl_seq');
SELECT k, sum(id), nextval('vl_seq') FROM vl_t GROUP BY k ORDER BY k LIMIT 2;
SELECT currval('vl_seq');
-- A volatile sort key is computed for every row, before the sort.
SELECT id FROM (SELECT id, nextval('vl_seq') AS n FROM vl_t ORDER BY n DESC LIMIT 1) s;
SELECT currval('vl_seq');
-- A set-returning select list under ORDER BY of FROM columns: the FROM
-- rows are sorted, then expanded; the key need not be selected.
SELECT id, generate_series(1, 3) FROM vl_t ORDER BY k, id LIMIT 7;
SELECT v, generate_series(1, 2) AS g FROM vl_t ORDER BY k DESC, id OFFSET 3 LIMIT 5;
SELECT id, generate_series(1, 2) AS g FROM vl_t WHERE id < 4 ORDER BY g, id;
SELECT id, generate_series(1, 2) FROM vl_t WHERE id < 4 ORDER BY 2 DESC, id;
SELECT id::text AS id, generate_series(1, 2) FROM vl_t WHERE id IN (2, 10) ORDER BY id;
-- With window functions, aggregates, correlated subqueries and joins.
SELECT id, nextval('vl_seq'), row_number() OVER (ORDER BY id DESC) FROM vl_t ORDER BY id LIMIT 2;
SELECT currval('vl_seq');
SELECT k, count(*), nextval('vl_seq') FROM vl_t GROUP BY k HAVING count(*) > 0 ORDER BY k DESC LIMIT 1;
SELECT currval('vl_seq');
SELECT id, (SELECT max(id) FROM vl_t w2 WHERE w2.k = vl_t.k), nextval('vl_seq') FROM vl_t ORDER BY v LIMIT 3;
SELECT currval('vl_seq');
SELECT id + 1 AS b, generate_series(1, 2) FROM vl_t ORDER BY b + 1;
SELECT id AS k, generate_series(1, 2) FROM vl_t ORDER BY k LIMIT 4;
SELECT x.id, generate_series(1, 2) FROM vl_t x JOIN vl_t y USING (id) ORDER BY y.v LIMIT 4;
