-- pg_get_viewdef with and without pretty printing, and with a search path
-- that does not find the view's relations, as pg_dump calls it.
CREATE TABLE vc (id int4 PRIMARY KEY, name text NOT NULL, email varchar(100), active bool, joined date);
CREATE TABLE vo (id int8 PRIMARY KEY, customer_id int4, total numeric(12,2), note text);
CREATE VIEW v1 AS SELECT o.id, c.name, o.total FROM vo o JOIN vc c ON c.id = o.customer_id WHERE o.total > 100 AND NOT c.active OR c.email IS NULL;
CREATE VIEW v2 AS SELECT id, total * 2 + 1 AS t2, -total AS neg, note || 'x' AS n, upper(note) FROM vo WHERE note::varchar = 'a';
CREATE VIEW v3 AS SELECT customer_id, count(*) AS n, sum(total) AS s FROM vo GROUP BY customer_id HAVING count(*) > 1 ORDER BY 2 DESC;
CREATE VIEW v4 AS SELECT a.id, b.id AS other FROM vc a JOIN vc b ON a.id = b.id + 1 LEFT JOIN vo o ON o.customer_id = a.id WHERE a.joined IS NOT NULL;
CREATE VIEW v5 AS SELECT name, email FROM vc WHERE (id + 1) * 2 > 3 AND name <> 'x' LIMIT 5;
SELECT pg_get_viewdef('v1'::regclass);
SELECT pg_get_viewdef('v1'::regclass, true);
SELECT pg_get_viewdef('v2'::regclass);
SELECT pg_get_viewdef('v2'::regclass, true);
SELECT pg_get_viewdef('v3'::regclass);
SELECT pg_get_viewdef('v3'::regclass, true);
SELECT pg_get_viewdef('v4'::regclass);
SELECT pg_get_viewdef('v4'::regclass, true);
SELECT pg_get_viewdef('v5'::regclass);
SELECT pg_get_viewdef('v5'::regclass, false);
SET search_path = '';
SELECT pg_catalog.pg_get_viewdef('public.v1'::pg_catalog.regclass);
SELECT pg_catalog.pg_get_viewdef('public.v4'::pg_catalog.regclass, true);
SELECT pg_catalog.pg_get_viewdef('public.v5'::pg_catalog.regclass);
RESET search_path;
-- UNION views.
CREATE VIEW u1 AS SELECT id, name FROM vc UNION ALL SELECT customer_id, note FROM vo;
CREATE VIEW u2 AS SELECT id AS k FROM vc WHERE id > 1 UNION SELECT customer_id FROM vo;
SELECT pg_get_viewdef('u1'::regclass);
SELECT pg_get_viewdef('u1'::regclass, true);
SELECT pg_get_viewdef('u2'::regclass);
SELECT pg_get_viewdef('u2'::regclass, true);
