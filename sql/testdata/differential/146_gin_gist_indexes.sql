-- GIN indexes on arrays and GiST indexes on geometric types: the rows
-- they lead to, the plans that read them, and what they refuse.
CREATE TABLE arr (id int, i int[], t text[]);
INSERT INTO arr VALUES (1, '{1,2,3}', '{a,b}'), (2, '{}', '{}'), (3, NULL, '{c}'),
  (4, '{2,NULL}', NULL), (5, '{5,6}', '{b,d}'), (6, '{2,6}', '{a}');
CREATE INDEX arr_i ON arr USING gin (i);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM arr WHERE i @> '{2}' ORDER BY id;
CREATE INDEX arr_it ON arr USING gin (i, t);
EXPLAIN (COSTS OFF) SELECT * FROM arr WHERE t && '{a}' AND id > 1 ORDER BY id;
SELECT * FROM arr WHERE i @> '{2}' ORDER BY id;
SELECT * FROM arr WHERE '{2}' <@ i ORDER BY id;
SELECT * FROM arr WHERE i && '{1,5}' ORDER BY id;
SELECT * FROM arr WHERE i <@ '{1,2,3,6}' ORDER BY id;
SELECT * FROM arr WHERE i = '{}' ORDER BY id;
SELECT * FROM arr WHERE i = '{5,6}' ORDER BY id;
SELECT * FROM arr WHERE i @> '{}' ORDER BY id;
SELECT * FROM arr WHERE i && '{}' ORDER BY id;
SELECT * FROM arr WHERE i @> '{NULL}' ORDER BY id;
SELECT * FROM arr WHERE t @> '{b}' AND i && '{6}' ORDER BY id;
UPDATE arr SET i = '{7}' WHERE id = 1;
DELETE FROM arr WHERE id = 6;
SELECT * FROM arr WHERE i @> '{2}' ORDER BY id;
SELECT * FROM arr WHERE i && '{7,1}' ORDER BY id;
VACUUM arr;
SELECT * FROM arr WHERE i && '{7,2}' ORDER BY id;
RESET enable_seqscan;
CREATE UNIQUE INDEX ON arr USING gin (i);
CREATE INDEX ON arr USING gin (i) INCLUDE (id);
CREATE INDEX ON arr USING gin (i DESC);
CREATE INDEX ON arr USING gin (id);
CREATE INDEX ON arr USING gin (i) WITH (fastupdate = off, gin_pending_list_limit = 100);
CREATE INDEX ON arr USING gin (i) WITH (gin_pending_list_limit = 10);
CREATE INDEX ON arr USING gin (i) WITH (fillfactor = 50);
SELECT c.relname, a.amname FROM pg_class c JOIN pg_am a ON a.oid = c.relam
  WHERE c.relname LIKE 'arr%' ORDER BY 1;
SELECT pg_get_indexdef('arr_it'::regclass);

CREATE TABLE geo (id int, b box, p point, pg polygon, c circle);
INSERT INTO geo SELECT g, box(point(g, g), point(g + 2, g + 3)), point(g, -g),
  polygon(box(point(g, 0), point(g + 1, 1))), circle(point(g, g), 1.5)
  FROM generate_series(0, 30) g;
INSERT INTO geo VALUES (100, NULL, NULL, NULL, NULL), (101, '(1,1,2,2)', '(NaN,NaN)', NULL, NULL);
CREATE INDEX geo_b ON geo USING gist (b);
CREATE INDEX geo_p ON geo USING gist (p);
CREATE INDEX geo_pg ON geo USING gist (pg);
CREATE INDEX geo_c ON geo USING gist (c) WITH (fillfactor = 50, buffering = auto);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM geo WHERE b && '(3,3,5,5)'::box ORDER BY id;
EXPLAIN (COSTS OFF) SELECT * FROM geo WHERE pg && '(3,0,5,1)'::polygon ORDER BY id;
EXPLAIN (COSTS OFF) SELECT * FROM geo WHERE c && '<(10,10),2>'::circle ORDER BY id;
SELECT id FROM geo WHERE b && '(3,3,5,5)'::box ORDER BY id;
SELECT id FROM geo WHERE b <@ '(0,0,10,10)'::box ORDER BY id;
SELECT id FROM geo WHERE '(0,0,10,10)'::box @> b ORDER BY id;
SELECT id FROM geo WHERE b @> '(4,5,5,6)'::box ORDER BY id;
SELECT id FROM geo WHERE b ~= '(4,4,6,7)'::box ORDER BY id;
SELECT id FROM geo WHERE b << '(10,0,11,1)'::box ORDER BY id;
SELECT id FROM geo WHERE b >> '(25,0,26,1)'::box ORDER BY id;
SELECT id FROM geo WHERE b |>> '(0,0,1,26)'::box ORDER BY id;
SELECT id FROM geo WHERE b <<| '(0,4,1,5)'::box ORDER BY id;
SELECT id FROM geo WHERE b IS NULL ORDER BY id;
SELECT id FROM geo WHERE p <@ '(0,-10,10,0)'::box ORDER BY id;
SELECT id FROM geo WHERE p <@ '<(5,-5),3>'::circle ORDER BY id;
SELECT id FROM geo WHERE p << '(3,0)' ORDER BY id;
SELECT id FROM geo WHERE p >> '(27,0)' ORDER BY id;
SELECT id FROM geo WHERE p ~= '(4,-4)' ORDER BY id;
SELECT id FROM geo WHERE pg && '(3,0,5,1)'::polygon ORDER BY id;
SELECT id FROM geo WHERE pg <@ '(0,0,4,4)'::polygon ORDER BY id;
SELECT id FROM geo WHERE c && '<(10,10),2>'::circle ORDER BY id;
SELECT id FROM geo WHERE c <@ '<(10,10),5>'::circle ORDER BY id;
UPDATE geo SET b = '(50,50,51,51)' WHERE id = 4;
SELECT id FROM geo WHERE b && '(3,3,5,5)'::box ORDER BY id;
SELECT id FROM geo WHERE b && '(50,50,50,50)'::box ORDER BY id;
SET enable_indexscan = off;
SET enable_bitmapscan = on;
EXPLAIN (COSTS OFF) SELECT * FROM geo WHERE pg && '(3,0,5,1)'::polygon ORDER BY id;
SELECT id FROM geo WHERE pg && '(3,0,5,1)'::polygon ORDER BY id;
SELECT id FROM geo WHERE b && '(3,3,5,5)'::box ORDER BY id;
RESET enable_seqscan;
RESET enable_indexscan;
RESET enable_bitmapscan;
CREATE UNIQUE INDEX ON geo USING gist (b);
CREATE INDEX ON geo USING gist (b NULLS FIRST);
CREATE INDEX ON geo USING gist (b) WITH (buffering = maybe);
CREATE INDEX ON geo USING gist (b) WITH (fillfactor = 5);
CREATE INDEX ON geo USING gist (id);
SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
  WHERE a.attrelid IN ('geo_p'::regclass, 'geo_b'::regclass, 'arr_it'::regclass) ORDER BY a.attrelid::regclass::text, a.attnum;
