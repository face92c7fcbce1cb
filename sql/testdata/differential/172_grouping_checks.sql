-- Ordered-set aggregates under grouping sets: the direct arguments are
-- evaluated per group, with the columns not in the group's set NULL.
select grouping(a), a, array_agg(b),
       rank(a) within group (order by b nulls first),
       rank(a) within group (order by b nulls last)
  from (values (1,1),(1,4),(1,5),(3,1),(3,2)) v(a,b)
 group by rollup (a) order by a;
select a, b, percentile_disc(0.5) within group (order by c), rank(a, b) within group (order by a, c)
  from (values (1,1,3),(1,4,2),(1,5,7),(3,1,1),(3,2,9)) v(a,b,c)
 group by cube (a, b) order by a, b;
select a, rank(a+1) within group (order by b) from (values (1,1),(1,4),(3,2)) v(a,b) group by grouping sets ((a), ()) order by a;

-- GROUP BY and JOIN ... USING of columns of different types: the merged
-- column of a LEFT join converts the left one, so grouping by that one
-- groups it (not the other way round); an inner join's is the side that
-- needs no conversion.
create temp table t1(f1 int, f2 bigint);
create temp table t2(f1 bigint, f22 bigint);
insert into t1 values (1, 10), (2, 20), (2, 30);
insert into t2 values (1, 5), (3, 6);
select f1 from t1 left join t2 using (f1) group by f1 order by 1;
select f1 from t1 left join t2 using (f1) group by t1.f1 order by 1;
select t1.f1 from t1 left join t2 using (f1) group by t1.f1 order by 1;
select t1.f1 from t1 left join t2 using (f1) group by f1;
select f1, count(*) from t1 join t2 using (f1) group by t1.f1;
select f1, count(*) from t1 right join t2 using (f1) group by t2.f1 order by 1;
select f1, count(*) from t1 right join t2 using (f1) group by t1.f1;
select f1, count(*) from t1 full join t2 using (f1) group by t1.f1;
