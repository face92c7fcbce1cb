-- CREATE OPERATOR and DROP OPERATOR: binary and prefix operators backed
-- by SQL, PL/pgSQL and built-in functions, their resolution in
-- expressions, pg_operator, and the errors of bad definitions.
CREATE FUNCTION uop_add(int, int) RETURNS int AS 'SELECT $1 + $2 * 10' LANGUAGE sql;
CREATE OPERATOR <+> (FUNCTION = uop_add, LEFTARG = int, RIGHTARG = int);
SELECT 1 <+> 2;
SELECT 1 <+> '3';
SELECT '4' <+> 5;
SELECT 2::int2 <+> 3;
SELECT 1::int8 <+> 2;
SELECT 1 <+> NULL;
SELECT 1 <+> 2 <+> 3;
CREATE TABLE uop_t (a int, b int);
INSERT INTO uop_t VALUES (1, 2), (3, 4), (5, NULL);
SELECT a <+> b FROM uop_t ORDER BY a;
SELECT a FROM uop_t WHERE a <+> b > 30 ORDER BY a;
CREATE OPERATOR <+> (FUNCTION = uop_add, LEFTARG = int, RIGHTARG = int);
CREATE OPERATOR <+> (PROCEDURE = uop_add, LEFTARG = integer, RIGHTARG = int4);
-- A prefix operator, in PL/pgSQL.
CREATE FUNCTION uop_rev(text) RETURNS text AS 'begin return reverse($1); end' LANGUAGE plpgsql;
CREATE OPERATOR @@@ (PROCEDURE = uop_rev, RIGHTARG = text);
SELECT @@@ 'abc';
SELECT @@@ 'abc'::varchar;
SELECT @@@ NULL::text;
-- A built-in function.
CREATE OPERATOR ## (FUNCTION = textcat, LEFTARG = text, RIGHTARG = text);
SELECT 'a' ## 'b';
SELECT 'a'::text ## 'b'::text ## 'c';
SELECT oprname, oprkind, oprleft::regtype, oprright::regtype, oprresult::regtype, oprcanmerge, oprcanhash
  FROM pg_operator WHERE oprnamespace = 'public'::regnamespace ORDER BY 1;
SELECT oprname, pg_operator_is_visible(oid) FROM pg_operator WHERE oprnamespace = 'public'::regnamespace ORDER BY 1;
-- A user operator beside the built-in ones of the same name: the
-- built-in one still serves its own types.
CREATE FUNCTION uop_ieq(int, text) RETURNS bool AS 'SELECT $1::text = $2' LANGUAGE sql;
CREATE OPERATOR = (FUNCTION = uop_ieq, LEFTARG = int, RIGHTARG = text);
SELECT 1 = '1'::text, 2 = '1'::text, 1 = 1, 'a' = 'a';
DROP OPERATOR = (int, text);
-- Bad definitions.
CREATE OPERATOR ### (FUNCTION = uop_nosuch, LEFTARG = int, RIGHTARG = int);
CREATE OPERATOR ### (FUNCTION = uop_add, LEFTARG = text, RIGHTARG = int);
CREATE OPERATOR ### (FUNCTION = uop_add, LEFTARG = int);
CREATE OPERATOR ### (FUNCTION = uop_add);
CREATE OPERATOR ### (LEFTARG = int, RIGHTARG = int);
CREATE OPERATOR ### (FUNCTION = uop_add, LEFTARG = int, RIGHTARG = uop_nosuchtype);
SELECT 1 ### 2;
SELECT 'x' <+> 'y'::text;
-- DROP OPERATOR.
DROP OPERATOR <+> (int, int);
SELECT 1 <+> 2;
DROP OPERATOR <+> (int, int);
DROP OPERATOR IF EXISTS <+> (int, int);
DROP OPERATOR @@@ (NONE, text);
SELECT @@@ 'abc';
DROP OPERATOR ## (text, text);
SELECT oprname FROM pg_operator WHERE oprnamespace = 'public'::regnamespace;
-- Transactional: a rolled back CREATE OPERATOR leaves nothing.
BEGIN;
CREATE OPERATOR <+> (FUNCTION = uop_add, LEFTARG = int, RIGHTARG = int);
SELECT 1 <+> 1;
ROLLBACK;
SELECT 1 <+> 1;
-- Operators on domains (as case.sql uses them).
CREATE DOMAIN uop_dom AS text;
CREATE FUNCTION uop_deq(uop_dom, uop_dom) RETURNS bool AS 'SELECT lower($1) = lower($2)' LANGUAGE sql;
CREATE OPERATOR === (FUNCTION = uop_deq, LEFTARG = uop_dom, RIGHTARG = uop_dom);
SELECT 'A'::uop_dom === 'a'::uop_dom, 'A'::uop_dom === 'b';
SELECT oprleft::regtype, oprright::regtype FROM pg_operator WHERE oprname = '===';
DROP OPERATOR === (uop_dom, text);
DROP OPERATOR === (uop_dom, uop_dom);
-- An operator depends on its function.
CREATE FUNCTION uop_dep(int, int) RETURNS int AS 'SELECT $1 - $2' LANGUAGE sql;
CREATE OPERATOR <-> (FUNCTION = uop_dep, LEFTARG = int, RIGHTARG = int);
CREATE OPERATOR !-! (FUNCTION = uop_rev, RIGHTARG = text);
DROP FUNCTION uop_dep(int, int);
DROP FUNCTION uop_rev(text);
SELECT 5 <-> 2;
DROP FUNCTION uop_dep(int, int) CASCADE;
DROP FUNCTION uop_rev(text) CASCADE;
SELECT oprname FROM pg_operator WHERE oprnamespace = 'public'::regnamespace;
-- Names, options and DROP's corners.
CREATE FUNCTION uop_one(int, int) RETURNS int AS 'SELECT 1' LANGUAGE sql;
CREATE OPERATOR %- (FUNCTION = uop_one, LEFTARG = int, RIGHTARG = int);
SELECT 2 %- 3;
CREATE OPERATOR <+> (FUNCTION = uop_one, LEFTARG = int, RIGHTARG = int, foo = 1);
CREATE OPERATOR <+> (FUNCTION = uop_one, LEFTARG = int, RIGHTARG = int);
DROP OPERATOR IF EXISTS <+> (int, int), <+> (int, text);
DROP OPERATOR <+> (uop_nosuchtype, int);
DROP OPERATOR IF EXISTS <+> (uop_nosuchtype, int);
DROP OPERATOR IF EXISTS <+> (int, uop_nosuchtype);
DROP FUNCTION uop_one(int, int) CASCADE;
