-- EXPLAIN (COSTS OFF) of data-modifying statements, and EXPLAIN ANALYZE
-- with its numbers that vary turned off: the rows counted are the rows
-- each node produced, and the statement's changes are made.
CREATE TABLE ex_d (id int PRIMARY KEY, a int, c text);
INSERT INTO ex_d VALUES (1, 10, 'y'), (2, 20, 'w'), (3, 10, 'v');
EXPLAIN (COSTS OFF) INSERT INTO ex_d VALUES (4, 40, 'u');
EXPLAIN (COSTS OFF) UPDATE ex_d SET a = 1 WHERE c = 'y';
EXPLAIN (COSTS OFF) DELETE FROM ex_d WHERE id = 1;
EXPLAIN (COSTS OFF) DELETE FROM ex_d WHERE c = 'w';
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM ex_d WHERE a = 10;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM ex_d LIMIT 2;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) UPDATE ex_d SET c = 'q' WHERE a = 20;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) DELETE FROM ex_d WHERE c = 'v';
SELECT * FROM ex_d ORDER BY id;
-- INSERT ... ON CONFLICT shows how conflicts resolve and on which indexes.
CREATE TABLE ex_oc (id int PRIMARY KEY, k int UNIQUE, v text);
EXPLAIN (COSTS OFF) INSERT INTO ex_oc VALUES (1, 1, 'a') ON CONFLICT DO NOTHING;
EXPLAIN (COSTS OFF) INSERT INTO ex_oc VALUES (1, 1, 'a') ON CONFLICT (k) DO UPDATE SET v = excluded.v;
EXPLAIN (COSTS OFF) INSERT INTO ex_oc VALUES (1, 1, 'a') ON CONFLICT (id) DO UPDATE SET v = 'b' WHERE ex_oc.v <> 'c';
-- A partitioned table's INSERT routes each row to its partition.
CREATE TABLE ex_pt (a int, b text) PARTITION BY RANGE (a);
CREATE TABLE ex_pt1 PARTITION OF ex_pt FOR VALUES FROM (0) TO (10);
EXPLAIN (COSTS OFF) INSERT INTO ex_pt VALUES (1, 'x');
EXPLAIN (COSTS OFF) INSERT INTO ex_pt SELECT * FROM ex_pt1;
-- DELETE of a table with children deletes from every table of it.
CREATE TABLE ex_ip (id int, v text);
CREATE TABLE ex_ic () INHERITS (ex_ip);
EXPLAIN (COSTS OFF) DELETE FROM ex_ip WHERE v = 'y';
