-- Constraint triggers: CREATE CONSTRAINT TRIGGER [FROM table] [NOT]
-- DEFERRABLE [INITIALLY DEFERRED | IMMEDIATE], their pg_trigger and
-- pg_constraint rows, firing at statement end (immediate), at COMMIT
-- (deferred), or when SET CONSTRAINTS makes them IMMEDIATE; a rollback to
-- a savepoint forgets the events queued since; cloned to partitions.
CREATE TABLE clog (n serial PRIMARY KEY, msg text);
CREATE TABLE cref (a int);
CREATE TABLE ct (a int, b text);
CREATE FUNCTION cf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO clog (msg) VALUES (TG_NAME || ' ' || TG_TABLE_NAME || ' ' || NEW::text); IF NEW.b = 'bad' THEN RAISE EXCEPTION 'bad row %', NEW.a; END IF; RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER c_imm AFTER INSERT ON ct FOR EACH ROW EXECUTE FUNCTION cf();
CREATE CONSTRAINT TRIGGER c_def AFTER INSERT OR UPDATE ON ct FROM cref DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.a > 0) EXECUTE FUNCTION cf();
CREATE CONSTRAINT TRIGGER c_dfi AFTER INSERT ON ct DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION cf();
SELECT tgname, tgrelid::regclass, tgconstrrelid::regclass, tgdeferrable, tginitdeferred, tgisinternal,
  c.conname, c.contype, c.condeferrable, c.condeferred, c.conrelid::regclass, c.confrelid
  FROM pg_trigger t JOIN pg_constraint c ON c.oid = t.tgconstraint ORDER BY tgname;
SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'ct'::regclass ORDER BY tgname;
INSERT INTO ct VALUES (1, 'x');
SELECT msg FROM clog ORDER BY n;
TRUNCATE clog;
BEGIN;
INSERT INTO ct VALUES (2, 'y'), (-1, 'neg');
SELECT msg FROM clog ORDER BY n;
UPDATE ct SET b = b || '!' WHERE a = 2;
COMMIT;
SELECT msg FROM clog ORDER BY n;
TRUNCATE clog;
BEGIN;
SET CONSTRAINTS c_dfi DEFERRED;
INSERT INTO ct VALUES (3, 'z');
SELECT msg FROM clog ORDER BY n;
SET CONSTRAINTS c_def IMMEDIATE;
SELECT msg FROM clog ORDER BY n;
SET CONSTRAINTS ALL IMMEDIATE;
SELECT msg FROM clog ORDER BY n;
COMMIT;
TRUNCATE clog;
BEGIN;
INSERT INTO ct VALUES (4, 'ok');
SAVEPOINT s;
INSERT INTO ct VALUES (5, 'gone');
ROLLBACK TO SAVEPOINT s;
COMMIT;
SELECT msg FROM clog ORDER BY n;
-- a deferred trigger's error fails the COMMIT
BEGIN;
INSERT INTO ct VALUES (6, 'bad');
COMMIT;
SELECT a FROM ct WHERE a = 6;
BEGIN;
SET CONSTRAINTS c_imm DEFERRED;
ROLLBACK;
SET CONSTRAINTS nosuch DEFERRED;
CREATE OR REPLACE CONSTRAINT TRIGGER c_imm AFTER INSERT ON ct FOR EACH ROW EXECUTE FUNCTION cf();
CREATE CONSTRAINT TRIGGER c_x AFTER INSERT ON ct FROM nosuch FOR EACH ROW EXECUTE FUNCTION cf();
-- cloned to partitions, each clone with its own constraint
CREATE TABLE cp (a int, b text) PARTITION BY RANGE (a);
CREATE TABLE cp1 PARTITION OF cp FOR VALUES FROM (0) TO (10);
CREATE CONSTRAINT TRIGGER cpt AFTER INSERT ON cp DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cf();
CREATE TABLE cp2 PARTITION OF cp FOR VALUES FROM (10) TO (20);
SELECT tgrelid::regclass, c.conrelid::regclass, c.contype, t.tgparentid <> 0 AS clone
  FROM pg_trigger t JOIN pg_constraint c ON c.oid = t.tgconstraint WHERE tgname = 'cpt' ORDER BY 1::text;
