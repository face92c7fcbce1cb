-- Multi-dimensional arrays and explicit lower bounds: text input and output,
-- constructors, subscripts and slices, assignment to elements and slices,
-- the array functions on them, and their errors.
select '{{1,2,3},{4,5,6},{7,8,9}}'::int[];
select '[0:2][0:2]={{1,2,3},{4,5,6},{7,8,9}}'::int[];
select '[0:1]={1.1,2.2}'::float8[], '[3]={1,2,3}'::int[], '[1:2]={a,b}'::text[];
select '{{{1,2,3,4},{2,3,4,5}},{{3,4,5,6},{4,5,6,7}}}'::text[];
select '{ { "," } , { 3 } }'::text[];
select '  {   {  "  0 second  "   ,  0 second  }   }'::text[];
select '{{{{{{1}}}}}}'::int[];
-- malformed literals: 22P02 with array_in's details, 2202E and 54000
select '{{1,{2}},{2,3}}'::text[];
select '{{},{}}'::text[];
select E'{{1,2},\\{2,3}}'::text[];
select '{{"1 2" x},{3}}'::text[];
select '{{1,2},{3}}'::int[];
select '{{1,2},3}'::int[];
select '{}}'::text[];
select '[1:2]={1}'::int[];
select '[1:1]={}'::int[];
select '[1:2]{1,2}'::int[];
select '[a]={1}'::int[];
select '[1:]={1}'::int[];
select '[1:2={1,2}'::int[];
select '[1]=1'::int[];
select '[2:1]={1}'::int[];
select '{{{{{{{1}}}}}}}'::int[];
-- constructors
select ARRAY[[1,2],[3,4]], ARRAY[ARRAY['a'],ARRAY['b']], ARRAY[[1,2],[3.5,4]];
select ARRAY[[[[[['hello'],['world']]]]]];
select ARRAY[[1,2],[3]];
select ARRAY[ARRAY[1,2],NULL,ARRAY[3,4]];
select ARRAY[NULL::int[], NULL];
select ARRAY[[[[[[[1]]]]]]];
select ARRAY['1', 'NaN']::float8[], ARRAY[['a','bcd']]::varchar(2)[];
select array(select array[i, i * 10] from generate_series(1, 3) i);
select array_agg(array[i, nullif(i, 2)]) from generate_series(1, 3) i;
select array_agg(a) from (values ('{1,2}'::int[]), ('{3}'::int[])) v(a);
select array_agg('{}'::int[]) from generate_series(1, 2);
select array_agg(null::int[]) from generate_series(1, 2);
-- subscripts and slices
select ('{{1,2,3},{4,5,6},{7,8,9}}'::int[])[2][3], ('{{1,2,3},{4,5,6},{7,8,9}}'::int[])[2];
select ('{{1,2,3},{4,5,6},{7,8,9}}'::int[])[1:2][2];
select ('[0:2][0:2]={{1,2,3},{4,5,6},{7,8,9}}'::int[])[1:2][2];
select ('[0:2][0:2]={{1,2,3},{4,5,6},{7,8,9}}'::int[])[0][0];
select ('{{{1},{2},{3}},{{4},{5},{6}}}'::int[])[1][NULL][1], ('{{{1},{2},{3}},{{4},{5},{6}}}'::int[])[1][NULL:1][1];
select ('{}'::int[])[1][2][3][4][5][6][7];
select a[:3], a[2:], a[:], a[4:9] from (values ('{1,2,3,4,5}'::int[]), ('[0:4]={1,2,3,4,5}')) v(a);
select b[:2][:2], b[2:][2:], b[3:1] from (values ('{{1,2,3},{4,5,6},{7,8,9}}'::int[]), ('[0:2][0:2]={{1,2,3},{4,5,6},{7,8,9}}')) v(b);
-- comparison: elements, then dimensions and bounds
select '{{1,2},{3,4}}'::int[] = '{1,2,3,4}'::int[], '{{1,2},{3,4}}'::int[] < '{1,2,3,4}'::int[], '[0:1]={1,2}'::int[] > '{1,2}'::int[];
select distinct x from (values ('{1,2}'::int[]), ('{{1,2}}'), ('{1,2}'), ('[0:1]={1,2}')) v(x) order by x;
-- functions on any shape
select array_ndims(a), array_dims(a), array_lower(a, 1), array_upper(a, 2), array_length(a, 2), cardinality(a)
  from (values ('[0:1][2:4]={{1,2,3},{4,5,6}}'::int[]), ('{}'), ('{7}')) v(a);
