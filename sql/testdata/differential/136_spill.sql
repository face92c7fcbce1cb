-- Sorts, aggregates and joins with work_mem at its least, where both
-- cairn and PostgreSQL write temporary files: the answers are those in
-- memory.
SET work_mem = '64kB';
SHOW work_mem;
SHOW temp_file_limit;
SHOW log_temp_files;
SET temp_file_limit = '10MB';
SHOW temp_file_limit;
SET temp_file_limit = -1;
SHOW temp_file_limit;
SET temp_file_limit = -2;
SET log_temp_files = 0;
SHOW log_temp_files;
RESET log_temp_files;
CREATE TABLE sp (id int, g int, k int, s text, n numeric, a int[]);
INSERT INTO sp SELECT i,
    CASE WHEN i % 97 = 0 THEN NULL ELSE i % 700 END,
    CASE WHEN i % 89 = 0 THEN NULL ELSE (i * 7) % 1500 END,
    CASE WHEN i % 53 = 0 THEN NULL ELSE md5(i::text) || repeat('s', i % 40) END,
    (i % 1000)::numeric / 7,
    ARRAY[i % 5, i % 11]
  FROM generate_series(1, 4000) i;
SELECT id, s FROM sp ORDER BY s, id LIMIT 40;
SELECT id, s FROM sp ORDER BY s DESC NULLS LAST, id OFFSET 3950;
SELECT id, g FROM sp ORDER BY g NULLS FIRST, id DESC LIMIT 30;
SELECT id, a FROM sp ORDER BY a, id DESC LIMIT 25;
SELECT count(*), sum(id), min(s), max(s) FROM (SELECT * FROM sp ORDER BY s COLLATE "C") q;
SELECT g, count(*), sum(n), array_agg(id ORDER BY id), string_agg(left(s, 4), ',' ORDER BY id), count(DISTINCT k % 10)
  FROM sp GROUP BY g ORDER BY g;
SELECT k % 100, count(*), max(s), array_agg(DISTINCT id % 3) FROM sp GROUP BY k % 100 HAVING count(*) > 35;
SELECT count(*), sum(c) FROM (SELECT s, count(*) AS c FROM sp GROUP BY s) q;
SELECT g % 50, k % 3, count(*) FROM sp GROUP BY ROLLUP (g % 50, k % 3);
SELECT DISTINCT g % 60, a FROM sp;
SELECT count(*) FROM (SELECT DISTINCT s FROM sp) q;
SELECT count(*), sum(x.id), sum(y.id) FROM sp x JOIN sp y ON x.k = y.g;
SELECT count(*), count(y.id), sum(x.id) FROM sp x LEFT JOIN sp y ON x.k = y.g AND y.id % 3 = 0;
SELECT count(*), count(x.id), sum(y.id) FROM sp x RIGHT JOIN sp y ON x.k = y.g AND x.id % 2 = 0;
SELECT count(*), count(x.id), count(y.id) FROM sp x FULL JOIN sp y ON x.k = y.g + 700;
SELECT x.id, y.id FROM sp x FULL JOIN sp y ON x.s = y.s AND x.g = y.k WHERE x.id IS NULL OR y.id IS NULL OR x.id % 200 = 0;
SELECT count(*) FROM sp x JOIN sp y ON x.k = y.id JOIN sp z ON z.g = y.g;
RESET work_mem;
RESET temp_file_limit;
