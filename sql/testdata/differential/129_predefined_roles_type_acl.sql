-- PostgreSQL 15's predefined roles: listed with their oids, pg_monitor's
-- memberships, granting them, and what pg_read_all_data,
-- pg_write_all_data, pg_read_all_stats and pg_signal_backend give. Then
-- USAGE on types and domains: GRANT/REVOKE ON TYPE/DOMAIN, typacl,
-- has_type_privilege, and the 42501 of declaring something of a type
-- without USAGE. Last, the aclitem type the ACL columns have: its input
-- and output, aclexplode, aclcontains, makeaclitem and acldefault.
select oid, rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication,
       rolbypassrls, rolconnlimit, rolconfig
  from pg_roles where rolname like 'pg\_%' order by oid;
select oid, rolname, rolcanlogin, rolpassword from pg_authid where oid < 16384 order by oid;
select r.rolname, m.rolname, g.rolname, a.admin_option
  from pg_auth_members a join pg_roles r on r.oid = a.roleid join pg_roles m on m.oid = a.member
  join pg_roles g on g.oid = a.grantor
  where m.rolname like 'pg\_%' order by 1;
select 'pg_monitor'::regrole, 'pg_read_all_data'::regrole::oid, 4200::regrole, pg_get_userbyid(6182);
select pg_has_role('pg_monitor', 'pg_read_all_stats', 'usage'), pg_has_role('pg_monitor', 'pg_signal_backend', 'member');
create role pr2_reader login;
create role pr2_writer login;
create role pr2_mon login;
create role pr2_plain login;
create role pr2_noinherit noinherit login;
grant pg_read_all_data to pr2_reader;
grant pg_write_all_data to pr2_writer;
grant pg_monitor to pr2_mon;
grant pg_read_all_data to pr2_noinherit;
grant pg_database_owner to pr2_plain;
grant pg_read_all_data to pr2_reader;
select m.rolname, r.rolname from pg_auth_members a join pg_roles r on r.oid = a.roleid
  join pg_roles m on m.oid = a.member where m.rolname like 'pr2\_%' order by 1, 2;
select pg_has_role('pr2_mon', 'pg_read_all_stats', 'usage'), pg_has_role('pr2_mon', 'pg_read_all_settings', 'member'),
       pg_has_role('pr2_reader', 'pg_write_all_data', 'usage');
alter role pg_monitor login;
alter role pg_read_all_data rename to x;
drop role pg_signal_backend;
create role pg_mine;
create schema pr2_s;
create table pr2_s.t (id int primary key, v text);
insert into pr2_s.t values (1, 'a'), (2, 'b');
create table pr2_u (id int primary key, v text);
insert into pr2_u values (1, 'x');
create sequence pr2_q;
create view pr2_w as select * from pr2_u;
select has_table_privilege('pr2_reader', 'pr2_s.t', 'select'), has_table_privilege('pr2_reader', 'pr2_s.t', 'insert'),
       has_table_privilege('pr2_reader', 'pr2_s.t', 'select with grant option'),
       has_schema_privilege('pr2_reader', 'pr2_s', 'usage'), has_schema_privilege('pr2_reader', 'pr2_s', 'create'),
       has_column_privilege('pr2_reader', 'pr2_u', 'v', 'select'), has_any_column_privilege('pr2_reader', 'pr2_u', 'select'),
       has_sequence_privilege('pr2_reader', 'pr2_q', 'select'), has_sequence_privilege('pr2_reader', 'pr2_q', 'usage');
select has_table_privilege('pr2_writer', 'pr2_s.t', 'select'), has_table_privilege('pr2_writer', 'pr2_s.t', 'insert, update'),
       has_table_privilege('pr2_writer', 'pr2_s.t', 'delete'), has_table_privilege('pr2_writer', 'pr2_s.t', 'truncate'),
       has_schema_privilege('pr2_writer', 'pr2_s', 'usage'), has_sequence_privilege('pr2_writer', 'pr2_q', 'update');
select has_table_privilege('pr2_noinherit', 'pr2_u', 'select'), has_table_privilege('pr2_plain', 'pr2_u', 'select'),
       has_table_privilege('public', 'pr2_u', 'select');
set role pr2_reader;
select * from pr2_s.t order by id;
select * from pr2_w;
select v from pr2_u where id = 1;
select last_value from pr2_q;
insert into pr2_u values (2, 'y');
update pr2_u set v = 'z';
delete from pr2_u;
truncate pr2_u;
select nextval('pr2_q');
create table pr2_s.mine (x int);
begin;
lock table pr2_u in access share mode;
commit;
reset role;
set role pr2_writer;
insert into pr2_s.t values (3, 'c');
insert into pr2_u values (2, 'y');
update pr2_u set v = 'w';
update pr2_u set v = 'w' where id = 1;
delete from pr2_u;
delete from pr2_u where id = 2;
select * from pr2_u;
select nextval('pr2_q');
truncate pr2_u;
insert into pr2_u values (9, 'n') returning id;
reset role;
select * from pr2_u order by id;
set role pr2_noinherit;
select * from pr2_u;
reset role;
set role pr2_plain;
select * from pr2_u;
select query = '<insufficient privilege>' as hidden, state is null as no_state
  from pg_stat_activity where pid = pg_backend_pid();
