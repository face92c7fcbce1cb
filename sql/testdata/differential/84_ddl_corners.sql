-- Corners of CREATE TABLE and INSERT on partitioned tables: operator
-- classes in a partition key, an unknown strategy, composite attributes
-- of type unknown, catalogs over partitions with expression indexes,
-- routing through an expression key without SELECT, and DROP DOMAIN
-- CASCADE of a partition key's type.
CREATE TABLE po (a int) PARTITION BY MAGIC (a);
CREATE TABLE po (a int) PARTITION BY LIST (a point_ops);
CREATE TABLE po (a int) PARTITION BY HASH (a point_ops);
CREATE TABLE po (a int) PARTITION BY RANGE (a text_ops);
CREATE TABLE po (a int, b text, c varchar) PARTITION BY RANGE (a oid_ops, b text_pattern_ops, c text_ops);
SELECT pg_get_partkeydef('po'::regclass);
CREATE TABLE po1 PARTITION OF po FOR VALUES FROM (1, 'a', 'a') TO (2, 'a', 'a');
INSERT INTO po VALUES (1, 'b', 'c');
INSERT INTO po VALUES (3, 'b', 'c');
SELECT tableoid::regclass, * FROM po;
CREATE TABLE ph (a int) PARTITION BY HASH (a int4_ops);
SELECT pg_get_partkeydef('ph'::regclass);
DROP TABLE po, ph;
-- Composite attributes of type unknown.
CREATE TYPE ct_u AS (u unknown);
CREATE TYPE ct_ok AS (a int);
ALTER TYPE ct_ok ADD ATTRIBUTE u unknown;
SELECT count(*) FROM pg_type WHERE typname = 'ct_u';
DROP TYPE ct_ok;
-- pg_class over a partition of a table with expression and partial
-- indexes, after columns were dropped.
CREATE TABLE pcd (u1 int, id int, u2 int, d int, b int) PARTITION BY RANGE (id);
ALTER TABLE pcd DROP COLUMN u1;
ALTER TABLE pcd DROP COLUMN u2;
CREATE INDEX pcd_b_pred ON pcd (b) WHERE b = 1;
CREATE INDEX pcd_b_expr ON pcd ((b = 1));
CREATE INDEX pcd_d_expr ON pcd ((d = 2));
CREATE TABLE pcd_1 PARTITION OF pcd FOR VALUES FROM (1) TO (10);
SELECT relname, relkind FROM pg_class WHERE relname IN ('pcd', 'pcd_1') ORDER BY relname;
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname ~ '^(pcd)$' AND pg_table_is_visible(c.oid);
DROP TABLE pcd;
-- A role with INSERT but no SELECT routes rows through an expression key.
CREATE TABLE kd (a int, b int) PARTITION BY LIST ((a+0));
CREATE TABLE kd_1 PARTITION OF kd FOR VALUES IN (1) PARTITION BY RANGE (b);
CREATE TABLE kd_1_1 PARTITION OF kd_1 FOR VALUES FROM (0) TO (10);
CREATE ROLE kd_user;
GRANT INSERT ON kd TO kd_user;
GRANT SELECT (a) ON kd_1 TO kd_user;
SET ROLE kd_user;
INSERT INTO kd VALUES (1, 1);
INSERT INTO kd VALUES (1, 20);
INSERT INTO kd VALUES (2, 1);
SELECT * FROM kd;
RESET ROLE;
SELECT * FROM kd;
DROP TABLE kd;
DROP ROLE kd_user;
-- DROP DOMAIN CASCADE drops a table partitioned on a column of the domain.
CREATE DOMAIN dpk AS int;
CREATE TABLE dpt (a dpk, b text) PARTITION BY RANGE (a);
CREATE TABLE dpt1 PARTITION OF dpt FOR VALUES FROM (1) TO (10);
CREATE TABLE dother (a dpk, c int);
ALTER TABLE dpt DROP COLUMN a;
DROP DOMAIN dpk;
DROP DOMAIN dpk CASCADE;
TABLE dpt;
TABLE dpt1;
SELECT * FROM dother;
DROP TABLE dother;
