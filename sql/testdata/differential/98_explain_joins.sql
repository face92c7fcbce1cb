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
-- A relation read twice is named apart, as PostgreSQL names it.
EXPLAIN (COSTS OFF) SELECT id FROM ex_p UNION ALL SELECT id FROM ex_p;
EXPLAIN (COSTS OFF) SELECT 1 FROM (VALUES (1), (2)) a(x) UNION SELECT 2 FROM (VALUES (3), (4)) b(y);
-- An inheritance parent's scan appends its children's.
CREATE TABLE ex_par (id int, v text);
CREATE TABLE ex_kid1 () INHERITS (ex_par);
CREATE TABLE ex_kid2 () INHERITS (ex_par);
EXPLAIN (COSTS OFF) SELECT * FROM ex_par WHERE v = 'a';
EXPLAIN (COSTS OFF) SELECT * FROM ONLY ex_par WHERE v = 'a';
