-- A table's row converts to the row type of an ancestor (INHERITS), its
-- columns found by name, in casts and function arguments; not to other tables'.
create table base (i integer);
create table derived () inherits (base);
create table more_derived (like derived, b int) inherits (derived);
insert into derived (i) values (0);
insert into more_derived values (5, 6);
select derived::base from derived;
select more_derived::base from more_derived;
select more_derived::derived from more_derived;
select row(i, b)::more_derived::derived::base from more_derived;
select (1, 2)::more_derived::derived::base;
select (1, 2)::more_derived::derived;
select NULL::more_derived::base;
select (more_derived.*)::base AS b, (more_derived)::derived AS d from more_derived order by 1;
create table p1(ff1 int);
create table p2(f1 text);
create function p2text(p2) returns text as 'select $1.f1' language sql;
create table c1(f3 int) inherits(p1,p2);
insert into c1 values(123456789, 'hi', 42);
select p2text(c1.*) from c1;
select (c1.*)::p2 AS x, (c1.*)::p1 AS y from c1;
select (c1.*)::base from c1;
select row(1, 'x', 3)::c1::p2;
