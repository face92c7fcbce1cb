-- Storage parameters: CREATE TABLE ... WITH, ALTER TABLE|VIEW ... SET and
-- RESET, ALTER COLUMN ... SET and RESET, with PostgreSQL's checks of names,
-- kinds of relation, values and ranges, and pg_class.reloptions and
-- pg_attribute.attoptions.
create table ro (f1 int primary key, f2 text) with (fillfactor=70, autovacuum_enabled, toast.autovacuum_enabled=false);
select reloptions from pg_class where relname='ro';
alter table ro set (fillfactor = 100);
alter table ro reset (fillfactor);
alter table ro set (toast.autovacuum_enabled = off);
alter table ro set (autovacuum_enabled = off, fillfactor = 80);
select reloptions from pg_class where relname='ro';
alter table ro set (fillfactor = 5);
alter table ro set (fillfactor = 'x');
alter table ro set (nope = 1);
alter table ro set (foo.nope = 1);
alter table ro reset (fillfactor = 3);
alter table ro set (fillfactor = 20, fillfactor = 30);
alter table ro set (autovacuum_vacuum_scale_factor = 200);
alter table ro set (vacuum_index_cleanup = maybe);
alter table ro set (security_barrier = true);
alter table ro alter column f2 set (n_distinct = 1);
alter table ro alter column f2 set (n_distinct = -2);
alter table ro alter column f2 set (n_distinct = 1, n_distinct_inherited = 2);
alter table ro alter column f2 reset (n_distinct_inherited);
alter table ro alter column f2 set (fillfactor = 2);
alter table ro alter column nope set (n_distinct = 2);
select attname, attoptions from pg_attribute where attrelid='ro'::regclass and attnum > 0;
create view rov as select * from ro;
alter table rov set (autovacuum_enabled = false);
alter view rov set (autovacuum_enabled = false);
alter table rov reset (autovacuum_enabled);
alter view rov reset (autovacuum_enabled);
alter view rov set (security_barrier=off);
alter table rov set (security_barrier=on, security_invoker);
select reloptions from pg_class where relname='rov';
alter view ro set (security_barrier=off);
alter view rov reset (security_barrier);
select reloptions from pg_class where relname='rov';
create table rop (a int) partition by list (a) with (fillfactor=10);
create table rop (a int) partition by list (a) with (nope=10);
create table rop (a int) partition by list (a);
alter table rop set (fillfactor=10);
create table roo (a int) with (oids=false);
create table roo2 (a int) with (oids=true);
create table roo3 (a int) with (toast.fillfactor=10);
create table roo3 (a int) with (toast.autovacuum_analyze_threshold=10);
create table roo3 (a int) with (parallel_workers=2000);
