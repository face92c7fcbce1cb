-- jsonb subscripted assignment: UPDATE ... SET j[...] = v
CREATE TABLE js (id int PRIMARY KEY, j jsonb);
INSERT INTO js VALUES (1, '{}'), (2, '{"key": "value"}'), (3, NULL);
UPDATE js SET j['a'] = '1' WHERE id = 1;
UPDATE js SET j['a'] = '"test"', j['b'] = '{"c": [1, 2]}'::jsonb WHERE id = 2;
UPDATE js SET j['a'] = '1' WHERE id = 3;
SELECT * FROM js ORDER BY id;
UPDATE js SET j['another'] = NULL WHERE id = 1;
SELECT j FROM js WHERE id = 1;
SELECT * FROM js WHERE j['key'] = '"value"';
UPDATE js SET j = NULL WHERE id = 3;
UPDATE js SET j[0] = '1' WHERE id = 3 RETURNING j;
UPDATE js SET j = '[0]' WHERE id = 3;
UPDATE js SET j[5] = '1' WHERE id = 3 RETURNING j;
UPDATE js SET j[-4] = '2' WHERE id = 3 RETURNING j;
UPDATE js SET j = '{}' WHERE id = 3;
UPDATE js SET j['a'][0]['b'][0]['c'] = '1' WHERE id = 3 RETURNING j;
UPDATE js SET j['a'][2]['b'][2]['c'][2] = '1' WHERE id = 3 RETURNING j;
UPDATE js SET j = '{"a": {}}' WHERE id = 3;
UPDATE js SET j['a']['b']['c'][2] = '1' WHERE id = 3 RETURNING j;
UPDATE js SET j = '{}' WHERE id = 3;
UPDATE js SET j[0]['a'] = '1' WHERE id = 3 RETURNING j;
INSERT INTO js VALUES (4, '[]') ON CONFLICT (id) DO UPDATE SET j['x'] = '5';
INSERT INTO js VALUES (4, '[]') ON CONFLICT (id) DO UPDATE SET j[1] = excluded.j RETURNING j;
-- subscripted assignment errors
UPDATE js SET j[NULL] = '1';
UPDATE js SET j['a'] = 1;
UPDATE js SET j['a'] = 'x'::text;
UPDATE js SET j[1.5] = '1';
UPDATE js SET j = '[0]' WHERE id = 3;
UPDATE js SET j[-8] = '1' WHERE id = 3;
UPDATE js SET j['x'] = '1' WHERE id = 3;
UPDATE js SET j = '{"a": 1}' WHERE id = 3;
UPDATE js SET j['a']['b'] = '1' WHERE id = 3;
UPDATE js SET j['a'][0] = '1' WHERE id = 3;
UPDATE js SET j = 'null' WHERE id = 3;
UPDATE js SET j[0] = '1' WHERE id = 3;
UPDATE js SET j = '{}', j['a'] = '1';
UPDATE js SET j['a'] = '1', j = '{}';
SELECT * FROM js ORDER BY id;
-- VARIADIC arrays of json_build_* and json_extract_path
SELECT json_build_array(VARIADIC NULL::text[]), jsonb_build_array(VARIADIC '{}'::text[]);
SELECT json_build_array(VARIADIC ARRAY['a', NULL]::text[]), jsonb_build_array(VARIADIC '{1,2,3,4}'::int[]);
SELECT json_build_object(VARIADIC NULL::text[]), jsonb_build_object(VARIADIC '{}'::text[]);
SELECT json_build_object(VARIADIC '{1,2,3,4}'::int[]), jsonb_build_object(VARIADIC ARRAY['a', NULL]::text[]);
SELECT json_build_object(VARIADIC '{a,b,c}'::text[]);
SELECT jsonb_build_object(VARIADIC 1);
SELECT json_extract_path_text('{"a":{"b":3}}', VARIADIC '{a,b}'), jsonb_extract_path('{"a":[1,2]}', VARIADIC ARRAY['a','1']);
SELECT to_json(VARIADIC '{1}'::int[]);
-- records as JSON objects
SELECT row_to_json(row(1, 'foo')), to_json(row(1, 'foo')), to_jsonb(row(1, 'foo'));
SELECT row_to_json(row(1, row(2, 'x')), true);
SELECT row_to_json(row((SELECT array_agg(x) FROM generate_series(5, 7) x)), false);
SELECT row_to_json(1);
SELECT array_to_json(array_agg(q), false) FROM (SELECT x AS b, x * 2 AS c FROM generate_series(1, 3) x) q;
SELECT array_to_json(array_agg(q), true) FROM (SELECT x AS b, x * 2 AS c FROM generate_series(1, 3) x) q;
SELECT json_agg(q), jsonb_agg(q) FROM (SELECT 'a' || x AS b, ARRAY[ROW(x, ARRAY[1, 2]), ROW(x + 1, NULL)] AS z FROM generate_series(1, 2) x) q;
SELECT row_to_json(q, true) FROM (SELECT 1 AS a, ARRAY[ROW(2, 'y')] AS z) q;
-- dates and timestamps
SELECT to_json(date 'infinity'), to_json(date '-infinity'), to_jsonb(timestamp 'infinity'), to_jsonb(timestamptz '-infinity');
SELECT to_json(timestamp '0044-03-15 10:00 BC'), to_json(date '2014-05-28');
BEGIN;
SET LOCAL TIME ZONE 10.5;
SELECT to_json(timestamptz '2014-05-28 12:22:35.614298-04'), to_jsonb(timestamptz '2014-05-28 12:22:35.614298-04');
SET LOCAL TIME ZONE -8;
SELECT to_json(timestamptz '2014-05-28 12:22:35.614298-04'), to_jsonb(timestamptz '2014-05-28 12:22:35');
COMMIT;
-- populate_record(set) of anonymous records
SELECT NULL::record, (NULL::record) IS NULL;
SELECT json_populate_record(NULL::record, '{"x": 0, "y": 1}');
SELECT json_populate_record(row(1, 2), '{"f1": 0, "f2": 1}'), jsonb_populate_record(row(1, 'x'), '{"f2": {"a": 1}}');
SELECT jsonb_populate_record(row(1, 'x'), NULL);
SELECT json_populate_record(row(1, 'x'), '[1]');
SELECT jsonb_populate_record(row(1, 'x'), '3');
SELECT json_populate_record(row(1, 'x'), '{"f1": "abc"}');
SELECT json_populate_record(1, '{}');
SELECT * FROM json_populate_record(NULL::record, '{"x": 776}') AS (x int, y int);
SELECT * FROM jsonb_populate_record(row(1, 2), NULL) AS (x int, y int);
SELECT * FROM jsonb_populate_record(NULL::record, NULL) AS (x int, y int);
SELECT * FROM json_populate_record(row(1, 'x'), '{"f1": 3}') q;
SELECT json_populate_recordset(row(1, 2), '[{"f1": 0, "f2": 1}]');
SELECT i, json_populate_recordset(row(i, 50), '[{"f1":"42"},{"f2":"43"}]') FROM (VALUES (1), (2)) v(i) ORDER BY 1, 2;
SELECT json_populate_recordset(NULL::record, '[]');
SELECT jsonb_populate_recordset(row(1, 2), '[]');
SELECT * FROM json_populate_recordset(NULL::record, '[]') AS (x int, y int);
SELECT * FROM jsonb_populate_recordset(NULL::record, '[{"x": 776}, {"y": "3"}]') AS (x int, y int);
SELECT * FROM jsonb_populate_recordset(NULL::record, NULL) AS (x int, y int);
SELECT * FROM json_populate_recordset(row(0::int), '[{"a":"1","b":"2"},{"a":"3"}]') q (a text, b text);
SELECT * FROM json_populate_recordset(row(0::int, 0::int), '[{"a":"1","b":"2"},{"a":"3"}]') q (a text, b text);
SELECT * FROM json_populate_recordset(row(1::int, 2::int), '[{"f1":"1"},{"f2":"3"}]') q (a int, b int);
SELECT * FROM jsonb_populate_recordset(NULL::record, '{"a": 1}') AS (a int);
SELECT * FROM jsonb_populate_recordset(NULL::record, '[1]') AS (a int);
-- jsonb_set_lax with named arguments
SELECT jsonb_set_lax('{"a":1,"b":2}', '{b}', NULL, null_value_treatment => 'return_target');
SELECT jsonb_set_lax('{"a":1,"b":2}', '{b}', NULL, null_value_treatment => 'delete_key');
SELECT jsonb_set_lax('{"a":1,"b":2}', '{b}', NULL, null_value_treatment => 'raise_exception');
SELECT jsonb_set_lax('{"a":1,"b":2}', '{c}', '3', create_if_missing => false);
SELECT jsonb_set_lax(jsonb_in => '{}', path => '{c}', replacement => '3');
SELECT jsonb_set_lax('{"a":1,"b":2}', null_value_treatment => 'x');
SET enable_hashagg = off;
SHOW enable_hashagg;
RESET enable_hashagg;
-- max_stack_depth bounds JSON nesting
SHOW max_stack_depth;
SET max_stack_depth = '100kB';
SELECT repeat('[', 10000)::json;
SELECT repeat('{"a":', 10000)::jsonb;
SELECT (repeat('[', 1000) || repeat(']', 1000))::jsonb;
RESET max_stack_depth;
SELECT repeat('[', 10000)::jsonb;
SET max_stack_depth = '8000kB';
SET max_stack_depth = '50kB';
-- jsonb_build_object keys
SELECT jsonb_build_object(NULL, 'a');
SELECT json_build_object(NULL, 'a');
SELECT jsonb_build_object(VARIADIC ARRAY[NULL, 'a']::text[]);
SELECT json_build_object(row(1), 2);
SELECT jsonb_object_agg(NULL::text, 1);
-- subscripted assignment in MERGE, and through a join
MERGE INTO js USING (VALUES (1, '5'::jsonb), (2, '6'::jsonb)) v(id, x) ON js.id = v.id
  WHEN MATCHED THEN UPDATE SET j['m'] = v.x, j['n'] = to_jsonb(v.id);
