-- A row updated by an ON CONFLICT DO UPDATE in a data-modifying WITH
-- query, and again by the main statement's ON CONFLICT: the first
-- update wins, the second skips the row.
CREATE TABLE cu (k int PRIMARY KEY, v text);
INSERT INTO cu VALUES (2, 'Old');
WITH simpletup AS (SELECT 2 k, 'Green' v),
upsert_cte AS (
  INSERT INTO cu VALUES (2, 'Blue') ON CONFLICT (k) DO
    UPDATE SET (k, v) = (SELECT k, v FROM simpletup WHERE simpletup.k = cu.k)
    RETURNING k, v)
INSERT INTO cu VALUES (2, 'Red') ON CONFLICT (k) DO
UPDATE SET (k, v) = (SELECT k, v FROM upsert_cte WHERE upsert_cte.k = cu.k)
RETURNING k, v;
SELECT * FROM cu;
