-- PostgreSQL 15's predefined roles: listed with their oids, pg_monitor's
-- memberships, granting them, and what pg_read_all_data,
-- pg_write_all_data, pg_read_all_stats and pg_signal_backend give.
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
