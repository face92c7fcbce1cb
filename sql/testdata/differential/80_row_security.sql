-- Row-level security: ALTER TABLE ... ROW LEVEL SECURITY, CREATE, ALTER
-- and DROP POLICY, and how policies filter and check rows.
create role d80_owner;
create role d80_alice;
create role d80_bob;
create role d80_group;
create role d80_bypass bypassrls;
grant d80_group to d80_bob;
create table d80_docs (id int primary key, owner name, level int, body text);
alter table d80_docs owner to d80_owner;
grant all on d80_docs to d80_alice, d80_bob, d80_bypass;
insert into d80_docs values (1, 'd80_alice', 1, 'a1'), (2, 'd80_alice', 3, 'a2'),
  (3, 'd80_bob', 1, 'b1'), (4, 'd80_bob', 5, 'b2'), (5, 'd80_carol', 2, 'c1');
select relrowsecurity, relforcerowsecurity from pg_class where relname = 'd80_docs';
-- enabled without policies: default deny for others, not for the owner
alter table d80_docs enable row level security;
select relrowsecurity, relforcerowsecurity from pg_class where relname = 'd80_docs';
select rowsecurity from pg_tables where tablename = 'd80_docs';
set role d80_alice;
select * from d80_docs order by id;
insert into d80_docs values (10, 'd80_alice', 1, 'x');
update d80_docs set body = 'y';
delete from d80_docs;
reset role;
set role d80_owner;
select count(*) from d80_docs;
reset role;
set role d80_bypass;
select count(*) from d80_docs;
reset role;
-- policy DDL and its errors
create policy p_own on d80_docs using (owner = current_user);
create policy p_own on d80_docs using (true);
create policy p_bad on d80_docs for select using (true) with check (true);
create policy p_bad on d80_docs for delete using (true) with check (true);
create policy p_bad on d80_docs for insert using (true);
create policy p_bad on d80_docs to d80_nosuch using (true);
create policy p_bad on d80_docs using (level);
create policy p_bad on d80_docs using (count(*) > 0);
create policy p_bad on d80_docs using (nosuch > 0);
create policy p_bad on d80_nosuch using (true);
create view d80_view as select * from d80_docs;
create policy p_bad on d80_view using (true);
create policy p_read_low on d80_docs for select to d80_group using (level < 2);
create policy p_ins on d80_docs for insert with check (level <= 3);
create policy p_upd on d80_docs for update using (owner = current_user) with check (body <> 'forbidden');
create policy p_pub on d80_docs to public, d80_alice using (false);
drop policy p_pub on d80_docs;
select polname, polcmd, polpermissive, polroles = '{0}' as public, pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid)
  from pg_policy where polrelid = 'd80_docs'::regclass order by polname;
select schemaname, tablename, policyname, permissive, roles, cmd, qual, with_check
  from pg_policies where tablename = 'd80_docs' order by policyname;
