-- pg_get_viewdef of views over joins, subqueries, VALUES and set
-- operations, and views kept in step with the columns they read.
CREATE TABLE tt2 (a int, b int, c int);
CREATE TABLE tt3 (ax int8, b int2, c numeric);
CREATE TABLE tt4 (ay int, b int, q int);
INSERT INTO tt2 VALUES (1, 2, 3), (4, 5, 6);
INSERT INTO tt3 VALUES (10, 2, 3), (40, 5, 7);
INSERT INTO tt4 VALUES (100, 2, 9), (200, 8, 9);
-- NATURAL and USING joins print as USING, merged columns by the side
-- whose type they have (FULL JOIN's bare).
CREATE VIEW v1 AS SELECT * FROM tt2 NATURAL JOIN tt3;
CREATE VIEW v1a AS SELECT * FROM (tt2 NATURAL JOIN tt3) j;
CREATE VIEW v2 AS SELECT * FROM tt2 JOIN tt3 USING (b, c) JOIN tt4 USING (b);
CREATE VIEW v3 AS SELECT * FROM tt2 JOIN tt3 USING (b, c) FULL JOIN tt4 USING (b);
SELECT pg_get_viewdef('v1', true);
SELECT pg_get_viewdef('v1a', true);
SELECT pg_get_viewdef('v2', true);
SELECT pg_get_viewdef('v3', true);
SELECT pg_get_viewdef('v3'::regclass);
SELECT definition FROM pg_views WHERE viewname = 'v2';
SELECT * FROM v1 ORDER BY b;
SELECT * FROM v3 ORDER BY b;
-- A view keeps the columns * found when it was made.
ALTER TABLE tt2 ADD COLUMN d int;
SELECT pg_get_viewdef('v1', true);
SELECT * FROM v1 ORDER BY b;
-- Renaming a column a view reads: USING names stay as aliases.
ALTER TABLE tt3 RENAME c TO d;
SELECT pg_get_viewdef('v1', true);
SELECT pg_get_viewdef('v2', true);
SELECT * FROM v2 ORDER BY b;
ALTER TABLE tt3 ADD COLUMN c int;
SELECT pg_get_viewdef('v1', true);
SELECT pg_get_viewdef('v1a', true);
SELECT * FROM v1 ORDER BY b;
ALTER TABLE tt2 DROP COLUMN d;
ALTER TABLE tt2 DROP COLUMN a;
ALTER TABLE tt2 DROP COLUMN a CASCADE;
SELECT count(*) FROM pg_views WHERE viewname IN ('v1', 'v1a', 'v2', 'v3');
-- Renaming a view's column, and a view over it.
CREATE TABLE base (id int, name text);
CREATE VIEW bv AS SELECT id, name FROM base WHERE id > 0;
CREATE VIEW bv2 AS SELECT * FROM bv;
ALTER VIEW bv RENAME COLUMN id TO ident;
ALTER VIEW bv RENAME COLUMN nosuch TO x;
ALTER VIEW bv RENAME COLUMN name TO ident;
SELECT pg_get_viewdef('bv', true);
SELECT pg_get_viewdef('bv2', true);
ALTER TABLE base RENAME COLUMN name TO label;
SELECT pg_get_viewdef('bv', true);
INSERT INTO base VALUES (1, 'one'), (-1, 'neg');
SELECT * FROM bv2;
-- Join aliases, USING aliases and column aliases.
CREATE TABLE tbl1 (a int, b int);
CREATE TABLE tbl1a (a int, c int);
CREATE VIEW j2a AS SELECT * FROM tbl1 JOIN tbl1a USING (a);
CREATE VIEW j2b AS SELECT * FROM tbl1 JOIN tbl1a USING (a) AS x;
CREATE VIEW j2c AS SELECT * FROM (tbl1 JOIN tbl1a USING (a)) AS y;
CREATE VIEW j2d AS SELECT y.a, y.c FROM (tbl1 JOIN tbl1a USING (a) AS x) AS y(p);
SELECT pg_get_viewdef('j2a', true);
SELECT pg_get_viewdef('j2b', true);
SELECT pg_get_viewdef('j2c', true);
SELECT pg_get_viewdef('j2d', true);
SELECT * FROM (tbl1 CROSS JOIN tbl1a) j(p, q, r, s, t);
SELECT tbl1.a FROM (tbl1 JOIN tbl1a USING (a)) j;
-- FULL JOIN USING without alias: other columns of that name are renamed.
CREATE TABLE tt7 (x int, y int);
CREATE TABLE tt8 (x int, z int);
CREATE VIEW vv2 AS
SELECT * FROM (VALUES (1, 2, 3, 4, 5)) v(a, b, c, d, e)
UNION ALL
SELECT * FROM tt7 FULL JOIN tt8 USING (x), tt8 tt8x;
SELECT pg_get_viewdef('vv2', true);
CREATE VIEW vv3 AS SELECT * FROM tt7 FULL JOIN tt8 USING (x), tt7 tt7x FULL JOIN tt8 tt8x USING (x);
SELECT pg_get_viewdef('vv3', true);
ALTER TABLE tt7 ADD COLUMN zz int;
ALTER TABLE tt7 DROP COLUMN zz;
SELECT pg_get_viewdef('vv3', true);
-- NATURAL joins without common columns; subqueries in FROM; set
-- operations with renamed columns.
CREATE TABLE tt5 (a int, b int);
CREATE TABLE tt6 (c int, d int);
CREATE VIEW tt21v AS SELECT * FROM tt5 NATURAL INNER JOIN tt6;
CREATE VIEW tt22v AS SELECT * FROM tt5 NATURAL LEFT JOIN tt6;
SELECT pg_get_viewdef('tt21v', true);
SELECT pg_get_viewdef('tt22v', true);
CREATE VIEW sub AS SELECT s.x, s.y FROM (SELECT a AS x, b + 1 AS y FROM tt5 WHERE a > 0) s WHERE s.y < 10 ORDER BY s.x LIMIT 3;
SELECT pg_get_viewdef('sub', true);
SELECT pg_get_viewdef('sub', false);
CREATE TABLE int8_tbl (q1 int8, q2 int8);
CREATE VIEW tt23v (col_a, col_b) AS SELECT q1 AS other_name1, q2 AS other_name2 FROM int8_tbl UNION SELECT 42, 43;
SELECT pg_get_viewdef('tt23v', true);
SELECT pg_get_ruledef(oid, true) FROM pg_rewrite WHERE ev_class = 'tt23v'::regclass AND ev_type = '1';
CREATE VIEW setops AS SELECT a FROM tt5 UNION ALL SELECT c FROM tt6 EXCEPT SELECT 1;
SELECT pg_get_viewdef('setops', true);
-- Errors.
SELECT pg_get_viewdef('nosuch', true);
SELECT pg_get_viewdef('no such name!', true);
CREATE VIEW bad AS SELECT * FROM tt5 JOIN tt6 USING (nosuch);
CREATE VIEW bad AS SELECT * FROM (tt5 CROSS JOIN tt6) j(a, b, c, d, e);
CREATE VIEW bad AS SELECT tt5.a FROM (tt5 NATURAL JOIN tt6) j;
-- WITH (...) options, listed in pg_class.reloptions.
CREATE VIEW sec1 WITH (security_barrier) AS SELECT * FROM tt5;
CREATE VIEW sec2 WITH (security_invoker = false, security_barrier = on) AS SELECT * FROM tt5;
CREATE VIEW sec3 WITH (security_barrier = 100) AS SELECT * FROM tt5;
CREATE VIEW sec3 WITH (invalid_option) AS SELECT * FROM tt5;
CREATE VIEW sec3 WITH (security_barrier = true, security_barrier = false) AS SELECT * FROM tt5;
SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'sec%' ORDER BY relname;
CREATE OR REPLACE VIEW sec1 AS SELECT * FROM tt5;
CREATE OR REPLACE VIEW sec2 WITH (security_invoker) AS SELECT * FROM tt5;
SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'sec%' ORDER BY relname;
-- schema.table.column references, and temporary relations in CREATE SCHEMA.
CREATE SCHEMA vs;
CREATE TABLE vs.tt5 (y1 int, f2 int);
INSERT INTO vs.tt5 VALUES (1, 2);
INSERT INTO tt5 VALUES (1, 9);
SELECT * FROM vs.tt5 WHERE EXISTS (SELECT 1 FROM tt5 WHERE vs.tt5.y1 = tt5.a);
SELECT vs.tt5.f2 FROM vs.tt5 t;
SELECT public.tt5.b FROM tt5;
CREATE VIEW qv AS SELECT * FROM vs.tt5 WHERE EXISTS (SELECT 1 FROM tt5 WHERE vs.tt5.y1 = tt5.a);
SELECT * FROM qv;
CREATE SCHEMA vs2 CREATE TEMP VIEW tv AS SELECT 1;
CREATE SCHEMA vs2 CREATE TEMP TABLE tt (a int);
