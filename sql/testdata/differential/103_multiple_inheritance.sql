-- Columns a table inherits from several parents: renaming or retyping
-- one through a parent is refused when another parent the command does
-- not reach gives it too; a NO INHERIT constraint may not merge with an
-- inherited one in CREATE TABLE.
create table parent1(f1 int, f2 int);
create table parent2(f1 int, f3 bigint);
create table childtab(f4 int) inherits(parent1, parent2);
alter table parent1 alter column f1 type bigint;
alter table parent1 alter column f2 type bigint;
CREATE TABLE inht1 (a int, b int);
CREATE TABLE inhs1 (b int, c int);
CREATE TABLE inhts (d int) INHERITS (inht1, inhs1);
ALTER TABLE inht1 RENAME a TO aa;
ALTER TABLE inht1 RENAME b TO bb;
ALTER TABLE inhts RENAME aa TO aaa;
ALTER TABLE inht1 RENAME aa TO aaa;
CREATE TABLE inht2 (x int) INHERITS (inht1);
CREATE TABLE inht3 (y int) INHERITS (inht1);
CREATE TABLE inht4 (z int) INHERITS (inht2, inht3);
ALTER TABLE inht1 RENAME aaa TO aaaa;
ALTER TABLE inht1 RENAME b TO bb;
ALTER TABLE inht1 ALTER COLUMN bb TYPE bigint;
select attrelid::regclass, attname, atttypid::regtype from pg_attribute where attrelid in ('inht1'::regclass, 'inht2'::regclass, 'inht3'::regclass, 'inht4'::regclass, 'inhts'::regclass) and attnum > 0 order by 1, attnum;
create table cp1 (ff1 int, constraint p2chk check (ff1 > 10));
create table cc2 (constraint p2chk check (ff1 > 10) no inherit) inherits (cp1);
create table cc3 (constraint p2chk check (ff1 > 10)) inherits (cp1);
select conrelid::regclass, conname, conislocal, coninhcount from pg_constraint where conname = 'p2chk' order by 1;
-- A table reached through several parents changes a column's type once.
CREATE TABLE da (aa TEXT);
CREATE TABLE db (bb TEXT) INHERITS (da);
CREATE TABLE dc (cc TEXT) INHERITS (da);
CREATE TABLE dd (dd TEXT) INHERITS (db, dc, da);
INSERT INTO da(aa) VALUES('aaa');
insert into dd values('test','one','two','three');
alter table da alter column aa type integer using bit_length(aa);
select * from dd;
select * from da order by 1;
