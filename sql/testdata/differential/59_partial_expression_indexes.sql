-- Partial and expression indexes, index options, ALTER INDEX and REINDEX.
create table users (id int primary key, email text not null, name text, deleted_at int);
create unique index users_live on users (email) where deleted_at is null;
insert into users values (1, 'a@b', 'A', null), (2, 'a@b', 'B', 5);
insert into users values (3, 'a@b', 'C', null);
insert into users values (3, 'a@b', 'C', 7);
update users set deleted_at = null where id = 2;
update users set deleted_at = 9 where id = 1;
insert into users values (4, 'a@b', 'D', null);
update users set deleted_at = null where id = 1;
select * from users order by id;
create unique index users_all on users (email);
create unique index users_dead on users (email) where deleted_at is not null;
create unique index users_late on users (email) where deleted_at > 6;
-- ON CONFLICT infers a partial unique index only from a WHERE that implies it.
insert into users values (5, 'a@b', 'E', null) on conflict (email) do nothing;
insert into users values (5, 'a@b', 'E', null) on conflict (email) where deleted_at is null do update set name = excluded.name;
insert into users values (6, 'a@b', 'F', null) on conflict (email) where deleted_at is null and id > 0 do nothing;
insert into users values (6, 'x@y', 'F', null) on conflict (email) where name is null do nothing;
select * from users order by id;
-- Expression indexes.
create table accounts (id int primary key, email text, a int, b int);
insert into accounts values (1, 'A@b', 1, 2), (2, 'c@d', 2, 2);
create unique index accounts_lower on accounts (lower(email));
insert into accounts values (3, 'a@B', 0, 0);
create unique index on accounts ((a + b), lower(email));
drop index accounts_lower;
insert into accounts values (3, 'a@B', 2, 1);
insert into accounts values (3, 'a@B', 2, 2);
update accounts set a = 1 where id = 3;
create unique index accounts_upper on accounts (upper(email));
create unique index accounts_up2 on accounts (upper(email)) where a < 2;
insert into accounts values (4, 'C@D', 0, 0) on conflict (lower(email)) do nothing;
insert into accounts values (4, 'C@D', 0, 0) on conflict ((a + b), lower(email)) do update set b = accounts.b + 10;
select * from accounts order by id;
select id from accounts where lower(email) = 'a@b' order by id;
select id from accounts where a + b = 14 order by id;
-- What an index may not hold.
create index on accounts (random());
create index on accounts ((a + now()::date - current_date));
create index on accounts (a) where b > random();
create index on accounts ((count(*)));
create index on accounts (a) where a > (select 1);
create index on accounts (a) where a + 1;
create index on accounts (lower(nope));
create index on accounts (a) include (nope);
create index on accounts using gin (a);
create index on accounts using gist (a);
create index on accounts using nope (a);
create unique index on accounts using hash (a);
create index on accounts using hash (a, b);
create index on accounts using hash (a desc);
-- Options and the catalog.
create table t (id int primary key, email text, a int, b int, deleted_at timestamptz);
create unique index t_email_live on t (email) where deleted_at is null;
create index on t (lower(email));
create index on t ((a + b), a desc nulls last, b nulls first) include (email);
create index if not exists t_lower_idx on t (upper(email));
create index concurrently t_hash on t using hash (email);
create index t_p on t (a) where a > 5 and b is not null;
create unique index tnn on t (a) include (b) nulls not distinct where a > 1;
create index tcast on t ((a::text), (coalesce(a, b)));
create index on t (a, a);
select indexdef from pg_indexes where tablename = 't' order by indexname;
select c.relname, pg_get_indexdef(i.indexrelid, 0, true), pg_get_indexdef(i.indexrelid, 1, true), pg_get_indexdef(i.indexrelid, 1, false)
  from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = 't'::regclass order by 1;
select c.relname, i.indkey::text, i.indoption::text, i.indnatts, i.indnkeyatts, pg_get_expr(i.indpred, i.indrelid)
  from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = 't'::regclass order by 1;
select attname, atttypid::regtype from pg_attribute where attrelid = 't_expr_a_b_email_idx'::regclass order by attnum;
select attname, atttypid::regtype from pg_attribute where attrelid = 'tcast'::regclass order by attnum;
select attname from pg_attribute where attrelid = 't_a_a1_idx'::regclass order by attnum;
select a.amname from pg_class c join pg_am a on a.oid = c.relam where c.relname in ('t_hash', 't_p') order by 1;
-- ALTER INDEX, REINDEX, DROP INDEX CONCURRENTLY.
alter index t_p rename to t_p2;
alter index t_p rename to t_p3;
alter index if exists t_p rename to t_p3;
alter index t_p2 rename to t;
select indexname from pg_indexes where tablename = 't' and indexname like 't_p%';
reindex index t_p2;
reindex table t;
reindex index t;
reindex table nope;
drop index concurrently t_p2;
drop index concurrently t_hash, tcast;
drop index concurrently tcast cascade;
drop index tcast cascade;
select count(*) from pg_indexes where tablename = 't';
create table docs (id int primary key, tags text[]);
create index on docs using spgist (id);
-- CREATE TABLE ... (LIKE source ...).
create table src (id int generated always as identity primary key, email text not null default 'x', n int check (n > 0),
  g int generated always as (n * 2) stored, unique (email), deleted_at int);
comment on column src.email is 'the mail';
create index src_lower on src (lower(email)) where deleted_at is null;
create table l1 (like src);
create table l2 (a int, like src including all, z text);
create table l3 (like src including defaults including constraints excluding indexes);
create table l4 (like src including indexes, primary key (deleted_at));
create table l5 (like nope);
create table l6 (id int, like src);
create table l7 (like src including all excluding identity excluding generated excluding comments);
select table_name, column_name, ordinal_position, is_nullable, column_default, is_identity, is_generated
  from information_schema.columns where table_name in ('l1', 'l2', 'l3', 'l7') order by table_name, ordinal_position;
select indexname, indexdef from pg_indexes where tablename in ('l1', 'l2', 'l3', 'l7') order by indexname;
select conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) from pg_constraint
  where conrelid in ('l1'::regclass, 'l2'::regclass, 'l3'::regclass, 'l7'::regclass) order by 1, 2;
select col_description('l2'::regclass, 3), col_description('l7'::regclass, 2);
insert into l2 (a, email, n) values (1, 'q', 1);
insert into l2 (a, email, n) values (1, 'q', 1);
insert into l2 (a, email, n) values (1, 'r', 0);
insert into l7 (id, email, n, g) values (5, 'q', 1, 7);
select * from l2;
select * from l7;
select * from l1;
insert into l1 values (1, 'a', 0, 0, null), (1, 'a', 0, 0, null);
select count(*) from l1;
