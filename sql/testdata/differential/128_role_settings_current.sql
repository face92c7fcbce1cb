-- ALTER ROLE ... SET name FROM CURRENT stores the session's value;
-- superuser-only parameters (context superuser) refuse SET, RESET,
-- set_config and ALTER ROLE ... SET/RESET by other roles with 42501, and
-- ALTER ROLE ... RESET ALL by such a role keeps their entries;
-- pg_settings shows context, source and reset_val.
create role rs2_a login;
create role rs2_b login createrole;
set work_mem = '5MB';
alter role rs2_a set work_mem from current;
set statement_timeout = '3s';
alter role rs2_a set statement_timeout from current;
set datestyle = 'iso, dmy';
alter role rs2_a set datestyle from current;
alter role rs2_a set search_path from current;
set my.opt = 'v 1';
alter role rs2_a set my.opt from current;
alter role rs2_a set my.unset from current;
alter role rs2_a set nosuch from current;
alter role rs2_a set server_version from current;
select setconfig from pg_db_role_setting s join pg_roles r on r.oid = s.setrole where rolname = 'rs2_a';
alter role rs2_a set log_min_duration_statement = 250;
alter role rs2_a set deadlock_timeout = '2s';
alter role rs2_a set session_replication_role = replica;
alter role rs2_a set log_lock_waits = on;
select setconfig from pg_db_role_setting s join pg_roles r on r.oid = s.setrole where rolname = 'rs2_a';
-- a role that may alter rs2_a but is not a superuser
set role rs2_b;
alter role rs2_a set log_min_duration_statement = 0;
alter role rs2_a reset log_min_duration_statement;
alter role rs2_a set deadlock_timeout from current;
alter role rs2_a set work_mem = '6MB';
alter role rs2_a set my.other = 'x';
alter role rs2_b set log_lock_waits = on;
set log_min_duration_statement = 5;
reset log_min_duration_statement;
set deadlock_timeout = '3s';
set max_stack_depth = '1MB';
set session_replication_role = replica;
select set_config('log_lock_waits', 'on', false);
select set_config('log_lock_waits', 'on', true);
show log_min_duration_statement;
set work_mem = '7MB';
alter role rs2_a reset all;
select setconfig from pg_db_role_setting s join pg_roles r on r.oid = s.setrole where rolname = 'rs2_a';
reset role;
select name, context, source from pg_settings
  where name in ('log_min_duration_statement', 'deadlock_timeout', 'log_lock_waits', 'max_stack_depth',
                 'session_replication_role', 'work_mem', 'statement_timeout', 'datestyle', 'search_path')
  order by 1;
select name, reset_val from pg_settings where name in ('datestyle', 'search_path', 'statement_timeout') order by 1;
reset all;
select name, source from pg_settings where name in ('work_mem', 'statement_timeout', 'datestyle') order by 1;
set log_min_duration_statement = 100;
show log_min_duration_statement;
reset log_min_duration_statement;
-- psql's \drds
alter role rs2_b set work_mem = '1MB';
SELECT rolname AS "Role", datname AS "Database",
  pg_catalog.array_to_string(setconfig, E'\n') AS "Settings"
FROM pg_catalog.pg_db_role_setting s
LEFT JOIN pg_catalog.pg_database d ON d.oid = setdatabase
LEFT JOIN pg_catalog.pg_roles r ON r.oid = setrole
WHERE rolname like 'rs2\_%'
ORDER BY 1, 2;
drop role rs2_a;
drop role rs2_b;
select count(*) from pg_db_role_setting s join pg_roles r on r.oid = s.setrole where rolname like 'rs2\_%';
