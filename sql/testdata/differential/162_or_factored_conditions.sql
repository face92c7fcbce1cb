-- A condition every arm of an OR shares is evaluated once, outside the OR
-- (a join key written in each arm drives a hash join); the answers must
-- not change, NULLs included.
CREATE TABLE of_l (pk int, qty int, mode text);
CREATE TABLE of_p (pk int, brand text, size int);
INSERT INTO of_l VALUES (1, 5, 'AIR'), (1, 25, 'AIR'), (2, 5, 'SHIP'), (2, 15, 'AIR'), (3, NULL, 'AIR'), (NULL, 5, 'AIR'), (4, 5, NULL);
INSERT INTO of_p VALUES (1, 'B1', 3), (2, 'B2', 7), (3, 'B1', NULL), (4, NULL, 1), (NULL, 'B1', 1);
SELECT l.pk, l.qty, p.brand FROM of_l l, of_p p
WHERE (l.pk = p.pk AND p.brand = 'B1' AND l.qty < 10 AND l.mode = 'AIR')
   OR (l.pk = p.pk AND p.brand = 'B2' AND l.qty >= 10 AND l.mode = 'AIR')
ORDER BY 1, 2, 3;
-- An arm that is only the shared condition: the OR is implied by it.
SELECT l.pk, l.qty, p.brand FROM of_l l, of_p p
WHERE (l.pk = p.pk) OR (l.pk = p.pk AND p.brand = 'B2')
ORDER BY 1, 2, 3;
-- Shared by two arms of three only: nothing moves.
SELECT count(*) FROM of_l l, of_p p
WHERE (l.pk = p.pk AND p.brand = 'B1') OR (l.pk = p.pk AND l.qty = 5) OR (p.size = 1);
-- NULL-valued arms: the factored form must keep three-valued logic.
SELECT l.pk, l.qty, p.brand, p.size FROM of_l l JOIN of_p p
  ON (l.pk = p.pk AND p.size > 2) OR (l.pk = p.pk AND l.qty IS NULL)
ORDER BY 1, 2, 3, 4;
SELECT count(*) FROM of_l l, of_p p
WHERE NOT ((l.pk = p.pk AND p.brand = 'B1') OR (l.pk = p.pk AND l.qty > 4));
-- Duplicated shared conditions and a shared IN list and BETWEEN.
SELECT l.pk, l.qty FROM of_l l, of_p p
WHERE (l.pk = p.pk AND l.mode IN ('AIR', 'RAIL') AND l.qty BETWEEN 1 AND 20 AND p.size < 5)
   OR (l.pk = p.pk AND l.qty BETWEEN 1 AND 20 AND l.mode IN ('AIR', 'RAIL') AND l.pk = p.pk AND p.brand = 'B2')
ORDER BY 1, 2;
-- In a LEFT JOIN's ON, where a row without a match keeps its NULLs.
SELECT l.pk, l.qty, p.brand FROM of_l l LEFT JOIN of_p p
  ON (l.pk = p.pk AND p.brand = 'B1') OR (l.pk = p.pk AND l.qty = 15)
ORDER BY 1, 2, 3;
