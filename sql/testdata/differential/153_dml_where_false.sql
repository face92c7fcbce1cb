-- UPDATE and DELETE whose WHERE is constant false read no row: the plan is
-- a Result whose One-Time Filter is false, as PostgreSQL's. Statement
-- triggers still fire.
create table pt (a int, b int);
insert into pt values (1,2);
create table st (a int, b int); create table st_c () inherits (st);
insert into st_c values (1, 2);
create table ptd (a int, b char) partition by list (a);
create table ptd1 partition of ptd for values in (1);
insert into ptd values (1, 'x');
explain (verbose, costs off) update pt set a = a + 1 where false;
explain (costs off) delete from pt where false;
explain update pt set a = 2 where false;
explain (verbose, costs off) delete from pt where false;
explain (verbose, costs off) delete from st where false;
explain (verbose, costs off) update pt set b = a, a = 3 where false;
explain (verbose, costs off) update st set b = a, a = 3 where 1 = 2 returning *;
explain (verbose, costs off) update st set a = a + 1 where false returning b, a;
explain (costs off) update st set b = a where false;
explain update pt set a = 2 where false;
explain update st set a = 2 where false;
explain delete from st where false;
explain delete from pt where false;
explain update ptd set a = 2 where false;
explain update pt set b = a, a = 3 where false;
explain update st set b = a, a = 3 where false;
explain (verbose, costs off) update ptd set a = 2 where false;
explain (verbose, costs off) delete from ptd where false;
explain delete from ptd where false;
update pt set a = 5 where false;
update st set a = 5 where false returning *;
delete from ptd where 1 = 0;
delete from st where null;
select * from pt;
select * from st;
select * from ptd;
explain (analyze, costs off, timing off, summary off) update pt set a = 2 where false;
explain (analyze, costs off, timing off, summary off) delete from st where false;
create table trig_log (what text);
create function log_stmt() returns trigger language plpgsql as $$
begin
  insert into trig_log values (tg_op || ' ' || tg_level);
  return null;
end $$;
create trigger pt_stmt after update or delete on pt for each statement execute function log_stmt();
create trigger pt_row after update or delete on pt for each row execute function log_stmt();
update pt set a = 9 where false;
delete from pt where 1 = 2;
select * from trig_log order by 1;
select * from pt;
