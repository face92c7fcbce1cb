-- bit_length of text and bytea, and as an ALTER COLUMN TYPE ... USING.
select bit_length('jose'), bit_length(''), bit_length('é'), bit_length('\x0102'::bytea), bit_length(null::text);
select bit_length('ab'::varchar), bit_length('ab  '::char(4));
create table bl (aa text);
insert into bl values ('aaa'), ('aaaa');
alter table bl alter column aa type integer using bit_length(aa);
select * from bl order by aa;
