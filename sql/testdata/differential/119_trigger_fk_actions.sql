-- Foreign key actions fire the referencing table's triggers: ON DELETE
-- CASCADE its DELETE triggers, SET NULL, SET DEFAULT and ON UPDATE
-- CASCADE its UPDATE ones. BEFORE ROW triggers may change or skip a row,
-- AFTER ROW events queue behind the events before them, and statement
-- triggers fire once per statement and event (even when an action finds
-- no row), with transition tables of all the actions' rows. A log table
-- records the firings in order.
CREATE TABLE fa_log (n serial PRIMARY KEY, msg text);
CREATE TABLE fa_p (id int PRIMARY KEY);
CREATE TABLE fa_c (id int PRIMARY KEY, pid int REFERENCES fa_p ON DELETE CASCADE ON UPDATE CASCADE, v text);
CREATE TABLE fa_g (id int PRIMARY KEY, cid int REFERENCES fa_c ON DELETE CASCADE);
CREATE TABLE fa_n (id int PRIMARY KEY, pid int DEFAULT 0 REFERENCES fa_p ON DELETE SET NULL ON UPDATE SET DEFAULT, note text);
CREATE FUNCTION fa_tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO fa_log (msg) VALUES (concat_ws(' ', TG_TABLE_NAME, TG_NAME, TG_WHEN, TG_LEVEL, TG_OP, CASE WHEN TG_LEVEL = 'ROW' AND TG_OP <> 'INSERT' THEN OLD::text END, CASE WHEN TG_LEVEL = 'ROW' AND TG_OP <> 'DELETE' THEN NEW::text END)); IF TG_LEVEL = 'ROW' AND TG_WHEN = 'BEFORE' THEN IF TG_OP = 'DELETE' THEN IF OLD.id = 3 THEN RETURN NULL; END IF; RETURN OLD; END IF; IF NEW.id = 13 THEN RETURN NULL; END IF; IF TG_TABLE_NAME = 'fa_c' THEN NEW.v := coalesce(NEW.v, '') || '!'; END IF; IF TG_TABLE_NAME = 'fa_n' THEN NEW.note := 'set by ' || TG_OP; END IF; RETURN NEW; END IF; RETURN NULL; END $$;
CREATE FUNCTION fa_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO fa_log (msg) VALUES (TG_TABLE_NAME || ' ' || TG_NAME || ' ' || TG_OP || ' rows ' || (SELECT count(*) FROM gone)); RETURN NULL; END $$;
CREATE TRIGGER bs BEFORE DELETE OR UPDATE ON fa_c FOR EACH STATEMENT EXECUTE FUNCTION fa_tf();
CREATE TRIGGER as_ AFTER DELETE OR UPDATE ON fa_c FOR EACH STATEMENT EXECUTE FUNCTION fa_tf();
CREATE TRIGGER br BEFORE DELETE OR UPDATE ON fa_c FOR EACH ROW EXECUTE FUNCTION fa_tf();
CREATE TRIGGER ar AFTER DELETE OR UPDATE ON fa_c FOR EACH ROW EXECUTE FUNCTION fa_tf();
CREATE TRIGGER cnt AFTER DELETE ON fa_c REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION fa_count();
CREATE TRIGGER gbr BEFORE DELETE ON fa_g FOR EACH ROW EXECUTE FUNCTION fa_tf();
CREATE TRIGGER gas AFTER DELETE ON fa_g FOR EACH STATEMENT EXECUTE FUNCTION fa_tf();
CREATE TRIGGER nbr BEFORE UPDATE ON fa_n FOR EACH ROW EXECUTE FUNCTION fa_tf();
CREATE TRIGGER nar AFTER UPDATE ON fa_n FOR EACH ROW WHEN (OLD.id <> 2) EXECUTE FUNCTION fa_tf();
CREATE TRIGGER nas AFTER UPDATE ON fa_n FOR EACH STATEMENT EXECUTE FUNCTION fa_tf();
CREATE TRIGGER nof BEFORE UPDATE OF note ON fa_n FOR EACH ROW EXECUTE FUNCTION fa_tf();
INSERT INTO fa_p VALUES (0), (1), (2), (3), (4), (5), (7);
INSERT INTO fa_c VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'c'), (13, 4, 'd'), (14, 5, 'e');
INSERT INTO fa_g VALUES (1, 1), (2, 2), (3, 3);
INSERT INTO fa_n VALUES (1, 1, NULL), (2, 2, NULL), (4, 4, NULL);
-- Cascades two levels down; row 3 of fa_c is skipped by its trigger.
DELETE FROM fa_p WHERE id IN (1, 2);
SELECT n, msg FROM fa_log ORDER BY n;
SELECT * FROM fa_c ORDER BY id;
SELECT * FROM fa_g ORDER BY id;
SELECT * FROM fa_n ORDER BY id;
DELETE FROM fa_log;
-- ON UPDATE CASCADE and SET DEFAULT; row 13 is skipped and keeps its
-- old key.
UPDATE fa_p SET id = id * 10 WHERE id IN (4, 5);
SELECT n, msg FROM fa_log ORDER BY n;
SELECT * FROM fa_c ORDER BY id;
SELECT * FROM fa_n ORDER BY id;
DELETE FROM fa_log;
-- No referencing row: the statement triggers fire all the same.
DELETE FROM fa_p WHERE id = 7;
SELECT n, msg FROM fa_log ORDER BY n;
DELETE FROM fa_log;
-- A disabled trigger does not fire for an action either.
ALTER TABLE fa_c DISABLE TRIGGER br;
DELETE FROM fa_p WHERE id = 50;
SELECT n, msg FROM fa_log ORDER BY n;
SELECT * FROM fa_c ORDER BY id;
