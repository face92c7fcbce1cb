-- COLLATE in stored expressions as pg_get_indexdef, pg_get_viewdef and
-- pg_get_constraintdef print them; a COLLATE on top of an index key
-- expression is the key's collation.
CREATE TABLE cx (c1 int, c2 boolean, c3 text);
CREATE UNIQUE INDEX cx_expr ON cx ((c1::text COLLATE "C"));
CREATE UNIQUE INDEX cx_pred ON cx (c1) WHERE (c1::text > 500000000::text COLLATE "C");
CREATE UNIQUE INDEX cx_pred2 ON cx ((1 / c1)) WHERE ('-H') >= (c2::TEXT) COLLATE "C";
CREATE INDEX cx_desc ON cx ((c2::text COLLATE "POSIX") DESC);
CREATE INDEX cx_col ON cx ((c3 COLLATE "C"));
CREATE INDEX cx_both ON cx ((c3 COLLATE "C") COLLATE "POSIX");
SELECT pg_get_indexdef('cx_expr'::regclass);
SELECT pg_get_indexdef('cx_pred'::regclass);
SELECT pg_get_indexdef('cx_pred2'::regclass);
SELECT pg_get_indexdef('cx_desc'::regclass);
SELECT pg_get_indexdef('cx_col'::regclass);
SELECT pg_get_indexdef('cx_both'::regclass);
SELECT indexrelid::regclass::text, indkey::text FROM pg_index WHERE indrelid = 'cx'::regclass ORDER BY 1;
ALTER TABLE cx ADD CONSTRAINT cx_chk CHECK (c1::text > 5::text COLLATE "C");
SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'cx_chk';
CREATE VIEW cxv AS SELECT c1::text COLLATE "C" AS x, 'a' COLLATE "C" < c2::text AS y FROM cx;
SELECT pg_get_viewdef('cxv');
SELECT pg_get_viewdef('cxv', true);
INSERT INTO cx VALUES (1, true, 'a'), (2, false, 'b');
SELECT x, y FROM cxv ORDER BY x;
