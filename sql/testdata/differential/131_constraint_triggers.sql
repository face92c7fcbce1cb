-- Constraint triggers: CREATE CONSTRAINT TRIGGER [FROM table] [NOT]
-- DEFERRABLE [INITIALLY DEFERRED | IMMEDIATE], their pg_trigger and
-- pg_constraint rows, firing at statement end (immediate), at COMMIT
-- (deferred), or when SET CONSTRAINTS makes them IMMEDIATE; a rollback to
-- a savepoint forgets the events queued since; cloned to partitions.
CREATE TABLE clog (n serial PRIMARY KEY, msg text);
CREATE TABLE cref (a int);
CREATE TABLE ct (a int, b text);
CREATE FUNCTION cf() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO clog (msg) VALUES (TG_NAME || ' ' || TG_TABLE_NAME || ' ' || NEW::text);
  IF NEW.b = 'bad' THEN RAISE EXCEPTION 'bad row %', NEW.a; END IF;
  RETURN NULL;
END $$;
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
