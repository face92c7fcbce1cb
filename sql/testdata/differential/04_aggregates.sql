CREATE TABLE s (id int PRIMARY KEY, g text, i int, n numeric(6,2), f float8, b int8, sm int2);
INSERT INTO s VALUES
  (1, 'a', 1, 1.10, 0.5, 10, 1),
  (2, 'a', 2, 2.20, 1.5, 20, 2),
  (3, 'b', 3, NULL, NULL, 30, 3),
  (4, 'b', NULL, 4.40, 2.5, NULL, NULL),
  (5, NULL, 5, 5.50, 3.5, 50, 5),
  (6, 'c', 7, 0.01, -1, 70, 7);
SELECT count(*) FROM s;
SELECT count(*), count(i), count(n), count(g) FROM s;
SELECT sum(i), sum(n), sum(f), sum(b), sum(sm) FROM s;
SELECT min(i), max(i), min(n), max(n), min(f), max(f), min(g), max(g) FROM s;
SELECT avg(i), avg(n), avg(f), avg(b), avg(sm) FROM s;
SELECT g, count(*) FROM s GROUP BY g;
SELECT g, count(*), sum(i), avg(i) FROM s GROUP BY g ORDER BY g;
SELECT g, sum(n) FROM s GROUP BY g HAVING sum(n) > 3 ORDER BY g;
SELECT g, count(*) FROM s GROUP BY g HAVING count(*) > 1;
SELECT g, max(i) - min(i) AS spread FROM s GROUP BY g ORDER BY spread DESC, g;
SELECT g AS k, count(*) FROM s GROUP BY k ORDER BY k;
SELECT g, count(*) FROM s GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM s WHERE false;
SELECT sum(i), avg(i), min(i), max(i) FROM s WHERE false;
SELECT g, count(*) FROM s WHERE false GROUP BY g;
SELECT count(*) FROM s HAVING count(*) > 100;
SELECT sum(i) FILTER (WHERE i > 2) FROM s;
SELECT count(DISTINCT g), sum(DISTINCT i) FROM s;
SELECT i % 2 AS parity, count(*) FROM s GROUP BY i % 2;
SELECT g, i FROM s GROUP BY g;
SELECT i, count(*) FROM s;
SELECT sum(g) FROM s;
SELECT avg(g) FROM s;
SELECT max(b) + 1, count(*) * 2 FROM s;
SELECT id FROM s WHERE sum(i) > 1;
SELECT sum(count(*)) FROM s;
SELECT count(*) FROM s GROUP BY g HAVING i > 1;
SELECT sum(9223372036854775807::int8) FROM s;
SELECT sum(2147483647) FROM s;
SELECT avg(x) FROM (VALUES (1), (2)) v(x);
SELECT avg(x) FROM (VALUES (1.0), (2.0), (2.0)) v(x);
SELECT sum(x), avg(x) FROM (VALUES (1::int2), (2::int2)) v(x);
