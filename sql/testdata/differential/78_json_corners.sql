-- json_populate_record and friends: nested composites, arrays of any depth, domains
CREATE TYPE jc_pair AS (a text, b int, c timestamp);
CREATE DOMAIN jc_int_nn AS int NOT NULL;
CREATE DOMAIN jc_arr3 AS int[] CHECK (array_length(VALUE, 1) = 3);
CREATE DOMAIN jc_arr_2x3 AS int[][] CHECK (array_length(VALUE, 2) = 3);
CREATE TYPE jc_rec AS (i int, ia int[], ia2 int[][], ia3 int[][][], a3 jc_arr3, a23 jc_arr_2x3, ta text[], rec jc_pair, reca jc_pair[]);
CREATE TYPE jc_nn AS (i jc_int_nn, t text);
CREATE TYPE jc_xy AS (x int, y int);
CREATE DOMAIN jc_ordered AS jc_xy CHECK ((VALUE).x <= (VALUE).y);
-- arrays from nested JSON arrays
SELECT ia FROM json_populate_record(NULL::jc_rec, '{"ia": [[1, 2], [3, 4]]}');
SELECT ia2 FROM jsonb_populate_record(NULL::jc_rec, '{"ia2": [[1, 2], [null, 4]]}');
SELECT ia2 FROM json_populate_record(NULL::jc_rec, '{"ia2": [[], []]}');
SELECT ia3 FROM jsonb_populate_record(NULL::jc_rec, '{"ia3": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]}');
SELECT ia3 FROM json_populate_record(NULL::jc_rec, '{"ia3": [[[], []], [[], []]]}');
SELECT ia FROM json_populate_record(NULL::jc_rec, '{"ia": "{1,2,3}"}');
SELECT ta FROM jsonb_populate_record(NULL::jc_rec, '{"ta": [1, {"k": "v"}, null]}');
SELECT ta FROM json_populate_record(NULL::jc_rec, '{"ta": [1, {"k": "v"}, null]}');
SELECT ia FROM json_populate_record(NULL::jc_rec, '{"ia": 123}');
SELECT ia FROM jsonb_populate_record(NULL::jc_rec, '{"ia": {"a": 1}}');
SELECT ia FROM json_populate_record(NULL::jc_rec, '{"ia": [[1], 2]}');
SELECT ia FROM jsonb_populate_record(NULL::jc_rec, '{"ia": [[1], [2, 3]]}');
SELECT ia FROM json_populate_record(NULL::jc_rec, '{"ia": [1, [2]]}');
SELECT ia FROM jsonb_populate_record(NULL::jc_rec, '{"ia": [[[[[[[1]]]]]]]}');
SELECT ta FROM jsonb_populate_record(NULL::jc_rec, '{"ta": [[1, 2, 3], {"k": "v"}]}');
-- domains on fields, on array fields and on the base
SELECT a3 FROM json_populate_record(NULL::jc_rec, '{"a3": [1, "2", null]}');
SELECT a3 FROM json_populate_record(NULL::jc_rec, '{"a3": [1, 2]}');
SELECT a23 FROM jsonb_populate_record(NULL::jc_rec, '{"a23": [[1, 2, 3], [4, 5, 6]]}');
SELECT a23 FROM jsonb_populate_record(NULL::jc_rec, '{"a23": [[1, 2], [4, 5]]}');
SELECT i FROM json_populate_record(NULL::jc_nn, '{"t": "x"}');
SELECT i FROM jsonb_populate_record(NULL::jc_nn, '{"i": null}');
SELECT i, t FROM json_populate_record(row(5, 'b')::jc_nn, '{"t": "x"}');
SELECT * FROM json_populate_recordset(NULL::jc_nn, '[{"i": 1}, {"t": "y"}]');
SELECT json_populate_record(row(1, 2)::jc_ordered, '{"y": 5}');
SELECT json_populate_record(row(1, 2)::jc_ordered, '{"x": 3}');
SELECT jsonb_populate_recordset(row(1, 2)::jc_ordered, '[{"x": 0}, {"y": 0}]');
-- nested composites
SELECT rec FROM json_populate_record(NULL::jc_rec, '{"rec": {"a": "abc", "c": "01.02.2003", "x": 43.2}}');
SELECT rec FROM jsonb_populate_record(NULL::jc_rec, '{"rec": "(abc,42,01.02.2003)"}');
SELECT reca FROM json_populate_record(NULL::jc_rec, '{"reca": [{"a": "abc", "b": 456}, null, "(x,1,)"]}');
SELECT reca FROM jsonb_populate_record(NULL::jc_rec, '{"reca": "{\"(abc,42,01.02.2003)\"}"}');
SELECT (json_populate_record(row(NULL, NULL, NULL, NULL, NULL, NULL, NULL, row('x', 3, '2012-12-31 15:30:56')::jc_pair, NULL)::jc_rec, '{"rec": {"a": "abc", "c": "01.02.2003"}}')).rec;
SELECT rec FROM json_populate_record(NULL::jc_rec, '{"rec": 123}');
SELECT rec FROM jsonb_populate_record(NULL::jc_rec, '{"rec": [1, 2]}');
SELECT reca FROM json_populate_record(NULL::jc_rec, '{"reca": [1, 2]}');
SELECT rec FROM jsonb_populate_record(NULL::jc_rec, '{"rec": "(abc,42"}');
SELECT rec FROM json_populate_record(NULL::jc_rec, '{"rec": {"b": 1.5}}');
-- column definition lists with user types
SELECT * FROM json_to_record('{"r": {"a": "aaa", "b": 123}, "ia": [[1, 2], [3, 4]]}') AS x(r jc_pair, ia int[]);
SELECT * FROM jsonb_to_record('{"r": [{"a": "aaa", "b": 123}]}') AS x(r jc_pair[]);
SELECT * FROM jsonb_to_recordset('[{"i": 1}, {"i": 2}]') AS x(i jc_int_nn);
SELECT * FROM jsonb_to_recordset('[{"i": 1}, {"j": 2}]') AS x(i jc_int_nn);
SELECT * FROM json_to_record('{"a": [1, 2]}') AS x(a jc_arr3);
-- json_object's array shapes
SELECT json_object('{{a, 1}, {b, 2}}');
SELECT jsonb_object('{{a, 1}, {b, 2}}');
SELECT json_object('{{a}, {b}}');
SELECT jsonb_object('{{a, b, c}, {b, c, d}}');
SELECT json_object('{{{a, b}, {c, d}}, {{b, c}, {d, e}}}');
SELECT json_object('{a, b, c}');
SELECT json_object('{{a, 1}, {b, 2}}', '{{a, 1}, {b, 2}}');
SELECT jsonb_object('{a, b}', '{{a, 1}, {b, 2}}');
SELECT json_object('{a, b}', '{c}');
SELECT json_object('{}', '{}');
SELECT json_object('{a, NULL}', '{c, d}');
-- a year and a day of the year
SELECT '2003 100'::date, '[100,200]'::timestamp;
SELECT '[100,200,300]'::timestamp;
SELECT * FROM json_populate_recordset(row('def', 99, NULL)::jc_pair, '[{"c": [100, 200, 300]}]');
-- jsonb subscripts are never slices
SELECT ('{"a": 1}'::jsonb)['a':'b'];
SELECT ('[1, "2", null]'::jsonb)[1:2];
SELECT ('[1, "2", null]'::jsonb)[:2];
SELECT ('[1, "2", null]'::jsonb)[:];
SELECT ('[1, "2", null]'::jsonb)[1:][1];
SELECT ('[1, "2", null]'::jsonb)[2];
-- set-returning functions over aggregates
CREATE TABLE jc_sg (g int, x int);
INSERT INTO jc_sg VALUES (1, 10), (1, 11), (2, 20), (3, NULL);
SELECT count(*) FROM (SELECT json_object_keys(json_object(array_agg(g))) FROM (SELECT unnest(array['f' || n, n::text]) AS g FROM generate_series(1, 300) AS n) x) y;
SELECT g, unnest(array_agg(x ORDER BY x)) FROM jc_sg GROUP BY g ORDER BY g, 2;
SELECT g, generate_series(1, count(*)::int) AS n, sum(x) FROM jc_sg GROUP BY g ORDER BY 1, 2;
SELECT jsonb_array_elements(jsonb_agg(x)) AS e FROM jc_sg GROUP BY g ORDER BY e;
SELECT json_object_keys(json_object_agg(g, x)) AS k FROM jc_sg ORDER BY k;
SELECT unnest(array_agg(1));
SELECT generate_series(1, max(g)) FROM jc_sg WHERE x > 100;
