-- INSTEAD OF triggers make a view writable: INSERT, UPDATE and DELETE
-- hand each row to the trigger, RETURNING shows what it returned, and a
-- NULL result leaves the row uncounted.
CREATE TABLE person (id int PRIMARY KEY, first text, last text);
CREATE VIEW person_v AS SELECT id, first || ' ' || last AS full_name FROM person;
CREATE FUNCTION person_v_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'INSERT' THEN INSERT INTO person VALUES (NEW.id, split_part(NEW.full_name, ' ', 1), split_part(NEW.full_name, ' ', 2)); RETURN NEW; ELSIF TG_OP = 'UPDATE' THEN IF NEW.full_name IS NULL THEN RETURN NULL; END IF; UPDATE person SET first = split_part(NEW.full_name, ' ', 1), last = split_part(NEW.full_name, ' ', 2) WHERE id = OLD.id; RETURN NEW; ELSE DELETE FROM person WHERE id = OLD.id; RETURN OLD; END IF; END $$;
INSERT INTO person_v VALUES (1, 'Ada Lovelace');
CREATE TRIGGER person_v_ins INSTEAD OF INSERT ON person_v FOR EACH ROW EXECUTE FUNCTION person_v_write();
CREATE TRIGGER person_v_upd INSTEAD OF UPDATE ON person_v FOR EACH ROW EXECUTE FUNCTION person_v_write();
CREATE TRIGGER person_v_del INSTEAD OF DELETE ON person_v FOR EACH ROW EXECUTE FUNCTION person_v_write();
INSERT INTO person_v VALUES (1, 'Ada Lovelace'), (2, 'Alan Turing'), (3, 'Grace Hopper') RETURNING *;
SELECT * FROM person ORDER BY id;
UPDATE person_v SET full_name = 'Alan M.Turing' WHERE id = 2 RETURNING id, full_name;
UPDATE person_v SET full_name = NULL WHERE id = 3;
UPDATE person_v SET full_name = 'x y' WHERE id = 99;
DELETE FROM person_v WHERE full_name LIKE 'Ada%' RETURNING *;
SELECT * FROM person_v ORDER BY id;
-- Statement triggers on a view fire around the INSTEAD OF ones.
CREATE TABLE view_log (n serial PRIMARY KEY, what text);
CREATE FUNCTION view_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO view_log (what) VALUES (TG_WHEN || ' ' || TG_OP || ' ' || TG_LEVEL); RETURN NULL; END $$;
CREATE TRIGGER pv_before BEFORE INSERT OR UPDATE OR DELETE ON person_v FOR EACH STATEMENT EXECUTE FUNCTION view_note();
CREATE TRIGGER pv_after AFTER INSERT OR UPDATE OR DELETE ON person_v FOR EACH STATEMENT EXECUTE FUNCTION view_note();
INSERT INTO person_v VALUES (4, 'Edsger Dijkstra');
DELETE FROM person_v WHERE false;
SELECT what FROM view_log ORDER BY n;
-- What views and tables refuse.
CREATE TRIGGER bad_v1 BEFORE INSERT ON person_v FOR EACH ROW EXECUTE FUNCTION person_v_write();
CREATE TRIGGER bad_v2 AFTER UPDATE ON person_v FOR EACH ROW EXECUTE FUNCTION person_v_write();
CREATE TRIGGER bad_v3 INSTEAD OF UPDATE ON person_v FOR EACH STATEMENT EXECUTE FUNCTION person_v_write();
CREATE TRIGGER bad_v4 INSTEAD OF UPDATE ON person_v FOR EACH ROW WHEN (OLD.id > 0) EXECUTE FUNCTION person_v_write();
CREATE TRIGGER bad_v5 INSTEAD OF UPDATE OF full_name ON person_v FOR EACH ROW EXECUTE FUNCTION person_v_write();
CREATE TRIGGER bad_v6 BEFORE TRUNCATE ON person_v EXECUTE FUNCTION view_note();
CREATE TRIGGER bad_t1 INSTEAD OF INSERT ON person FOR EACH ROW EXECUTE FUNCTION person_v_write();
SELECT relname, relhastriggers FROM pg_class WHERE relname IN ('person', 'person_v') ORDER BY 1;
DROP TRIGGER person_v_del ON person_v;
DROP VIEW person_v;
SELECT count(*) FROM pg_trigger WHERE tgrelid NOT IN (SELECT oid FROM pg_class);
