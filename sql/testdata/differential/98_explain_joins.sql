-- EXPLAIN (COSTS OFF) of joins and set operations whose shape cairn and
-- PostgreSQL agree on.
CREATE TABLE ex_p (id int PRIMARY KEY, name text);
CREATE TABLE ex_c (id int PRIMARY KEY, p_id int, v text);
INSERT INTO ex_p VALUES (1, 'a'), (2, 'b');
INSERT INTO ex_c VALUES (1, 1, 'x'), (2, 1, 'y'), (3, 2, 'z');
EXPLAIN (COSTS OFF) SELECT * FROM ex_c JOIN ex_p ON ex_c.p_id = ex_p.id;
EXPLAIN (COSTS OFF) SELECT * FROM ex_c, ex_p WHERE ex_c.p_id = ex_p.id;
EXPLAIN (COSTS OFF) SELECT * FROM ex_c LEFT JOIN ex_p ON ex_c.p_id = ex_p.id;
EXPLAIN (COSTS OFF) SELECT ex_c.v FROM ex_c JOIN ex_p ON ex_c.p_id = ex_p.id WHERE ex_c.v <> 'q';
EXPLAIN (COSTS OFF) SELECT name FROM ex_p UNION ALL SELECT v FROM ex_c;
EXPLAIN (COSTS OFF) SELECT name FROM ex_p UNION SELECT v FROM ex_c;
