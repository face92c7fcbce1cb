-- Window plans as PostgreSQL 15 makes them: one WindowAgg per distinct
-- window, each above the Sort its window needs (none when the rows
-- already have its order, an Incremental Sort when they have a prefix of
-- it); a WHERE over a subquery with window functions as a Subquery
-- Scan's filter; and run conditions, which stop a window's partition
-- once a monotonic function's condition turns false.
CREATE TABLE wp_emp (depname text, empno int, salary int, enroll date);
INSERT INTO wp_emp VALUES
  ('develop', 10, 5200, '2007-08-01'), ('sales', 1, 5000, '2006-10-01'),
  ('personnel', 5, 3500, '2007-12-10'), ('sales', 4, 4800, '2007-08-08'),
  ('personnel', 2, 3900, '2006-12-23'), ('develop', 7, 4200, '2008-01-01'),
  ('develop', 9, 4500, '2008-01-01'), ('sales', 3, 4800, '2007-08-01'),
  ('develop', 8, 6000, '2006-10-01'), ('develop', 11, 5200, '2007-08-15'),
  ('sales', 12, NULL, NULL);
EXPLAIN (COSTS OFF) SELECT empno, row_number() OVER (ORDER BY empno) FROM wp_emp;
EXPLAIN (COSTS OFF) SELECT empno, sum(salary) OVER () FROM wp_emp;
EXPLAIN (COSTS OFF) SELECT rank() OVER (PARTITION BY depname ORDER BY salary DESC NULLS LAST),
  count(*) OVER (PARTITION BY depname ORDER BY salary DESC NULLS LAST ROWS UNBOUNDED PRECEDING),
  sum(salary) OVER (PARTITION BY depname) FROM wp_emp;
EXPLAIN (COSTS OFF) SELECT lag(empno) OVER (ORDER BY enroll), lead(empno) OVER (ORDER BY salary) FROM wp_emp;
EXPLAIN (COSTS OFF) SELECT row_number() OVER (PARTITION BY depname ORDER BY enroll),
  row_number() OVER (PARTITION BY depname ORDER BY enroll DESC) FROM wp_emp;
-- Rows come out in the top window's order.
SELECT empno, lag(empno) OVER (ORDER BY enroll, empno), lead(empno) OVER (ORDER BY salary, empno) FROM wp_emp;
SELECT depname, empno, row_number() OVER (PARTITION BY depname ORDER BY enroll, empno),
  row_number() OVER (PARTITION BY depname ORDER BY enroll DESC, empno) FROM wp_emp;
-- Run conditions.
EXPLAIN (COSTS OFF) SELECT * FROM (SELECT empno, row_number() OVER (ORDER BY empno) rn FROM wp_emp) e WHERE rn < 3;
SELECT * FROM (SELECT empno, row_number() OVER (ORDER BY empno) rn FROM wp_emp) e WHERE rn < 3;
EXPLAIN (COSTS OFF) SELECT * FROM (SELECT depname, empno, rank() OVER (PARTITION BY depname ORDER BY salary DESC) r FROM wp_emp) e WHERE r <= 2;
SELECT * FROM (SELECT depname, empno, rank() OVER (PARTITION BY depname ORDER BY salary DESC, empno) r FROM wp_emp) e WHERE r <= 2;
EXPLAIN (COSTS OFF) SELECT * FROM (SELECT empno, dense_rank() OVER (ORDER BY salary DESC) dr FROM wp_emp) e WHERE dr = 2;
SELECT * FROM (SELECT empno, dense_rank() OVER (ORDER BY salary DESC) dr FROM wp_emp) e WHERE dr = 2 ORDER BY empno;
EXPLAIN (COSTS OFF) SELECT * FROM (SELECT empno, count(*) OVER (ORDER BY salary ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) c FROM wp_emp) e WHERE c > 8;
SELECT * FROM (SELECT empno, count(*) OVER (ORDER BY salary, empno ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) c FROM wp_emp) e WHERE c > 8;
EXPLAIN (COSTS OFF) SELECT * FROM (SELECT empno, count(*) OVER (PARTITION BY depname) c FROM wp_emp) e WHERE c = 5;
SELECT * FROM (SELECT empno, count(*) OVER (PARTITION BY depname) c FROM wp_emp) e WHERE c = 5 ORDER BY empno;
EXPLAIN (COSTS OFF) SELECT * FROM (SELECT empno, row_number() OVER (ORDER BY empno) rn FROM wp_emp) e WHERE 3 >= rn;
SELECT * FROM (SELECT empno, row_number() OVER (ORDER BY empno) rn FROM wp_emp) e WHERE 3 >= rn;
-- Not monotonic that way: the condition stays a filter.
EXPLAIN (COSTS OFF) SELECT * FROM (SELECT empno, row_number() OVER (ORDER BY empno) rn FROM wp_emp) e WHERE rn > 8;
SELECT * FROM (SELECT empno, row_number() OVER (ORDER BY empno) rn FROM wp_emp) e WHERE rn > 8 ORDER BY empno;
EXPLAIN (COSTS OFF) SELECT * FROM (SELECT empno, count(salary) OVER (ORDER BY empno) c FROM wp_emp) e WHERE c <= 3;
SELECT * FROM (SELECT empno, count(salary) OVER (ORDER BY empno) c FROM wp_emp) e WHERE c <= 3 ORDER BY empno;
-- A run condition below the top window is the top window's filter.
EXPLAIN (COSTS OFF) SELECT * FROM (SELECT empno, count(*) OVER (ORDER BY empno DESC) c,
  dense_rank() OVER (ORDER BY salary DESC) dr FROM wp_emp) e WHERE dr = 1;
SELECT * FROM (SELECT empno, count(*) OVER (ORDER BY empno DESC) c,
  dense_rank() OVER (ORDER BY salary DESC) dr FROM wp_emp) e WHERE dr = 1;
SELECT * FROM (SELECT depname, empno, count(*) OVER (PARTITION BY '' || depname) c3,
  row_number() OVER (PARTITION BY depname ORDER BY empno) rn, count(*) OVER (PARTITION BY depname) c2
  FROM wp_emp) e WHERE rn <= 2 ORDER BY depname, empno;
-- A key the WHERE clause makes equal to an earlier one is not sorted by.
CREATE TABLE wp_t (f1 int, f2 bigint);
INSERT INTO wp_t VALUES (1, 1), (1, 2), (2, 2), (3, 3);
EXPLAIN (COSTS OFF) SELECT f1, sum(f1) OVER (PARTITION BY f1 ORDER BY f2 ROWS UNBOUNDED PRECEDING) FROM wp_t WHERE f1 = f2;
SELECT f1, sum(f1) OVER (PARTITION BY f1 ORDER BY f2 ROWS UNBOUNDED PRECEDING) FROM wp_t WHERE f1 = f2;
-- A window's ORDER BY keys are numbered before its PARTITION BY keys,
-- which decides the order of the windows.
EXPLAIN (COSTS OFF) SELECT * FROM (SELECT empno, row_number() OVER (PARTITION BY depname ORDER BY empno) rn,
  sum(salary) OVER (ORDER BY empno) FROM wp_emp) e WHERE rn <= 2;
SELECT * FROM (SELECT empno, row_number() OVER (PARTITION BY depname ORDER BY empno) rn,
  sum(salary) OVER (ORDER BY empno) FROM wp_emp) e WHERE rn <= 2;
