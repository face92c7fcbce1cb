-- User columns named as system columns: CREATE TABLE, CREATE TABLE AS,
-- ADD COLUMN and RENAME refuse the name; DROP and RENAME of a system
-- column are refused; a view's column may take the name.
create table sysc (a int, xmin int);
create table sysc (a int);
alter table sysc add column xmin integer;
alter table sysc add column if not exists ctid integer;
alter table sysc drop column xmin;
alter table sysc drop column if exists cmax;
alter table sysc drop xmax;
alter table sysc rename column a to tableoid;
alter table sysc rename column xmin to b;
create table sysc2 as select 1 as xmin;
create view sysv as select 1 as xmin;
select * from sysv;
