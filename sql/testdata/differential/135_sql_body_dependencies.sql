-- SQL-standard function bodies (BEGIN ATOMIC, RETURN) depend on the
-- relations their statements name: DROP refuses without CASCADE (2BP01)
-- and drops the routine with it. Polymorphic arguments are refused for
-- such bodies; a RETURN inside BEGIN ATOMIC is shown as RETURN.
CREATE TABLE sbd_t (i int, j int);
CREATE FUNCTION sbd_ins(a int, b int) RETURNS void LANGUAGE SQL
BEGIN ATOMIC
  INSERT INTO sbd_t SELECT a + $2, 0;
END;
CREATE FUNCTION sbd_count() RETURNS bigint RETURN (SELECT count(*) FROM sbd_t);
CREATE FUNCTION sbd_string() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM sbd_t';
SELECT sbd_ins(1, 2);
SELECT sbd_count(), sbd_string();
DROP TABLE sbd_t;
SELECT proname FROM pg_proc WHERE proname LIKE 'sbd_%' ORDER BY 1;
DROP TABLE sbd_t CASCADE;
SELECT proname FROM pg_proc WHERE proname LIKE 'sbd_%' ORDER BY 1;
SELECT sbd_string();
-- through a view
CREATE TABLE sbd_base (a int);
INSERT INTO sbd_base VALUES (1), (2);
CREATE VIEW sbd_v AS SELECT * FROM sbd_base;
CREATE FUNCTION sbd_view_count() RETURNS bigint RETURN (SELECT count(*) FROM sbd_v);
CREATE PROCEDURE sbd_proc() LANGUAGE SQL BEGIN ATOMIC DELETE FROM sbd_base WHERE a > 5; END;
SELECT sbd_view_count();
DROP VIEW sbd_v;
DROP TABLE sbd_base;
DROP VIEW sbd_v CASCADE;
SELECT proname FROM pg_proc WHERE proname LIKE 'sbd_%' ORDER BY 1;
DROP TABLE sbd_base CASCADE;
SELECT proname FROM pg_proc WHERE proname LIKE 'sbd_%' ORDER BY 1;
-- polymorphic arguments
CREATE FUNCTION sbd_poly(x anyarray) RETURNS anyelement LANGUAGE SQL RETURN x[1];
CREATE FUNCTION sbd_poly2(x anyelement) RETURNS int LANGUAGE SQL BEGIN ATOMIC SELECT 1; END;
-- RETURN inside BEGIN ATOMIC
CREATE FUNCTION sbd_ret() RETURNS boolean BEGIN ATOMIC ;;RETURN false;; END;
SELECT sbd_ret();
SELECT pg_get_functiondef('sbd_ret'::regproc);