-- as alice: her rows only
set role d80_alice;
select id, owner, level from d80_docs order by id;
select count(*) from d80_docs where id = 3;
update d80_docs set body = body || '!' returning id, body;
update d80_docs set body = 'z' where id = 3;
delete from d80_docs where id = 4;
select count(*) from d80_docs;
-- new rows: WITH CHECK of the insert policy, USING of ALL when no WITH CHECK
insert into d80_docs values (11, 'd80_alice', 2, 'new');
insert into d80_docs values (12, 'd80_alice', 9, 'too high');
insert into d80_docs values (13, 'd80_bob', 1, 'not mine');
insert into d80_docs values (14, 'd80_alice', 1, 'ret') returning id;
update d80_docs set body = 'forbidden' where id = 1;
update d80_docs set owner = 'd80_bob' where id = 1;
select id, body from d80_docs order by id;
-- rows locked FOR UPDATE pass the UPDATE policies too
select id from d80_docs order by id for update;
select id from d80_docs where id > 1 order by id for share;
-- policy creation is for the owner
create policy p_x on d80_docs using (true);
alter table d80_docs disable row level security;
drop policy p_own on d80_docs;
reset role;
-- bob: his rows, and through d80_group the low levels for SELECT
set role d80_bob;
select id, owner, level from d80_docs order by id;
update d80_docs set body = 'bb' where id = 1;
update d80_docs set body = 'bb' where id = 3 returning id;
delete from d80_docs where level < 2 returning id;
reset role;
-- restrictive policies are AND-ed with the permissive ones
create policy p_restrict on d80_docs as restrictive using (level < 4);
set role d80_bob;
select id, owner, level from d80_docs order by id;
insert into d80_docs values (20, 'd80_bob', 1, 'ok');
reset role;
create policy p_restrict_ins on d80_docs as restrictive for insert with check (body <> 'nope');
set role d80_bob;
insert into d80_docs values (21, 'd80_bob', 1, 'nope');
insert into d80_docs values (22, 'd80_bob', 7, 'x');
reset role;
-- row_security = off
set row_security = off;
set role d80_alice;
select count(*) from d80_docs;
reset role;
select count(*) from d80_docs;
set role d80_owner;
select count(*) from d80_docs;
reset role;
reset row_security;
-- FORCE makes the owner subject to the policies too
alter table d80_docs force row level security;
select relrowsecurity, relforcerowsecurity from pg_class where relname = 'd80_docs';
set role d80_owner;
select count(*) from d80_docs;
set row_security = off;
select count(*) from d80_docs;
reset row_security;
reset role;
alter table d80_docs no force row level security;
set role d80_owner;
select count(*) from d80_docs;
reset role;
-- ALTER POLICY: rename, roles, expressions, and its errors
alter policy p_own on d80_docs rename to p_mine;
alter policy p_mine on d80_docs rename to p_upd;
alter policy p_nosuch on d80_docs rename to p_x;
alter policy p_nosuch on d80_docs using (true);
alter policy p_read_low on d80_docs with check (true);
alter policy p_ins on d80_docs using (true);
alter policy p_mine on d80_docs to d80_alice using (owner = current_user or level = 2);
alter policy p_mine on d80_docs to d80_nosuch;
select policyname, roles, qual from pg_policies where tablename = 'd80_docs' and policyname = 'p_mine';
set role d80_alice;
select id from d80_docs order by id;
reset role;
set role d80_bob;
select id from d80_docs order by id;
reset role;
-- column renames keep the policies
alter table d80_docs rename column level to lvl;
select policyname, qual, with_check from pg_policies where tablename = 'd80_docs' order by policyname;
set role d80_alice;
select id, lvl from d80_docs order by id;
reset role;
alter table d80_docs rename column lvl to level;
-- views read with the view owner's rights
create view d80_alice_view as select id, owner from d80_docs;
grant select on d80_alice_view to d80_bob;
set role d80_bob;
select * from d80_alice_view order by id;
reset role;
alter view d80_alice_view owner to d80_alice;
set role d80_bob;
select * from d80_alice_view order by id;
reset role;
alter view d80_alice_view owner to d80_owner;
alter table d80_docs force row level security;
set role d80_bob;
select * from d80_alice_view order by id;
reset role;
alter table d80_docs no force row level security;
drop view d80_alice_view;
-- a role granted the bypass, and one that owns through membership
alter role d80_alice bypassrls;
set role d80_alice;
select count(*) from d80_docs;
reset role;
alter role d80_alice nobypassrls;
set role d80_alice;
select count(*) from d80_docs;
reset role;
-- COPY
set role d80_alice;
copy d80_docs from stdin;
reset role;
-- subqueries in policies, and the recursion they may make
create table d80_acl (who name, doc int);
insert into d80_acl values ('d80_bob', 5);
grant select on d80_acl to d80_bob, d80_alice;
create policy p_acl on d80_docs for select using (id in (select doc from d80_acl where who = current_user));
set role d80_bob;
select id from d80_docs order by id;
reset role;
alter table d80_acl enable row level security;
create policy p_back on d80_acl using (doc in (select id from d80_docs));
create policy p_acl2 on d80_docs for select using (exists (select 1 from d80_acl));
set role d80_bob;
select id from d80_docs order by id;
reset role;
drop policy p_back on d80_acl;
drop policy p_acl2 on d80_docs;
drop table d80_acl cascade;
-- foreign keys are checked and cascade without policies
create table d80_parent (id int primary key);
create table d80_child (id int primary key, parent int references d80_parent on delete cascade);
insert into d80_parent values (1), (2);
insert into d80_child values (10, 1), (20, 2);
alter table d80_parent enable row level security;
alter table d80_child enable row level security;
create policy p_none on d80_parent using (false);
create policy p_child on d80_child using (true);
grant all on d80_parent, d80_child to d80_alice;
set role d80_alice;
select * from d80_parent;
insert into d80_child values (30, 1);
insert into d80_child values (40, 9);
select * from d80_child order by id;
reset role;
delete from d80_parent where id = 1;
select * from d80_child order by id;
-- ON CONFLICT DO UPDATE
create table d80_kv (k int primary key, v text, owner name default current_user);
alter table d80_kv enable row level security;
grant all on d80_kv to d80_alice;
insert into d80_kv values (1, 'alice1', 'd80_alice'), (2, 'bob2', 'd80_bob');
create policy kv_sel on d80_kv for select using (true);
create policy kv_ins on d80_kv for insert with check (owner = current_user);
create policy kv_upd on d80_kv for update using (owner = current_user) with check (v <> 'bad');
set role d80_alice;
insert into d80_kv values (1, 'x') on conflict (k) do update set v = excluded.v returning *;
insert into d80_kv values (2, 'x') on conflict (k) do update set v = excluded.v;
insert into d80_kv values (1, 'y') on conflict (k) do update set v = 'bad';
insert into d80_kv values (3, 'z') on conflict (k) do nothing;
insert into d80_kv values (2, 'z') on conflict (k) do nothing;
insert into d80_kv values (4, 'w', 'd80_bob') on conflict (k) do nothing;
select * from d80_kv order by k;
reset role;
-- inheritance: the parent's policies cover the children's rows
create table d80_inh_parent (a int, who name);
create table d80_inh_child () inherits (d80_inh_parent);
insert into d80_inh_parent values (1, 'd80_alice');
insert into d80_inh_child values (2, 'd80_alice'), (3, 'd80_bob');
alter table d80_inh_parent enable row level security;
create policy p_who on d80_inh_parent using (who = current_user);
grant all on d80_inh_parent, d80_inh_child to d80_alice;
set role d80_alice;
select * from d80_inh_parent order by a;
select * from d80_inh_child order by a;
update d80_inh_parent set a = a + 100;
reset role;
select * from d80_inh_parent order by a;
-- dropping the table drops its policies; roles in policies cannot go
drop role d80_group;
drop policy if exists p_nosuch on d80_docs;
drop policy if exists p_nosuch on d80_nosuch;
drop policy p_nosuch on d80_docs;
drop policy p_read_low on d80_docs;
drop view d80_view;
drop table d80_docs;
select count(*) from pg_policy p join pg_class c on c.oid = p.polrelid where c.relname like 'd80%';
drop table d80_kv, d80_child, d80_parent, d80_inh_child, d80_inh_parent;
select count(*) from pg_policies where tablename like 'd80%';
drop role d80_group, d80_owner, d80_alice, d80_bob, d80_bypass;
-- a column a policy reads cannot be dropped or change type without CASCADE
create table d80_dc (a int, b int);
create policy pa on d80_dc using (a > 0);
create policy pb on d80_dc using (b > 0) with check (b < 10);
alter table d80_dc drop column a;
alter table d80_dc alter column b type bigint;
alter table d80_dc drop column a cascade;
select polname from pg_policy where polrelid = 'd80_dc'::regclass;
drop table d80_dc;
