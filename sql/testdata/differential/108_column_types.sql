-- Column types of views and VALUES: unknown literals become text, an
-- explicit ::unknown is accepted, alternatives that are all varchar (or
-- unknown) stay varchar, keeping a modifier only when every one has it; the
-- types routines may return; a few operators and functions by type.
SELECT pg_typeof('foo'::unknown);
CREATE VIEW unspecified_types AS
  SELECT 42 AS i, 42.5 AS num, 'foo' AS u, 'foo'::unknown AS u2, null AS n;
SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
  WHERE a.attrelid = 'unspecified_types'::regclass AND a.attnum > 0 ORDER BY a.attnum;
SELECT * FROM unspecified_types;
CREATE TABLE unk (x unknown);
CREATE VIEW tt1 AS
  SELECT * FROM (
    VALUES
       ('abc'::varchar(3), '0123456789', 42, 'abcd'::varchar(4)),
       ('0123456789', 'abc'::varchar(3), 42.12, 'abc'::varchar(4))
  ) vv(a,b,c,d);
SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
  WHERE a.attrelid = 'tt1'::regclass AND a.attnum > 0 ORDER BY a.attnum;
SELECT * FROM tt1;
SELECT a::varchar(3) FROM tt1;
SELECT pg_typeof(x) FROM (VALUES ('a'::varchar(3)), ('b')) v(x);
SELECT pg_typeof(x) FROM (VALUES ('a'::varchar(3)), ('b'::text)) v(x);
SELECT pg_typeof(coalesce('a'::varchar(3), 'b'::varchar(5)));
SELECT x FROM (SELECT 'a'::varchar(2) UNION ALL SELECT 'bb'::varchar(2)) s(x) ORDER BY 1;
CREATE VIEW un AS SELECT 'a'::varchar(2) AS x UNION ALL SELECT 'bb'::varchar(2);
SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = 'un'::regclass AND a.attnum = 1;
CREATE VIEW un2 AS SELECT 'a'::varchar(2) AS x UNION ALL SELECT 'bb'::varchar(3);
SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = 'un2'::regclass AND a.attnum = 1;
-- Routine results and parameters of the catalog types name and "char".
CREATE FUNCTION ct_fn1() RETURNS TABLE (a name, b "char", c text) LANGUAGE sql AS $$ SELECT 'x'::name, 'y'::"char", 'z' $$;
SELECT * FROM ct_fn1();
CREATE FUNCTION ct_fn2(n name) RETURNS name LANGUAGE sql AS $$ SELECT n $$;
SELECT ct_fn2('abc'), pg_typeof(ct_fn2('abc'));
-- text_pattern_ops' operators compare byte by byte.
SELECT 'a' ~<~ 'b', 'b' ~<=~ 'b', 'B' ~>=~ 'a', 'é' ~>~ 'z', 'b' ~>~ 'b';
SELECT 'ab'::varchar(5) ~<~ 'ac'::text, 'ab '::char(4) ~<=~ 'ab';
SELECT 1 ~<~ 2;
SELECT circle_center('<(1,2),3>'::circle), circle_center(circle '<(0.5,-1),2>');
