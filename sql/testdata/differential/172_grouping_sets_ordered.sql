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
