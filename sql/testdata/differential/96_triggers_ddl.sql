-- Trigger DDL and catalogs: pg_trigger, pg_get_triggerdef (plain and
-- pretty), information_schema.triggers, CREATE OR REPLACE, ALTER
-- TRIGGER ... RENAME, ENABLE / DISABLE, DROP (with the table, with IF
-- EXISTS), dependencies, transactional DDL and errors.
CREATE TABLE tt (a int, b text, c int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.c := coalesce(NEW.c, 0) + 1; RETURN NEW; END $$;
CREATE FUNCTION not_trigger() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE TRIGGER t_ins BEFORE INSERT ON tt FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER t_upd BEFORE UPDATE OF a, b ON tt FOR EACH ROW WHEN (OLD.a IS DISTINCT FROM NEW.a) EXECUTE PROCEDURE tf('x', 'it''s', '42');
CREATE TRIGGER t_stmt AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON tt EXECUTE FUNCTION tf();
CREATE TRIGGER t_trans AFTER DELETE ON tt REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION tf();
SELECT tgname, tgtype, tgenabled, tgisinternal, tgnargs, tgattr, tgargs, tgoldtable, tgnewtable, tgfoid = 'tf'::regproc AS func_ok FROM pg_trigger WHERE tgrelid = 'tt'::regclass ORDER BY tgname;
SELECT tgname, pg_get_triggerdef(oid), pg_get_triggerdef(oid, true) FROM pg_trigger WHERE tgrelid = 'tt'::regclass ORDER BY tgname;
SELECT trigger_name, event_manipulation, event_object_table, action_order, action_condition, action_statement, action_orientation, action_timing, action_reference_old_table FROM information_schema.triggers WHERE event_object_table = 'tt' ORDER BY trigger_name, event_manipulation;
SELECT relhastriggers FROM pg_class WHERE relname = 'tt';
-- Errors.
CREATE TRIGGER t_ins BEFORE INSERT ON tt FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER t_x BEFORE INSERT ON tt FOR EACH ROW EXECUTE FUNCTION nope();
CREATE TRIGGER t_x BEFORE INSERT ON tt FOR EACH ROW EXECUTE FUNCTION not_trigger();
CREATE TRIGGER t_x BEFORE INSERT ON nowhere FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER t_x BEFORE UPDATE OF zz ON tt FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER t_x BEFORE UPDATE OF a, a ON tt FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER t_x BEFORE INSERT ON tt FOR EACH ROW WHEN (OLD.a > 0) EXECUTE FUNCTION tf();
CREATE TRIGGER t_x BEFORE DELETE ON tt FOR EACH ROW WHEN (NEW.a > 0) EXECUTE FUNCTION tf();
CREATE TRIGGER t_x BEFORE INSERT ON tt WHEN (NEW.a > 0) EXECUTE FUNCTION tf();
CREATE TRIGGER t_x BEFORE INSERT ON tt FOR EACH ROW WHEN (NEW.a) EXECUTE FUNCTION tf();
CREATE TRIGGER t_x BEFORE INSERT ON tt FOR EACH ROW WHEN (NEW.a IN (SELECT 1)) EXECUTE FUNCTION tf();
CREATE TRIGGER t_x BEFORE TRUNCATE ON tt FOR EACH ROW EXECUTE FUNCTION tf();
CREATE FUNCTION sql_trig() RETURNS trigger LANGUAGE sql AS 'SELECT NULL';
CREATE FUNCTION arg_trig(trigger) RETURNS int LANGUAGE plpgsql AS 'BEGIN RETURN 1; END';
SELECT tf();
-- CREATE OR REPLACE keeps the oid; RENAME; ENABLE and DISABLE.
CREATE TEMP TABLE oids AS SELECT oid FROM pg_trigger WHERE tgname = 't_ins';
CREATE OR REPLACE TRIGGER t_ins AFTER INSERT ON tt FOR EACH ROW EXECUTE FUNCTION tf('replaced');
SELECT t.oid = o.oid AS same_oid, pg_get_triggerdef(t.oid) FROM pg_trigger t, oids o WHERE t.tgname = 't_ins';
CREATE OR REPLACE TRIGGER t_ins BEFORE INSERT ON tt FOR EACH ROW EXECUTE FUNCTION tf();
ALTER TRIGGER t_ins ON tt RENAME TO t_ins2;
ALTER TRIGGER t_ins ON tt RENAME TO t_ins3;
ALTER TRIGGER t_ins2 ON tt RENAME TO t_upd;
INSERT INTO tt (a) VALUES (1) RETURNING c;
ALTER TABLE tt DISABLE TRIGGER t_ins2;
INSERT INTO tt (a) VALUES (2) RETURNING c;
SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'tt'::regclass ORDER BY tgname;
ALTER TABLE tt ENABLE ALWAYS TRIGGER t_ins2;
ALTER TABLE tt ENABLE REPLICA TRIGGER t_upd;
SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'tt'::regclass ORDER BY tgname;
ALTER TABLE tt DISABLE TRIGGER USER;
INSERT INTO tt (a) VALUES (3) RETURNING c;
ALTER TABLE tt ENABLE TRIGGER ALL;
INSERT INTO tt (a) VALUES (4) RETURNING c;
ALTER TABLE tt DISABLE TRIGGER nope;
-- Transactional DDL.
BEGIN;
DROP TRIGGER t_ins2 ON tt;
INSERT INTO tt (a) VALUES (5) RETURNING c;
ROLLBACK;
INSERT INTO tt (a) VALUES (6) RETURNING c;
BEGIN;
CREATE TRIGGER t_tmp BEFORE INSERT ON tt FOR EACH ROW EXECUTE FUNCTION tf();
INSERT INTO tt (a) VALUES (7) RETURNING c;
ROLLBACK;
SELECT count(*) FROM pg_trigger WHERE tgname = 't_tmp';
-- Dependencies: the function, the columns, the table.
DROP FUNCTION tf();
ALTER TABLE tt DROP COLUMN b;
ALTER TABLE tt DROP COLUMN b CASCADE;
SELECT tgname FROM pg_trigger WHERE tgrelid = 'tt'::regclass ORDER BY tgname;
DROP TRIGGER nope ON tt;
DROP TRIGGER IF EXISTS nope ON tt;
DROP TRIGGER IF EXISTS nope ON no_table;
DROP TRIGGER t_stmt ON tt;
DROP TABLE tt;
SELECT count(*) FROM pg_trigger WHERE tgname LIKE 't\_%';
CREATE TABLE tt2 (a int);
CREATE TRIGGER t2 BEFORE INSERT ON tt2 FOR EACH ROW EXECUTE FUNCTION tf();
DROP FUNCTION tf() CASCADE;
SELECT count(*) FROM pg_trigger WHERE tgrelid = 'tt2'::regclass;
CREATE SEQUENCE tt_seq;
CREATE FUNCTION tf2() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER t3 BEFORE INSERT ON tt_seq FOR EACH ROW EXECUTE FUNCTION tf2();
-- Comments.
CREATE TRIGGER t4 AFTER INSERT ON tt2 FOR EACH ROW EXECUTE FUNCTION tf2();
COMMENT ON TRIGGER t4 ON tt2 IS 'fires after';
COMMENT ON TRIGGER nope ON tt2 IS 'x';
SELECT obj_description(oid, 'pg_trigger'), d.description FROM pg_trigger t JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_trigger'::regclass WHERE tgname = 't4';
COMMENT ON TRIGGER t4 ON tt2 IS NULL;
SELECT obj_description(oid, 'pg_trigger') FROM pg_trigger WHERE tgname = 't4';
-- tableoid in WHEN: AFTER triggers may read it, BEFORE ones not NEW's.
CREATE TRIGGER t5 BEFORE INSERT ON tt2 FOR EACH ROW WHEN (NEW.tableoid <> 0) EXECUTE FUNCTION tf2();
CREATE TABLE oid_log (what text);
CREATE FUNCTION oid_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO oid_log VALUES (TG_NAME); RETURN NULL; END $$;
CREATE TRIGGER t6 AFTER UPDATE ON tt2 FOR EACH ROW WHEN (NEW.tableoid = OLD.tableoid AND NEW.tableoid <> 0) EXECUTE FUNCTION oid_note();
CREATE TRIGGER t7 AFTER UPDATE ON tt2 FOR EACH ROW WHEN (NEW.tableoid = 0) EXECUTE FUNCTION oid_note();
INSERT INTO tt2 VALUES (1);
UPDATE tt2 SET a = a + 1;
SELECT what FROM oid_log;
-- A column rename reaches UPDATE OF and WHEN.
CREATE TABLE rn (a int, b int);
CREATE TRIGGER rn_t BEFORE UPDATE OF a ON rn FOR EACH ROW WHEN (OLD.a IS DISTINCT FROM NEW.a AND NEW.b > 0) EXECUTE FUNCTION tf2();
ALTER TABLE rn RENAME COLUMN a TO aa;
SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'rn_t';
CREATE TRIGGER rn_t2 AFTER UPDATE ON rn FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.* OR NEW.b IS NOT DISTINCT FROM OLD.aa) EXECUTE FUNCTION tf2();
SELECT pg_get_triggerdef(oid), pg_get_triggerdef(oid, true) FROM pg_trigger WHERE tgrelid = 'rn'::regclass ORDER BY tgname;
