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
