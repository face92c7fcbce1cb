-- Partitions the WHERE clause's constant conditions exclude are pruned when
-- the query is planned: EXPLAIN lists only the partitions left.
create table list_parted (
	a	varchar
) partition by list (a);
create table part_ab_cd partition of list_parted for values in ('ab', 'cd');
create table part_ef_gh partition of list_parted for values in ('ef', 'gh');
create table part_null_xy partition of list_parted for values in (null, 'xy');

explain (costs off) select * from list_parted;
explain (costs off) select * from list_parted where a is null;
explain (costs off) select * from list_parted where a is not null;
explain (costs off) select * from list_parted where a in ('ab', 'cd', 'ef');
explain (costs off) select * from list_parted where a = 'ab';

create table range_list_parted (
	a	int,
	b	char(2)
) partition by range (a);
create table part_1_10 partition of range_list_parted for values from (1) to (10) partition by list (b);
create table part_1_10_ab partition of part_1_10 for values in ('ab');
create table part_1_10_cd partition of part_1_10 for values in ('cd');
create table part_10_20 partition of range_list_parted for values from (10) to (20) partition by list (b);
create table part_10_20_ab partition of part_10_20 for values in ('ab');
create table part_10_20_cd partition of part_10_20 for values in ('cd');
create table part_21_30 partition of range_list_parted for values from (21) to (30) partition by list (b);
create table part_21_30_ab partition of part_21_30 for values in ('ab');
create table part_21_30_cd partition of part_21_30 for values in ('cd');
create table part_40_inf partition of range_list_parted for values from (40) to (maxvalue) partition by list (b);
create table part_40_inf_ab partition of part_40_inf for values in ('ab');
create table part_40_inf_cd partition of part_40_inf for values in ('cd');
create table part_40_inf_null partition of part_40_inf for values in (null);

explain (costs off) select * from range_list_parted;
explain (costs off) select * from range_list_parted where a = 5;
explain (costs off) select * from range_list_parted where b = 'ab';
explain (costs off) select * from range_list_parted where b in ('cd', 'zz');
explain (costs off) select * from range_list_parted where b = 'ab ';
explain (costs off) select * from range_list_parted where b = 'ab' and b = 'cd';

/* Should select no rows because range partition key cannot be null */
explain (costs off) select * from range_list_parted where a is null;

/* Should only select rows from the null-accepting partition */
explain (costs off) select * from range_list_parted where b is null;
explain (costs off) select * from range_list_parted where a is not null and a < 67;
explain (costs off) select * from range_list_parted where a >= 30;

insert into list_parted values ('ab'), ('ef'), ('xy'), (null);
select * from list_parted where a is null;
select * from list_parted where a is not null order by 1;
select * from list_parted where a = 'xy';
drop table list_parted;
insert into range_list_parted values (5, 'ab'), (15, 'cd'), (45, 'ab'), (45, null), (null, null);
select * from range_list_parted where a >= 30 order by 1, 2;
select * from range_list_parted where b is null order by 1, 2;
select * from range_list_parted where a is null;
select * from range_list_parted where a is not null and b is null;
select * from range_list_parted where a = 5 or b is null order by 1, 2;
select * from range_list_parted where b = 'ab' order by 1, 2;
select * from range_list_parted where b = 'ab ' order by 1, 2;
select * from range_list_parted where b in ('cd', 'zz') order by 1, 2;
drop table range_list_parted;

create table mcrparted (a int, b int, c int) partition by range (a, abs(b), c);
create table mcrparted_def partition of mcrparted default;
create table mcrparted0 partition of mcrparted for values from (minvalue, minvalue, minvalue) to (1, 1, 1);
create table mcrparted1 partition of mcrparted for values from (1, 1, 1) to (10, 5, 10);
create table mcrparted2 partition of mcrparted for values from (10, 5, 10) to (10, 10, 10);
create table mcrparted3 partition of mcrparted for values from (11, 1, 1) to (20, 10, 10);
create table mcrparted4 partition of mcrparted for values from (20, 10, 10) to (20, 20, 20);
create table mcrparted5 partition of mcrparted for values from (20, 20, 20) to (maxvalue, maxvalue, maxvalue);
explain (costs off) select * from mcrparted where a = 0;	-- scans mcrparted0, mcrparted_def
explain (costs off) select * from mcrparted where a = 10 and abs(b) < 5;	-- scans mcrparted1, mcrparted_def
explain (costs off) select * from mcrparted where a = 10 and abs(b) = 5;	-- scans mcrparted1, mcrparted2, mcrparted_def
explain (costs off) select * from mcrparted where abs(b) = 5;	-- scans all partitions
explain (costs off) select * from mcrparted where a > -1;	-- scans all partitions
explain (costs off) select * from mcrparted where a = 20 and abs(b) = 10 and c > 10;	-- scans mcrparted4
explain (costs off) select * from mcrparted where a = 20 and c > 20; -- scans mcrparted3, mcrparte4, mcrparte5, mcrparted_def
insert into mcrparted values (0, 1, 1), (10, 4, 1), (10, 5, 10), (20, 10, 11), (20, 30, 30), (30, 1, 1);
select * from mcrparted where a = 10 and abs(b) = 5 order by 1, 2, 3;
select * from mcrparted where a = 20 and c > 20 order by 1, 2, 3;
select * from mcrparted where a = 0 order by 1, 2, 3;
drop table mcrparted;
-- A condition OR-ing conditions on the partition key prunes the partitions
-- each of its arms excludes; IN lists print as PostgreSQL prints them.
create table list_parted (a varchar) partition by list (a);
create table part_ab_cd partition of list_parted for values in ('ab', 'cd');
create table part_ef_gh partition of list_parted for values in ('ef', 'gh');
create table part_null_xy partition of list_parted for values in (null, 'xy');
insert into list_parted values ('ab'), ('cd'), ('ef'), ('xy'), (null);
explain (costs off) select * from list_parted where a = 'ab' or a in (null, 'cd');
explain (costs off) select * from list_parted where a = 'ab' or a = 'ef';
explain (costs off) select * from list_parted where a = 'ab' or a is null;
explain (costs off) select * from list_parted where a = 'ab' or a > 'a';
explain (costs off) select * from list_parted where (a = 'ab' and a is not null) or (a = 'xy');
explain (costs off) select * from list_parted where a in ('ab');
explain (costs off) select * from list_parted where a not in ('ab');
select * from list_parted where a = 'ab' or a in (null, 'cd') order by 1;
select * from list_parted where a = 'ab' or a is null order by 1;
select * from list_parted where (a = 'ab' and a is not null) or (a = 'xy') order by 1;
drop table list_parted;
create table pp_lp (value int, a int) partition by list (a);
create table pp_lp1 partition of pp_lp for values in (1);
create table pp_lp2 partition of pp_lp for values in (2);
explain (costs off) select * from pp_lp where a = 1;
set enable_partition_pruning = off;
explain (costs off) select * from pp_lp where a = 1;
reset enable_partition_pruning;
drop table pp_lp;
