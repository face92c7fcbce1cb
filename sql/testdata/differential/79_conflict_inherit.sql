-- INSERT ... ON CONFLICT into partitioned tables: arbiters inferred on the
-- partitioned table and resolved in the leaf partition a row goes to
create table pcf (a int unique, b text) partition by list (a);
create table pcf1 partition of pcf (b unique) for values in (1, 2);
create table pcf2 (b text, a int unique);
alter table pcf attach partition pcf2 for values in (3);
create table pcf3 partition of pcf for values in (4, 5) partition by list (a);
create table pcf31 partition of pcf3 for values in (4, 5);
insert into pcf values (1, 'x'), (3, 'x'), (4, 'x') on conflict do nothing;
insert into pcf values (1, 'x'), (3, 'x'), (4, 'x') on conflict do nothing;
insert into pcf values (1, 'y') on conflict (a) do nothing;
insert into pcf values (1, 'y'), (3, 'y'), (4, 'y') on conflict (a) do update set b = excluded.b || pcf.b returning *;
insert into pcf values (3, 'z') on conflict (a) do update set b = 'w' where pcf.b = 'nope' returning *;
insert into pcf as t values (3, 'z') on conflict (a) do update set b = t.b || excluded.b where t.b = 'yx' returning a, b;
select tableoid::regclass, * from pcf order by a;
-- an index of one partition only is no arbiter
insert into pcf values (2, 'yx') on conflict (b) do nothing;
insert into pcf1 values (2, 'yx') on conflict (b) do update set a = excluded.a returning *;
insert into pcf1 values (2, 'q') on conflict (a) do update set a = 3;
-- DO UPDATE may not move the row to another partition
insert into pcf values (3, 'q') on conflict (a) do update set a = 4;
insert into pcf values (4, 'q') on conflict (a) do update set a = 5 returning *;
-- the same row twice
insert into pcf values (3, 'q'), (3, 'r') on conflict (a) do update set b = excluded.b;
insert into pcf values (9, 'q') on conflict (a) do nothing;
insert into pcf values (1, 'q') on conflict on constraint pcf_a_key do update set b = 'c' returning *;
insert into pcf values (1, 'q') on conflict on constraint pcf1_b_key do nothing;
select * from pcf order by a;
-- a dropped and re-added column of the partitioned table
alter table pcf drop b, add b char;
insert into pcf (a, b) values (4, 'a') on conflict (a) do update set b = excluded.b;
insert into pcf (a, b) values (4, 'b') on conflict (a) do update set b = excluded.b where pcf.b = 'a';
select * from pcf order by a;
drop table pcf;
-- primary keys, and conflicts reached through an intermediate level
create table pck (a int primary key, b text) partition by range (a);
create table pck1 partition of pck for values from (0) to (1000) partition by range (a);
create table pck11 partition of pck1 for values from (0) to (500);
insert into pck values (40, 'forty');
insert into pck1 values (40, 'cuarenta') on conflict (a) do update set b = excluded.b returning *;
insert into pck values (40, 'x'), (41, 'y') on conflict (a) do update set b = pck.b || excluded.b returning *;
insert into pck1 values (600, 'x') on conflict (a) do nothing;
insert into pck1 values (2000, 'x') on conflict (a) do nothing;
select * from pck order by a;
drop table pck;
-- an index made on ONLY the partitioned table is valid only when every
-- partition has one
create table pco (a int, b text) partition by range (a);
create table pco1 partition of pco for values from (0) to (1000) partition by range (a);
create table pco11 partition of pco1 for values from (0) to (500);
create unique index on only pco1 (a);
create unique index on only pco (a);
insert into pco values (40, 'forty');
insert into pco1 values (40, 'cuarenta') on conflict (a) do update set b = excluded.b;
insert into pco values (40, 'cuarenta') on conflict (a) do update set b = excluded.b;
alter index pco_a_idx attach partition pco1_a_idx;
create index pco11_b on pco11 (b);
alter index pco1_a_idx attach partition pco11_b;
create unique index pco11_a on pco11 (a);
alter index pco1_a_idx attach partition pco11_a;
insert into pco1 values (40, 'cuarenta') on conflict (a) do update set b = excluded.b returning *;
insert into pco values (40, 'forty') on conflict (a) do update set b = excluded.b returning *;
drop table pco;
-- CREATE INDEX on a partitioned table reaches its partitions
create table pix (a int, b text) partition by range (a);
create table pix1 partition of pix for values from (0) to (10);
create unique index on pix (a);
create index on pix (b);
create table pix2 partition of pix for values from (10) to (20);
create table pix3 (b text, a int);
alter table pix attach partition pix3 for values from (20) to (30);
select c.relname, i.relname, x.indisunique from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class c on c.oid = x.indrelid where c.relname like 'pix%' order by 1, 2;
insert into pix values (1, 'a'), (11, 'a'), (21, 'a');
insert into pix values (1, 'b');
insert into pix values (21, 'b');
insert into pix values (21, 'b') on conflict (a) do update set b = excluded.b returning *;
drop table pix;
-- inheritance parents: the parent's own rows and indexes
create table cty (name text, pop int);
create table cap (state text) inherits (cty);
create unique index cty_name on cty (name);
create unique index cap_name on cap (name);
insert into cap values ('Vegas', 1, 'NV');
insert into cty values ('Vegas', 2) on conflict (name) do update set pop = 3 returning *;
insert into cty values ('Vegas', 2) on conflict (name) do update set pop = 3 returning *;
insert into cty values ('Vegas', 2) on conflict do nothing;
insert into cap values ('Vegas', 5, 'NV') on conflict (name) do update set pop = excluded.pop returning *;
insert into cty values ('Vegas', 2) on conflict (pop) do nothing;
select tableoid::regclass, * from cty order by 1, 2;
drop table cty cascade;
-- error order: SET's errors come before the inference's 42P10
create table nokey (key int, data text);
insert into nokey values (1) on conflict (key) do update set data = excluded.ctid::text;
insert into nokey values (1) on conflict (key) do update set data = 'x';
insert into nokey values (1) on conflict (nosuch) do nothing;
insert into nokey values (1) on conflict on constraint nosuch do nothing;
insert into nokey values (1) on conflict do update set data = 'x';
drop table nokey;
create table excluded (key int primary key, data text);
insert into excluded values (1, '1');
insert into excluded values (1, '2') on conflict (key) do update set data = excluded.data returning *;
insert into excluded as target values (1, '2') on conflict (key) do update set data = excluded.data returning *;
drop table excluded;
-- numeric aggregates of infinities
select sum(x::numeric), avg(x::numeric), var_pop(x::numeric) from (values ('-infinity'), ('infinity')) v(x);
select sum(x::numeric), avg(x::numeric), var_samp(x::numeric) from (values ('infinity'), ('1')) v(x);
select sum(x::numeric), avg(x::numeric), stddev(x::numeric) from (values ('-infinity'), ('-infinity')) v(x);
-- MERGE and SELECT FOR UPDATE over inheritance hierarchies and partitions
create table mip (a int, b text);
create table mic (c int, b text, a int);
alter table mic inherit mip;
create table mig (d int) inherits (mic);
insert into mip values (1, 'p');
insert into mic values (9, 'c', 3);
insert into mig values (8, 'g', 4, 7);
select tableoid::regclass, * from mip order by a for update;
select * from mic for share;
select * from only mip for update;
merge into mip t using (values (1, 'x'), (3, 'y'), (4, 'w'), (5, 'z')) s(a, b) on t.a = s.a when matched and t.tableoid = 'mig'::regclass then delete when matched then update set b = s.b || t.tableoid::regclass::text when not matched then insert values (s.a, s.b);
select tableoid::regclass, * from mip order by a;
select * from mic;
merge into mip t using (values (3, 'q'), (3, 'r')) s(a, b) on t.a = s.a when matched then update set b = s.b;
merge into only mip t using (values (3, 'q')) s(a, b) on t.a = s.a when matched then update set b = s.b when not matched then insert values (s.a, 'only');
select tableoid::regclass, * from mip order by a, b;
drop table mip cascade;
create table mmp (a int primary key, b text constraint mmp_b_check check (b <> 'bad')) partition by range (a);
create table mmp1 partition of mmp for values from (0) to (10);
create table mmp2 (b text constraint mmp_b_check check (b <> 'bad'), a int not null);
alter table mmp attach partition mmp2 for values from (10) to (20);
insert into mmp values (1, 'a'), (11, 'b');
select * from mmp where a > 5 for update;
merge into mmp t using (values (1, 'x'), (11, 'y'), (12, 'z')) s(a, b) on t.a = s.a when matched then update set a = t.a + 5, b = s.b when not matched then insert values (s.a, s.b);
select tableoid::regclass, * from mmp order by a;
merge into mmp t using (values (6, 'bad')) s(a, b) on t.a = s.a when matched then update set b = s.b;
merge into mmp t using (values (6, 'x')) s(a, b) on t.a = s.a when matched then update set a = 99;
merge into mmp t using (values (6, 'x')) s(a, b) on t.a = s.a when matched then update set a = 12;
merge into mmp t using (values (50, 'x')) s(a, b) on t.a = s.a when not matched then insert values (s.a, s.b);
drop table mmp;
-- (a, b, ...) = ROW(t.*) in SET, whole-row references to the target and
-- to EXCLUDED, over a partition with its columns in another order
create table pcw (a int, b text, c int) partition by range (a);
create table pcw1 (drp text, c int, a int, b text);
alter table pcw1 drop column drp;
create unique index on pcw (a, b);
alter table pcw attach partition pcw1 for values from (0) to (1000);
insert into pcw values (50, 'cincuenta', 1);
insert into pcw values (50, 'cincuenta', 2) on conflict (a, b) do update set (a, b, c) = row(excluded.*) where pcw = (50, text 'cincuenta', 1) and excluded = (50, text 'cincuenta', 2);
select * from pcw order by a;
insert into pcw values (50, 'cincuenta', 3) on conflict (a, b) do update set (b, c) = row(excluded.*);
insert into pcw values (50, 'cincuenta', 3) on conflict (a, b) do update set (a, b) = row(pcw.*, 1);
update pcw set (c, b) = row(t.*) from (values (7, 'siete')) t(p, q) returning pcw.*;
drop table pcw;
