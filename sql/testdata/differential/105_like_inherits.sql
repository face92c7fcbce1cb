-- CREATE TABLE with LIKE and INHERITS: a LIKE column a parent gives too
-- merges with the inherited one (local, with LIKE's default).
create table lbase (i integer);
create table lderived () inherits (lbase);
create table lmore (like lderived, b int) inherits (lderived);
select attname, attislocal, attinhcount from pg_attribute where attrelid = 'lmore'::regclass and attnum > 0 order by attnum;
create table lother (i text);
create table lbad (like lother) inherits (lderived);
create table ldef (i int default 5);
create table lmore2 (like ldef including defaults) inherits (lbase);
insert into lmore2 default values;
select * from lmore2;
