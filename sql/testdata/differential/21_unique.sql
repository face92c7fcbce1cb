-- UNIQUE constraints become unique indexes.
CREATE TABLE u1 (id int4 PRIMARY KEY, email text UNIQUE, a int4, b int4, UNIQUE (a, b));
INSERT INTO u1 VALUES (1, 'x@example.com', 1, 1);
INSERT INTO u1 VALUES (2, 'x@example.com', 1, 2);
INSERT INTO u1 VALUES (3, 'y@example.com', 1, 1);
INSERT INTO u1 VALUES (4, NULL, NULL, 1), (5, NULL, NULL, 1);
INSERT INTO u1 VALUES (6, 'z@example.com', 2, 2);
UPDATE u1 SET email = 'z@example.com' WHERE id = 1;
SELECT * FROM u1 ORDER BY id;
CREATE TABLE u2 (z int4 UNIQUE);
INSERT INTO u2 VALUES (1), (2);
INSERT INTO u2 VALUES (2);
SELECT count(*) FROM u2;
CREATE TABLE u3 (v text, CONSTRAINT u3_named UNIQUE (v));
INSERT INTO u3 VALUES ('a'), ('a');
DROP INDEX u2_z_key;
DROP TABLE u2;
CREATE INDEX u2_z_key ON u1 (a);
