-- User-defined aggregates where the built-in ones work: GROUP BY, DISTINCT, FILTER, ORDER BY in the call, several arguments, window aggregates and frames, grouping sets, HAVING, subqueries, views, and STRICT transition functions' NULL rules.
create table agu (g int, h text, x int, y int, s text);
insert into agu values (1, 'a', 1, 10, 'p'), (1, 'b', 2, 20, 'q'), (1, 'a', 2, null, 'r'), (2, 'b', 3, 30, null), (2, 'a', null, 40, 's'), (3, 'b', null, null, 't');
create function agu_cat(text, text) returns text language sql strict as $$ select $1 || ',' || $2 $$;
create aggregate agu_list (text) (sfunc = agu_cat, stype = text);
create function agu_cat_ns(text, text) returns text language sql as $$ select coalesce($1, '<') || ',' || coalesce($2, '?') $$;
create aggregate agu_list_ns (text) (sfunc = agu_cat_ns, stype = text);
create aggregate agu_sum (int4) (sfunc = int4pl, stype = int4);
create function agu_dot_step(numeric, int, int) returns numeric language sql strict as $$ select $1 + $2 * $3 $$;
create aggregate agu_dot (int, int) (sfunc = agu_dot_step, stype = numeric, initcond = '0');
create function agu_count_step(int8, int) returns int8 language plpgsql as $$ begin return $1 + 1; end $$;
create aggregate agu_count (int) (sfunc = agu_count_step, stype = int8, initcond = '0');
-- strict: NULL inputs skipped, the first one the state; non-strict: every row
select agu_list(s), agu_list_ns(s), agu_sum(x), agu_count(x), count(x) from agu;
select g, agu_list(s order by s desc), agu_list_ns(s order by s nulls first) from agu group by g order by g;
-- DISTINCT and FILTER
select agu_sum(distinct x), agu_list(distinct h), agu_count(distinct x) from agu;
select g, agu_sum(x) filter (where y > 15), agu_list(s) filter (where h = 'a') from agu group by g order by g;
select agu_list(distinct h order by h desc) from agu;
-- several arguments
select agu_dot(x, y), agu_dot(x, g order by x) from agu;
select h, agu_dot(x, y) from agu group by h order by h;
-- HAVING and ORDER BY on the aggregate
select g, agu_sum(x) from agu group by g having agu_sum(x) > 2 order by agu_sum(x) desc;
select h from agu group by h order by agu_list(s order by s);
-- mixed with built-in aggregates and in expressions
select g, agu_sum(x) + sum(y), coalesce(agu_sum(x), -1) * count(*) from agu group by g order by g;
-- grouping sets
select g, h, agu_sum(x), agu_list(s order by s) from agu group by rollup (g, h) order by g nulls last, h nulls last;
select g, h, agu_count(x) from agu group by grouping sets ((g), (h), ()) order by g nulls last, h nulls last;
-- window aggregates
select g, x, agu_sum(x) over (partition by g order by x) from agu order by g, x nulls last;
select x, y, agu_list(s) over (order by x nulls last, y rows between 1 preceding and 1 following) from agu order by x nulls last, y;
select g, agu_list(s) over (partition by g), agu_count(x) over w from agu window w as (order by g) order by g, s;
select g, agu_sum(x) filter (where x > 1) over (order by g) from agu order by g, x;
-- subqueries and views
select g, (select agu_list(s order by s) from agu b where b.g = a.g) from agu a group by g order by g;
select * from (select g, agu_sum(x) as total from agu group by g) q where total is not null order by g;
create view agu_view as select h, agu_list(s order by s) as list from agu group by h;
select * from agu_view order by h;
-- an empty input
select agu_sum(x), agu_list(s), agu_count(x), agu_dot(x, y) from agu where false;
select g, agu_sum(x) from agu where false group by g;
-- errors where aggregates are not allowed
select agu_sum(agu_sum(x)) from agu;
select g from agu group by agu_sum(x);
create table agu_bad (a int check (agu_sum(a) > 0));
select agu_sum(x, y) from agu;
select agu_sum(s) from agu;
select agu_sum(*) from agu;
