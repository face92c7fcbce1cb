-- GROUPING SETS, ROLLUP, CUBE and GROUPING(); window frames (RANGE with
-- offsets, GROUPS, EXCLUDE); FETCH FIRST ... WITH TIES.
create table gw (a int, b int, c text, v int, primary key (a, b));
insert into gw values (1,1,'x',10),(1,2,'y',20),(2,1,'x',30),(2,2,'y',40),(3,1,null,50),(3,2,'z',null);
select a, b, sum(v), count(*), grouping(a, b) from gw group by rollup (a, b) order by a, b;
select a, b, sum(v), grouping(a), grouping(b), grouping(b, a) from gw group by cube (a, b) order by 4, 5, 1, 2;
select a, c, count(*) from gw group by grouping sets ((a), (c), ()) order by a, c;
select a, b, c, count(*) from gw group by a, rollup (b, c) order by a, b, c;
select a, b, count(*) from gw group by grouping sets (a, rollup (a, b)) order by a, b;
select a, count(*) from gw group by rollup (a), rollup (a) order by 1, 2;
select a, count(*) from gw group by distinct rollup (a), rollup (a) order by 1, 2;
select a, b, count(*) from gw group by rollup ((a, b)) order by 1, 2;
select count(*), sum(v) from gw group by ();
select count(*) from gw where false group by rollup (a);
select count(*) from gw where false group by grouping sets ((), (), a);
select a, sum(v) from gw group by rollup (a) having sum(v) > 40 order by a;
select a, sum(v) from gw group by rollup (a) having grouping(a) = 1;
select distinct grouping(a), count(*) > 0 from gw group by cube (a, b) order by 1;
select a, b, sum(v), rank() over (partition by grouping(a, b) order by sum(v) desc nulls last) from gw group by rollup (a, b) order by 4, 1, 2;
select a, b, c, count(*) from gw group by grouping sets ((a, b), (a, c)) order by 1, 2, 3;
select a, c, (select grouping(gw.a) from gw g2 limit 1) from gw group by rollup (a, c) order by 1, 2;
select gw.a, grouping(gw.a), grouping(a) from gw group by rollup (a) order by 1;
select a + 1 as a1, sum(v) from gw group by rollup (a + 1) order by 1;
select a, b from gw group by rollup (1, 2) order by 1, 2;
-- errors
select grouping(v) from gw group by a;
select a from gw where grouping(a) = 0 group by a;
select a from gw group by rollup (grouping(a));
select grouping(a) from gw;
select a from gw group by cube (a,a,a,a,a,a,a,a,a,a,a,a,a);
select a from gw group by cube (a,a,a,a,a,a,a,a,a,a,a,a), cube (a,b);
select v from gw group by rollup (a, b);
-- window frames
create table wf (x int, n numeric, f float8, d date, t timestamp, i interval);
insert into wf values
  (1, 1.5, 1.5, '2020-01-01', '2020-01-01 10:00', '1 hour'),
  (2, 2.5, 'infinity', '2020-01-02', '2020-01-01 11:30', '2 hours'),
  (2, 2.5, 'nan', '2020-01-02', '2020-01-01 11:30', '2 hours'),
  (4, 4.5, '-infinity', '2020-01-10', '2020-01-02 10:00', '1 day'),
  (null, null, null, null, null, null);
select x, sum(x) over (order by x range between 1 preceding and 1 following),
       count(*) over (order by x desc range between 1 preceding and current row),
       sum(x) over (order by x nulls first range between current row and 2 following) from wf order by x;
select n, sum(n) over (order by n range between 1 preceding and 1.5 following) from wf order by n;
select f, count(*) over (order by f range between 'infinity' preceding and 1 following),
       count(*) over (order by f range between 1 preceding and 'infinity' following) from wf order by f;
select d, count(*) over (order by d range between '1 day' preceding and '1 day' following) from wf order by d;
select t, count(*) over (order by t range between '1 hour' preceding and '90 minutes' following) from wf order by t;
select i, count(*) over (order by i desc range between '1 hour' preceding and '1 hour' following) from wf order by i;
select x, sum(x) over (order by x range between 2147483647 preceding and 2147483647 following) from wf order by x;
select x, sum(x) over (order by x groups between 1 preceding and 1 following),
       sum(x) over (order by x groups between current row and 1 following exclude group),
       sum(x) over (order by x groups between 2 preceding and 1 preceding) from wf order by x;
select x, sum(x) over w, first_value(x) over w, last_value(x) over w, nth_value(x, 2) over w
  from wf window w as (order by x rows between 1 preceding and 1 following exclude current row) order by x;
select x, count(*) over (order by x range between unbounded preceding and current row exclude ties),
       array_agg(x) over (order by x rows between unbounded preceding and unbounded following exclude ties) from wf order by x;
select x, sum(x) over (w range between current row and unbounded following) from wf window w as (order by x) order by x;
select x, sum(x) over (order by x rows between 0 preceding and 0 following exclude no others) from wf order by x;
-- frame errors
select sum(x) over (order by x range between -1 preceding and current row) from wf;
select sum(x) over (order by x rows between 1 preceding and -1 following) from wf;
select sum(x) over (order by x groups between -1 preceding and current row) from wf;
select sum(x) over (order by x rows between null preceding and current row) from wf;
select sum(x) over (order by x rows between x preceding and current row) from wf;
select sum(x) over (range between 1 preceding and current row) from wf;
select sum(x) over (order by x, n range between 1 preceding and current row) from wf;
select sum(x) over (groups between 1 preceding and current row) from wf;
select sum(x) over (order by x range between 1.5 preceding and current row) from wf;
select sum(a) over (order by c range between 1 preceding and current row) from gw;
select sum(x) over (order by d range between 1 preceding and current row) from wf;
select sum(x) over (order by i range between '-1 hour' preceding and current row) from wf;
select sum(x) over (order by n range between 'nan' preceding and current row) from wf;
select sum(x) over (order by x rows between current row and 1 preceding) from wf;
select sum(x) over (order by x rows between unbounded following and current row) from wf;
select count(*) over (partition by a order by v range between 10 preceding and 10 following) from gw order by a, v;
-- aggregates inside window aggregates
select a, sum(sum(v)) over (order by a), sum(count(*)) over () from gw group by a order by a;
select sum(count(v)) over () from gw where v = 1000;
select count() over () from gw;
select count() from gw;
-- FETCH FIRST ... WITH TIES
select a, b from gw order by a fetch first 3 rows with ties;
select a, b from gw order by a offset 1 rows fetch first 2 rows with ties;
select a from gw order by a fetch first 0 rows with ties;
select a from gw order by a fetch first (null + 1) rows with ties;
select a from gw order by a fetch first null rows with ties;
select a from gw order by a fetch first -1 rows with ties;
select a from gw fetch first 1 rows with ties;
select (select b from gw where gw.a = s order by b limit 1 offset s - 1) from generate_series(1, 3) s order by 1;
select a from gw limit a;
-- two select-list entries of one expression are two grouping columns
select g as alias1, g as alias2 from generate_series(1,3) g group by alias1, rollup(alias2) order by 1, 2;
select a as x, a as y, count(*) from gw group by grouping sets (1, 2);
