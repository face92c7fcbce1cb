-- A join's column alias list keeps naming the columns it named when a
-- table under the join gains or loses a column, as PostgreSQL binds a
-- view once; pg_get_viewdef lists the new column under a unique name.
create table tt5 (a int, b int);
create table tt6 (c int, d int);
insert into tt5 values (1,2); insert into tt6 values (3,4);
create view vv1 as select * from (tt5 cross join tt6) j(aa,bb,cc,dd);
select pg_get_viewdef('vv1', true);
alter table tt5 add column c int;
select pg_get_viewdef('vv1', true);
select * from vv1;
alter table tt5 add column cc int;
select pg_get_viewdef('vv1', true);
select * from vv1;
alter table tt5 drop column c;
select pg_get_viewdef('vv1', true);
select * from vv1;
create view vv2 as select j.* from (tt6 join tt5 on tt6.c < tt5.a) j(x, y, z);
alter table tt6 add column e int;
select pg_get_viewdef('vv2', true);
select * from vv2;
create view vv3 as select * from (tt5 t cross join (tt6 cross join tt5) k) j(p, q, r, s, u, v, w, x, y);
alter table tt5 add column g int;
select pg_get_viewdef('vv3', true);
select * from vv3;
alter table tt5 drop column a;
select * from vv1;
select * from vv3;
