-- ANALYZE's statistics as pg_stats shows them, on tables small enough to
-- be read whole, where PostgreSQL's figures are exact.
CREATE TABLE ps_a (id int PRIMARY KEY, g int, t text, n numeric, b bool, d date, f float8, z int, v varchar(10));
INSERT INTO ps_a SELECT i, i % 7, 'v' || (i % 13), i * 1.5, i % 3 = 0, date '2020-01-01' + (i % 40), (i % 11) / 4.0, NULL::int, CASE WHEN i % 5 = 0 THEN NULL ELSE 'x' || (i % 50) END FROM generate_series(1, 500) i;
INSERT INTO ps_a VALUES (1000, 1, NULL, NULL, NULL, NULL, NULL, 5, NULL);
SELECT count(*) FROM pg_stats WHERE tablename = 'ps_a';
ANALYZE ps_a;
SELECT attname, inherited, null_frac, avg_width, n_distinct, correlation FROM pg_stats WHERE tablename = 'ps_a' ORDER BY attname;
SELECT attname, most_common_vals::text, most_common_freqs FROM pg_stats WHERE tablename = 'ps_a' ORDER BY attname;
SELECT attname, histogram_bounds::text FROM pg_stats WHERE tablename = 'ps_a' ORDER BY attname;
SELECT attname, most_common_elems, most_common_elem_freqs, elem_count_histogram FROM pg_stats WHERE tablename = 'ps_a' ORDER BY attname;
SELECT reltuples FROM pg_class WHERE relname = 'ps_a';
-- A table never analyzed has no statistics and reltuples -1.
CREATE TABLE ps_b (k int, w text);
INSERT INTO ps_b SELECT i % 4, 'w' FROM generate_series(1, 40) i;
SELECT count(*) FROM pg_stats WHERE tablename = 'ps_b';
SELECT reltuples FROM pg_class WHERE relname = 'ps_b';
-- ANALYZE of some columns leaves the others' statistics out.
ANALYZE ps_b (k);
SELECT attname, null_frac, n_distinct, most_common_vals::text, most_common_freqs FROM pg_stats WHERE tablename = 'ps_b' ORDER BY attname;
SELECT reltuples FROM pg_class WHERE relname = 'ps_b';
-- SET STATISTICS bounds the most common values and histogram; 0 skips
-- the column.
ALTER TABLE ps_a ALTER COLUMN g SET STATISTICS 3;
ALTER TABLE ps_a ALTER COLUMN id SET STATISTICS 4;
ALTER TABLE ps_a ALTER COLUMN t SET STATISTICS 0;
ANALYZE ps_a;
SELECT attname, most_common_vals::text, most_common_freqs, histogram_bounds::text FROM pg_stats WHERE tablename = 'ps_a' AND attname IN ('g', 'id', 't') ORDER BY attname;
-- Every value repeated: all of them are most common values, no
-- histogram; all distinct: a histogram, no most common values.
CREATE TABLE ps_c (r int, u int, e int);
INSERT INTO ps_c SELECT i % 3, i, NULL::int FROM generate_series(1, 30) i;
ANALYZE ps_c;
SELECT attname, null_frac, avg_width, n_distinct, most_common_vals::text, most_common_freqs, histogram_bounds::text, correlation FROM pg_stats WHERE tablename = 'ps_c' ORDER BY attname;
-- An empty table.
CREATE TABLE ps_e (a int);
ANALYZE ps_e;
SELECT count(*) FROM pg_stats WHERE tablename = 'ps_e';
SELECT reltuples FROM pg_class WHERE relname = 'ps_e';
-- The statistics go with a dropped column, and with a dropped table.
ALTER TABLE ps_c DROP COLUMN u;
SELECT attname FROM pg_stats WHERE tablename = 'ps_c' ORDER BY attname;
DROP TABLE ps_c;
SELECT count(*) FROM pg_stats WHERE tablename = 'ps_c';
-- ANALYZE in a transaction block that rolls back leaves none.
BEGIN;
CREATE TABLE ps_d (a int);
INSERT INTO ps_d VALUES (1), (1), (2);
ANALYZE ps_d;
SELECT attname, n_distinct, most_common_vals::text FROM pg_stats WHERE tablename = 'ps_d';
ROLLBACK;
CREATE TABLE ps_d (a int);
INSERT INTO ps_d VALUES (3);
SELECT count(*) FROM pg_stats WHERE tablename = 'ps_d';
-- The column types pg_stats reports.
SELECT schemaname, tablename, attname, inherited, null_frac, avg_width, n_distinct, most_common_vals, most_common_freqs, histogram_bounds, correlation FROM pg_stats WHERE tablename = 'ps_b';
-- A table emptied keeps its columns' last statistics; reltuples follows.
DELETE FROM ps_b;
ANALYZE ps_b;
SELECT attname, n_distinct FROM pg_stats WHERE tablename = 'ps_b' ORDER BY attname;
SELECT reltuples FROM pg_class WHERE relname = 'ps_b';
