-- Statement triggers fire once per statement, also for no rows, and
-- AFTER ROW triggers fire at the statement's end with the final row
-- images; transition tables (REFERENCING) are relations inside the
-- trigger function.
CREATE TABLE stock (sku text PRIMARY KEY, qty int NOT NULL);
CREATE TABLE stock_log (n serial PRIMARY KEY, what text);
CREATE FUNCTION stmt_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO stock_log (what) VALUES (TG_WHEN || ' ' || TG_OP || ' ' || TG_LEVEL || ' ' || (SELECT count(*) FROM stock)); RETURN NULL; END $$;
CREATE TRIGGER st_before BEFORE INSERT OR UPDATE OR DELETE ON stock FOR EACH STATEMENT EXECUTE FUNCTION stmt_note();
CREATE TRIGGER st_after AFTER INSERT OR UPDATE OR DELETE ON stock EXECUTE PROCEDURE stmt_note();
INSERT INTO stock VALUES ('a', 1), ('b', 2), ('c', 3);
UPDATE stock SET qty = qty WHERE false;
DELETE FROM stock WHERE sku = 'zzz';
SELECT what FROM stock_log ORDER BY n;
-- AFTER ROW triggers run after every row of the statement was written.
CREATE FUNCTION row_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO stock_log (what) VALUES ('row ' || NEW.sku || ' sees ' || (SELECT sum(qty) FROM stock)); RETURN NULL; END $$;
CREATE TRIGGER st_row AFTER UPDATE ON stock FOR EACH ROW EXECUTE FUNCTION row_note();
UPDATE stock SET qty = qty * 10;
SELECT what FROM stock_log WHERE n > 6 ORDER BY n;
-- Transition tables.
CREATE TABLE moves (n serial PRIMARY KEY, op text, skus text, total int);
CREATE FUNCTION moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'INSERT' THEN INSERT INTO moves (op, skus, total) SELECT TG_OP, string_agg(sku, ',' ORDER BY sku), sum(qty) FROM new_rows; ELSIF TG_OP = 'UPDATE' THEN INSERT INTO moves (op, skus, total) SELECT TG_OP, string_agg(o.sku || ':' || o.qty || '>' || n.qty, ',' ORDER BY o.sku), sum(n.qty - o.qty) FROM old_rows o JOIN new_rows n USING (sku); ELSE INSERT INTO moves (op, skus, total) SELECT TG_OP, string_agg(sku, ',' ORDER BY sku), count(*) FROM old_rows; END IF; RETURN NULL; END $$;
CREATE TRIGGER mv_ins AFTER INSERT ON stock REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION moved();
CREATE TRIGGER mv_upd AFTER UPDATE ON stock REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION moved();
CREATE TRIGGER mv_del AFTER DELETE ON stock REFERENCING OLD TABLE old_rows FOR EACH STATEMENT EXECUTE FUNCTION moved();
INSERT INTO stock VALUES ('d', 4), ('e', 5);
UPDATE stock SET qty = qty + 1 WHERE sku IN ('a', 'd');
DELETE FROM stock WHERE qty > 20;
UPDATE stock SET qty = 0 WHERE false;
SELECT op, skus, total FROM moves ORDER BY n;
-- A row trigger reads the transition table too.
CREATE TABLE batch (id int);
CREATE TABLE batch_seen (id int, batch_size bigint);
CREATE FUNCTION batch_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO batch_seen VALUES (NEW.id, (SELECT count(*) FROM nt)); RETURN NULL; END $$;
CREATE TRIGGER batch_rows AFTER INSERT ON batch REFERENCING NEW TABLE AS nt FOR EACH ROW EXECUTE FUNCTION batch_row();
INSERT INTO batch SELECT generate_series(1, 3);
SELECT id, batch_size FROM batch_seen ORDER BY id;
-- REFERENCING errors.
CREATE TRIGGER bad1 BEFORE INSERT ON batch REFERENCING NEW TABLE AS x FOR EACH ROW EXECUTE FUNCTION batch_row();
CREATE TRIGGER bad2 AFTER INSERT ON batch REFERENCING OLD TABLE AS x FOR EACH ROW EXECUTE FUNCTION batch_row();
CREATE TRIGGER bad3 AFTER DELETE ON batch REFERENCING NEW TABLE AS x FOR EACH ROW EXECUTE FUNCTION batch_row();
CREATE TRIGGER bad4 AFTER UPDATE ON batch REFERENCING OLD TABLE AS x NEW TABLE AS x FOR EACH ROW EXECUTE FUNCTION batch_row();
CREATE TRIGGER bad5 AFTER UPDATE OF id ON batch REFERENCING OLD TABLE AS x FOR EACH ROW EXECUTE FUNCTION batch_row();
-- TRUNCATE statement triggers: every BEFORE one fires before any table
-- is emptied, the AFTER ones once all are; TRUNCATE ... CASCADE fires
-- those of the tables it adds.
CREATE TABLE tr_parent (id int PRIMARY KEY);
CREATE TABLE tr_child (id int REFERENCES tr_parent);
CREATE TABLE tr_log (n serial PRIMARY KEY, what text);
INSERT INTO tr_parent VALUES (1), (2);
INSERT INTO tr_child VALUES (1);
CREATE FUNCTION tr_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO tr_log (what) VALUES (TG_WHEN || ' ' || TG_OP || ' ' || TG_LEVEL || ' ' || TG_TABLE_NAME || ' ' || (SELECT count(*) FROM tr_parent) || '/' || (SELECT count(*) FROM tr_child) || ' ' || (NEW IS NULL) || ' ' || (OLD IS NULL)); RETURN NULL; END $$;
CREATE TRIGGER tr_b BEFORE TRUNCATE ON tr_parent EXECUTE FUNCTION tr_note();
CREATE TRIGGER tr_a AFTER TRUNCATE ON tr_parent EXECUTE FUNCTION tr_note();
CREATE TRIGGER tr_cb BEFORE TRUNCATE ON tr_child EXECUTE FUNCTION tr_note();
CREATE TRIGGER tr_ca AFTER TRUNCATE ON tr_child EXECUTE FUNCTION tr_note();
CREATE TRIGGER tr_del BEFORE DELETE ON tr_parent FOR EACH ROW EXECUTE FUNCTION tr_note();
TRUNCATE tr_parent CASCADE;
SELECT what FROM tr_log ORDER BY n;
ALTER TABLE tr_child DISABLE TRIGGER tr_cb;
TRUNCATE tr_child;
SELECT what FROM tr_log WHERE n > 4 ORDER BY n;
CREATE FUNCTION tr_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no truncating %', TG_TABLE_NAME; END $$;
INSERT INTO tr_parent VALUES (3);
CREATE TRIGGER tr_z BEFORE TRUNCATE ON tr_parent EXECUTE FUNCTION tr_fail();
TRUNCATE tr_parent CASCADE;
SELECT id FROM tr_parent;
