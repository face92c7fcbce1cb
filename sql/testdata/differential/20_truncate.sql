-- TRUNCATE, inside and outside transactions.
CREATE TABLE tr (id int4 PRIMARY KEY, v text);
CREATE TABLE tr2 (id int4 PRIMARY KEY);
INSERT INTO tr VALUES (1, 'a'), (2, 'b');
INSERT INTO tr2 VALUES (1);
TRUNCATE tr;
SELECT count(*) FROM tr;
INSERT INTO tr VALUES (1, 'again');
BEGIN;
TRUNCATE TABLE tr, tr2;
SELECT count(*) FROM tr;
ROLLBACK;
SELECT * FROM tr ORDER BY id;
SELECT count(*) FROM tr2;
TRUNCATE nosuch;
CREATE VIEW trv AS SELECT * FROM tr;
TRUNCATE trv;
