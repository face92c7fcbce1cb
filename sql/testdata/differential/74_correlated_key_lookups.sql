-- A correlated subquery looks rows up by key through the enclosing
-- query's column (primary key, secondary index, expression of types),
-- with NULLs on either side matching nothing.
CREATE TABLE ck_outer (id int, k int, t text, b bigint);
INSERT INTO ck_outer VALUES (1, 1, 'a', 1), (2, 2, 'b', 2), (3, NULL, NULL, NULL), (4, 40, 'zz', 40), (5, 3, 'c', 3);
CREATE TABLE ck_pk (id int PRIMARY KEY, v text);
INSERT INTO ck_pk VALUES (1, 'one'), (2, 'two'), (3, 'three');
CREATE TABLE ck_ix (k int, t text, v int);
INSERT INTO ck_ix VALUES (1, 'a', 10), (1, 'a', 11), (2, 'b', 20), (NULL, NULL, 99), (3, 'c', 30);
CREATE INDEX ck_ix_k ON ck_ix (k);
CREATE INDEX ck_ix_t ON ck_ix (t);
SELECT o.id, (SELECT p.v FROM ck_pk p WHERE p.id = o.k) FROM ck_outer o ORDER BY o.id;
SELECT o.id, (SELECT p.v FROM ck_pk p WHERE o.b = p.id) FROM ck_outer o ORDER BY o.id;
SELECT o.id, (SELECT sum(i.v) FROM ck_ix i WHERE i.k = o.k) FROM ck_outer o ORDER BY o.id;
SELECT o.id, (SELECT count(*) FROM ck_ix i WHERE i.t = o.t) FROM ck_outer o ORDER BY o.id;
SELECT o.id FROM ck_outer o WHERE EXISTS (SELECT 1 FROM ck_ix i WHERE i.k = o.k AND i.v > 10) ORDER BY o.id;
SELECT o.id FROM ck_outer o WHERE NOT EXISTS (SELECT 1 FROM ck_ix i WHERE i.k = o.k) ORDER BY o.id;
SELECT o.id, (SELECT max(i.v) FROM ck_ix i WHERE i.k < o.k) FROM ck_outer o ORDER BY o.id;
SELECT o.id, (SELECT count(*) FROM ck_ix i WHERE i.k BETWEEN o.k AND o.b + 1) FROM ck_outer o ORDER BY o.id;
SELECT o.id, (SELECT (SELECT p.v FROM ck_pk p WHERE p.id = o.k) FROM ck_ix i WHERE i.k = o.k LIMIT 1) FROM ck_outer o ORDER BY o.id;
SELECT o.id, (SELECT count(*) FROM ck_ix i WHERE i.k = o.id) FROM ck_outer o ORDER BY o.id;
SELECT max((SELECT i.v FROM ck_ix i WHERE i.k = o.k AND i.v >= 20)) FROM ck_outer o;
UPDATE ck_outer o SET t = (SELECT p.v FROM ck_pk p WHERE p.id = o.k) WHERE o.id < 4;
SELECT * FROM ck_outer ORDER BY id;
DELETE FROM ck_ix i WHERE EXISTS (SELECT 1 FROM ck_pk p WHERE p.id = i.k AND p.v = 'two');
SELECT * FROM ck_ix ORDER BY k, v;