TRUNCATE clog;
BEGIN;
INSERT INTO cp VALUES (1, 'p'), (11, 'q');
SELECT count(*) FROM clog;
COMMIT;
SELECT msg FROM clog ORDER BY n;
-- The after-trigger queue: a row's foreign key action fires before the
-- user AFTER ROW triggers of the row (RI triggers sort first), so the
-- referenced table's AFTER triggers see the cascade done; the writes of
-- one table and event in a statement (a self-referencing cascade, a WITH
-- query and its main statement) share their statement triggers and
-- transition tables until a trigger has read those.
CREATE TABLE qp (id int PRIMARY KEY);
CREATE TABLE qc (id int PRIMARY KEY, pid int REFERENCES qp ON DELETE CASCADE);
CREATE FUNCTION qf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO clog (msg) VALUES (TG_TABLE_NAME || ' ' || TG_NAME || ' ' || TG_LEVEL || ' ' || TG_OP || ' children=' || (SELECT count(*) FROM qc)); RETURN NULL; END $$;
CREATE TRIGGER qpa AFTER DELETE ON qp FOR EACH ROW EXECUTE FUNCTION qf();
CREATE TRIGGER qps AFTER DELETE ON qp FOR EACH STATEMENT EXECUTE FUNCTION qf();
CREATE TRIGGER qca AFTER DELETE ON qc FOR EACH ROW EXECUTE FUNCTION qf();
CREATE TRIGGER qcs AFTER DELETE ON qc FOR EACH STATEMENT EXECUTE FUNCTION qf();
INSERT INTO qp VALUES (1), (2);
INSERT INTO qc VALUES (10, 1), (11, 1), (20, 2);
TRUNCATE clog;
DELETE FROM qp;
SELECT msg FROM clog ORDER BY n;
CREATE TABLE sr (a int PRIMARY KEY, b int REFERENCES sr ON DELETE CASCADE);
CREATE FUNCTION srf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_WHEN = 'BEFORE' THEN INSERT INTO clog (msg) VALUES (TG_NAME || ' ' || TG_WHEN); ELSE INSERT INTO clog (msg) SELECT TG_NAME || ' ' || string_agg(o.a::text, ',' ORDER BY o.a) FROM old_t o; END IF; RETURN NULL; END $$;
CREATE TRIGGER srb BEFORE DELETE ON sr FOR EACH STATEMENT EXECUTE FUNCTION srf();
CREATE TRIGGER srs AFTER DELETE ON sr REFERENCING OLD TABLE AS old_t FOR EACH STATEMENT EXECUTE FUNCTION srf();
INSERT INTO sr VALUES (1, NULL), (2, 1), (3, 2), (4, 3);
TRUNCATE clog;
DELETE FROM sr WHERE a = 1;
SELECT msg FROM clog ORDER BY n;
CREATE TRIGGER srr AFTER DELETE ON sr REFERENCING OLD TABLE AS old_t FOR EACH ROW EXECUTE FUNCTION srf();
INSERT INTO sr VALUES (1, NULL), (2, 1), (3, 2);
TRUNCATE clog;
DELETE FROM sr WHERE a = 1;
SELECT msg FROM clog ORDER BY n;
CREATE TABLE wt (a int);
CREATE FUNCTION wf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO clog (msg) SELECT TG_NAME || ' ' || coalesce(string_agg(n.a::text, ',' ORDER BY n.a), '') FROM new_t n; RETURN NULL; END $$;
CREATE TRIGGER wts AFTER INSERT ON wt REFERENCING NEW TABLE AS new_t FOR EACH STATEMENT EXECUTE FUNCTION wf();
TRUNCATE clog;
WITH w AS (INSERT INTO wt VALUES (43)) INSERT INTO wt VALUES (44);
SELECT msg FROM clog ORDER BY n;
-- a constraint trigger goes with the table it names in FROM
CREATE TABLE cfrom (a int);
CREATE CONSTRAINT TRIGGER cft AFTER INSERT ON ct FROM cfrom FOR EACH ROW EXECUTE FUNCTION cf();
SELECT count(*) FROM pg_trigger WHERE tgname = 'cft';
DROP TABLE cfrom;
SELECT count(*) FROM pg_trigger WHERE tgname = 'cft';
INSERT INTO ct VALUES (7, 'after');
-- DISABLE TRIGGER ALL disables the foreign keys' internal triggers too;
-- USER does not
CREATE TABLE dp (i int PRIMARY KEY);
CREATE TABLE dc (i int REFERENCES dp ON DELETE CASCADE);
INSERT INTO dp VALUES (1), (2), (3);
INSERT INTO dc VALUES (1), (2);
ALTER TABLE dp DISABLE TRIGGER USER;
DELETE FROM dp WHERE i = 1;
ALTER TABLE dp DISABLE TRIGGER ALL;
DELETE FROM dp WHERE i = 2;
SELECT * FROM dc ORDER BY i;
ALTER TABLE dp ENABLE TRIGGER ALL;
DELETE FROM dp WHERE i = 3;
ALTER TABLE dc DISABLE TRIGGER ALL;
INSERT INTO dc VALUES (99);
ALTER TABLE dc ENABLE TRIGGER ALL;
INSERT INTO dc VALUES (98);
SELECT * FROM dc ORDER BY i;
