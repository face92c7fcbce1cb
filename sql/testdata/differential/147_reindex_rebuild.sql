-- REINDEX builds indexes into new storage (relfilenode) and the rebuilt
-- indexes keep answering queries.
CREATE TABLE rx (a int PRIMARY KEY, b int, c text, d int[]);
CREATE INDEX rx_b ON rx (b);
CREATE UNIQUE INDEX rx_c ON rx (c) WHERE a > 2;
CREATE INDEX rx_d ON rx USING gin (d);
INSERT INTO rx SELECT g, g % 4, 'v' || g, ARRAY[g % 3] FROM generate_series(1, 40) g;
CREATE TABLE rx_before AS SELECT oid, relname, relfilenode FROM pg_class
  WHERE relname IN ('rx', 'rx_b', 'rx_c', 'rx_d');
CREATE FUNCTION rx_changed() RETURNS TABLE (relname name, changed boolean)
  LANGUAGE sql AS $$ SELECT b.relname, a.relfilenode <> b.relfilenode
  FROM rx_before b JOIN pg_class a ON a.oid = b.oid ORDER BY 1 $$;
REINDEX INDEX rx_b;
SELECT * FROM rx_changed();
BEGIN;
REINDEX TABLE rx;
SELECT * FROM rx_changed();
ROLLBACK;
SELECT * FROM rx_changed();
REINDEX TABLE rx;
SELECT * FROM rx_changed();
SET enable_seqscan = off;
SELECT count(*) FROM rx WHERE b = 1;
SELECT count(*) FROM rx WHERE d @> '{2}';
INSERT INTO rx VALUES (41, 1, 'v3', '{2}');
INSERT INTO rx VALUES (41, 1, 'v41', '{2}');
UPDATE rx SET b = 9 WHERE a = 1;
SELECT a FROM rx WHERE b = 9;
SELECT count(*) FROM rx WHERE b = 1;
SELECT count(*) FROM rx WHERE d @> '{2}';
RESET enable_seqscan;
DROP TABLE rx_before;
CREATE TABLE rx_before AS SELECT oid, relname, relfilenode FROM pg_class
  WHERE relname IN ('rx', 'rx_b', 'rx_c', 'rx_d');
REINDEX SCHEMA public;
SELECT * FROM rx_changed();
-- a partitioned table: the leaves' indexes are rebuilt
CREATE TABLE rxp (a int, b int) PARTITION BY RANGE (a);
CREATE TABLE rxp_1 PARTITION OF rxp FOR VALUES FROM (0) TO (10);
CREATE TABLE rxp_2 PARTITION OF rxp FOR VALUES FROM (10) TO (20);
CREATE INDEX rxp_b ON rxp (b);
INSERT INTO rxp SELECT g, g FROM generate_series(0, 19) g;
CREATE TABLE rxp_before AS SELECT oid, relname, relfilenode, relkind FROM pg_class
  WHERE relname LIKE 'rxp%' AND relkind IN ('i', 'I');
REINDEX INDEX rxp_b;
SELECT b.relname, b.relkind, a.relfilenode <> b.relfilenode AS changed
  FROM rxp_before b JOIN pg_class a ON a.oid = b.oid ORDER BY 1;
DROP TABLE rxp_before;
CREATE TABLE rxp_before AS SELECT oid, relname, relfilenode, relkind FROM pg_class
  WHERE relname LIKE 'rxp%' AND relkind IN ('i', 'I');
REINDEX TABLE rxp;
SELECT b.relname, b.relkind, a.relfilenode <> b.relfilenode AS changed
  FROM rxp_before b JOIN pg_class a ON a.oid = b.oid ORDER BY 1;
SELECT count(*) FROM rxp WHERE b = 15;
