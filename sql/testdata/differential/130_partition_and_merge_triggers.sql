-- Row triggers of partitioned tables: cloned to every partition (also to
-- those created or attached later), shown with tgparentid, fired on the
-- partition a row is routed to, and dropped, renamed, enabled and disabled
-- with the partitioned table's trigger; a hierarchy's UPDATE and DELETE fire
-- the statement triggers once, with every partition's rows in the
-- transition tables.
CREATE TABLE plog (n serial PRIMARY KEY, msg text);
CREATE FUNCTION plf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO plog (msg) VALUES (TG_TABLE_NAME || ' ' || TG_NAME || ' ' || TG_WHEN || ' ' || TG_LEVEL || ' ' || TG_OP || CASE WHEN TG_LEVEL = 'ROW' AND TG_OP <> 'DELETE' THEN ' ' || NEW::text ELSE '' END); IF TG_LEVEL = 'ROW' THEN IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; IF TG_WHEN = 'BEFORE' THEN NEW.b := NEW.b || '+'; END IF; RETURN NEW; END IF; RETURN NULL; END $$;
CREATE TABLE pt (a int, b text) PARTITION BY RANGE (a);
CREATE TABLE pt1 PARTITION OF pt FOR VALUES FROM (0) TO (10);
CREATE TABLE pt2 PARTITION OF pt FOR VALUES FROM (10) TO (20) PARTITION BY RANGE (a);
CREATE TABLE pt21 PARTITION OF pt2 FOR VALUES FROM (10) TO (15);
CREATE TRIGGER br BEFORE INSERT OR UPDATE OR DELETE ON pt FOR EACH ROW EXECUTE FUNCTION plf();
CREATE TRIGGER ar AFTER INSERT OR UPDATE OR DELETE ON pt FOR EACH ROW EXECUTE FUNCTION plf();
CREATE TRIGGER bs BEFORE INSERT OR UPDATE OR DELETE ON pt FOR EACH STATEMENT EXECUTE FUNCTION plf();
CREATE TRIGGER as1 AFTER INSERT OR UPDATE OR DELETE ON pt FOR EACH STATEMENT EXECUTE FUNCTION plf();
CREATE TABLE pt22 (b text, a int);
ALTER TABLE pt2 ATTACH PARTITION pt22 FOR VALUES FROM (15) TO (20);
CREATE TABLE pt3 PARTITION OF pt FOR VALUES FROM (20) TO (30);
SELECT tgrelid::regclass, tgname, tgenabled, tgisinternal,
  (SELECT p.tgrelid::regclass FROM pg_trigger p WHERE p.oid = t.tgparentid) AS parent
  FROM pg_trigger t WHERE tgrelid::regclass::text LIKE 'pt%' ORDER BY tgrelid::regclass::text, tgname;
INSERT INTO pt VALUES (1, 'a'), (12, 'b'), (17, 'c') RETURNING tableoid::regclass, *;
INSERT INTO pt2 VALUES (16, 'd');
INSERT INTO pt22 VALUES ('e', 18);
SELECT msg FROM plog ORDER BY n;
TRUNCATE plog;
UPDATE pt SET b = b || '!' WHERE a IN (1, 17);
UPDATE pt SET a = a + 10 WHERE a = 12;
SELECT tableoid::regclass, * FROM pt ORDER BY a;
DELETE FROM pt WHERE a > 15;
SELECT msg FROM plog ORDER BY n;
-- errors: a clone is dropped and renamed only with its parent trigger
DROP TRIGGER br ON pt1;
ALTER TRIGGER br ON pt21 RENAME TO brr;
CREATE OR REPLACE TRIGGER br BEFORE INSERT ON pt1 FOR EACH ROW EXECUTE FUNCTION plf();
CREATE TRIGGER tt AFTER INSERT ON pt REFERENCING NEW TABLE AS nt FOR EACH ROW EXECUTE FUNCTION plf();
CREATE TRIGGER tt AFTER INSERT ON pt1 REFERENCING NEW TABLE AS nt FOR EACH ROW EXECUTE FUNCTION plf();
CREATE TABLE pt4 (a int, b text);
CREATE TRIGGER br AFTER INSERT ON pt4 FOR EACH ROW EXECUTE FUNCTION plf();
ALTER TABLE pt ATTACH PARTITION pt4 FOR VALUES FROM (30) TO (40);
DROP TRIGGER br ON pt4;
CREATE TRIGGER tt AFTER INSERT ON pt4 REFERENCING NEW TABLE AS nt FOR EACH ROW EXECUTE FUNCTION plf();
ALTER TABLE pt ATTACH PARTITION pt4 FOR VALUES FROM (30) TO (40);
DROP TRIGGER tt ON pt4;
ALTER TABLE pt ATTACH PARTITION pt4 FOR VALUES FROM (30) TO (40);
-- rename, disable and detach cascade
ALTER TRIGGER ar ON pt RENAME TO ar2;
ALTER TABLE pt DISABLE TRIGGER br;
ALTER TABLE ONLY pt2 ENABLE ALWAYS TRIGGER br;
SELECT tgrelid::regclass, tgname, tgenabled FROM pg_trigger
  WHERE tgrelid::regclass::text LIKE 'pt%' AND tgname IN ('br', 'ar2') ORDER BY tgrelid::regclass::text, tgname;
