-- What pg_dump and restoring its output use: recursive queries, LOCK
-- TABLE, ALTER TABLE OWNER TO and ADD UNIQUE, COPY's settings, catalog
-- functions.
CREATE TABLE d (id int4 PRIMARY KEY, parent int4, name text);
INSERT INTO d VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 1, 'b'), (4, 2, 'c'), (5, 4, 'd');
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION SELECT n % 3 + 1 FROM t) SELECT * FROM t ORDER BY n;
WITH RECURSIVE sub AS (SELECT id, name, 0 AS depth FROM d WHERE id = 1
  UNION ALL SELECT d.id, d.name, sub.depth + 1 FROM d JOIN sub ON d.parent = sub.id) SELECT * FROM sub ORDER BY id;
WITH RECURSIVE up(id, parent) AS (SELECT id, parent FROM d WHERE id = 5
  UNION SELECT d.id, d.parent FROM up JOIN d ON d.id = up.parent) SELECT count(*) FROM up;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3), u AS (SELECT n * 10 AS m FROM t) SELECT * FROM u ORDER BY m;
WITH RECURSIVE t AS (SELECT 1 AS n UNION ALL SELECT 2) SELECT * FROM t ORDER BY n;
WITH RECURSIVE t(n) AS (SELECT 1::int4 UNION ALL SELECT n::int8 + 1 FROM t WHERE n < 3) SELECT * FROM t;
-- Set-returning functions in a select list with FROM.
SELECT id, unnest(ARRAY[id, id * 10]) AS u, 'x' FROM d WHERE id < 3 ORDER BY 1, 2;
SELECT generate_series(1, id) FROM d WHERE id <= 3;
SELECT name, generate_series(1, 0) FROM d;
SELECT unnest(ARRAY[1, 2]) FROM d WHERE id = 1 LIMIT 1;
-- LOCK TABLE
LOCK TABLE d;
BEGIN;
LOCK TABLE d IN ACCESS SHARE MODE;
LOCK TABLE d IN ROW EXCLUSIVE MODE;
LOCK d IN SHARE MODE NOWAIT;
LOCK TABLE d IN ACCESS EXCLUSIVE MODE;
COMMIT;
BEGIN READ ONLY;
LOCK TABLE d IN ACCESS SHARE MODE;
LOCK TABLE d IN ACCESS EXCLUSIVE MODE;
ROLLBACK;
BEGIN;
LOCK TABLE nosuch;
ROLLBACK;
-- Owners and UNIQUE constraints.
ALTER TABLE d OWNER TO postgres;
ALTER TABLE d OWNER TO CURRENT_USER;
ALTER TABLE d OWNER TO nosuch;
ALTER TABLE IF EXISTS nosuch OWNER TO postgres;
ALTER TABLE d ADD CONSTRAINT d_name_key UNIQUE (name);
ALTER TABLE d ADD UNIQUE (parent, name);
SELECT conname, contype FROM pg_constraint WHERE conrelid = 'd'::regclass ORDER BY conname;
SELECT pg_get_indexdef('d_name_key'::regclass);
INSERT INTO d VALUES (6, 9, 'a');
ALTER TABLE d ADD CONSTRAINT d_parent_key UNIQUE (parent);
-- Settings pg_dump's scripts set.
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;
SET default_tablespace = '';
SET default_table_access_method = heap;
SET synchronize_seqscans TO off;
RESET client_min_messages;
-- Catalog functions.
SELECT acldefault('r', 10)::text[], acldefault('n', 10)::text[], acldefault('f', 10)::text[], acldefault('c', 10)::text[], acldefault('T', 6171)::text[];
SELECT acldefault('x', 10);
SELECT quote_ident('abc'), quote_ident('Abc'), quote_ident('a b'), quote_ident('select'), quote_ident('x"y');
SELECT quote_literal('it''s'), quote_literal(E'back\\slash'), quote_literal(NULL), quote_nullable(NULL), quote_nullable('a');
SELECT current_schemas(false), current_schemas(true);
SELECT pg_is_in_recovery();
SELECT * FROM pg_options_to_table(ARRAY['fillfactor=70', 'autovacuum_enabled=off', 'novalue']) ORDER BY 1;
SELECT option_name FROM pg_options_to_table(NULL);
SELECT 'pg_class'::regclass, 'pg_catalog.pg_proc'::regclass::oid, 1259::regclass, 'pg_namespace'::regclass::oid;
SELECT typname[0], typname[1], typname[63], typname[64], typname[-1] FROM pg_type WHERE oid = 'int4'::regtype;
SELECT tableoid::regclass, relname FROM pg_class WHERE relname = 'd';
SELECT classid::regclass, refclassid::regclass, refobjsubid, deptype FROM pg_depend
  WHERE refobjid = 'd'::regclass AND classid = 'pg_constraint'::regclass ORDER BY 1, 2, 3, 4;
SELECT 0::regproc, 24::regtype;
-- Recursive references only in the recursive term's own FROM list.
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < (SELECT max(n) FROM t) + 3) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT s.n + 1 FROM (SELECT n FROM t) s WHERE s.n < 3) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT d.id FROM d JOIN t ON d.parent = t.n) SELECT * FROM t ORDER BY n;
