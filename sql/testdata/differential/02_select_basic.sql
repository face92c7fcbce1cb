CREATE TABLE emp (id int PRIMARY KEY, name text NOT NULL, dept text, salary numeric(10,2), age int, active bool);
INSERT INTO emp VALUES
  (1, 'Alice', 'eng', 120000.00, 34, true),
  (2, 'bob', 'eng', 95000.50, 28, true),
  (3, 'Carol', 'sales', 70000, 45, false),
  (4, 'dave', NULL, 50000, NULL, true),
  (5, 'Eve', 'sales', NULL, 39, NULL),
  (6, 'frank_x', 'ops', 65000.25, 51, false),
  (7, '100%', 'ops', 1, 22, true);
SELECT 1;
SELECT 1 AS one, 'two' AS two, 3.0 AS three, true, NULL;
SELECT 1 + 2, 7 - 10, 3 * 4, 'a' || 'b';
SELECT name FROM emp WHERE id = 3;
SELECT name, age FROM emp WHERE age > 30;
SELECT name FROM emp WHERE age > 30 AND active;
SELECT name FROM emp WHERE age > 40 OR dept = 'eng';
SELECT name FROM emp WHERE NOT active;
SELECT name FROM emp WHERE NOT (age > 30);
SELECT name FROM emp WHERE dept IS NULL;
SELECT name FROM emp WHERE dept IS NOT NULL;
SELECT name FROM emp WHERE active IS NULL;
SELECT name FROM emp WHERE active IS TRUE;
SELECT name FROM emp WHERE active IS NOT TRUE;
SELECT name FROM emp WHERE active IS FALSE;
SELECT name FROM emp WHERE salary IS NULL OR age IS NULL;
SELECT name FROM emp WHERE name LIKE 'C%';
SELECT name FROM emp WHERE name LIKE '_ob';
SELECT name FROM emp WHERE name LIKE '%\_%';
SELECT name FROM emp WHERE name LIKE '100\%';
SELECT name FROM emp WHERE name NOT LIKE '%a%';
SELECT name FROM emp WHERE name ILIKE 'a%';
SELECT name FROM emp WHERE name NOT ILIKE '%E%';
SELECT name FROM emp WHERE name LIKE NULL;
SELECT 'abc' LIKE 'a%', 'abc' LIKE 'A%', 'abc' ILIKE 'A%', 'a' LIKE '';
SELECT name FROM emp WHERE age BETWEEN 28 AND 39;
SELECT name FROM emp WHERE age NOT BETWEEN 28 AND 39;
SELECT name FROM emp WHERE id IN (1, 3, 5);
SELECT name FROM emp WHERE id NOT IN (1, 3, 5);
SELECT name FROM emp WHERE dept IN ('eng', NULL);
SELECT name FROM emp WHERE dept NOT IN ('eng', NULL);
SELECT name, salary * 2 AS double_pay FROM emp WHERE salary > 60000;
SELECT id, age + 1, -age, age / 2, age % 7 FROM emp;
SELECT emp.name FROM emp WHERE emp.id < 3;
SELECT e.name FROM emp e WHERE e.id < 3;
SELECT e.name FROM emp AS e WHERE e.id < 3;
SELECT DISTINCT dept FROM emp;
SELECT DISTINCT dept, active FROM emp;
SELECT count(DISTINCT dept) FROM emp;
SELECT * FROM emp WHERE false;
SELECT * FROM emp WHERE NULL;
SELECT name FROM emp WHERE id = 1 AND NULL;
SELECT name FROM emp WHERE id = 1 OR NULL;
SELECT NULL AND false, NULL AND true, NULL OR true, NULL OR false, NOT NULL::bool;
SELECT 1 = 1, 1 <> 2, 1 != 1, 2 < 1, 2 <= 2, 3 > 2, 3 >= 4;
SELECT 'a' < 'b', 'B' < 'a', 'abc' = 'abc', '' = '';
SELECT nosuchcol FROM emp;
SELECT name FROM nosuchtable;
SELECT emp.nosuch FROM emp;
SELECT x.name FROM emp;
SELEC 1;
SELECT FROM WHERE;
SELECT name FROM emp WHERE name = 1;
SELECT name FROM emp WHERE age = 'abc';
SELECT name FROM emp WHERE age;
SELECT name FROM emp WHERE name;