SELECT id, j FROM js WHERE id IN (1, 2) ORDER BY id;
UPDATE js SET j['from'] = o.j FROM js o WHERE o.id = 4 AND js.id = 1 RETURNING js.j;
UPDATE js SET j['a'][0] = '1' WHERE false;
-- nested anonymous records
SELECT json_populate_record(row(1, row(2, 'x')), '{"f1": 5}');
SELECT json_populate_record(row(1, row(2, 'x')), '{"f2": null}');
SELECT json_populate_record(row(1, row(2, 'x')), '{"f2": {"f1": 5}}');
SELECT to_jsonb(row(1, row(2, 'x'), ARRAY[row(3)])), row_to_json(row(row(row(1))));
-- jsonb subscripts read
SELECT ('[1,2,3]'::jsonb)[-1], ('[1,2,3]'::jsonb)['1'], ('{"1": "x"}'::jsonb)[1], ('[1]'::jsonb)[NULL], ('{"a":1}'::jsonb)['a']['b'];
SELECT ('[1,2,3]'::jsonb)[1.0];
SELECT ('[1,2,3]'::jsonb)['x'], ('"s"'::jsonb)[0], ('{"a": [1]}'::jsonb)['a'][0]::int + 1;
-- set-returning functions on the wrong kind of value
SELECT * FROM json_array_elements('{"a":1}');
SELECT * FROM json_array_elements_text('1');
SELECT * FROM jsonb_array_elements('{"a":1}');
SELECT * FROM jsonb_array_elements_text('1');
SELECT * FROM json_each('[1]');
SELECT * FROM json_each_text('1');
SELECT * FROM jsonb_each('[1]');
SELECT json_object_keys('[1]');
SELECT jsonb_object_keys('1');

-- populate functions with a composite type: its fields are the columns
create type jpt as (a int, b text, c int[]);
select json_populate_record(null::jpt, '{"a":1,"b":"x","c":[1,2]}');
select * from json_populate_record(null::jpt, '{"a":1,"b":"x"}');
select * from jsonb_populate_recordset(null::jpt, '[{"a":1},{"b":"y"}]');
select (json_populate_record(row(5,'q',null)::jpt, '{"a":7}')).*;
select * from json_to_record('{"a":1,"b":"x"}') as x(a int, b text);
select to_json(row(1,'x',array[1])::jpt);
select row_to_json(row(1,'x',null)::jpt);
drop type jpt;
