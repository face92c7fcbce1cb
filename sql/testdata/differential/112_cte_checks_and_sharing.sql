-- PostgreSQL's checks of recursive queries, and WITH RECURSIVE lists
-- whose queries read later ones.
CREATE TABLE y (a int);
INSERT INTO y SELECT generate_series(1, 10);
WITH RECURSIVE x(id) AS (SELECT * FROM z UNION ALL SELECT id + 1 FROM x WHERE id < 5), z(id) AS (VALUES (1)) SELECT * FROM x;
WITH RECURSIVE t(j) AS (WITH RECURSIVE s(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM s WHERE i < 3) SELECT i FROM s UNION ALL SELECT j + 1 FROM t WHERE j < 3) SELECT * FROM t;
WITH RECURSIVE x(n) AS (SELECT 1 INTERSECT SELECT n + 1 FROM x) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT 1 EXCEPT ALL SELECT n + 1 FROM x) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT n FROM x) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT n FROM x UNION ALL SELECT 1) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT a FROM y WHERE a = 1 UNION ALL SELECT x.n + 1 FROM y LEFT JOIN x ON x.n = y.a WHERE n < 10) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT a FROM y WHERE a = 1 UNION ALL SELECT x.n + 1 FROM x RIGHT JOIN y ON x.n = y.a WHERE n < 10) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT a FROM y WHERE a = 1 UNION ALL SELECT x.n + 1 FROM x FULL JOIN y ON x.n = y.a WHERE n < 10) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT a FROM y WHERE a = 1 UNION ALL SELECT x.n + 1 FROM y JOIN x ON x.n = y.a WHERE n < 10) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT count(*) FROM x) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT sum(n) FROM x) SELECT * FROM x;
WITH RECURSIVE x(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM z WHERE id < 5), z(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM x WHERE id < 5) SELECT * FROM x;
WITH RECURSIVE foo(i) AS (VALUES (1) UNION ALL (SELECT i + 1 FROM foo WHERE i < 10 UNION ALL SELECT i + 1 FROM foo WHERE i < 5)) SELECT * FROM foo;
WITH RECURSIVE foo(i) AS (VALUES (1) UNION ALL SELECT * FROM (SELECT i + 1 FROM foo WHERE i < 10 UNION ALL SELECT i + 1 FROM foo WHERE i < 5) AS t) SELECT * FROM foo;
WITH RECURSIVE foo(i) AS (VALUES (1) UNION ALL (SELECT i + 1 FROM foo WHERE i < 10 EXCEPT SELECT i + 1 FROM foo WHERE i < 5)) SELECT * FROM foo;
WITH RECURSIVE foo(i) AS (VALUES (1) UNION ALL (SELECT i + 1 FROM foo WHERE i < 10 INTERSECT SELECT i + 1 FROM foo WHERE i < 5)) SELECT * FROM foo;
WITH RECURSIVE foo(i) AS (SELECT i::numeric(3,0) FROM (VALUES (1), (2)) t(i) UNION ALL SELECT (i + 1)::numeric(10,0) FROM foo WHERE i < 10) SELECT * FROM foo;
WITH RECURSIVE foo(i) AS (SELECT i::numeric(3,0) FROM (VALUES (1), (2)) t(i) UNION ALL SELECT (i + 1)::numeric(3,0) FROM foo WHERE i < 4) SELECT * FROM foo;
WITH RECURSIVE outermost(x) AS (WITH innermost AS (SELECT 2 FROM outermost) SELECT * FROM innermost UNION SELECT * FROM outermost) SELECT * FROM outermost ORDER BY 1;
WITH RECURSIVE outermost(x) AS (SELECT 1 UNION (WITH innermost AS (SELECT 2) SELECT * FROM outermost UNION SELECT * FROM innermost)) SELECT * FROM outermost ORDER BY 1;
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x WHERE n IN (SELECT * FROM x)) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x WHERE n < 3 ORDER BY 1) SELECT * FROM x;
-- A WITH query referred to more than once is computed once.
SELECT count(*) FROM (WITH q1(x) AS (SELECT random() FROM generate_series(1, 5)) SELECT * FROM q1 UNION SELECT * FROM q1) ss;
WITH q AS (SELECT random() AS r) SELECT a.r = b.r FROM q a, q b;
WITH q AS (SELECT random() AS r) SELECT (SELECT r FROM q) = (SELECT r FROM q);
WITH q AS (SELECT g FROM generate_series(1, 3) g) SELECT g, (SELECT count(*) FROM q q2 WHERE q2.g <= q.g) FROM q ORDER BY 1;
WITH q AS (SELECT 1 AS x), r AS (SELECT * FROM q UNION ALL SELECT * FROM q) SELECT * FROM r, q;
WITH q AS (SELECT 1 AS x) SELECT * FROM (WITH q AS (SELECT 2 AS x) SELECT * FROM q) s, q;
CREATE SEQUENCE sq;
WITH q AS (SELECT nextval('sq') AS v) SELECT * FROM q a, q b;
-- WITH queries reading columns of the levels around their query.
create table it (f1 int);
insert into it values (0), (123456), (-123456), (7);
select ( with cte(foo) as ( values(f1) ) select (select foo from cte) ) from it;
select ( with cte(foo) as ( values(f1) ) values((select foo from cte)) ) from it;
select f1, (with c as (select f1 * 2 as d) select d from c) from it order by 1;
select f1, (with c as (select f1 + g as d from generate_series(1, 2) g) select sum(d) from c, c c2) from it order by 1;
select f1, (with c as (select 1 as one) select (select one + f1 from c)) from it order by 1;
select (with c as (select f1) select count(*) from c where f1 > 0) from it order by 1;
select * from it where exists (with c as (select it.f1 as x) select 1 from c where x > 0) order by 1;
with c as (select f1 from it) select (select count(*) from c c1 where c1.f1 < it.f1) from it order by 1;
with c as (select x from (values (1)) v(x)) select * from c where x in (with d as (select x + 0 as y) select y from d);
-- A recursive UNION removes duplicates by hashing: money cannot.
WITH RECURSIVE t(n) AS (VALUES (1::money) UNION SELECT n + 1::money FROM t WHERE n < 5::money) SELECT sum(n) FROM t;
WITH RECURSIVE t(n) AS (VALUES (1::money) UNION ALL SELECT n + 1::money FROM t WHERE n < 5::money) SELECT sum(n) FROM t;
