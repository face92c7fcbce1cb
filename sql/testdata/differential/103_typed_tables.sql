-- Typed tables: CREATE TABLE ... OF a composite type with column
-- options, ALTER TABLE ... OF and NOT OF with their checks, the column
-- changes a typed table refuses, ALTER TYPE with and without CASCADE on
-- a type with typed tables, and DROP TYPE of such a type.
CREATE TYPE tt_person AS (id int, name text, score numeric(6,2));
CREATE TABLE tt_people OF tt_person (id WITH OPTIONS PRIMARY KEY, name WITH OPTIONS NOT NULL DEFAULT 'anon');
INSERT INTO tt_people (id) VALUES (1);
INSERT INTO tt_people VALUES (2, 'bo', 3.5);
INSERT INTO tt_people VALUES (NULL, 'x', 1);
SELECT * FROM tt_people ORDER BY id;
SELECT reloftype::regtype FROM pg_class WHERE relname = 'tt_people';
SELECT attname, atttypid::regtype, attnotnull FROM pg_attribute WHERE attrelid = 'tt_people'::regclass AND attnum > 0 ORDER BY attnum;
CREATE TABLE tt_bad OF tt_person (nosuch WITH OPTIONS NOT NULL);
CREATE TABLE tt_bad OF tt_person (id WITH OPTIONS NOT NULL, id WITH OPTIONS DEFAULT 1);
CREATE TABLE tt_bad OF int4;
CREATE TABLE tt_bad OF tt_people;
CREATE TABLE tt_bad OF no_such_type;
-- A typed table's columns change only with its type.
ALTER TABLE tt_people ADD COLUMN extra int;
ALTER TABLE tt_people DROP COLUMN score;
ALTER TABLE tt_people ALTER COLUMN score TYPE numeric;
ALTER TABLE tt_people RENAME COLUMN name TO nm;
ALTER TABLE tt_people ALTER COLUMN score SET DEFAULT 0;
CREATE TABLE tt_people_sub () INHERITS (tt_people);
ALTER TYPE tt_person ADD ATTRIBUTE born date;
ALTER TYPE tt_person ADD ATTRIBUTE born date CASCADE;
ALTER TYPE tt_person RENAME ATTRIBUTE name TO full_name CASCADE;
ALTER TYPE tt_person ALTER ATTRIBUTE score TYPE numeric(8,2) CASCADE;
ALTER TYPE tt_person DROP ATTRIBUTE born CASCADE;
SELECT attrelid::regclass, attname, atttypid::regtype, atttypmod FROM pg_attribute
  WHERE attrelid IN ('tt_people'::regclass, 'tt_people_sub'::regclass) AND attnum > 0 AND NOT attisdropped ORDER BY 1, attnum;
SELECT * FROM tt_people ORDER BY id;
-- ALTER TABLE ... OF checks the columns; NOT OF leaves them.
CREATE TYPE tt_t0 AS (x int, y numeric(8,2));
CREATE TABLE tt0 (x int NOT NULL, y numeric(8,2));
CREATE TABLE tt1 (x int, y bigint);
CREATE TABLE tt2 (x int, y numeric(9,2));
CREATE TABLE tt3 (y numeric(8,2), x int);
CREATE TABLE tt4 (x int);
CREATE TABLE tt5 (x int, y numeric(8,2), z int);
CREATE TABLE tt6 () INHERITS (tt0);
ALTER TABLE tt0 OF tt_t0;
ALTER TABLE tt1 OF tt_t0;
ALTER TABLE tt2 OF tt_t0;
ALTER TABLE tt3 OF tt_t0;
ALTER TABLE tt4 OF tt_t0;
ALTER TABLE tt5 OF tt_t0;
ALTER TABLE tt6 OF tt_t0;
ALTER TABLE tt1 NOT OF;
SELECT relname, reloftype::regtype FROM pg_class WHERE relname LIKE 'tt_' ORDER BY 1;
ALTER TABLE tt0 NOT OF;
ALTER TABLE tt0 ADD COLUMN z int;
-- DROP TYPE: typed tables depend on their type.
CREATE TABLE tt_again OF tt_t0;
DROP TYPE tt_t0;
DROP TYPE tt_t0 CASCADE;
SELECT count(*) FROM pg_class WHERE relname = 'tt_again';
CREATE TABLE tt_lp (a int) PARTITION BY LIST (a);
CREATE TYPE tt_one AS (a int);
CREATE TABLE tt_typed OF tt_one;
ALTER TABLE tt_lp ATTACH PARTITION tt_typed FOR VALUES IN (1);
DROP TABLE tt_people CASCADE;
DROP TYPE tt_person;
