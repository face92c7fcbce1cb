-- DETACH PARTITION ... CONCURRENTLY: refused in a transaction block and
-- while a default partition exists; the detached table keeps its
-- partition constraint as a CHECK constraint unless it has that one.
CREATE TABLE dcp (a int) PARTITION BY RANGE(a);
CREATE TABLE dcp1 PARTITION OF dcp FOR VALUES FROM (0) to (100);
insert into dcp values (5);
BEGIN;
ALTER TABLE dcp DETACH PARTITION dcp1 CONCURRENTLY;
COMMIT;
CREATE TABLE dcpd PARTITION OF dcp DEFAULT;
ALTER TABLE dcp DETACH PARTITION dcp1 CONCURRENTLY;
ALTER TABLE dcp DETACH PARTITION dcpd CONCURRENTLY;
DROP TABLE dcpd;
ALTER TABLE dcp DETACH PARTITION dcp1 CONCURRENTLY;
select conname, pg_get_constraintdef(oid) from pg_constraint where conrelid = 'dcp1'::regclass;
insert into dcp1 values (200);
select * from dcp1;
ALTER TABLE dcp ATTACH PARTITION dcp1 FOR VALUES FROM (0) to (100);
CREATE TABLE dcp2 PARTITION OF dcp (CHECK ((a IS NOT NULL) AND (a >= 100) AND (a < 200))) FOR VALUES FROM (100) to (200);
ALTER TABLE dcp DETACH PARTITION dcp2 CONCURRENTLY;
select conname, pg_get_constraintdef(oid) from pg_constraint where conrelid = 'dcp2'::regclass;
ALTER TABLE dcp DETACH PARTITION dcp2 CONCURRENTLY;