ALTER TABLE pt DETACH PARTITION pt2;
SELECT tgrelid::regclass, tgname FROM pg_trigger WHERE tgrelid::regclass::text LIKE 'pt2%' ORDER BY tgrelid::regclass::text, tgname;
DROP TRIGGER ar2 ON pt;
SELECT tgrelid::regclass, tgname FROM pg_trigger WHERE tgrelid::regclass::text LIKE 'pt%' ORDER BY tgrelid::regclass::text, tgname;
-- a BEFORE trigger may not move a routed row to another partition
CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.a := NEW.a + 10; RETURN NEW; END $$;
CREATE TRIGGER bump BEFORE INSERT ON pt FOR EACH ROW EXECUTE FUNCTION bump();
INSERT INTO pt VALUES (2, 'x');
-- a NULL from a partition's BEFORE trigger skips the routed row
CREATE FUNCTION skip() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
DROP TRIGGER bump ON pt;
CREATE TRIGGER skip BEFORE INSERT ON pt3 FOR EACH ROW EXECUTE FUNCTION skip();
INSERT INTO pt VALUES (3, 'y'), (23, 'z') RETURNING *;
SELECT * FROM pt ORDER BY a;
-- transition tables of an inheritance parent see every child's rows
CREATE TABLE ih (a int, b text);
CREATE TABLE ihc (c int, b text, a int);
ALTER TABLE ihc INHERIT ih;
CREATE FUNCTION ihf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO plog (msg) SELECT TG_OP || ' ' || string_agg(o::text, ',' ORDER BY o::text) FROM old_t o; RETURN NULL; END $$;
CREATE TRIGGER iht AFTER DELETE ON ih REFERENCING OLD TABLE AS old_t FOR EACH STATEMENT EXECUTE FUNCTION ihf();
INSERT INTO ih VALUES (1, 'p');
INSERT INTO ihc VALUES (9, 'q', 2);
TRUNCATE plog;
DELETE FROM ih;
SELECT msg FROM plog ORDER BY n;
CREATE TABLE ihd (a int, b text);
CREATE TRIGGER tt AFTER INSERT ON ihc REFERENCING NEW TABLE AS nt FOR EACH ROW EXECUTE FUNCTION plf();
CREATE TRIGGER tt AFTER INSERT ON ihd REFERENCING NEW TABLE AS nt FOR EACH ROW EXECUTE FUNCTION plf();
ALTER TABLE ihd INHERIT ih;
-- MERGE fires the statement triggers of the events its WHEN clauses name
-- (BEFORE: INSERT, UPDATE, DELETE; AFTER: DELETE, UPDATE, INSERT) and each
-- written row's row triggers; a NULL from a BEFORE ROW trigger skips the row.
CREATE TABLE mt (a int PRIMARY KEY, b text);
CREATE TABLE ms (a int, b text);
CREATE TRIGGER bs BEFORE INSERT OR UPDATE OR DELETE ON mt FOR EACH STATEMENT EXECUTE FUNCTION plf();
CREATE TRIGGER as1 AFTER INSERT OR UPDATE OR DELETE ON mt FOR EACH STATEMENT EXECUTE FUNCTION plf();
CREATE TRIGGER br BEFORE INSERT OR UPDATE OR DELETE ON mt FOR EACH ROW EXECUTE FUNCTION plf();
CREATE TRIGGER ar AFTER INSERT OR UPDATE OR DELETE ON mt FOR EACH ROW EXECUTE FUNCTION plf();
INSERT INTO mt VALUES (1, 'x'), (2, 'y'), (3, 'z');
INSERT INTO ms VALUES (1, 's1'), (3, 's3'), (4, 's4'), (5, 's5');
CREATE FUNCTION skip5() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.a = 5 THEN RETURN NULL; END IF; RETURN NEW; END $$;
CREATE TRIGGER skip5 BEFORE INSERT ON mt FOR EACH ROW EXECUTE FUNCTION skip5();
TRUNCATE plog;
MERGE INTO mt USING ms ON mt.a = ms.a
  WHEN MATCHED AND ms.a = 1 THEN UPDATE SET b = ms.b
  WHEN MATCHED THEN DELETE
  WHEN NOT MATCHED THEN INSERT VALUES (ms.a, ms.b);