reset role;
set role pr2_mon;
select query = '<insufficient privilege>' as hidden, state is null as no_state
  from pg_stat_activity where pid = pg_backend_pid();
select pg_cancel_backend(pg_backend_pid());
reset role;
revoke pg_read_all_data from pr2_reader;
revoke pg_database_owner from pr2_plain;
set role pr2_reader;
select * from pr2_u;
reset role;
drop view pr2_w;
drop table pr2_u;
drop table pr2_s.t;
drop sequence pr2_q;
drop schema pr2_s;
drop role pr2_reader;
drop role pr2_writer;
drop role pr2_mon;
drop role pr2_plain;
drop role pr2_noinherit;
-- privileges on types and domains
create role pr2_tu login;
create role pr2_other login;
create schema pr2_ts authorization pr2_tu;
create type pr2_enum as enum ('a', 'b');
create domain pr2_dom as int check (value > 0);
create type pr2_comp as (x int, y text);
create domain pr2_dom2 as text;
select typname, typacl from pg_type where typname like '%pr2\_%' order by 1;
select has_type_privilege('pr2_tu', 'pr2_enum', 'usage'), has_type_privilege('pr2_tu', 'pr2_dom', 'USAGE'),
       has_type_privilege('pr2_tu', 'pr2_enum[]', 'usage'), has_type_privilege('pr2_tu', 'int4', 'usage'),
       has_type_privilege('pr2_enum', 'usage');
revoke usage on type pr2_enum from public;
revoke usage on domain pr2_dom from public;
revoke all on type pr2_comp from public;
select typname, typacl from pg_type where typname like '%pr2\_%' order by 1;
grant usage on domain pr2_enum to pr2_tu;
grant usage on type _pr2_enum to pr2_tu;
grant select on type pr2_enum to pr2_tu;
grant usage on type pr2_nosuch to pr2_tu;
grant usage on domain pr2_nosuch to pr2_tu;
grant usage on type pr2_dom to pr2_other;
select typname, typacl from pg_type where typname = 'pr2_dom';
select has_type_privilege('pr2_tu', 'pr2_enum', 'usage'), has_type_privilege('pr2_tu', 'pr2_dom', 'usage'),
       has_type_privilege('pr2_tu', 'pr2_comp', 'usage'), has_type_privilege('pr2_tu', 'pr2_enum[]', 'usage'),
       has_type_privilege('pr2_other', 'pr2_dom', 'usage'), has_type_privilege('pr2_tu', 'pr2_dom2', 'usage'),
       has_type_privilege('pr2_tu', 'pr2_enum', 'usage with grant option');
select has_type_privilege('pr2_tu', 'pr2_enum', 'select');
select has_type_privilege('pr2_tu', 'pr2_nosuch', 'usage');
select has_type_privilege('pr2_tu', 'pr2_enum'::regtype::oid, 'usage'), has_type_privilege('pr2_tu', 'pr2_dom2'::regtype::oid, 'usage');
set role pr2_tu;
create table pr2_ts.t1 (a pr2_enum);
create table pr2_ts.t2 (a pr2_dom);
create table pr2_ts.t3 (a pr2_comp);
create table pr2_ts.t4 (a pr2_enum[]);
create table pr2_ts.t5 (a int, d pr2_dom2);
alter table pr2_ts.t5 add column b pr2_enum;
alter table pr2_ts.t5 alter column a type pr2_dom;
alter table pr2_ts.t5 add column c int;
select 'a'::pr2_enum, 1::pr2_dom, row(1, 'x')::pr2_comp;
create table pr2_ts.t6 as select 'a'::pr2_enum as e;
create table pr2_ts.t7 of pr2_comp;
create domain pr2_d3 as pr2_dom;
create type pr2_c2 as (a pr2_enum);
create function pr2_ts.f1(pr2_enum) returns int language sql as 'select 1';
create function pr2_ts.f2() returns pr2_enum language sql as 'select null';
create function pr2_ts.f3(pr2_dom2) returns int language sql as 'select 1';
grant usage on type pr2_dom2 to pr2_other;
revoke usage on type pr2_enum from pr2_other;
reset role;
grant usage on type pr2_enum to pr2_tu with grant option;
grant usage on type pr2_comp to pr2_tu;
set role pr2_tu;
create table pr2_ts.t1 (a pr2_enum);
create table pr2_ts.t3 (a pr2_comp);
create table pr2_ts.t4 (a pr2_enum[]);
insert into pr2_ts.t1 values ('b');
select * from pr2_ts.t1;
grant usage on type pr2_enum to pr2_other;
reset role;
select typname, typacl from pg_type where typname like 'pr2\_%' order by 1;
revoke usage on type pr2_enum from pr2_tu;
revoke usage on type pr2_enum from pr2_tu cascade;
select typname, typacl from pg_type where typname = 'pr2_enum';
set role pr2_tu;
select * from pr2_ts.t1;
insert into pr2_ts.t1 values ('a');
alter table pr2_ts.t1 add column b pr2_enum;
reset role;
-- what keeps a role from being dropped
drop role pr2_other;
drop schema pr2_ts cascade;
drop type pr2_comp;
drop domain pr2_dom;
drop domain pr2_dom2;
drop role pr2_tu;
drop type pr2_enum;
drop role pr2_tu;
drop role pr2_other;
-- aclitem
select 'postgres=r/postgres'::aclitem, 'postgres=wr*/postgres'::aclitem, '=U/postgres'::aclitem, ' group postgres =C/ postgres '::aclitem;
select 'nosuch=r/postgres'::aclitem;
select 'postgres=r/nosuch'::aclitem;
select 'postgres=z/postgres'::aclitem;
select 'postgres=r'::aclitem;
select 'postgres=r/postgres x'::aclitem;
select 'postgres= r/postgres'::aclitem;
select 'postgres'::aclitem;
select '{postgres=r/postgres,=wr/postgres}'::aclitem[];
select '{nosuch=r/postgres}'::aclitem[];
select 'postgres=r/postgres'::aclitem = 'postgres=r/postgres'::aclitem, 'postgres=r/postgres'::aclitem = 'postgres=w/postgres'::aclitem;
select 'postgres=r/postgres'::aclitem::text, '{postgres=r/postgres}'::aclitem[]::text[], pg_typeof('=r/postgres'::aclitem);
select * from aclexplode('{=rw*/postgres,postgres=arwdDxt/postgres}'::aclitem[]);
select * from aclexplode(acldefault('f', 10));
select aclcontains('{=rw*/postgres}'::aclitem[], '=r/postgres'::aclitem), aclcontains('{=rw*/postgres}'::aclitem[], '=r*/postgres'),
       aclcontains('{=rw*/postgres}', 'postgres=r/postgres');
