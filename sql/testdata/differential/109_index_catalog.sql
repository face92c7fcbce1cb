-- Index catalog: ALTER TABLE ... ADD PRIMARY KEY | UNIQUE USING INDEX (an
-- existing unique index becomes the constraint's, renamed to the constraint's
-- name; the indexes a constraint cannot take are refused with PostgreSQL's
-- codes), pg_class.relfilenode, regnamespace, pg_my_temp_schema, partition
-- trees.
CREATE TABLE cwi_test (a int, b varchar(10), c char);
INSERT INTO cwi_test VALUES (1, 2), (3, 4), (5, 6);
CREATE UNIQUE INDEX cwi_uniq_idx ON cwi_test (a, b);
ALTER TABLE cwi_test ADD primary key USING INDEX cwi_uniq_idx;
SELECT attname, attnotnull FROM pg_attribute WHERE attrelid = 'cwi_test'::regclass AND attnum > 0 ORDER BY attnum;
SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'cwi_test'::regclass ORDER BY 1;
DROP INDEX cwi_uniq_idx;
INSERT INTO cwi_test VALUES (1, 2);
INSERT INTO cwi_test VALUES (7, NULL);
CREATE UNIQUE INDEX cwi_uniq3_idx ON cwi_test (a DESC);
ALTER TABLE cwi_test ADD UNIQUE USING INDEX cwi_uniq3_idx;
CREATE UNIQUE INDEX cwi_uniq4_idx ON cwi_test (b COLLATE "POSIX");
ALTER TABLE cwi_test ADD UNIQUE USING INDEX cwi_uniq4_idx;
CREATE UNIQUE INDEX cwi_uniq5_idx ON cwi_test (a NULLS FIRST);
ALTER TABLE cwi_test ADD UNIQUE USING INDEX cwi_uniq5_idx;
DROP TABLE cwi_test;
CREATE TABLE cwi_part (a int) PARTITION BY hash (a);
CREATE UNIQUE INDEX cwi_part_a ON cwi_part (a);
ALTER TABLE cwi_part ADD PRIMARY KEY USING INDEX cwi_part_a;
DROP TABLE cwi_part;
CREATE TABLE cwi2 (a int, b int);
INSERT INTO cwi2 VALUES (1, NULL);
CREATE UNIQUE INDEX cwi2_a ON cwi2 (a);
CREATE UNIQUE INDEX cwi2_b ON cwi2 (b);
CREATE INDEX cwi2_ab ON cwi2 (a, b);
CREATE UNIQUE INDEX cwi2_p ON cwi2 (a) WHERE a > 0;
CREATE UNIQUE INDEX cwi2_e ON cwi2 ((a + 1));
CREATE UNIQUE INDEX cwi2_h ON cwi2 USING hash (a);
ALTER TABLE cwi2 ADD PRIMARY KEY USING INDEX cwi2_b;
ALTER TABLE cwi2 ADD UNIQUE USING INDEX cwi2_ab;
ALTER TABLE cwi2 ADD UNIQUE USING INDEX cwi2_p;
ALTER TABLE cwi2 ADD UNIQUE USING INDEX cwi2_e;
ALTER TABLE cwi2 ADD UNIQUE USING INDEX nosuch;
ALTER TABLE cwi2 ADD CONSTRAINT cwi2_uq UNIQUE USING INDEX cwi2_a;
ALTER TABLE cwi2 ADD UNIQUE USING INDEX cwi2_uq;
ALTER TABLE cwi2 ADD CONSTRAINT cwi2_p UNIQUE USING INDEX cwi2_b;
SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'cwi2'::regclass ORDER BY 1;
SELECT relname FROM pg_class WHERE relname LIKE 'cwi2%' ORDER BY 1;
DROP INDEX cwi2_uq;
INSERT INTO cwi2 VALUES (1, 2);
ALTER TABLE cwi2 ADD CONSTRAINT cwi2_pk PRIMARY KEY USING INDEX cwi2_b;
DELETE FROM cwi2 WHERE b IS NULL;
ALTER TABLE cwi2 ADD CONSTRAINT cwi2_pk PRIMARY KEY USING INDEX cwi2_b;
ALTER TABLE cwi2 ADD CONSTRAINT cwi2_pk2 PRIMARY KEY USING INDEX cwi2_h;
SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'cwi2'::regclass ORDER BY 1;
SELECT relname FROM pg_class WHERE relname LIKE 'cwi2%' ORDER BY 1;
INSERT INTO cwi2 VALUES (3, 2);
INSERT INTO cwi2 VALUES (3, NULL);
INSERT INTO cwi2 VALUES (4, 4);
SELECT * FROM cwi2 ORDER BY b;
DROP INDEX cwi2_pk;
CREATE TABLE cwi_ref (b int REFERENCES cwi2);
INSERT INTO cwi_ref VALUES (4);
INSERT INTO cwi_ref VALUES (5);
-- pg_class.relfilenode: a new table's and index's storage is named by
-- their oid; views and partitioned tables have none.
CREATE TABLE rf (a int PRIMARY KEY, b text);
CREATE INDEX rf_b ON rf (b);
CREATE VIEW rfv AS SELECT * FROM rf;
CREATE TABLE rfp (a int) PARTITION BY RANGE (a);
SELECT relname, relkind, relfilenode = oid AS own, relfilenode = 0 AS none FROM pg_class WHERE relname LIKE 'rf%' ORDER BY 1;
CREATE TABLE rf_before AS SELECT oid, relname, relfilenode, relkind, reltoastrelid FROM pg_class WHERE relname IN ('rf', 'rf_b');
SELECT relname, relkind FROM rf_before ORDER BY 1;
-- regnamespace names every schema; pg_my_temp_schema is 0 until the
-- session has a temporary schema, whose indexes REINDEX SCHEMA reaches.
CREATE SCHEMA rn_schema;
CREATE SCHEMA "RN 2";
SELECT 'rn_schema'::regnamespace, '"RN 2"'::regnamespace, 'public'::regnamespace;
SELECT (SELECT oid FROM pg_namespace WHERE nspname = 'rn_schema')::regnamespace::text;
SELECT pg_my_temp_schema();
CREATE TEMP TABLE rn_temp (a int);
CREATE INDEX rn_temp_a ON rn_temp (a);
SELECT pg_my_temp_schema() <> 0, pg_my_temp_schema()::regnamespace::text LIKE 'pg\_temp\_%';
SELECT pg_my_temp_schema() = (SELECT relnamespace FROM pg_class WHERE relname = 'rn_temp');
REINDEX SCHEMA pg_temp_77;
-- pg_partition_tree and pg_partition_ancestors over partitioned tables and
-- their indexes (attached by definition); REINDEX of a partitioned table or
-- index refuses a transaction block.
CREATE TABLE concur_reindex_part (c1 int, c2 int) PARTITION BY RANGE (c1);
CREATE TABLE concur_reindex_part_0 PARTITION OF concur_reindex_part
  FOR VALUES FROM (0) TO (10) PARTITION BY list (c2);
