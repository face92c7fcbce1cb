-- Sorted aggregation: with enable_hashagg off, GROUP BY sorts its input
-- and aggregates each run of equal keys (GroupAggregate); an ORDER BY
-- naming the groups orders that sort, and needs no sort of its own.
create table btg as select i as id, i/2 as p, i%3 as v, i/4 as c from generate_series(1,30) i;
insert into btg values (100, null, null, 1);
set enable_hashagg = off;
explain (costs off) select count(*) from btg group by v, p, c order by v, p, c;
explain (costs off) select count(*) from btg group by v, p, c order by p, v, c;
explain (costs off) select count(*) from btg group by v, p order by p desc, v nulls first;
select v, p, count(*) from btg group by v, p order by p desc, v nulls first;
select v, p, count(*) from btg group by v, p order by p desc nulls last, v;
explain (costs off) select v, count(*) from btg group by v order by count(*);
select v, count(*) from btg group by v order by count(*), v;
select p, v, count(*) from btg group by p, v;
select v, count(*), sum(c) from btg where false group by v;
select count(*) from btg where false;
create table pk (a int primary key, b int);
insert into pk values (1, 2), (3, 4), (2, 2);
select a, b, count(*) from pk group by a;
select a, b, count(*) from pk group by a order by a desc;
reset enable_hashagg;
