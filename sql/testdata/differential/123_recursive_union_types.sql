-- A recursive query's column takes the terms' common type: an implicit cast
-- brings the recursive term's type to the non-recursive term's (oid to regclass),
-- and anything else is PostgreSQL's 42804.
WITH RECURSIVE r AS (SELECT 'pg_class'::regclass AS c UNION ALL SELECT 1259::oid FROM r WHERE false) SELECT c FROM r;
WITH RECURSIVE r AS (SELECT 1::int AS n UNION ALL SELECT n + 1::bigint FROM r WHERE n < 3) SELECT n FROM r;
WITH RECURSIVE r AS (SELECT 'a'::varchar(4) AS s UNION ALL SELECT (s || 'b')::text FROM r WHERE length(s) < 3) SELECT s FROM r;
WITH RECURSIVE r AS (SELECT 'a'::varchar(4) AS s UNION ALL SELECT (s || 'b')::varchar(4) FROM r WHERE length(s) < 3) SELECT s FROM r;
WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT 'x'::text FROM r WHERE false) SELECT n FROM r;
WITH RECURSIVE r AS (SELECT 1.5 AS n UNION ALL SELECT 2 FROM r WHERE false) SELECT n FROM r;
WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT 2.5 FROM r WHERE false) SELECT n FROM r;
