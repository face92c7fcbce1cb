-- (a, b, ...) IN (subquery) with SQL's NULL logic.
CREATE TABLE o (f1 int, f2 int);
INSERT INTO o VALUES (0, 0), (1, 0), (0, NULL), (1, NULL);
CREATE TABLE i (c1 int, c2 int);
INSERT INTO i VALUES (0, NULL);
SELECT * FROM o WHERE (f1, f2) NOT IN (SELECT * FROM i) ORDER BY 1, 2;
SELECT * FROM o WHERE (f1, f2) IN (SELECT * FROM i) ORDER BY 1, 2;
SELECT * FROM o WHERE (f1, f2) IN (VALUES (1, 0), (0, 0), (7, 7)) ORDER BY 1, 2;
SELECT f1, f2, (f1, f2) IN (SELECT c1, 0 FROM i), (f1, f2) NOT IN (SELECT c1, 0 FROM i) FROM o ORDER BY 1, 2;
SELECT f1, f2, (f1, f2) = ANY (SELECT c1 + 1, 0 FROM i) FROM o ORDER BY 1, 2;
SELECT (1, 2) IN (SELECT 1, 2 WHERE false), (1, NULL) NOT IN (SELECT 1, 2 WHERE false);
SELECT (f1, f1::numeric) IN (SELECT c1::bigint, 0.0 FROM i) FROM o ORDER BY 1;
SELECT * FROM o WHERE (f1, f2) IN (SELECT c1 FROM i);
SELECT * FROM o WHERE (f1, f2) IN (SELECT c1, c2, c1 FROM i);
SELECT * FROM o WHERE (f1, f2) IN (SELECT c1, 'x' FROM i);