select array_length(array[[1,2,3], [4,5,6]], 0), array_length(array[[1,2,3], [4,5,6]], 3);
select array_cat(ARRAY[1,2], ARRAY[[3,4],[5,6]]), array_cat(ARRAY[[3,4],[5,6]], ARRAY[1,2]);
select ARRAY[[1,2],[3,4]] || ARRAY[5,6], ARRAY[1.1] || ARRAY[2,3,4];
select '[2:3]={1,2}'::int[] || '[5:6]={3,4}'::int[], 0 || '[2:3]={1,2}'::int[], '[2:3]={1,2}'::int[] || 3;
select ARRAY[[1,2],[3,4]] || ARRAY[5,6,7];
select ARRAY[[1,2],[3,4]] || ARRAY[[[5,6]]];
select ARRAY[1] || ARRAY[[[5,6,7]]];
select ARRAY[[1,2],[3,4]] || 5;
select array_prepend(1, '{{1}}'::int[]);
select array_to_string('{{1,2},{NULL,4}}'::int[], ',', '*'), unnest('{{1,2},{3,4}}'::int[]);
select array_position('[2:4]={1,2,3}'::int[], 1), array_positions(ARRAY[1,2,1,3,1], 1), array_positions(ARRAY[1,NULL,NULL], NULL);
select array_position('{{1,2}}'::int[], 1);
select array_remove('[2:4]={1,2,3}'::int[], 2), array_replace('{{1,2},{1,3}}'::int[], 1, 9);
select array_remove('{{1,2},{3,4}}'::int[], 2);
select array_fill(7, array[2,3], array[0,2]), array_fill('x'::text, array[2]), array_fill(1, array[0]);
select array_fill(1, null, array[2,2]);
select array_fill(1, array[2,2], '{}');
select array_fill(1, array[1,2,null]);
select array_fill(1, array[[1,2],[3,4]]);
select array_fill(1, array[1,1,1,1,1,1,1]);
select trim_array('[10:16]={1,2,3,4,5,6,7}'::int[], 2), trim_array('{{1,10},{2,20},{3,30}}'::int[], 1);
select trim_array(ARRAY[1, 2, 3], 10);
select width_bucket(5, ARRAY[1, 3, 5, 10]), width_bucket(5.5, '{1,6}'), width_bucket(5, '{}');
select width_bucket(5, ARRAY[3, 4, NULL]);
select width_bucket(5, ARRAY[ARRAY[1, 2], ARRAY[3, 4]]);
select v, v is null from string_to_table('1,2,,4', ',', '') g(v);
select 'foo' like any (array['%a', '%o']), 'foo' like all (array['f%', '%b']), 'foo' not ilike all (array['%A', '%B']);
select 33 * any ('{1,2,3}');
select 33 * any (44);
select '{"foobar"}'::_name;
-- assignment to elements and slices
create table ma (id int primary key, a int[], b int[], t text[]);
insert into ma (id, a[1:5], b[1:1][1:2][1:2], t[2]) values (1, '{1,2,3,4,5}', '{{{0,0},{1,2}}}', 'x');
insert into ma (id, a[0], a[2]) values (2, 10, 12);
insert into ma (id, b[2]) values (3, now());
insert into ma (id, b[1:2]) values (3, now());
insert into ma (id) values (3);
select * from ma order by id;
update ma set a[1:2] = '{16,25}', b[1:1][1:1][1:2] = '{113, 117}', b[1:1][1:2][2:2] = '{142, 147}' where id = 1;
update ma set a[6] = 60, t[-1] = 'm' where id = 2;
select * from ma order by id;
update ma set a[9] = 9 where id = 1;
update ma set a[-2:-1] = array[-2, -1] where id = 1;
select id, a, array_dims(a) from ma order by id;
update ma set b[1][1][9] = 1 where id = 1;
update ma set b[1][1] = 1 where id = 1;
update ma set a[NULL] = 1 where id = 1;
update ma set a[1:NULL] = '{1}' where id = 1;
update ma set a[:] = '{1,2}' where id = 1;
update ma set b[:] = '{1}' where id = 3;
update ma set b[1:2] = null where id = 3;
insert into ma (id, a[1:3]) values (4, '{1,2}');
update ma set a[1] = 1, a = null where id = 1;
select * from ma order by id;
