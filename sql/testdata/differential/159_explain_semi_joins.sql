-- EXPLAIN (COSTS OFF) of EXISTS and NOT EXISTS run as semi and anti
-- joins, where cairn and PostgreSQL agree on the shape (PostgreSQL makes
-- a plain join of an EXISTS with a hash key over a de-duplicated inner
-- side when it estimates that cheaper; cairn does not).
CREATE TABLE xs_o (k int, g int, t text);
CREATE TABLE xs_i (k int, h int, t text);
INSERT INTO xs_o VALUES (1, 1, 'a'), (2, 2, 'b'), (2, 3, 'b'), (NULL, 4, NULL), (5, 5, 'e');
INSERT INTO xs_i VALUES (1, 10, 'a'), (2, 20, 'x'), (2, 21, 'b'), (NULL, 30, NULL), (7, 70, 'g');
EXPLAIN (COSTS OFF) SELECT * FROM xs_o WHERE NOT EXISTS (SELECT 1 FROM xs_i WHERE xs_i.k = xs_o.k);
EXPLAIN (COSTS OFF) SELECT * FROM xs_o WHERE NOT EXISTS (SELECT 1 FROM xs_i WHERE xs_i.k = xs_o.k AND xs_i.h > xs_o.g * 10 AND xs_i.t <> 'x');
EXPLAIN (COSTS OFF) SELECT * FROM xs_o WHERE NOT EXISTS (SELECT 1 FROM xs_i WHERE k = xs_o.k LIMIT 1);
EXPLAIN (COSTS OFF) SELECT * FROM xs_o WHERE EXISTS (SELECT 1 FROM xs_i WHERE xs_i.h > xs_o.g);
EXPLAIN (COSTS OFF) SELECT * FROM xs_o WHERE NOT EXISTS (SELECT 1 FROM xs_i WHERE xs_i.h > xs_o.g);
-- What stays a subquery: NOT IN, and EXISTS over an aggregate.
EXPLAIN (COSTS OFF) SELECT * FROM xs_o WHERE xs_o.k NOT IN (SELECT k FROM xs_i);
EXPLAIN (COSTS OFF) SELECT * FROM xs_o WHERE EXISTS (SELECT count(*) FROM xs_i WHERE xs_i.k = xs_o.k);
-- A hash join whose hashed rows are unique on the key says so, and
-- stops at the first match.
CREATE TABLE xs_u1 (id int PRIMARY KEY);
CREATE TABLE xs_u2 (id int PRIMARY KEY, v int UNIQUE);
CREATE TABLE xs_n (id int);
INSERT INTO xs_u1 VALUES (1), (2), (3);
INSERT INTO xs_u2 VALUES (1, 10), (2, 20), (3, NULL);
INSERT INTO xs_n VALUES (1), (1), (NULL), (3);
EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM xs_u1 JOIN xs_u2 ON xs_u1.id = xs_u2.id;
EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM xs_u1 JOIN xs_n ON xs_u1.id = xs_n.id;
EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM xs_u1 LEFT JOIN xs_u2 ON xs_u1.id = xs_u2.id;
EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM xs_u1 FULL JOIN xs_u2 ON xs_u1.id = xs_u2.id;
SELECT * FROM xs_n JOIN xs_u1 ON xs_u1.id = xs_n.id ORDER BY 1;
SELECT * FROM xs_n LEFT JOIN xs_u2 ON xs_u2.id = xs_n.id ORDER BY 1, 2;
SELECT * FROM xs_n FULL JOIN xs_u2 ON xs_u2.v = xs_n.id * 10 ORDER BY 1, 2;
SELECT * FROM xs_n, xs_u2 WHERE xs_u2.v = xs_n.id * 10 ORDER BY 1, 2;
