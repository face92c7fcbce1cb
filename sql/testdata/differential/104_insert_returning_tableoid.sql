-- INSERT ... RETURNING tableoid: the table each row went to, the
-- partition for a row routed through partitioned tables.
create table rt (a int, b int);
insert into rt values (1, 2) returning tableoid::regclass, *;
insert into rt as r values (1, 2) returning r.tableoid::regclass, a;
create table rp (a int, b int) partition by list (a);
create table rp1 partition of rp for values in (1);
create table rp2 partition of rp for values in (2) partition by range (b);
create table rp21 partition of rp2 for values from (0) to (10);
insert into rp values (1, 5), (2, 5) returning tableoid::regclass, a, b;
with ins (x, y, z) as (insert into rp values (1, 1), (2, 2) returning tableoid::regclass, *) select * from ins order by 1;
insert into rp2 values (2, 3) returning tableoid::regclass;
insert into rt values (3, 4) returning *;
