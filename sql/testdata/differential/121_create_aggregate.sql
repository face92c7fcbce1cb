-- CREATE AGGREGATE: new and old forms, support functions that are built-in, SQL or PL/pgSQL, INITCOND, FINALFUNC, FINALFUNC_EXTRA, OR REPLACE, the errors of bad definitions, DROP and ALTER AGGREGATE, pg_proc and pg_aggregate.
create table agt (g int, x int, s text);
insert into agt values (1, 1, 'a'), (1, 2, 'b'), (2, 3, 'c'), (2, null, 'd'), (1, 2, 'e'), (3, null, null);
create aggregate agg_sum (int4) (sfunc = int4pl, stype = int4);
select g, agg_sum(x) from agt group by g order by g;
select agg_sum(x) from agt where false;
create aggregate agg_sum0 (int4) (sfunc = int4pl, stype = int4, initcond = '0');
select g, agg_sum0(x) from agt group by g order by g;
select agg_sum0(x) from agt where false;
create aggregate agg_max (basetype = int4, sfunc = int4larger, stype = int4);
select agg_max(x), agg_max(g) from agt;
create aggregate agg_big (int4) (sfunc = int8pl, stype = int8, initcond = '0');
create function agg_add_sql(int8, int4) returns int8 language sql strict as $$ select $1 + $2 $$;
create aggregate agg_big (int4) (sfunc = agg_add_sql, stype = int8, initcond = '0');
select agg_big(x) from agt;
create function agg_cat(text, text) returns text language sql as $$ select coalesce($1, '') || '/' || coalesce($2, '-') $$;
create aggregate agg_path (text) (sfunc = agg_cat, stype = text);
select g, agg_path(s order by s) from agt group by g order by g;
create function agg_acc(int[], int) returns int[] language plpgsql strict as $$ begin return array[$1[1] + $2, $1[2] + 1]; end $$;
create function agg_fin(int[]) returns numeric language plpgsql as $$ begin if $1[2] = 0 then return null; end if; return round($1[1]::numeric / $1[2], 3); end $$;
create aggregate agg_avg (int) (sfunc = agg_acc, stype = int[], finalfunc = agg_fin, initcond = '{0,0}');
select g, agg_avg(x) from agt group by g order by g;
select agg_avg(x) from agt;
create function agg_count_fin(int8, text) returns text language sql as $$ select $1 || ' rows, extra ' || coalesce($2, 'null') $$;
create function agg_count_step(int8, text) returns int8 language sql as $$ select $1 + 1 $$;
create aggregate agg_count_extra (text) (sfunc = agg_count_step, stype = int8, initcond = '0', finalfunc = agg_count_fin, finalfunc_extra);
select agg_count_extra(s) from agt;
create function agg_step0(int8) returns int8 language sql as $$ select $1 + 1 $$;
create aggregate agg_rows (*) (sfunc = agg_step0, stype = int8, initcond = '0');
select agg_rows(*) from agt;
select agg_rows() from agt;
create aggregate agg_old_rows (basetype = 'ANY', sfunc = agg_step0, stype = int8, initcond = '100');
select agg_old_rows(*) from agt;
-- bad definitions
create aggregate agg_bad (int4) (stype = int4);
create aggregate agg_bad (int4) (sfunc = int4pl);
create aggregate agg_bad (int4) (sfunc = no_such_function, stype = int4);
create aggregate agg_bad (int4) (sfunc = int4pl, stype = text);
create aggregate agg_bad (int4) (sfunc = agg_cat, stype = text);
create aggregate agg_bad (int4) (sfunc = int4pl, stype = int4, finalfunc = no_such_final);
create aggregate agg_bad (int4) (sfunc = int4pl, stype = int4, initcond = 'seven');
create aggregate agg_bad (int4) (basetype = int4, sfunc = int4pl, stype = int4);
create aggregate agg_bad (sfunc = int4pl, stype = int4);
create aggregate agg_bad (int8) (sfunc = agg_add_sql, stype = int8);
create aggregate agg_sum (int4) (sfunc = int4pl, stype = int4);
create aggregate agg_warn (int4) (sfunc = int4pl, stype = int4, colour = 'blue');
select agg_warn(x) from agt;
-- OR REPLACE keeps the aggregate and changes its definition
create or replace aggregate agg_sum (int4) (sfunc = int4pl, stype = int4, initcond = '1000');
select agg_sum(x) from agt;
create or replace aggregate agg_sum (int4) (sfunc = agg_add_sql, stype = int8);
create or replace aggregate agg_add_sql (int8, int4) (sfunc = agg_add_sql, stype = int8);
create or replace function agg_sum(int4) returns int4 language sql as 'select 1';
-- the catalogs
select p.proname, p.prokind, p.pronargs, p.prorettype::regtype
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where n.nspname = 'public' and p.proname like 'agg\_%' order by 1, 3;
select aggfnoid, aggkind, aggnumdirectargs, aggtransfn, aggfinalfn, aggfinalextra, aggtranstype::regtype, agginitval
from pg_aggregate where aggfnoid::text like 'agg\_%' order by aggfnoid::text;
-- transactional DDL
begin;
create aggregate agg_tx (int4) (sfunc = int4smaller, stype = int4);
select agg_tx(x) from agt;
rollback;
select agg_tx(x) from agt;
-- dependencies, DROP and ALTER
drop function agg_acc(int[], int);
drop function agg_avg(int);
drop aggregate agg_avg(int8);
drop aggregate agg_add_sql(int8, int4);
drop aggregate if exists agg_nothing(int4);
alter aggregate agg_max(int4) rename to agg_top;
select agg_top(x) from agt;
select agg_max(x) from agt;
drop aggregate agg_top(int4), agg_avg(int4);
select agg_avg(x) from agt;
drop function agg_cat(text, text) cascade;
select agg_path(s) from agt;
-- ALTER FUNCTION's clauses do not apply to an aggregate; renaming, COMMENT and SET SCHEMA do
create aggregate agg_s1 (int) (sfunc = int4pl, stype = int);
alter function agg_s1(int) strict;
alter function agg_s1(int) rename to agg_s2;
comment on aggregate agg_s2(int) is 'two';
select obj_description('agg_s2'::regproc, 'pg_proc');
create schema agg_sch;
alter aggregate agg_s2(int) set schema agg_sch;
select agg_sch.agg_s2(x) from agt;
select agg_s2(x) from agt;
