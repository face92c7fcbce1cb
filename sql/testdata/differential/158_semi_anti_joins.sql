-- EXISTS, NOT EXISTS and IN (subquery) in WHERE run as semi and anti
-- joins: each outer row passes once however many rows match, NULLs match
-- nothing, and NOT IN keeps its three-valued answer.
CREATE TABLE sj_o (k int, g int, t text);
CREATE TABLE sj_i (k int, h int, t text);
INSERT INTO sj_o VALUES (1, 1, 'a'), (2, 2, 'b'), (2, 3, 'b'), (NULL, 4, NULL), (5, 5, 'e'), (6, 6, 'f');
INSERT INTO sj_i VALUES (1, 10, 'a'), (2, 20, 'x'), (2, 21, 'b'), (2, 22, 'b'), (NULL, 30, NULL), (7, 70, 'g');
-- Duplicates on the inner side give one row per outer row.
SELECT * FROM sj_o WHERE EXISTS (SELECT 1 FROM sj_i WHERE sj_i.k = sj_o.k) ORDER BY g;
SELECT * FROM sj_o WHERE NOT EXISTS (SELECT 1 FROM sj_i WHERE sj_i.k = sj_o.k) ORDER BY g;
-- Several keys, and a correlated condition that is no equality.
SELECT * FROM sj_o WHERE EXISTS (SELECT * FROM sj_i WHERE sj_i.k = sj_o.k AND sj_i.t = sj_o.t) ORDER BY g;
SELECT * FROM sj_o WHERE NOT EXISTS (SELECT * FROM sj_i WHERE sj_i.k = sj_o.k AND sj_i.h > sj_o.g * 10) ORDER BY g;
SELECT * FROM sj_o WHERE EXISTS (SELECT 1 FROM sj_i WHERE sj_i.h > sj_o.g * 15) ORDER BY g;
SELECT * FROM sj_o WHERE NOT EXISTS (SELECT 1 FROM sj_i WHERE sj_i.h < sj_o.g * 5) ORDER BY g;
-- The subquery's own conditions, a LIMIT that changes nothing, and
-- unqualified names that find the subquery's columns first.
SELECT * FROM sj_o WHERE EXISTS (SELECT 1 FROM sj_i WHERE k = sj_o.k AND h > 20 LIMIT 1) ORDER BY g;
SELECT * FROM sj_o WHERE EXISTS (SELECT 1 FROM sj_i WHERE k = sj_o.k LIMIT NULL) ORDER BY g;
SELECT * FROM sj_o WHERE EXISTS (SELECT 1 FROM sj_i WHERE k = sj_o.k LIMIT 0) ORDER BY g;
-- A self join, and an equality between expressions of either side.
SELECT * FROM sj_o a WHERE EXISTS (SELECT 1 FROM sj_o b WHERE b.k = a.k AND b.g <> a.g) ORDER BY g;
SELECT * FROM sj_o a WHERE NOT EXISTS (SELECT 1 FROM sj_o b WHERE b.k = a.k AND b.g <> a.g) ORDER BY g;
SELECT * FROM sj_o WHERE EXISTS (SELECT 1 FROM sj_i WHERE sj_i.k + 1 = sj_o.g) ORDER BY g;
-- Mixed key types, compared in their common type.
SELECT * FROM sj_o WHERE EXISTS (SELECT 1 FROM sj_i WHERE sj_i.k::numeric = sj_o.k) ORDER BY g;
SELECT * FROM sj_o WHERE sj_o.k::bigint IN (SELECT k FROM sj_i) ORDER BY g;
-- Semi and anti joins after a join, reading both of its tables.
SELECT a.g, b.g FROM sj_o a, sj_o b WHERE a.g = b.g - 1
  AND EXISTS (SELECT 1 FROM sj_i WHERE sj_i.k = a.k AND sj_i.h > b.g * 5)
  AND NOT EXISTS (SELECT 1 FROM sj_i WHERE sj_i.k = b.k AND sj_i.t = 'x') ORDER BY 1;
-- In an inner join's ON.
SELECT a.g, b.g FROM sj_o a JOIN sj_o b ON a.g = b.g - 1
  AND EXISTS (SELECT 1 FROM sj_i WHERE sj_i.k = a.k) ORDER BY 1;
SELECT a.g, b.g FROM sj_o a JOIN sj_o b ON a.k IN (SELECT k FROM sj_i) AND a.g = b.g ORDER BY 1;
-- In an outer join's ON it stays a subquery: the join keeps the row.
SELECT a.g, b.g FROM sj_o a LEFT JOIN sj_o b ON a.g = b.g
  AND NOT EXISTS (SELECT 1 FROM sj_i WHERE sj_i.k = a.k) ORDER BY 1;
-- IN and NOT IN with NULLs on either side.
SELECT * FROM sj_o WHERE k IN (SELECT k FROM sj_i) ORDER BY g;
SELECT * FROM sj_o WHERE k IN (SELECT k FROM sj_i WHERE h > 20) ORDER BY g;
SELECT * FROM sj_o WHERE g IN (SELECT k + 1 FROM sj_i) ORDER BY g;
SELECT * FROM sj_o WHERE k NOT IN (SELECT k FROM sj_i) ORDER BY g;
SELECT * FROM sj_o WHERE k NOT IN (SELECT k FROM sj_i WHERE k IS NOT NULL) ORDER BY g;
SELECT * FROM sj_o WHERE k = ANY (SELECT k FROM sj_i) ORDER BY g;
-- Inside a correlated subquery: the semi join runs once per outer row.
SELECT g, (SELECT count(*) FROM sj_i WHERE sj_i.h > sj_o.g * 4
            AND EXISTS (SELECT 1 FROM sj_o o2 WHERE o2.k = sj_i.k)) FROM sj_o ORDER BY g;
SELECT g, (SELECT count(*) FROM sj_i WHERE EXISTS (SELECT 1 FROM sj_o o2
            WHERE o2.k = sj_i.k AND o2.g < sj_o.g)) FROM sj_o ORDER BY g;
-- Errors in the subquery's select list are still reported.
SELECT * FROM sj_o WHERE EXISTS (SELECT nosuch FROM sj_i WHERE sj_i.k = sj_o.k);
-- An empty inner side.
SELECT count(*) FROM sj_o WHERE NOT EXISTS (SELECT 1 FROM sj_i WHERE sj_i.k = sj_o.k AND false);
SELECT count(*) FROM sj_o WHERE k IN (SELECT k FROM sj_i WHERE h < 0);
-- A whole-row reference to the NULL-extended side of an outer join is NULL.
SELECT a.g, count(b.*) FROM sj_o a LEFT JOIN sj_i b ON a.k = b.k GROUP BY a.g ORDER BY a.g;
SELECT a.g, b IS NULL AS missing FROM sj_o a LEFT JOIN (SELECT * FROM sj_i) b ON a.k = b.k ORDER BY a.g, b.h;