select acldefault('r', 10), pg_typeof(acldefault('r', 10)), acldefault('T', 10), acldefault('n', 6171), acldefault('s', 3373);
select acldefault('q', 10);
select makeaclitem(10, 10, 'SELECT', false), makeaclitem(0, 10, 'usage', true), makeaclitem(10, 10, 'temp', false),
       makeaclitem(10, 10, 'SET', false), makeaclitem(10, 10, 'RULE', false), makeaclitem(4200, 6181, 'Alter System', true);
select makeaclitem(10, 10, 'SELECT, INSERT', true);
select makeaclitem(10, 10, ' select', true);
select makeaclitem(12345, 10, 'SELECT', false);
create role pr2_acl;
create table pr2_acl_t (a int, b text);
grant select, insert on pr2_acl_t to pr2_acl;
grant update (b) on pr2_acl_t to pr2_acl with grant option;
select relacl, pg_typeof(relacl) from pg_class where relname = 'pr2_acl_t';
select attname, attacl, pg_typeof(attacl) from pg_attribute where attrelid = 'pr2_acl_t'::regclass and attacl is not null;
select pg_get_userbyid(a.grantee), a.privilege_type, a.is_grantable
  from pg_class c, aclexplode(c.relacl) a where c.relname = 'pr2_acl_t' order by 1, 2;
select array_to_string(relacl, ',') from pg_class where relname = 'pr2_acl_t';
select unnest(relacl)::text from pg_class where relname = 'pr2_acl_t' order by 1;
select aclcontains(relacl, makeaclitem((select oid from pg_roles where rolname = 'pr2_acl'), 10, 'SELECT', false)) from pg_class where relname = 'pr2_acl_t';
select nspacl, pg_typeof(nspacl) from pg_namespace where nspname = 'public';
select pg_typeof(datacl), pg_typeof(proacl), pg_typeof(typacl) from pg_database, pg_proc, pg_type limit 1;
drop table pr2_acl_t;
drop role pr2_acl;
-- an identity column's sequence needs no privilege of the inserting role;
-- lastval() needs SELECT or USAGE on the sequence it reports
create role pr2_seq;
create table pr2_ident (a int generated always as identity, b text);
grant select, insert on pr2_ident to pr2_seq;
create sequence pr2_s1;
grant update on pr2_s1 to pr2_seq;
set role pr2_seq;
insert into pr2_ident (b) values ('x');
insert into pr2_ident default values;
select * from pr2_ident order by a;
select nextval('pr2_s1');
select lastval();
select currval('pr2_s1');
reset role;
grant select on pr2_s1 to pr2_seq;
set role pr2_seq;
select lastval();
reset role;
drop table pr2_ident;
drop sequence pr2_s1;
drop role pr2_seq;
-- regrole names the roles users create too
create role pr2_rr;
create role "PR2 b";
select 'pr2_rr'::regrole, '"PR2 b"'::regrole, 'PR2_RR'::regrole, 'postgres'::regrole, 'pg_monitor'::regrole;
select 'nosuch'::regrole;
select 'pr2_rr'::regrole::oid = (select oid from pg_roles where rolname = 'pr2_rr');
select (select oid from pg_roles where rolname = 'PR2 b')::regrole;
select 99999::regrole;
select rolname from pg_roles where oid = 'pr2_rr'::regrole;
drop role pr2_rr;
drop role "PR2 b";
