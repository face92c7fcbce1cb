-- Transaction ids: the xid and xid8 types (input, equality, xid8 to
-- xid), columns of type xid, pg_current_xact_id and pg_locks'
-- transactionid and virtualtransaction, which tie a transaction's locks
-- together as a view over pg_locks expects.
select '512'::xid, '0x10'::xid = '16'::xid, '5'::xid <> '6'::xid, '12'::xid8 < '13'::xid8, ('4294967301'::xid8)::xid;
select '5'::xid < '6'::xid;
select 5::xid;
select '12x'::xid8;
select pg_typeof(pg_current_xact_id());
create table xt (m xid, n xid8);
insert into xt values ('512', '77');
select * from xt where m = '512';
select pg_typeof(m), m::text from xt;
select typname, typlen from pg_type where oid in ('xid'::regtype, 'xid8'::regtype) order by 1;
create table xlock (a int);
create view xlocks as
select c.relname, count(*) as n
from pg_locks l join pg_class c on l.relation = c.oid
where virtualtransaction = (
        select virtualtransaction
        from pg_locks
        where transactionid = pg_current_xact_id()::xid)
and locktype = 'relation'
and relnamespace != (select oid from pg_namespace where nspname = 'pg_catalog')
and c.relname != 'xlocks'
group by c.relname;
begin;
select * from xlocks;
lock table xlock in access exclusive mode;
select * from xlocks;
select count(*) from pg_locks where locktype = 'transactionid' and transactionid = pg_current_xact_id()::xid;
commit;
