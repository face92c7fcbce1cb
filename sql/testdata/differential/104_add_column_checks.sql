-- ADD COLUMN with CHECK constraints on an inheritance parent gives the
-- children the constraints too, merged where a child inherits the column
-- through two parents.
create table pp1 (f1 int);
create table cc1 (f2 text, f3 int) inherits (pp1);
insert into cc1 values (1, 'x', 2);
alter table pp1 add column a1 int check (a1 > 0);
create table cc2(f4 float) inherits(pp1,cc1);
alter table pp1 add column a2 int check (a2 > 0), add column a3 int constraint a3c check (a3 < 5) check (a3 > -5);
select conrelid::regclass, conname, conislocal, coninhcount from pg_constraint where conrelid in ('pp1'::regclass, 'cc1'::regclass, 'cc2'::regclass) order by 1, 2;
insert into cc1 (a2) values (-1);
insert into cc2 (a3) values (7);
alter table pp1 add column a4 int default -1 check (a4 > 0);
