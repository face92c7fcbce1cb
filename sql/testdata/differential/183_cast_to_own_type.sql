-- A column cast to its own type prints as the column in stored
-- expressions (PostgreSQL adds no cast node for it); a cast that changes
-- the type modifier stays.
CREATE TABLE ct (a text, b varchar(10), c int, d boolean);
CREATE INDEX ct_i2 ON ct ((b::varchar));
CREATE INDEX ct_i4 ON ct ((b::varchar(5)));
CREATE INDEX ct_i5 ON ct ((1 / c)) WHERE ('-H') >= (d::TEXT) COLLATE "C";
SELECT pg_get_indexdef('ct_i5'::regclass);
ALTER TABLE ct ALTER d TYPE text;
SELECT pg_get_indexdef('ct_i2'::regclass);
SELECT pg_get_indexdef('ct_i4'::regclass);
SELECT pg_get_indexdef('ct_i5'::regclass);
CREATE VIEW ctv AS SELECT a::text AS x, b::varchar AS y, c::int8 AS z FROM ct;
SELECT pg_get_viewdef('ctv');
CREATE TABLE ct2 (a text CHECK (a::text <> ''));
SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'ct2'::regclass;
