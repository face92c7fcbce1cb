-- pg_indexes, pg_tables and pg_views.
create table vt (id int primary key, a text unique, b int);
create index vt_b on vt (b desc);
create table vc (id int references vt);
create view vv as select id, a from vt;
select schemaname, tablename, indexname, tablespace, indexdef from pg_indexes where schemaname = 'public' order by indexname;
select schemaname, tablename, tableowner, tablespace, hasindexes, hasrules, hastriggers, rowsecurity from pg_tables where schemaname = 'public' order by tablename;
select schemaname, viewname, viewowner, definition from pg_views where schemaname = 'public';
select count(*) from pg_indexes where tablename = 'vt' and indexname = 'vt_b' and schemaname = 'public';