CREATE TABLE concur_reindex_part_0_1 PARTITION OF concur_reindex_part_0
  FOR VALUES IN (1);
CREATE TABLE concur_reindex_part_0_2 PARTITION OF concur_reindex_part_0
  FOR VALUES IN (2);
CREATE TABLE concur_reindex_part_10 PARTITION OF concur_reindex_part
  FOR VALUES FROM (10) TO (20) PARTITION BY list (c2);
CREATE INDEX concur_reindex_part_index ON ONLY concur_reindex_part (c1);
CREATE INDEX concur_reindex_part_index_0 ON ONLY concur_reindex_part_0 (c1);
ALTER INDEX concur_reindex_part_index ATTACH PARTITION concur_reindex_part_index_0;
CREATE INDEX concur_reindex_part_index_10 ON ONLY concur_reindex_part_10 (c1);
ALTER INDEX concur_reindex_part_index ATTACH PARTITION concur_reindex_part_index_10;
CREATE INDEX concur_reindex_part_index_0_1 ON ONLY concur_reindex_part_0_1 (c1);
ALTER INDEX concur_reindex_part_index_0 ATTACH PARTITION concur_reindex_part_index_0_1;
CREATE INDEX concur_reindex_part_index_0_2 ON ONLY concur_reindex_part_0_2 (c1);
ALTER INDEX concur_reindex_part_index_0 ATTACH PARTITION concur_reindex_part_index_0_2;
SELECT relid, parentrelid, level FROM pg_partition_tree('concur_reindex_part_index')
  ORDER BY relid, level;
SELECT * FROM pg_partition_tree('concur_reindex_part') ORDER BY relid;
SELECT * FROM pg_partition_tree('concur_reindex_part_0');
SELECT * FROM pg_partition_tree('concur_reindex_part_index_0_2');
SELECT * FROM pg_partition_ancestors('concur_reindex_part_0_2');
SELECT * FROM pg_partition_ancestors('concur_reindex_part_index_0_1');
SELECT pg_partition_ancestors('concur_reindex_part');
CREATE TABLE plain_t (a int);
CREATE VIEW plain_v AS SELECT 1;
SELECT * FROM pg_partition_tree('plain_t');
SELECT * FROM pg_partition_ancestors('plain_t');
SELECT * FROM pg_partition_tree('plain_v');
SELECT * FROM pg_partition_ancestors('plain_v');
SELECT * FROM pg_partition_tree(0);
SELECT count(*) FROM pg_partition_tree('pg_class');
CREATE TABLE rp (c1 int) PARTITION BY RANGE (c1);
CREATE TABLE rp_0 PARTITION OF rp FOR VALUES FROM (0) TO (10);
CREATE INDEX rp_i ON rp (c1);
BEGIN;
REINDEX INDEX rp_i;
ROLLBACK;
BEGIN;
REINDEX TABLE rp;
ROLLBACK;
BEGIN;
REINDEX TABLE rp_0;
REINDEX INDEX rp_0_c1_idx;
ROLLBACK;
REINDEX INDEX rp_i;
REINDEX TABLE rp;
-- REINDEX SCHEMA and TABLE are for the owner.
CREATE SCHEMA diff109_reindex;
CREATE TABLE diff109_reindex.t1 (a int primary key);
CREATE ROLE diff109_reindexuser NOLOGIN;
GRANT USAGE ON SCHEMA diff109_reindex TO diff109_reindexuser;
SET SESSION ROLE diff109_reindexuser;
REINDEX SCHEMA diff109_reindex;
REINDEX TABLE diff109_reindex.t1;
REINDEX SCHEMA public;
RESET ROLE;
REINDEX SCHEMA diff109_reindex;
REINDEX TABLE diff109_reindex.t1;
DROP SCHEMA diff109_reindex CASCADE;
DROP ROLE diff109_reindexuser;
