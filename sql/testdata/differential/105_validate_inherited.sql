-- VALIDATE CONSTRAINT of an inherited NOT VALID CHECK constraint checks
-- the descendants' rows first and marks their constraints valid; ONLY
-- with descendants is refused; a NO INHERIT one stays on its table.
create table vp (a int, b int);
insert into vp values (1, 5);
create table vc1 () inherits (vp);
create table vc2 () inherits (vc1);
insert into vc1 values (2, 30), (3, 16);
insert into vc2 values (4, 40);
alter table vp add constraint b_le_20 check (b <= 20) not valid;
alter table vp validate constraint b_le_20;
delete from vc1 where b > 20;
alter table vp validate constraint b_le_20;
delete from vc2;
alter table only vp validate constraint b_le_20;
alter table vp validate constraint b_le_20;
select conrelid::regclass, conname, convalidated from pg_constraint where conname = 'b_le_20' order by 1;
alter table vp add constraint b_pos check (b > 0) no inherit not valid;
alter table only vp validate constraint b_pos;
select conrelid::regclass, conname, convalidated from pg_constraint where conname = 'b_pos' order by 1;
