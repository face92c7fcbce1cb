-- Merging CHECK constraints of parents and children in either order:
-- a child's ADD of a constraint it inherits makes it local too, and a
-- merge is refused into a NO INHERIT or (for a valid one) a NOT VALID
-- constraint, or to make an inherited one NO INHERIT.
-- Test that parent and child CHECK constraints can be created in either order
create table mp1(f1 int);
create table mp1_c1() inherits(mp1);

alter table mp1 add constraint inh_check_constraint1 check (f1 > 0);
alter table mp1_c1 add constraint inh_check_constraint1 check (f1 > 0);

alter table mp1_c1 add constraint inh_check_constraint2 check (f1 < 10);
alter table mp1 add constraint inh_check_constraint2 check (f1 < 10);

select conrelid::regclass::text as relname, conname, conislocal, coninhcount
from pg_constraint where conname like 'inh\_check\_constraint%'
order by 1, 2;

drop table mp1 cascade;

-- Test that a valid child can have not-valid parent, but not vice versa
create table icc(f1 int);
create table icc_child() inherits(icc);

alter table icc_child add constraint inh_check_constraint check(f1 > 0) not valid;
alter table icc add constraint inh_check_constraint check(f1 > 0); -- fail
alter table icc_child drop constraint inh_check_constraint;

insert into icc values(0);

alter table icc_child add constraint inh_check_constraint check(f1 > 0);
alter table icc add constraint inh_check_constraint check(f1 > 0) not valid;

insert into icc values(0); -- fail
insert into icc_child values(0); -- fail

select conrelid::regclass::text as relname, conname,
       convalidated, conislocal, coninhcount, connoinherit
from pg_constraint where conname like 'inh\_check\_constraint%'
order by 1, 2;
create table nip (f1 int);
create table nic () inherits (nip);
alter table nic add constraint ni check (f1 > 0) no inherit;
alter table nip add constraint ni check (f1 > 0);
alter table nip add constraint ni2 check (f1 > 1);
alter table nic add constraint ni2 check (f1 > 1) no inherit;
alter table nic add constraint ni2 check (f1 > 2);
alter table nic add constraint ni2 check (f1 > 1);
alter table nic add constraint ni2 check (f1 > 1);
