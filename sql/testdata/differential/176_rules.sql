-- CREATE RULE / DROP RULE on tables: INSERT, UPDATE and DELETE rules,
-- ALSO and INSTEAD, conditions, NEW and OLD, RETURNING, errors.
CREATE TABLE r_items (id int PRIMARY KEY, name text, qty int DEFAULT 1);
CREATE TABLE r_log (op text, id int, name text, qty int);
CREATE RULE r_items_ins AS ON INSERT TO r_items DO ALSO INSERT INTO r_log VALUES ('ins', NEW.id, NEW.name, NEW.qty);
INSERT INTO r_items (id, name) VALUES (1, 'a'), (2, 'b');
INSERT INTO r_items SELECT g, 'g' || g, g * 10 FROM generate_series(3, 4) g;
SELECT * FROM r_items ORDER BY id;
SELECT * FROM r_log ORDER BY op, id;
CREATE RULE r_items_upd AS ON UPDATE TO r_items WHERE NEW.qty > 100 DO INSTEAD
  INSERT INTO r_log VALUES ('refused', OLD.id, OLD.name, NEW.qty);
UPDATE r_items SET qty = qty * 20 WHERE id >= 2;
SELECT * FROM r_items ORDER BY id;
SELECT * FROM r_log WHERE op = 'refused' ORDER BY id;
CREATE RULE r_items_del AS ON DELETE TO r_items WHERE id = 1 DO INSTEAD NOTHING;
DELETE FROM r_items WHERE id IN (1, 2);
SELECT id FROM r_items ORDER BY id;
-- an unconditional INSTEAD rule with RETURNING
CREATE TABLE r_ret (a int);
CREATE TABLE r_ret_shadow (a int);
CREATE RULE r_ret_ins AS ON INSERT TO r_ret DO INSTEAD INSERT INTO r_ret_shadow VALUES (NEW.a * 2) RETURNING *;
INSERT INTO r_ret VALUES (1), (2) RETURNING a, a + 1;
SELECT * FROM r_ret;
SELECT * FROM r_ret_shadow ORDER BY a;
WITH w AS (INSERT INTO r_ret VALUES (5) RETURNING *) SELECT * FROM w;
-- a rule without RETURNING cannot stand in for one
CREATE TABLE r_nothing (a int);
CREATE RULE r_nothing_ins AS ON INSERT TO r_nothing DO INSTEAD NOTHING;
INSERT INTO r_nothing VALUES (1) RETURNING *;
INSERT INTO r_nothing VALUES (1);
SELECT count(*) FROM r_nothing;
WITH w AS (INSERT INTO r_nothing VALUES (1)) SELECT 1;
-- a rule on a statement without WHERE whose action names no row runs once
CREATE TABLE r_once (a int);
CREATE TABLE r_once_log (n int);
INSERT INTO r_once VALUES (1), (2), (3);
CREATE RULE r_once_del AS ON DELETE TO r_once DO ALSO INSERT INTO r_once_log VALUES (1);
DELETE FROM r_once;
SELECT count(*) FROM r_once_log;
DELETE FROM r_once;
SELECT count(*) FROM r_once_log;
-- errors
CREATE RULE r_items_ins AS ON INSERT TO r_items DO NOTHING;
CREATE OR REPLACE RULE r_items_ins AS ON INSERT TO r_items DO NOTHING;
INSERT INTO r_items VALUES (9, 'z');
SELECT count(*) FROM r_items WHERE id = 9;
CREATE RULE r_bad1 AS ON INSERT TO r_items DO ALSO INSERT INTO r_log VALUES ('x') RETURNING *;
CREATE RULE r_bad2 AS ON INSERT TO r_items WHERE NEW.id > 0 DO INSTEAD INSERT INTO r_log VALUES ('x') RETURNING *;
CREATE RULE r_bad3 AS ON INSERT TO r_items DO INSTEAD INSERT INTO r_log VALUES ('x') RETURNING op;
CREATE RULE r_bad4 AS ON INSERT TO r_items DO INSERT INTO r_log VALUES (OLD.name);
CREATE RULE r_bad5 AS ON DELETE TO r_items DO INSERT INTO r_log VALUES (NEW.name);
CREATE RULE r_bad6 AS ON INSERT TO r_missing DO NOTHING;
CREATE RULE r_bad7 AS ON INSERT TO r_items DO INSERT INTO r_log VALUES (NEW.nosuch);
INSERT INTO r_items VALUES (10, 'c') ON CONFLICT DO NOTHING;
DROP RULE r_nosuch ON r_items;
DROP RULE IF EXISTS r_nosuch ON r_items;
DROP RULE r_items_ins ON r_items;
INSERT INTO r_items VALUES (9, 'z');
SELECT count(*) FROM r_items WHERE id = 9;
-- recursion
CREATE TABLE r_rec (a int);
CREATE RULE r_rec_ins AS ON INSERT TO r_rec DO ALSO INSERT INTO r_rec VALUES (NEW.a + 1);
INSERT INTO r_rec VALUES (1);
-- transactional
BEGIN;
CREATE RULE r_tx AS ON INSERT TO r_once DO INSTEAD NOTHING;
ROLLBACK;
INSERT INTO r_once VALUES (7);
SELECT * FROM r_once;
DROP TABLE r_items;
DROP TABLE r_items;