SELECT * FROM mt ORDER BY a;
SELECT msg FROM plog ORDER BY n;
TRUNCATE plog;
MERGE INTO mt USING ms ON mt.a = ms.a WHEN MATCHED THEN DO NOTHING;
MERGE INTO mt USING ms ON mt.a = ms.a WHEN NOT MATCHED AND ms.a = 3 THEN INSERT VALUES (ms.a, ms.b);
SELECT msg FROM plog ORDER BY n;
-- a partitioned target: the rows fire their partitions' row triggers
CREATE TABLE mp (a int, b text) PARTITION BY LIST (a);
CREATE TABLE mp1 PARTITION OF mp FOR VALUES IN (1, 2);
CREATE TABLE mp2 PARTITION OF mp FOR VALUES IN (3, 4, 5);
CREATE TRIGGER br BEFORE INSERT OR UPDATE OR DELETE ON mp FOR EACH ROW EXECUTE FUNCTION plf();
CREATE TRIGGER as1 AFTER INSERT OR UPDATE OR DELETE ON mp FOR EACH STATEMENT EXECUTE FUNCTION plf();
INSERT INTO mp VALUES (1, 'p'), (2, 'q');
TRUNCATE plog;
MERGE INTO mp USING ms ON mp.a = ms.a
  WHEN MATCHED THEN UPDATE SET a = 3, b = mp.b || ms.b
  WHEN NOT MATCHED THEN INSERT VALUES (ms.a, ms.b);
SELECT tableoid::regclass, * FROM mp ORDER BY a, b;
SELECT msg FROM plog ORDER BY n;
-- UPDATE ... FROM and DELETE ... USING of a view with INSTEAD OF triggers:
-- each joined row fires them; RETURNING reads the other items' columns.
CREATE TABLE vt (id int PRIMARY KEY, v text);
CREATE VIEW vv AS SELECT id, v FROM vt;
CREATE TABLE vsrc (id int, nv text);
CREATE FUNCTION vf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'UPDATE' THEN UPDATE vt SET v = NEW.v WHERE id = OLD.id; RETURN NEW; END IF; DELETE FROM vt WHERE id = OLD.id; RETURN OLD; END $$;
CREATE TRIGGER vtr INSTEAD OF UPDATE OR DELETE ON vv FOR EACH ROW EXECUTE FUNCTION vf();
INSERT INTO vt VALUES (1, 'a'), (2, 'b'), (3, 'c');
INSERT INTO vsrc VALUES (1, 'x'), (3, 'z');
UPDATE vv SET v = s.nv FROM vsrc s WHERE s.id = vv.id RETURNING *;
SELECT * FROM vt ORDER BY id;
DELETE FROM vv USING vsrc s WHERE s.id = vv.id AND s.nv = 'z' RETURNING vv.id, s.nv;
SELECT * FROM vt ORDER BY id;
