-- A LEFT JOIN whose right side is unique on the join's equalities and
-- whose columns the query never reads is removed, as PostgreSQL removes
-- it; where a column is read, or the right side can match twice, it
-- stays, and the results are the same either way.
CREATE TABLE jr_a (id int PRIMARY KEY, b_id int);
CREATE TABLE jr_b (id int PRIMARY KEY, c_id int, u int UNIQUE);
CREATE TABLE jr_d (a int, b int);
CREATE TABLE jr_n (id int);
INSERT INTO jr_a VALUES (0, 0), (1, NULL), (2, 5), (3, 1);
INSERT INTO jr_b VALUES (0, 0, 10), (1, NULL, NULL), (5, 2, 50);
INSERT INTO jr_d VALUES (1, 3), (2, 2), (3, 1), (0, 0), (5, 2), (NULL, NULL);
INSERT INTO jr_n VALUES (0), (0), (1), (NULL);
EXPLAIN (COSTS OFF) SELECT jr_a.* FROM jr_a LEFT JOIN jr_b ON jr_a.b_id = jr_b.id;
SELECT jr_a.* FROM jr_a LEFT JOIN jr_b ON jr_a.b_id = jr_b.id ORDER BY 1;
EXPLAIN (COSTS OFF) SELECT jr_a.id FROM jr_a LEFT JOIN jr_b ON jr_a.b_id * 10 = jr_b.u AND jr_b.c_id > 0;
SELECT jr_a.id FROM jr_a LEFT JOIN jr_b ON jr_a.b_id * 10 = jr_b.u AND jr_b.c_id > 0 ORDER BY 1;
SELECT count(*) FROM jr_a LEFT JOIN jr_b ON jr_a.b_id = jr_b.id;
EXPLAIN (COSTS OFF) SELECT jr_d.* FROM jr_d LEFT JOIN (SELECT DISTINCT * FROM jr_n) s ON jr_d.a = s.id;
SELECT jr_d.* FROM jr_d LEFT JOIN (SELECT DISTINCT * FROM jr_n) s ON jr_d.a = s.id ORDER BY 1, 2;
EXPLAIN (COSTS OFF) SELECT jr_d.* FROM jr_d LEFT JOIN (SELECT id FROM jr_a UNION SELECT id FROM jr_b) s ON jr_d.a = s.id;
SELECT jr_d.* FROM jr_d LEFT JOIN (SELECT id FROM jr_a UNION SELECT id FROM jr_b) s ON jr_d.a = s.id ORDER BY 1, 2;
EXPLAIN (COSTS OFF) SELECT jr_d.* FROM jr_d LEFT JOIN (SELECT * FROM jr_b GROUP BY jr_b.id, jr_b.c_id) s ON jr_d.a = s.id AND jr_d.b = s.c_id;
-- Kept: duplicates on the right, a right column read, a right side
-- unique on columns the join does not equate.
SELECT jr_a.* FROM jr_a LEFT JOIN jr_n ON jr_a.b_id = jr_n.id ORDER BY 1;
SELECT jr_a.id FROM jr_a LEFT JOIN jr_b ON jr_a.b_id = jr_b.id WHERE jr_b.c_id IS NULL ORDER BY 1;
SELECT jr_a.id FROM jr_a LEFT JOIN jr_b ON jr_a.b_id = jr_b.id ORDER BY jr_b.c_id, 1;
SELECT jr_a.id, count(jr_b.*) FROM jr_a LEFT JOIN jr_b ON jr_a.b_id = jr_b.id GROUP BY jr_a.id ORDER BY 1;
SELECT jr_d.* FROM jr_d LEFT JOIN (SELECT DISTINCT c_id, u FROM jr_b) s ON jr_d.a = s.c_id ORDER BY 1, 2;
SELECT jr_d.* FROM jr_d LEFT JOIN (SELECT c_id FROM jr_b UNION ALL SELECT c_id FROM jr_b) s ON jr_d.b = s.c_id ORDER BY 1, 2;
SELECT jr_a.id FROM jr_a LEFT JOIN jr_b ON jr_a.b_id = jr_b.c_id ORDER BY 1;
SELECT jr_a.id, (SELECT jr_b.c_id) FROM jr_a LEFT JOIN jr_b ON jr_a.b_id = jr_b.id ORDER BY 1;
-- Compared in a type where two keys can be equal to one value: kept.
CREATE TABLE jr_big (id bigint PRIMARY KEY);
INSERT INTO jr_big VALUES (9007199254740992), (9007199254740993);
SELECT count(*) FROM (VALUES (9007199254740992::float8)) v(f) LEFT JOIN jr_big ON v.f = jr_big.id;
