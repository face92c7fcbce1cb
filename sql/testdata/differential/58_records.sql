-- Record values: row constructors, record output, field selection,
-- whole-row references, select-list set-returning functions and
-- information_schema._pg_expandarray as pgJDBC calls it.
select row(1, 'a b', null, '', 'x"y', 'a\b', '(,)');
select (1, 'q'), row();
select row(1, array[1, 2], row(2, 'q'));
select (row(1, 2)).f2, (row(1, 'z')).f1;
select (row(1, 2)).*;
select (row(1, 2)).z;
select (1).x;
select row(1, 2)::text;
select row(1, 2) = row(1, 2), row(1, null) = row(1, null), row(1, 2) < row(1, 3);
select s.x = s.y, s.x < s.z, s.x = s.z, s.x <> s.y from (select row(1, null::int) as x, row(1, null::int) as y, row(2, 3) as z) s;
select s.x = s.w from (select row(1, 2) as x, row(1, 'a'::text) as w) s;
select s.x = s.w from (select row(1, 2) as x, row(1, 2, 3) as w) s;
create table rt (a int primary key, b text);
insert into rt values (1, 'x y'), (2, null);
-- A whole-row reference to a subquery is a record; to a table, cairn
-- types it record too (PostgreSQL: the table's row type), so only its
-- fields are compared here.
select s from (select * from rt) s order by s.a;
select row(rt.a, rt.b) from rt order by a;
select (rt).b, (rt).* from rt order by a;
select (rt).nosuch from rt;
select row(rt.*), row(rt.*, 5), (row(rt.*)).f2 from rt order by a;
select (row(rt.*)).b from rt;
select row(zz.*) from rt;
select array[row(1, 2), row(3, 'a b')];
select row(1, 2) is null, row(null, null) is null, row(1, null) is not null, row(1, 2) is not null;
select '(1,2)'::record;
select (s.x).f2, s.x from (select row(1, 2) as x) s;
select (s.x).f3 from (select row(1, 2) as x) s;
select information_schema._pg_expandarray(array[10, 20]);
select (information_schema._pg_expandarray(array[10, 20])).n;
select (information_schema._pg_expandarray(array['a', 'b'])).*;
select * from information_schema._pg_expandarray(array['a', 'b']);
select (k).n, (k).x from (select information_schema._pg_expandarray(array[5, 6]) as k) s;
select information_schema._pg_expandarray(null::int[]);
select _pg_expandarray(array[1]);
select information_schema._pg_expandarray('{1}');
select information_schema._pg_expandarray(indkey), indkey from pg_index where indrelid = 'rt'::regclass;
select a, generate_series(1, 2), generate_series(1, 3) from rt where a = 1;
select a, generate_series(1, 2) * 10 from rt order by 1, 2;
select a, jsonb_each('{"k": 1, "l": "x"}') from rt order by 1, 2;
select a, (jsonb_each('{"k": 1}')).key from rt order by 1;
select a, unnest(array[1, 2]) + generate_series(1, 3) from rt where a = 1;
select generate_series(1, 3) as g order by g desc;
select case when a = 1 then generate_series(1, 2) end from rt;
select coalesce(generate_series(1, 2), 0) from rt;
select 5 & 3, 5 | 3, 5 # 3, 1 << 3, 16 >> 2, ~5, 1::int2 << 15, 3::int2 & 7::int8;
select 1.5 & 1;
-- getPrimaryKeys as pgJDBC 42.5 sends it.
create table rk (b int, a int, c text, primary key (a, b));
SELECT result.TABLE_SCHEM, result.TABLE_NAME, result.COLUMN_NAME, result.KEY_SEQ, result.PK_NAME FROM (SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, ct.relname AS TABLE_NAME, a.attname AS COLUMN_NAME, (information_schema._pg_expandarray(i.indkey)).n AS KEY_SEQ, ci.relname AS PK_NAME, information_schema._pg_expandarray(i.indkey) AS KEYS, a.attnum AS A_ATTNUM FROM pg_catalog.pg_class ct JOIN pg_catalog.pg_attribute a ON (ct.oid = a.attrelid) JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid) JOIN pg_catalog.pg_index i ON ( a.attrelid = i.indrelid) JOIN pg_catalog.pg_class ci ON (ci.oid = i.indexrelid) WHERE true AND n.nspname = 'public' AND ct.relname = 'rk' AND i.indisprimary ) result where result.A_ATTNUM = (result.KEYS).x ORDER BY result.table_name, result.pk_name, result.key_seq;
-- The size functions: what PostgreSQL answers whatever the sizes.
select pg_relation_size('rk', 'fsm'), pg_relation_size('rk', 'vm'), pg_indexes_size('rk_pkey');
select pg_relation_size(0), pg_table_size(0), pg_indexes_size(0), pg_total_relation_size(0);
select pg_relation_size('rk', 'foo');
select pg_relation_size('nosuch');
select pg_database_size('nosuch');
select has_database_privilege('postgres', 'CONNECT'), has_database_privilege('postgres', 'create, temp');
select has_database_privilege('postgres', 'foo');
select pg_size_pretty(0::bigint), pg_size_pretty(10239::bigint), pg_size_pretty(10240::bigint), pg_size_pretty(-10240::bigint), pg_size_pretty(20971519::bigint), pg_size_pretty(9223372036854775807);
select pg_size_pretty(1.5::numeric), pg_size_pretty(10240.7::numeric), pg_size_pretty(123456789012345678901234567890::numeric), pg_size_pretty(-99999::numeric);
select pg_size_pretty(1);
select pg_size_bytes('1'), pg_size_bytes(' 1.5 kB '), pg_size_bytes('1e3MB'), pg_size_bytes('-2 GB'), pg_size_bytes('1 pb'), pg_size_bytes('.5 bytes');
select pg_size_bytes('1 B');
select pg_size_bytes('abc');
select pg_size_bytes('99999999999 PB');
select proname, pg_get_function_result(oid), pg_get_function_arguments(oid), provolatile, pg_function_is_visible(oid) from pg_proc where proname in ('abs', 'pg_size_pretty') order by oid;
select pg_get_function_result(0), pg_get_function_arguments(0), pg_function_is_visible(0);
select oid, typname, typtype, typelem, typarray, typlen, typalign, typstorage from pg_type where oid in (22, 1006, 2249, 2287) order by oid;
select indkey, indoption, indkey[0], indoption[1] from pg_index where indrelid = 'rk'::regclass;
select 1 = any('1 2'::int2vector), 3 = any('1 2'::int2vector), array_length('1 2'::int2vector, 1), array_to_string('1 2'::int2vector, ',');
select array_lower('1 2'::int2vector, 1), array_upper('1 2'::int2vector, 1), array_upper(array[5, 6], 1);
select unnest('3 4'::int2vector);
create table rx as select row(1, 2) as r;
create view rv as select a, row(a, b) as r from rt;
create view rw as select a, (row(a, b)).f2 as r from rt;
select * from rw order by a;
