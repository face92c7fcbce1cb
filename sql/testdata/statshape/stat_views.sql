-- The statistics views' shape, compared with PostgreSQL 15 running
-- pg_stat_statements (TestStatViewsShape): their columns' names and
-- types, and the rows the same workload leaves, not the timings.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
SELECT pg_stat_statements_reset();
CREATE TABLE shape_a (id int PRIMARY KEY, v text);
CREATE TABLE shape_b (x int);
INSERT INTO shape_a VALUES (1, 'a'), (2, 'b'), (3, 'c');
INSERT INTO shape_b VALUES (10);
INSERT INTO shape_b VALUES (20);
UPDATE shape_a SET v = 'z' WHERE id = 2;
DELETE FROM shape_a WHERE id = 3;
SELECT v FROM shape_a WHERE id = 1;
SELECT v FROM shape_a WHERE id = 2;
SELECT count(*) FROM shape_b;

-- Columns: names and type oids.
SELECT * FROM pg_stat_statements WHERE false;
SELECT * FROM pg_stat_statements_info WHERE false;
SELECT * FROM pg_stat_user_tables WHERE false;
SELECT * FROM pg_stat_database WHERE false;
SELECT * FROM pg_stat_progress_vacuum;
SELECT * FROM pg_stat_progress_create_index;
SELECT * FROM pg_stat_progress_copy;
SELECT * FROM pg_stat_progress_basebackup;

-- Rows the workload left.
SELECT query, calls, rows FROM pg_stat_statements WHERE query LIKE '%shape%' AND query NOT LIKE '%pg_stat%' ORDER BY query;
SELECT relname, schemaname FROM pg_stat_user_tables WHERE relname LIKE 'shape%' ORDER BY relname;
SELECT count(*) FROM pg_stat_database WHERE datname = current_database();
SELECT count(*) FROM pg_stat_database WHERE datid = 0 AND datname IS NULL;
SELECT checksum_failures, checksum_last_failure, conflicts FROM pg_stat_database WHERE datname = current_database();
SELECT numbackends >= 1, xact_commit > 0, sessions >= 0 FROM pg_stat_database WHERE datname = current_database();
SELECT pg_stat_reset();
SELECT stats_reset IS NOT NULL FROM pg_stat_database WHERE datname = current_database();
